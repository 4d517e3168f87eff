// How a message kind looks: a colour from the Okabe-Ito palette (safe for the common forms of
// colour blindness) and a shape, chosen by the kind's NAME so kinds the engine adds later get a
// sensible look: known names first, then words in the name (error, vote, ...), then a stable
// hash of the name into the palette. Shape doubles the colour so nothing relies on hue alone.

export type Shape = "dot" | "square" | "diamond" | "triangle" | "ring" | "cross";

export interface MessageStyle { color: string; shape: Shape }

export const OKABE_ITO = {
  orange: "#E69F00", sky: "#56B4E9", green: "#009E73", yellow: "#F0E442",
  blue: "#0072B2", vermillion: "#D55E00", purple: "#CC79A7", grey: "#999999",
} as const;

const KNOWN = {
  request: { color: OKABE_ITO.sky, shape: "dot" },
  response: { color: OKABE_ITO.green, shape: "dot" },
  error: { color: OKABE_ITO.vermillion, shape: "cross" },
  timeout: { color: OKABE_ITO.orange, shape: "triangle" },
  retry: { color: OKABE_ITO.purple, shape: "triangle" },
  event: { color: OKABE_ITO.yellow, shape: "square" },
  ack: { color: OKABE_ITO.green, shape: "square" },
  vote: { color: OKABE_ITO.purple, shape: "diamond" },
  heartbeat: { color: OKABE_ITO.grey, shape: "ring" },
  replication: { color: OKABE_ITO.blue, shape: "square" },
} satisfies Record<string, MessageStyle>;
const KNOWN_BY_NAME: Readonly<Record<string, MessageStyle | undefined>> = KNOWN;

const WORDS: readonly [RegExp, MessageStyle][] = [
  [/err|fail|nack|reject/i, KNOWN.error],
  [/timeout|expire/i, KNOWN.timeout],
  [/vote|elect|prepare|promise|accept|propose/i, KNOWN.vote],
  [/heartbeat|ping|keepalive|gossip/i, KNOWN.heartbeat],
  [/repl|append|log|sync|snapshot/i, KNOWN.replication],
  [/ack|reply|response|result/i, KNOWN.response],
  [/event|publish|message|piece|chunk/i, KNOWN.event],
  [/request|query|lookup|call|get|put/i, KNOWN.request],
];

const HASHED: readonly string[] = [OKABE_ITO.orange, OKABE_ITO.sky, OKABE_ITO.yellow, OKABE_ITO.blue, OKABE_ITO.purple];
const HASH_SHAPES: readonly Shape[] = ["dot", "square", "diamond", "triangle"];

export const FALLBACK_STYLE: MessageStyle = { color: OKABE_ITO.grey, shape: "dot" };

export function styleOf(name: string | undefined): MessageStyle {
  if (!name) return FALLBACK_STYLE;
  const known = KNOWN_BY_NAME[name];
  if (known) return known;
  for (const [re, style] of WORDS) if (re.test(name)) return style;
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
  return { color: HASHED[h % HASHED.length] ?? OKABE_ITO.grey, shape: HASH_SHAPES[(h >>> 3) % HASH_SHAPES.length] ?? "dot" };
}

/** Draws one token of `shape` at (x, y) with radius r into a path-ready context. */
export function drawShape(ctx: CanvasRenderingContext2D, shape: Shape, x: number, y: number, r: number): void {
  ctx.beginPath();
  switch (shape) {
    case "square":
      ctx.rect(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7);
      ctx.fill();
      return;
    case "diamond":
      ctx.moveTo(x, y - r * 1.2); ctx.lineTo(x + r * 1.2, y); ctx.lineTo(x, y + r * 1.2); ctx.lineTo(x - r * 1.2, y);
      ctx.closePath(); ctx.fill();
      return;
    case "triangle":
      ctx.moveTo(x, y - r * 1.2); ctx.lineTo(x + r * 1.1, y + r * 0.9); ctx.lineTo(x - r * 1.1, y + r * 0.9);
      ctx.closePath(); ctx.fill();
      return;
    case "ring":
      ctx.arc(x, y, r, 0, Math.PI * 2);
      ctx.lineWidth = Math.max(1.2, r * 0.45);
      ctx.strokeStyle = ctx.fillStyle;
      ctx.stroke();
      return;
    case "cross":
      ctx.lineWidth = Math.max(1.5, r * 0.6);
      ctx.strokeStyle = ctx.fillStyle;
      ctx.moveTo(x - r, y - r); ctx.lineTo(x + r, y + r); ctx.moveTo(x + r, y - r); ctx.lineTo(x - r, y + r);
      ctx.stroke();
      return;
    default:
      ctx.arc(x, y, r, 0, Math.PI * 2);
      ctx.fill();
  }
}
