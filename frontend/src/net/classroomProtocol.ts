// Wire protocol of the classroom websocket /ws/sessions/<code>.
// MIRRORS apps/classroom/protocol.py (and the messages apps/classroom/consumers.py sends).
// Change both together. Decoding is defensive: a message that does not fit is dropped.
import { isRecord } from "../model/serialize";

/** The session ended (POST /api/sessions/{code}/end): the server closes with this; no reconnect. */
export const END_CLOSE_CODE = 4410;
/** No live session has this code (unknown or already ended). */
export const NOT_FOUND_CLOSE_CODE = 4404;
/** Too many wrong presenter tokens. */
export const TOO_MANY_TRIES_CLOSE_CODE = 4403;
export const MAX_MESSAGE_BYTES = 8192;
export const MAX_SELECTION = 500;

/** x, y, zoom: the React Flow transform; w, h: the presenter's canvas size in CSS pixels. */
export interface SessionViewport { x: number; y: number; zoom: number; w?: number; h?: number }

/** STATE_FIELDS of protocol.py: the presenter's latest shared state (every field optional). */
export interface SessionState {
  scenario?: string | null;
  revision?: number | null;
  run?: string | null;
  viewport?: SessionViewport;
  selection?: string[];
  speed?: number;
  playhead?: number;
  playing?: boolean;
  tour_step?: number;
  follow?: boolean;
}

/** A live command (a scenario fault without at_s), as tour.py's Action.fault. */
export interface TourFault { action: string; node?: string; edge?: string; factor?: number; groups?: string[][] }
export interface TourQuestion { prompt: string; choices: string[]; answer?: number }
export interface TourStep {
  text: string;
  highlight?: string[];
  action?: { run_to?: number; fault?: TourFault };
  question?: TourQuestion;
}

export interface WelcomeMsg {
  type: "welcome"; role: "student" | "presenter"; code: string; scenario_id: string;
  state: SessionState; steps: number; step: number; step_content: TourStep | null;
  revealed: Record<string, number[]>;
  /** Presenter only: the full tour, answers included, and the audience count. */
  tour?: TourStep[]; audience?: number;
}
export interface StateMsg { type: "state"; state: SessionState; update: SessionState; sent_at?: number }
export interface AudienceMsg { type: "audience"; count: number }
export interface SpeedMsg { type: "speed"; value: number }
export interface FaultMsg { type: "fault"; fault: TourFault }
export interface StepMsg { type: "step"; step: number; content: TourStep }
export interface AnswersMsg { type: "answers"; step: number; count: number }
export interface AnsweredMsg { type: "answered"; step: number; choice: number }
export interface RevealMsg { type: "reveal"; step: number; tally: number[]; total: number; answer: number | null }
export interface EndedMsg { type: "ended"; code: string }
export interface SessionErrorMsg { type: "error"; error: string }

export type SessionServerMsg =
  | WelcomeMsg | StateMsg | AudienceMsg | SpeedMsg | FaultMsg | StepMsg | AnswersMsg | AnsweredMsg
  | RevealMsg | EndedMsg | SessionErrorMsg | { type: "pong" };

/** Client -> server. `state`, `speed`, `fault`, `step`, `reveal` are the presenter's alone. */
export type SessionClientMsg =
  | { type: "hello"; presenter_token: string }
  | ({ type: "state"; sent_at?: number } & SessionState)
  | { type: "speed"; value: number }
  | { type: "fault"; fault: TourFault }
  | { type: "step"; step: number }
  | { type: "reveal"; step: number }
  | { type: "answer"; step: number; choice: number }
  | { type: "ping" };

export const PRESENTER_ONLY: ReadonlySet<string> = new Set(["state", "speed", "fault", "step", "reveal"]);

const num = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const int = (v: unknown): v is number => num(v) && Number.isInteger(v);
const strList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");

function stateOf(v: unknown): SessionState | null {
  if (!isRecord(v)) return null;
  const s: SessionState = {};
  if (v.scenario === null || typeof v.scenario === "string") s.scenario = v.scenario;
  if (v.revision === null || int(v.revision)) s.revision = v.revision;
  if (v.run === null || typeof v.run === "string") s.run = v.run;
  const vp = v.viewport;
  if (isRecord(vp) && num(vp.x) && num(vp.y) && num(vp.zoom)) {
    s.viewport = { x: vp.x, y: vp.y, zoom: vp.zoom, ...(num(vp.w) && num(vp.h) ? { w: vp.w, h: vp.h } : {}) };
  }
  if (strList(v.selection)) s.selection = v.selection;
  if (num(v.speed)) s.speed = v.speed;
  if (num(v.playhead)) s.playhead = v.playhead;
  if (typeof v.playing === "boolean") s.playing = v.playing;
  if (int(v.tour_step)) s.tour_step = v.tour_step;
  if (typeof v.follow === "boolean") s.follow = v.follow;
  return s;
}

function stepOf(v: unknown): TourStep | null {
  if (!isRecord(v) || typeof v.text !== "string") return null;
  const step: TourStep = { text: v.text, highlight: strList(v.highlight) ? v.highlight : [] };
  if (isRecord(v.action)) {
    const a = v.action;
    if (num(a.run_to)) step.action = { run_to: a.run_to };
    else if (isRecord(a.fault) && typeof a.fault.action === "string") step.action = { fault: a.fault as unknown as TourFault };
  }
  const q = v.question;
  if (isRecord(q) && typeof q.prompt === "string" && strList(q.choices)) {
    step.question = { prompt: q.prompt, choices: q.choices, ...(int(q.answer) ? { answer: q.answer } : {}) };
  }
  return step;
}

function revealedOf(v: unknown): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  if (isRecord(v)) for (const [k, t] of Object.entries(v)) if (Array.isArray(t) && t.every(int)) out[k] = t;
  return out;
}

export function decodeSessionMessage(text: string): SessionServerMsg | null {
  let d: unknown;
  try {
    d = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(d) || typeof d.type !== "string") return null;
  switch (d.type) {
    case "welcome": {
      const state = stateOf(d.state);
      if (!state || (d.role !== "student" && d.role !== "presenter") || !int(d.steps) || !int(d.step)) return null;
      const tour = Array.isArray(d.tour) ? d.tour.map(stepOf).filter((s): s is TourStep => s !== null) : undefined;
      return {
        type: "welcome", role: d.role, code: String(d.code), scenario_id: String(d.scenario_id), state,
        steps: d.steps, step: d.step, step_content: stepOf(d.step_content), revealed: revealedOf(d.revealed),
        ...(tour ? { tour } : {}), ...(int(d.audience) ? { audience: d.audience } : {}),
      };
    }
    case "state": {
      const state = stateOf(d.state);
      const update = stateOf(d.update);
      return state && update ? { type: "state", state, update, ...(num(d.sent_at) ? { sent_at: d.sent_at } : {}) } : null;
    }
    case "audience":
      return int(d.count) ? { type: "audience", count: d.count } : null;
    case "speed":
      return num(d.value) ? { type: "speed", value: d.value } : null;
    case "fault":
      return isRecord(d.fault) && typeof d.fault.action === "string" ? { type: "fault", fault: d.fault as unknown as TourFault } : null;
    case "step": {
      const content = stepOf(d.content);
      return int(d.step) && content ? { type: "step", step: d.step, content } : null;
    }
    case "answers":
      return int(d.step) && int(d.count) ? { type: "answers", step: d.step, count: d.count } : null;
    case "answered":
      return int(d.step) && int(d.choice) ? { type: "answered", step: d.step, choice: d.choice } : null;
    case "reveal":
      return int(d.step) && Array.isArray(d.tally) && d.tally.every(int) && int(d.total)
        ? { type: "reveal", step: d.step, tally: d.tally, total: d.total, answer: int(d.answer) ? d.answer : null } : null;
    case "ended":
      return { type: "ended", code: String(d.code ?? "") };
    case "error":
      return typeof d.error === "string" ? { type: "error", error: d.error } : null;
    case "pong":
      return { type: "pong" };
    default:
      return null;
  }
}

export function encodeSessionMessage(m: SessionClientMsg): string {
  return JSON.stringify(m);
}
