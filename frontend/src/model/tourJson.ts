// A scenario's `tour` <-> the scene's tour steps. Reading is lenient about shape (the server
// validates meaning, apps/engine/tour.py) but keeps only what a step can hold, with the right
// types; writing emits the keys in a stable order so the same tour serialises to the same text.
import type { TourFault, TourQuestion, TourStep } from "./types";

export interface TourJson {
  text: string;
  highlight: string[];
  action?: { run_to: number } | { fault: Record<string, unknown> };
  question?: { prompt: string; choices: string[]; answer?: number };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

export function tourJson(step: TourStep): TourJson {
  const out: TourJson = { text: step.text, highlight: [...step.highlight] };
  if (step.action) out.action = "run_to" in step.action ? { run_to: step.action.run_to } : { fault: { ...step.action.fault } };
  const q = step.question;
  if (q) out.question = { prompt: q.prompt, choices: [...q.choices], ...(q.answer !== undefined ? { answer: q.answer } : {}) };
  return out;
}

export function parseTour(raw: unknown): TourStep[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isRecord).filter((s) => typeof s.text === "string").map((s) => {
    let step: TourStep = { text: s.text as string, highlight: strings(s.highlight) };
    const action = parseAction(s.action);
    if (action) step = { ...step, action };
    const question = parseQuestion(s.question);
    if (question) step = { ...step, question };
    return step;
  });
}

function parseAction(v: unknown): TourStep["action"] {
  if (!isRecord(v)) return undefined;
  if (typeof v.run_to === "number" && Number.isFinite(v.run_to)) return { run_to: v.run_to };
  if (isRecord(v.fault) && typeof v.fault.action === "string") return { fault: { ...v.fault } as TourFault };
  return undefined;
}

function parseQuestion(v: unknown): TourQuestion | undefined {
  if (!isRecord(v) || typeof v.prompt !== "string") return undefined;
  const choices = strings(v.choices);
  const answer = typeof v.answer === "number" && Number.isInteger(v.answer) ? v.answer : undefined;
  return { prompt: v.prompt, choices, ...(answer !== undefined ? { answer } : {}) };
}
