import { describe, expect, it } from "vitest";
import { rolesOf } from "./protocolRoles";

const nodes = [
  { id: "c", kind: "client" }, { id: "r1", kind: "raft_server" }, { id: "r2", kind: "raft_server" }, { id: "r3", kind: "raft_server" },
];

describe("protocol roles from frames", () => {
  it("maps members of the kind named after the protocol", () => {
    const roles = rolesOf({ raft: { role: ["leader", "follower", "candidate"], term: [2, 2, 3] } }, nodes);
    expect([...roles]).toEqual([["r1", "leader"], ["r2", "follower"], ["r3", "candidate"]]);
  });
  it("prefers explicit node ids and ignores junk", () => {
    expect(rolesOf({ x: { role: ["leader"], nodes: ["r2"] } }, nodes).get("r2")).toBe("leader");
    expect(rolesOf({ x: { role: [1, 2] } }, nodes).size).toBe(0);
    expect(rolesOf(null, nodes).size).toBe(0);
    expect(rolesOf({ cb: { circuit: ["open", null, "closed", null] } }, nodes).get("c")).toBe("circuit open");
  });
});
