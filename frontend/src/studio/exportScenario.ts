// Download the scenario as a .json file (no network involved).
import type { ScenarioJson } from "../model/serialize";

export function exportScenario(scenario: ScenarioJson): void {
  const blob = new Blob([JSON.stringify(scenario, null, 2) + "\n"], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = `${slugify(scenario.name) || "scenario"}.topolab.json`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function slugify(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60);
}
