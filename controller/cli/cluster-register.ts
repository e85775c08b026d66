// `meridian cluster register NAME --kubeconfig FILE --region R …`

import type { ObjectChange } from "../../federation/registration/apply.js";
import { registerCluster, describeObject } from "../../federation/registration/register.js";
import type { RegisterResult } from "../../federation/registration/register.js";
import type { CliIo } from "./cli-io.js";
import { parseRegisterFlags } from "./cluster-flags.js";
import { EXIT } from "./exit-codes.js";
import { fleetSettings } from "./fleet-snapshot.js";
import { loadHomeKubeconfig, loadKubeconfig } from "./kubeconfig-files.js";
import { renderData, renderYamlDocuments } from "./output.js";

export const DEFAULT_SETTLE_MS = 15_000;

export async function runRegister(name: unknown, raw: Record<string, unknown>, io: CliIo): Promise<number> {
  const options = parseRegisterFlags(name, raw);
  const member = loadKubeconfig(options.kubeconfig, options.context);
  const home = loadHomeKubeconfig(options.home, io);
  const result = await registerCluster({
    cluster: options.cluster,
    member,
    home,
    placement: options.placement,
    hostSuffix: fleetSettings(io.settingsEnv ?? {}).planner.hostSuffix,
    useGivenCredentials: options.useGivenCredentials,
    dryRun: options.dryRun,
    force: options.force,
    strict: options.strict,
    rotateToken: options.rotateToken,
    settleMs: io.settleMs ?? DEFAULT_SETTLE_MS,
    readFile: io.readFile,
    now: io.now,
    progress: (line) => io.stderr.write(`${line}\n`),
  });
  for (const warning of result.warnings) {
    io.stderr.write(`warning: ${warning}\n`);
  }
  io.stdout.write(renderRegisterResult(result, options.output));
  return EXIT.ok;
}

export function renderRegisterResult(result: RegisterResult, format: "table" | "json" | "yaml"): string {
  if (format === "yaml" && result.dryRun) {
    return renderYamlDocuments([...result.manifests.member, ...result.manifests.home]);
  }
  if (format !== "table") {
    const { manifests: _manifests, ...rest } = result;
    return renderData(format, result.dryRun ? result : rest);
  }
  return registerSummary(result);
}

export function registerSummary(result: RegisterResult): string {
  const head = result.dryRun
    ? `Dry run, nothing written: cluster ${result.cluster} would be registered for ${result.server} (Kubernetes ${result.serverVersion})`
    : `Registered cluster ${result.cluster}: ${result.server} (Kubernetes ${result.serverVersion})`;
  const lines: [string, string][] = [
    ["Credentials", credentialsLine(result)],
    ["Permissions", permissionsLine(result)],
    ["Gateway", gatewayLine(result)],
    ["Member", result.credentials.source === "given" ? "nothing written (--use-given-credentials)" : changesLine(result.member, result.dryRun)],
    ["Home", changesLine(result.home, result.dryRun)],
  ];
  return `${head}\n${lines.map(([key, value]) => `  ${`${key}:`.padEnd(14)}${value}`).join("\n")}\n`;
}

function credentialsLine(result: RegisterResult): string {
  const { source, token, expires } = result.credentials;
  if (source === "given") return "the given kubeconfig's context (--use-given-credentials)";
  const until = expires === undefined ? "" : `, expires ${expires}`;
  return token === "planned" ? "ServiceAccount meridian-system/meridian token, to be requested" : `ServiceAccount meridian-system/meridian token (${token}${until})`;
}

function permissionsLine(result: RegisterResult): string {
  const access = result.access;
  if (access === undefined) return "not verified (the token does not exist yet)";
  const excess = access.excess === "" ? "nothing in excess" : "MORE than needed (see the warning)";
  const skipped = access.notChecked === "" ? "" : `; not checked, kind not served: ${access.notChecked}`;
  return `${access.checked} access reviews: every required permission granted, ${excess}${skipped}`;
}

function gatewayLine(result: RegisterResult): string {
  const finding = result.eastWestGateway;
  if (finding.found) return `${finding.gateway} passes Meridian's hosts through (EastWestGateway=True)`;
  return `${finding.reason === "NotChecked" ? "not checked" : "MISSING"}: ${finding.detail} (see the warning)`;
}

const DRY_RUN_ACTIONS: Readonly<Record<string, string>> = { created: "would be created", updated: "would be updated" };

/** The objects that changed, then how many did not. */
export function changesLine(changes: readonly ObjectChange[], dryRun: boolean): string {
  const changed = changes.filter((change) => change.action !== "unchanged");
  const unchanged = changes.length - changed.length;
  const parts = changed.map((change) => `${describeObject(change)} ${dryRun ? (DRY_RUN_ACTIONS[change.action] ?? change.action) : change.action}`);
  if (unchanged > 0) parts.push(changed.length === 0 ? `all ${unchanged} unchanged` : `${unchanged} unchanged`);
  return parts.length === 0 ? "nothing" : parts.join(", ");
}
