import { describe, expect, it } from "vitest";
import { drillDurationProblem, parseFailoverDrill } from "./failover-drill.js";
import { API_VERSION } from "./group-version.js";

const drill = {
  apiVersion: API_VERSION,
  kind: "FailoverDrill",
  metadata: { name: "evacuate", namespace: "meridian-system" },
  spec: { target: { region: "us-east-1" } },
};

describe("parseFailoverDrill", () => {
  it("applies the defaults: 15m, not plan-only, not forced", () => {
    expect(parseFailoverDrill(drill)).toMatchObject({ ok: true, value: { spec: { duration: "15m", planOnly: false, force: false } } });
  });

  it("keeps the report as written, nulls included", () => {
    const status = {
      phase: "Completed",
      startedAt: "2026-01-02T03:04:05Z",
      timeline: [{ time: "2026-01-02T03:04:05Z", phase: "Preflight", message: "Checked 3 identities" }],
      report: { identities: ["payments"], clusters: { "east-1": { changed: 2, verified: null } } },
    };
    expect(parseFailoverDrill({ ...drill, status })).toMatchObject({ ok: true, value: { status } });
  });

  it("rejects an unknown phase", () => {
    expect(parseFailoverDrill({ ...drill, status: { phase: "Dancing" } })).toMatchObject({ ok: false, errors: [{ path: "status.phase" }] });
  });
});

describe("drillDurationProblem", () => {
  it.each(["1s", "15m", "24h", "23h59m59s999ms"])("accepts %s", (d) => {
    expect(drillDurationProblem(d)).toBeUndefined();
  });

  it.each(["0s", "999ms", "24h1ms", "48h"])("refuses %s, naming the bounds", (d) => {
    expect(drillDurationProblem(d)).toBe(`spec.duration ${d} is outside 1s..24h`);
  });
});
