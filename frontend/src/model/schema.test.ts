import { describe, expect, it } from "vitest";
import { defaultParams, parseField } from "./params";
import { FALLBACK_SCHEMA, parseSchema } from "./schema";

// Shaped like pydantic's output for a discriminated union on `kind`.
const pydanticLike = {
  $defs: {
    ClientParams: {
      type: "object", additionalProperties: false, required: ["rate_rps"],
      properties: {
        rate_rps: { type: "number", minimum: 0, description: "Open Poisson workload", "x-unit": "req/s" },
        arrival: { enum: ["poisson", "constant"], type: "string", default: "poisson" },
        timeout_ms: { anyOf: [{ type: "number", exclusiveMinimum: 0 }, { type: "null" }], default: null, "x-unit": "ms" },
      },
    },
    ClientNode: {
      type: "object",
      properties: { id: { type: "string" }, kind: { const: "client", type: "string" }, params: { $ref: "#/$defs/ClientParams" } },
    },
    RaftNode: {
      type: "object", title: "RaftNode",
      properties: {
        kind: { const: "raft_server" },
        params: { type: "object", properties: {
          election_timeout_ms: { type: "array", prefixItems: [{ type: "number" }, { type: "number" }], minItems: 2, maxItems: 2, default: [150, 300] },
          heartbeat_ms: { type: "integer", minimum: 1, default: 50 },
          leader: { type: "boolean", default: false },
        } },
      },
    },
    EdgeParams: { type: "object", properties: { latency_ms: { type: "number", minimum: 0 }, loss: { type: "number", minimum: 0, maximum: 1, default: 0 } } },
  },
  type: "object",
  properties: {
    nodes: { type: "array", items: { oneOf: [{ $ref: "#/$defs/ClientNode" }, { $ref: "#/$defs/RaftNode" }], discriminator: { propertyName: "kind" } } },
    edges: { type: "array", items: { type: "object", properties: { params: { $ref: "#/$defs/EdgeParams" } } } },
    settings: { type: "object", properties: { duration_s: { type: "number", exclusiveMinimum: 0, default: 60 }, seed: { type: "integer", default: 1 } } },
  },
};

describe("parseSchema", () => {
  const spec = parseSchema(pydanticLike);

  it("finds every kind of the discriminated union", () => {
    expect(spec.fromServer).toBe(true);
    expect(spec.kinds.map((k) => k.kind)).toEqual(["client", "raft_server"]);
  });

  it("reads types, bounds, units, enums, nullables and defaults", () => {
    const client = spec.kinds[0]!;
    const rate = client.params.find((p) => p.name === "rate_rps")!;
    expect(rate).toMatchObject({ type: "number", minimum: 0, unit: "req/s", required: true });
    expect(client.params.find((p) => p.name === "arrival")).toMatchObject({ type: "enum", options: ["poisson", "constant"], default: "poisson" });
    expect(client.params.find((p) => p.name === "timeout_ms")).toMatchObject({ type: "number", nullable: true, exclusiveMinimum: 0, unit: "ms" });
    const raft = spec.kinds[1]!;
    expect(raft.params.find((p) => p.name === "election_timeout_ms")).toMatchObject({ type: "array", itemType: "number", minItems: 2 });
    expect(raft.params.find((p) => p.name === "leader")).toMatchObject({ type: "boolean", default: false });
  });

  it("reads edge params and settings", () => {
    expect(spec.edgeParams.map((p) => p.name)).toEqual(["latency_ms", "loss"]);
    expect(spec.settings.map((p) => p.name)).toEqual(["duration_s", "seed"]);
  });

  it("falls back when the schema is unusable", () => {
    expect(parseSchema(null)).toBe(FALLBACK_SCHEMA);
    expect(parseSchema({ type: "object" })).toBe(FALLBACK_SCHEMA);
    expect(FALLBACK_SCHEMA.kinds.map((k) => k.kind)).toEqual(["client", "service"]);
  });

  it("supports allOf if/then unions", () => {
    const s = parseSchema({ properties: { nodes: { items: { allOf: [
      { if: { properties: { kind: { const: "cache" } } }, then: { properties: { params: { properties: { ttl_ms: { type: "number" } } } } } },
    ] } } } });
    expect(s.kinds[0]).toMatchObject({ kind: "cache", params: [{ name: "ttl_ms", type: "number" }] });
  });

  it("gives new nodes their required params and starters", () => {
    expect(defaultParams(spec.kinds[0])).toEqual({ rate_rps: 20 });
    expect(defaultParams(FALLBACK_SCHEMA.kinds[1])).toEqual({ workers: 1, service_time_ms: 20 });
  });
});

describe("parseField", () => {
  const [rate, arrival, timeout] = parseSchema(pydanticLike).kinds[0]!.params;
  it("validates numbers against bounds", () => {
    expect(parseField(rate!, "12.5")).toEqual({ ok: true, value: 12.5 });
    expect(parseField(rate!, "-1")).toEqual({ ok: false, error: "must be ≥ 0" });
    expect(parseField(rate!, "abc")).toEqual({ ok: false, error: "must be a number" });
    expect(parseField(rate!, "")).toEqual({ ok: false, error: "required" });
    expect(parseField(timeout!, "0")).toEqual({ ok: false, error: "must be > 0" });
    expect(parseField(timeout!, "")).toEqual({ ok: true, value: undefined });
  });
  it("validates enums, integers and lists", () => {
    expect(parseField(arrival!, "constant")).toEqual({ ok: true, value: "constant" });
    expect(parseField(arrival!, "bursty").ok).toBe(false);
    const raft = parseSchema(pydanticLike).kinds[1]!.params;
    expect(parseField(raft[0]!, "150, 300")).toEqual({ ok: true, value: [150, 300] });
    expect(parseField(raft[0]!, "150").ok).toBe(false);
    expect(parseField(raft[1]!, "2.5")).toEqual({ ok: false, error: "must be a whole number" });
  });
});

describe("nested, union and nullable params", () => {
  it("reads lists of pairs and number-or-range unions as JSON fields, nullable numbers as numbers", async () => {
    const { parseSchema } = await import("./schema");
    const { parseField, formatValue } = await import("./params");
    const schema = {
      type: "object",
      properties: {
        nodes: { type: "array", items: { oneOf: [{ $ref: "#/$defs/N" }], discriminator: { propertyName: "kind" } } },
      },
      $defs: {
        N: { type: "object", properties: {
          kind: { const: "raft_server" },
          params: { type: "object", properties: {
            schedule: { type: "array", items: { type: "array", prefixItems: [{ type: "number" }, { type: "number" }] }, default: [] },
            election_timeout_ms: { anyOf: [{ type: "number" }, { type: "array", items: { type: "number" } }], default: [150, 300] },
            cap: { anyOf: [{ type: "integer", minimum: 1 }, { type: "null" }], default: null },
            mode: { enum: ["a", "b"] },
          } },
        } },
      },
    };
    const spec = parseSchema(schema);
    const kind = spec.kinds.find((k) => k.kind === "raft_server")!;
    const by = (n: string) => kind.params.find((p) => p.name === n)!;
    expect(by("schedule").type).toBe("json");
    expect(by("election_timeout_ms").type).toBe("json");
    expect(by("cap")).toMatchObject({ type: "integer", nullable: true, minimum: 1 });
    expect(by("mode").type).toBe("enum");
    expect(parseField(by("schedule"), "[[0, 50], [30, 200]]")).toEqual({ ok: true, value: [[0, 50], [30, 200]] });
    expect(parseField(by("schedule"), "[[0, 50],").ok).toBe(false);
    expect(formatValue([[0, 50], [30, 200]])).toBe("[[0,50],[30,200]]");
    expect(formatValue([150, 300])).toBe("150, 300");
    expect(parseField(by("election_timeout_ms"), "150, 300")).toEqual({ ok: true, value: [150, 300] });
  });
});
