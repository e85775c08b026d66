import { describe, expect, it } from "vitest";

import { renderFaultTable, replaceBetweenMarkers, TABLE_END, TABLE_START, type FaultResult } from "./fault-table.js";
import { scanText } from "./secrets-scan.js";

const row: FaultResult = {
  case: "member-stopped",
  fault: "member API server stopped 60 s",
  detectedMs: 4_210,
  detectedBy: "MeshCluster Connected=False",
  recoveredMs: 12_345,
  writesDuringFault: 3,
  routesLost: 0,
  lostRoutes: [],
  unownedTouched: 0,
  requestRate: { perSecond: 2.5, bound: 25, cluster: "a" },
  notes: [],
};

describe("the fault table", () => {
  it("one row per case, seconds with one decimal, a fault never shown says so", () => {
    expect(renderFaultTable([row, { ...row, case: "slow", detectedMs: undefined }]).split("\n")).toEqual([
      "| case | fault | detected in | recovered in | writes during fault | routes lost | unowned touched |",
      "|---|---|---|---|---|---|---|",
      "| member-stopped | member API server stopped 60 s | 4.2 s (MeshCluster Connected=False) | 12.3 s | 3 | 0 | 0 |",
      "| slow | member API server stopped 60 s | not shown | 12.3 s | 3 | 0 | 0 |",
    ]);
  });

  it("replaces what is between the markers, and only that", () => {
    const readme = `# x\n${TABLE_START}\nold\n${TABLE_END}\nafter\n`;
    expect(replaceBetweenMarkers(readme, "new")).toBe(`# x\n${TABLE_START}\nnew\n${TABLE_END}\nafter\n`);
    expect(() => replaceBetweenMarkers("# no markers", "new")).toThrow(/exactly one/);
  });
});

describe("the secrets scan", () => {
  it("finds a known token, a JWT, a private key and kubeconfig keys, with their lines", () => {
    const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJrdWJlcm5ldGVzIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
    const text = ["clean line", "token 0123456789abcdef0123456789abcdef", `{"msg":"x","t":"${jwt}"}`, "-----BEGIN RSA PRIVATE KEY-----", "    client-key-data: AAAA"].join("\n");
    expect(scanText("f.log", text, ["0123456789abcdef0123456789abcdef"]).map((f) => `${f.line} ${f.kind}`)).toEqual(["2 known secret", "3 JWT", "4 private key", "5 kubeconfig"]);
  });

  it("finds nothing in an ordinary controller log line", () => {
    const line = '{"level":30,"cluster":"m-a","identity":"web","kind":"ServiceEntry","name":"default.web.global-se","msg":"Applied ServiceEntry"}';
    expect(scanText("f.log", line, ["0123456789abcdef0123456789abcdef"])).toEqual([]);
  });
});
