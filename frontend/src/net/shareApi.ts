// Sharing, reports, compare and sweep endpoints (docs/sharing-and-reports.md). Network code
// lives in net/ only; this file adds the calls the share/ folder needs on top of api.ts.
import type { LoggedMsg, RunSummary } from "./protocol";
import { decodeObject, isLogged } from "./protocol";
import { request, type SavedScenario } from "./api";

export const forkScenario = (id: string): Promise<SavedScenario> =>
  request<SavedScenario>("POST", `/api/scenarios/${encodeURIComponent(id)}/fork`, {});

/** Forks the scenario as the run ran it (its snapshot), not as it is now. */
export const forkRun = (runId: string): Promise<SavedScenario> =>
  request<SavedScenario>("POST", `/api/runs/${encodeURIComponent(runId)}/fork`, {});

/** The GET answer's `can_edit` for this browser's session and (when given) edit token. */
export async function canEditScenario(id: string, editToken: string | null): Promise<boolean> {
  const out = await request<{ can_edit?: boolean }>("GET", `/api/scenarios/${encodeURIComponent(id)}`, undefined,
    editToken ? { "X-Edit-Token": editToken } : {});
  return out.can_edit === true;
}

const FRAMES_PAGE = 5000;
// A run of 10 minutes at 10 frames/s is 6 000 frames; 40 pages is far beyond anything stored.
const MAX_PAGES = 40;

/** Every logged message of a run, in seq order, paged through /api/runs/{id}/frames. */
export async function fetchRunLog(runId: string): Promise<LoggedMsg[]> {
  const out: LoggedMsg[] = [];
  let after = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await request<{ messages: unknown[]; last_seq: number }>(
      "GET", `/api/runs/${encodeURIComponent(runId)}/frames?after=${after}&limit=${FRAMES_PAGE}`);
    for (const raw of res.messages) {
      const msg = decodeObject(raw);
      if (msg && isLogged(msg)) {
        out.push(msg);
        after = Math.max(after, msg.seq);
      }
    }
    if (res.messages.length < FRAMES_PAGE) break;
  }
  return out;
}

export interface RunRow {
  id: string; status: string; seed: number; duration_s: number; scenario_revision: number;
  created_at: string; summary: RunSummary | null;
}

export const listRuns = (scenarioId: string): Promise<{ runs: RunRow[] }> =>
  request<{ runs: RunRow[] }>("GET", `/api/runs?scenario=${encodeURIComponent(scenarioId)}`);

export interface Delta { a: number | null; b: number | null; abs: number | null; rel: number | null }
export interface Comparison {
  a: { run_id: string; seed: number };
  b: { run_id: string; seed: number };
  summary: Record<string, Delta>;
  nodes: Record<string, Record<string, Delta>>;
  only_in_a: string[];
  only_in_b: string[];
}

export const compareRuns = (a: string, b: string): Promise<Comparison> =>
  request<Comparison>("GET", `/api/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`);

export interface SweepRequest { param: string; values: unknown[]; replicas: number; metric: string }
export interface SweepValue {
  value: unknown; n: number; mean: number | null; std: number | null;
  ci95_low: number | null; ci95_high: number | null; done: number; errors: string[];
}
export interface SweepView {
  id: string; status: string; param: string; metric: string; total: number; done: number; failed: number;
  values: SweepValue[];
}

export const startSweep = (scenarioId: string, body: SweepRequest): Promise<{ sweep_id: string; points: number; url: string }> =>
  request("POST", `/api/scenarios/${encodeURIComponent(scenarioId)}/sweeps`, body);

export const getSweep = (id: string): Promise<SweepView> =>
  request<SweepView>("GET", `/api/sweeps/${encodeURIComponent(id)}`);

/** Report and replay files of a finished run (links, opened by the browser itself). */
export const reportUrl = (runId: string, format: string): string =>
  format === "replay" ? `/api/runs/${encodeURIComponent(runId)}/replay.html`
    : `/api/runs/${encodeURIComponent(runId)}/report?format=${encodeURIComponent(format)}`;
