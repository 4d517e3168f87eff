// HTTP API client (docs/architecture.md section 3). With socket.ts, the only code that
// touches the network. Browser requests carry the session cookie, so every unsafe method
// sends Django's CSRF token from the `csrftoken` cookie.
import type { ScenarioJson } from "../model/serialize";
import { isRecord } from "../model/serialize";

export interface ErrorDetail { loc?: string; node?: string | null; msg?: string; [k: string]: unknown }

export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly details: ErrorDetail[]) {
    super(message);
    this.name = "ApiError";
  }
}

export interface SavedScenario {
  id: string; slug?: string; share_url: string; edit_token?: string; revision?: number; can_edit?: boolean;
}
export interface StartedRun { run_id: string; ws_url: string; status?: string }

export function csrfToken(cookie: string = document.cookie): string | null {
  for (const part of cookie.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === "csrftoken") return decodeURIComponent(v.join("="));
  }
  return null;
}

/** A request body sent as text/plain rather than JSON. */
class PlainText {
  constructor(readonly text: string) {}
}

export async function request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const h: Record<string, string> = { Accept: "application/json", ...headers };
  if (body !== undefined) h["Content-Type"] = body instanceof PlainText ? "text/plain; charset=utf-8" : "application/json";
  if (method !== "GET") {
    const token = csrfToken();
    if (token) h["X-CSRFToken"] = token;
  }
  let res: Response;
  try {
    res = await fetch(path, {
      method, headers: h, credentials: "same-origin",
      ...(body !== undefined ? { body: body instanceof PlainText ? body.text : JSON.stringify(body) } : {}),
    });
  } catch (e) {
    throw new ApiError(0, `network error: ${e instanceof Error ? e.message : String(e)}`, []);
  }
  const data: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const msg = isRecord(data) && typeof data.error === "string" ? data.error : `${res.status} ${res.statusText}`;
    const details = isRecord(data) && Array.isArray(data.details) ? (data.details.filter(isRecord) as ErrorDetail[]) : [];
    throw new ApiError(res.status, msg, details);
  }
  return data as T;
}

export const fetchSchema = (): Promise<unknown> => request<unknown>("GET", "/api/schema/scenario.json");

export const createScenario = (scenario: ScenarioJson): Promise<SavedScenario> =>
  request<SavedScenario>("POST", "/api/scenarios", scenario);

/** PUT with If-Match when the revision we edited is known: a save never overwrites another one (412). */
export const updateScenario = (
  id: string, scenario: ScenarioJson, editToken: string | null, revision: number | null = null,
): Promise<SavedScenario> =>
  request<SavedScenario>("PUT", `/api/scenarios/${encodeURIComponent(id)}`, scenario, {
    ...(editToken ? { "X-Edit-Token": editToken } : {}),
    ...(revision !== null ? { "If-Match": `"${revision}"` } : {}),
  });

export const startRun = (scenarioId: string, options: { seed?: number; duration_s?: number; paced?: boolean } = {}): Promise<StartedRun> =>
  request<StartedRun>("POST", `/api/scenarios/${encodeURIComponent(scenarioId)}/runs`, options);

export interface TemplateInfo { name: string; title: string; description: string }

export const fetchTemplates = (): Promise<TemplateInfo[]> => request<TemplateInfo[]>("GET", "/api/templates");

export const fetchTemplate = (name: string): Promise<unknown> =>
  request<unknown>("GET", `/api/templates/${encodeURIComponent(name)}`);

export interface MermaidImport { scenario: unknown; flagged: { id: string; label: string; reason: string }[] }

/** Mermaid text -> scenario (the server parses; see apps/scenarios/mermaid.py). */
export async function importMermaid(text: string): Promise<MermaidImport> {
  return request<MermaidImport>("POST", "/api/import/mermaid", new PlainText(text));
}

export const exportMermaid = (scenario: ScenarioJson): Promise<{ mermaid: string }> =>
  request<{ mermaid: string }>("POST", "/api/export/mermaid", scenario);

export const cancelRun = (runId: string): Promise<{ status: string }> =>
  request<{ status: string }>("POST", `/api/runs/${encodeURIComponent(runId)}/cancel`, {});

const TOKEN_KEY = (id: string): string => `topolab:edit-token:${id}`;

export function loadEditToken(id: string): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY(id));
  } catch {
    return null;
  }
}

export function storeEditToken(id: string, token: string): void {
  try {
    localStorage.setItem(TOKEN_KEY(id), token);
  } catch {
    /* private mode: the owner's session still allows editing */
  }
}

export function forgetEditToken(id: string): void {
  try {
    localStorage.removeItem(TOKEN_KEY(id));
  } catch {
    /* nothing stored */
  }
}

/** Absolute ws:// or wss:// URL for a ws_url the server gave as a path. */
export function websocketUrl(wsUrl: string, loc: { protocol: string; host: string } = location): string {
  if (/^wss?:\/\//.test(wsUrl)) return wsUrl;
  const scheme = loc.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${loc.host}${wsUrl.startsWith("/") ? "" : "/"}${wsUrl}`;
}

/** The same URL with `after=N` set (replacing any `after` already there). */
export function withAfter(url: string, after: number): string {
  const u = new URL(url);
  u.searchParams.set("after", String(after));
  return u.toString();
}

export interface CreatedSession { code: string; join_url: string; ws_url: string; presenter_token: string }
export interface ScenarioRecord { id: string; revision?: number; scenario: unknown }

/** A classroom session on a saved scenario, optionally with a guided tour (apps/classroom/tour.py). */
export const createSession = (scenarioId: string, tour?: unknown): Promise<CreatedSession> =>
  request<CreatedSession>("POST", "/api/sessions", { scenario: scenarioId, ...(tour !== undefined ? { tour } : {}) });

/** Ends a session; the presenter token goes in a header, never in the URL. */
export const endSession = (code: string, presenterToken: string): Promise<{ code: string; ended_at: string }> =>
  request("POST", `/api/sessions/${encodeURIComponent(code)}/end`, {}, { "X-Presenter-Token": presenterToken });

export const fetchScenario = (id: string): Promise<ScenarioRecord> =>
  request<ScenarioRecord>("GET", `/api/scenarios/${encodeURIComponent(id)}`);
