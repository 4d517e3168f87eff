import { describe, expect, it } from "vitest";
import { messageKinds, setMessageKindsFromSchema } from "../model/messageKinds";
import { FALLBACK_STYLE, OKABE_ITO, styleOf } from "./messageStyle";

describe("message styles by name", () => {
  it("gives known kinds their own colour and shape", () => {
    expect(styleOf("error")).toEqual({ color: OKABE_ITO.vermillion, shape: "cross" });
    expect(styleOf("request").shape).toBe("dot");
  });
  it("maps new kinds by the words in their name, then by a stable hash", () => {
    expect(styleOf("prepare_vote").shape).toBe("diamond");
    expect(styleOf("append_entries").color).toBe(OKABE_ITO.blue);
    const a = styleOf("zzq");
    expect(styleOf("zzq")).toEqual(a);
    expect(Object.values(OKABE_ITO)).toContain(a.color);
    expect(styleOf(undefined)).toBe(FALLBACK_STYLE);
  });
  it("takes the kind list from the schema's x-message-kinds only when valid", () => {
    expect(setMessageKindsFromSchema({ "x-message-kinds": [1, 2] })).toBe(false);
    expect(setMessageKindsFromSchema({})).toBe(false);
    expect(setMessageKindsFromSchema({ "x-message-kinds": ["request", "response", "gossip"] })).toBe(true);
    expect(messageKinds()[2]).toBe("gossip");
  });
});
