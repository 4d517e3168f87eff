// The scene as a standalone SVG document (for SVG and PNG export): node cards with their kind
// accent and label, edges with arrowheads. Text is XML-escaped; nothing is fetched.
// diagramImage loads it as an image to draw on a canvas (PNG export, animation frames).
import { accentOf, kindTitle } from "../editor/icons";
import type { Scene } from "../model/types";

export const CARD = { w: 180, h: 64 };
export const PAD = 40;

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c] ?? c);
}

export function diagramSvg(scene: Scene): { svg: string; width: number; height: number } {
  const xs = scene.nodes.map((n) => n.x);
  const ys = scene.nodes.map((n) => n.y);
  const x0 = (xs.length ? Math.min(...xs) : 0) - PAD;
  const y0 = (ys.length ? Math.min(...ys) : 0) - PAD;
  const width = Math.ceil((xs.length ? Math.max(...xs) : 0) + CARD.w + PAD - x0);
  const height = Math.ceil((ys.length ? Math.max(...ys) : 0) + CARD.h + PAD - y0);
  const at = new Map(scene.nodes.map((n) => [n.id, { x: n.x - x0, y: n.y - y0 }]));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif">`,
    `<title>${escapeXml(scene.name)}</title>`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#8b949e"/></marker></defs>',
    `<rect width="${width}" height="${height}" fill="#0d1117"/>`,
  ];
  for (const e of scene.edges) {
    const a = at.get(e.source);
    const b = at.get(e.target);
    if (!a || !b) continue;
    parts.push(`<line x1="${a.x + CARD.w}" y1="${a.y + CARD.h / 2}" x2="${b.x}" y2="${b.y + CARD.h / 2}" stroke="#8b949e" stroke-width="1.5" marker-end="url(#arrow)"/>`);
  }
  for (const n of scene.nodes) {
    const p = at.get(n.id)!;
    const accent = accentOf(n.kind);
    parts.push(
      `<g transform="translate(${p.x},${p.y})">`,
      `<rect width="${CARD.w}" height="${CARD.h}" rx="8" fill="#161b22" stroke="#30363d"/>`,
      `<rect width="4" height="${CARD.h}" rx="2" fill="${accent}"/>`,
      `<text x="16" y="27" fill="#e6edf3" font-size="15" font-weight="600">${escapeXml(truncate(n.label || n.id, 22))}</text>`,
      `<text x="16" y="47" fill="${accent}" font-size="12">${escapeXml(kindTitle(n.kind))}</text>`,
      "</g>",
    );
  }
  parts.push("</svg>");
  return { svg: parts.join("\n"), width, height };
}

/** The diagram loaded as an image, with its size in diagram pixels. */
export async function diagramImage(scene: Scene): Promise<{ img: HTMLImageElement; width: number; height: number }> {
  const { svg, width, height } = diagramSvg(scene);
  const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
  try {
    const img = new Image();
    await new Promise<void>((ok, fail) => {
      img.onload = () => ok();
      img.onerror = () => fail(new Error("could not render the diagram"));
      img.src = url;
    });
    return { img, width, height };
  } finally {
    URL.revokeObjectURL(url);
  }
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
