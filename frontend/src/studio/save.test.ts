import { afterEach, describe, expect, it, vi } from "vitest";
import { saveScenario, type SaveState } from "./save";
import type { ScenarioJson } from "../model/serialize";

interface Sent { method: string; url: string; headers: Record<string, string> }

// A stand-in for the server's HTTP answers: the studio's own save logic is what is tested.
function server(answers: Array<{ status: number; body: unknown }>): Sent[] {
  const sent: Sent[] = [];
  vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
    sent.push({ method: String(init.method), url, headers: init.headers as Record<string, string> });
    const a = answers.shift();
    if (!a) throw new Error("unexpected request");
    return new Response(JSON.stringify(a.body), { status: a.status });
  });
  vi.stubGlobal("document", { cookie: "" });
  vi.stubGlobal("localStorage", { getItem: () => "tok", setItem: () => undefined, removeItem: () => undefined });
  return sent;
}

const scene = { format: "topolab/1", name: "s", nodes: [], edges: [] } as unknown as ScenarioJson;
const state: SaveState = { id: "abc", shareUrl: "/s/x", canEdit: true, savedText: null, revision: 4 };

afterEach(() => vi.unstubAllGlobals());

describe("saveScenario", () => {
  it("sends If-Match with the revision it edited and keeps the new one", async () => {
    const sent = server([{ status: 200, body: { id: "abc", share_url: "/s/x", revision: 5 } }]);
    const next = await saveScenario(state, scene);
    expect(sent[0]!.method).toBe("PUT");
    expect(sent[0]!.headers["If-Match"]).toBe('"4"');
    expect(next.revision).toBe(5);
  });

  it("saves a copy instead of overwriting when someone else saved first (412)", async () => {
    const sent = server([
      { status: 412, body: { error: "the scenario changed", details: [] } },
      { status: 201, body: { id: "new", share_url: "/s/y", edit_token: "t", revision: 1 } },
    ]);
    const next = await saveScenario(state, scene);
    expect(sent.map((s) => s.method)).toEqual(["PUT", "POST"]);
    expect(next.id).toBe("new");
    expect(next.revision).toBe(1);
  });

  it("does not retry as a copy on other errors", async () => {
    server([{ status: 400, body: { error: "bad", details: [] } }]);
    await expect(saveScenario(state, scene)).rejects.toThrow("bad");
  });
});
