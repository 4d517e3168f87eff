// Every gallery template must survive the studio's model unchanged: open it, save it, and the
// server must get back the same scenario (a param the editor has no form for, such as a route
// table, must not be dropped on the way; nor the guided tour).
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fromScenario, toScenario } from "./serialize";

const DIR = join(__dirname, "../../../apps/scenarios/templates_data");
const names = readdirSync(DIR).filter((f) => f.endsWith(".json")).sort();

describe("templates round-trip through the scene model", () => {
  it("finds the gallery", () => expect(names.length).toBeGreaterThan(10));

  it("keeps the guided tours of the templates that carry one", () => {
    const toured = names.filter((n) => "tour" in (JSON.parse(readFileSync(join(DIR, n), "utf8")) as object));
    expect(toured.length).toBeGreaterThanOrEqual(4);
    const raft = JSON.parse(readFileSync(join(DIR, "raft-leader-crash.json"), "utf8")) as Record<string, unknown>;
    const scene = fromScenario(raft);
    expect(scene.tour?.length).toBe((raft.tour as unknown[]).length);
    expect(scene.tour?.some((s) => s.action && "fault" in s.action && s.action.fault.node === "@leader")).toBe(true);
  });

  it.each(names)("%s keeps every node, edge, param, fault and setting", (name) => {
    const raw = JSON.parse(readFileSync(join(DIR, name), "utf8")) as Record<string, unknown>;
    delete raw.meta;
    const back = toScenario(fromScenario(raw)) as unknown as Record<string, unknown>;
    const strip = (s: Record<string, unknown>) => ({
      ...s,
      nodes: (s.nodes as Array<Record<string, unknown>>).map((n) => ({
        ...n, x: Math.round(Number(n.x)), y: Math.round(Number(n.y)), params: n.params ?? {},
      })),
      edges: (s.edges as Array<Record<string, unknown>>).map((e) => ({ ...e, params: e.params ?? {} })),
      faults: s.faults ?? [],
      settings: s.settings ?? {},
      // a tour step's highlight defaults to [] (apps/engine/tour.py); the model always writes it
      ...(s.tour ? { tour: (s.tour as Array<Record<string, unknown>>).map((t) => ({ ...t, highlight: t.highlight ?? [] })) } : {}),
    });
    expect(strip(back)).toEqual(strip(raw));
  });
});
