import { describe, expect, it } from "vitest";
import { editLink } from "./accessApi";

describe("editLink", () => {
  it("puts the token in the fragment, never the query", () => {
    const link = editLink("/s/abc", "T".repeat(43), "http://h:8000/s/abc?x=1");
    expect(link).toBe(`http://h:8000/s/abc#edit=${"T".repeat(43)}`);
    expect(new URL(link).search).toBe("");
  });

  it("replaces an existing fragment", () => {
    expect(editLink("http://h/s/x#old", "tok", "http://h/")).toBe("http://h/s/x#edit=tok");
  });
});
