// `meridian policy check`: before anything is applied, reads the fleet as the controller would and
// reports each TrafficPolicy that cannot work as written (controller/core/policy-check.ts).
// Exit 0 when every policy is fine, 6 when any finding, as other exit codes otherwise.

import { checkPolicies } from "../core/index.js";
import type { PolicyFinding } from "../core/index.js";
import type { CliIo } from "./cli-io.js";
import { parseListFlags } from "./cluster-flags.js";
import { EXIT } from "./exit-codes.js";
import { fleetSettings, readFleet } from "./fleet-snapshot.js";
import { loadHomeKubeconfig } from "./kubeconfig-files.js";
import { renderData, renderTable } from "./output.js";

export async function runPolicyCheck(raw: Record<string, unknown>, io: CliIo): Promise<number> {
  const options = parseListFlags(raw);
  const fleet = await readFleet(loadHomeKubeconfig(options.home, io), fleetSettings(io.settingsEnv ?? {}), io);
  const findings = checkPolicies(fleet);
  io.stdout.write(options.output === "table" ? table(findings, fleet.policies.length) : renderData(options.output, findings));
  return findings.length === 0 ? EXIT.ok : EXIT.findings;
}

function table(findings: readonly PolicyFinding[], policies: number): string {
  if (findings.length === 0) return `No problems found in ${policies} TrafficPolic${policies === 1 ? "y" : "ies"}.\n`;
  return renderTable(
    ["POLICY", "IDENTITY", "SEVERITY", "CODE", "MESSAGE"],
    findings.map((f) => [f.policy, f.identity, f.severity, f.code, f.message]),
  );
}
