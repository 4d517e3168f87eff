// Export downloads: Mermaid (from the server's one exporter), SVG and PNG of the diagram.
// Everything ends in a Blob saved through a temporary link; nothing leaves the page but the
// Mermaid request.
import type { ScenarioJson } from "../model/serialize";
import type { Scene } from "../model/types";
import { exportMermaid } from "../net/api";
import { diagramImage, diagramSvg } from "../render/diagramSvg";

export function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function baseName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60) || "scenario";
}

export async function downloadMermaid(scenario: ScenarioJson): Promise<void> {
  const { mermaid } = await exportMermaid(scenario);
  download(new Blob([mermaid], { type: "text/plain" }), `${baseName(scenario.name)}.mmd`);
}

export function downloadSvg(scene: Scene): void {
  download(new Blob([diagramSvg(scene).svg], { type: "image/svg+xml" }), `${baseName(scene.name)}.svg`);
}

export async function downloadPng(scene: Scene, scale = 2): Promise<void> {
  const { img, width, height } = await diagramImage(scene);
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error("no 2D canvas");
  ctx.scale(scale, scale);
  ctx.drawImage(img, 0, 0);
  const blob = await new Promise<Blob | null>((ok) => canvas.toBlob(ok, "image/png"));
  if (!blob) throw new Error("could not encode the PNG");
  download(blob, `${baseName(scene.name)}.png`);
}
