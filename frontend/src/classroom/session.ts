// One classroom session as seen by this browser: the socket, what the server said (role,
// latest presenter state, tour step, answer counts, tallies, audience) and what this page
// chose (following or detached). Framework-free; React reads it through subscribe/getSnapshot.
// The presenter token lives in sessionStorage (this tab only, gone with it), never in a URL.
import { createSession, endSession, websocketUrl } from "../net/api";
import type {
  SessionClientMsg, SessionServerMsg, SessionState, TourFault, TourStep, WelcomeMsg,
} from "../net/classroomProtocol";
import { SessionSocket, type SessionEnd } from "../net/sessionSocket";
import type { SocketState } from "../net/socket";

export interface Reveal { tally: number[]; total: number; answer: number | null }

export interface ClassroomSnapshot {
  mode: "off" | "presenter" | "student";
  code: string | null;
  joinUrl: string | null;
  /** Confirmed by the server's welcome (a wrong token leaves a would-be presenter a student). */
  role: "presenter" | "student" | null;
  socket: SocketState | null;
  audience: number;
  state: SessionState;
  /** performance.now() when `state` arrived (to extrapolate a playing presenter's playhead). */
  stateAt: number;
  steps: number;
  step: number;
  stepContent: TourStep | null;
  tour: TourStep[] | null;
  answers: Readonly<Record<number, number>>;
  myAnswers: Readonly<Record<number, number>>;
  revealed: Readonly<Record<number, Reveal>>;
  attached: boolean;
  ended: boolean;
  lastFault: TourFault | null;
  error: string | null;
}

const STORE_KEY = "topolab:presenting";

interface Stored { code: string; token: string; joinUrl: string; wsUrl: string; scenarioId: string }

const initial: ClassroomSnapshot = {
  mode: "off", code: null, joinUrl: null, role: null, socket: null, audience: 0, state: {}, stateAt: 0,
  steps: 0, step: -1, stepContent: null, tour: null, answers: {}, myAnswers: {}, revealed: {},
  attached: true, ended: false, lastFault: null, error: null,
};

export class ClassroomSession {
  private snap: ClassroomSnapshot = initial;
  private listeners = new Set<() => void>();
  private socket: SessionSocket | null = null;
  private token: string | null = null;
  /** Presenter: called after every welcome so the latest local state goes out again. */
  onWelcome: (() => void) | null = null;

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): ClassroomSnapshot => this.snap;

  private update(patch: Partial<ClassroomSnapshot>): void {
    this.snap = { ...this.snap, ...patch };
    for (const fn of this.listeners) fn();
  }

  /** Student: follow the session on this page. */
  join(code: string, wsUrl: string): void {
    this.update({ ...initial, mode: "student", code, joinUrl: `/join/${code}` });
    this.connect(wsUrl, null);
  }

  /** Presenter: open a session on the saved scenario (optionally with a tour) and connect. */
  async present(scenarioId: string, tour?: unknown): Promise<void> {
    this.update({ error: null });
    const s = await createSession(scenarioId, tour);
    const stored: Stored = { code: s.code, token: s.presenter_token, joinUrl: s.join_url, wsUrl: s.ws_url, scenarioId };
    try {
      sessionStorage.setItem(STORE_KEY, JSON.stringify(stored));
    } catch {
      /* storage off: the session lasts as long as this page */
    }
    this.startPresenting(stored);
  }

  /** Presenter after a reload: the session this tab was presenting on this scenario, if any. */
  resume(scenarioId: string | null): boolean {
    let stored: Stored | null = null;
    try {
      stored = JSON.parse(sessionStorage.getItem(STORE_KEY) ?? "null") as Stored | null;
    } catch {
      stored = null;
    }
    if (!stored || !scenarioId || stored.scenarioId !== scenarioId || typeof stored.token !== "string") return false;
    this.startPresenting(stored);
    return true;
  }

  private startPresenting(s: Stored): void {
    this.token = s.token;
    this.update({ ...initial, mode: "presenter", code: s.code, joinUrl: s.joinUrl });
    this.connect(s.wsUrl, s.token);
  }

  private connect(wsUrl: string, token: string | null): void {
    this.socket?.close();
    this.socket = new SessionSocket(websocketUrl(wsUrl), {
      message: (m) => this.receive(m),
      state: (socket) => this.update({ socket }),
      over: (why) => this.over(why),
    }, token);
    this.socket.open();
  }

  send(m: SessionClientMsg): boolean {
    return this.socket?.send(m) ?? false;
  }

  /** Presenter: end the session for everyone. */
  async end(): Promise<void> {
    const { code } = this.snap;
    if (!code || !this.token) return;
    await endSession(code, this.token);
    this.forget();
    this.update({ ended: true });
  }

  /** Presenter: stop presenting on this page (a new scenario was loaded). */
  leave(): void {
    this.socket?.close();
    this.socket = null;
    this.forget();
    this.update({ ...initial });
  }

  detach(): void {
    this.update({ attached: false });
  }

  attach(): void {
    this.update({ attached: true });
  }

  answer(step: number, choice: number): void {
    this.send({ type: "answer", step, choice });
  }

  goStep(step: number): void {
    this.send({ type: "step", step });
  }

  reveal(step: number): void {
    this.send({ type: "reveal", step });
  }

  close(): void {
    this.socket?.close();
    this.socket = null;
  }

  private forget(): void {
    this.token = null;
    try {
      sessionStorage.removeItem(STORE_KEY);
    } catch {
      /* nothing stored */
    }
  }

  private over(why: SessionEnd): void {
    if (why === "ended" || why === "not-found") {
      if (this.snap.mode === "presenter") this.forget();
      this.update({ ended: true });
    } else {
      this.update({ error: "The server refused this connection (too many wrong presenter tokens)." });
    }
  }

  /** A (re)join: the server's latest state, step and revealed tallies replace ours. */
  private welcomed(m: WelcomeMsg): void {
    const revealed: Record<number, Reveal> = {};
    for (const [k, tally] of Object.entries(m.revealed)) {
      revealed[Number(k)] = { tally, total: tally.reduce((a, b) => a + b, 0), answer: null };
    }
    this.update({
      role: m.role, state: m.state, stateAt: performance.now(), steps: m.steps, step: m.step,
      stepContent: m.step_content, tour: m.tour ?? this.snap.tour, revealed: { ...revealed, ...this.snap.revealed },
      ...(m.audience !== undefined ? { audience: m.audience } : {}),
    });
    if (m.role === "presenter") this.onWelcome?.();
  }

  private receive(m: SessionServerMsg): void {
    switch (m.type) {
      case "welcome":
        this.welcomed(m);
        return;
      case "state":
        this.update({ state: m.state, stateAt: performance.now() });
        return;
      case "speed":
        this.update({ state: { ...this.snap.state, speed: m.value } });
        return;
      case "audience":
        this.update({ audience: m.count });
        return;
      case "step":
        this.update({ step: m.step, stepContent: m.content });
        return;
      case "answers":
        this.update({ answers: { ...this.snap.answers, [m.step]: m.count } });
        return;
      case "answered":
        this.update({ myAnswers: { ...this.snap.myAnswers, [m.step]: m.choice } });
        return;
      case "reveal":
        this.update({ revealed: { ...this.snap.revealed, [m.step]: { tally: m.tally, total: m.total, answer: m.answer } } });
        return;
      case "fault":
        this.update({ lastFault: m.fault });
        return;
      case "ended":
        if (this.snap.mode === "presenter") this.forget();
        this.update({ ended: true });
        return;
      case "error":
        this.update({ error: m.error });
        return;
      case "pong":
        return;
    }
  }
}
