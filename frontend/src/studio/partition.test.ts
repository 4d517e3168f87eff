import { describe, expect, it } from "vitest";
import { partitionGroups } from "./partition";

describe("partitionGroups", () => {
  const run = ["users", "lb", "api-1", "api-2"];
  it("splits the run's nodes into the selected ones and the rest, in scenario order", () => {
    expect(partitionGroups(["api-2", "lb"], run)).toEqual([["lb", "api-2"], ["users", "api-1"]]);
  });
  it("ignores nodes added after the run started and refuses an empty side", () => {
    expect(partitionGroups(["api-1", "new-node"], run)).toEqual([["api-1"], ["users", "lb", "api-2"]]);
    expect(partitionGroups([], run)).toBeNull();
    expect(partitionGroups(run, run)).toBeNull();
    expect(partitionGroups(["new-node"], run)).toBeNull();
  });
});
