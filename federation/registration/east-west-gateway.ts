// Is the member's east-west gateway configured for Meridian's hosts? Meridian sends a client's
// traffic for `<env>.<identity>.<suffix>` to the serving cluster's east-west gateway on its port
// (15443 by default) and relies on an Istio Gateway there that passes TLS through by SNI:
// `tls.mode: AUTO_PASSTHROUGH` for hosts covering `*.<suffix>` (Istio's multi-network install,
// samples/multicluster/expose-services.yaml, with Meridian's suffix). Meridian does not own that
// Gateway: the member's Istio install does. `meridian cluster register` checks for it (read only)
// and records the finding as the MeshCluster's EastWestGateway condition. Pure.

import type { ConditionUpdate } from "../conditions.js";

export const EAST_WEST_GATEWAY_CONDITION = "EastWestGateway";

/** The fields of an Istio Gateway the check reads; anything else is ignored. */
export interface GatewayObject {
  metadata?: { name?: string; namespace?: string };
  spec?: { servers?: readonly GatewayServer[] };
}

interface GatewayServer {
  port?: { number?: number };
  hosts?: readonly string[];
  tls?: { mode?: string };
}

export type GatewayFinding =
  | { readonly found: true; readonly gateway: string }
  | { readonly found: false; readonly reason: "GatewayMissing" | "GatewayCrdMissing" | "NotChecked"; readonly detail: string };

export interface GatewayWanted {
  readonly suffix: string;
  readonly port: number;
}

/** A Gateway host (`[namespace/]dnsName`) that covers every `<env>.<identity>.<suffix>`. */
export function hostCovers(host: string, suffix: string): boolean {
  const slash = host.indexOf("/");
  const name = slash === -1 ? host : host.slice(slash + 1);
  return name === "*" || name === `*.${suffix}`;
}

function passesThrough(server: GatewayServer, wanted: GatewayWanted): boolean {
  return server.port?.number === wanted.port && server.tls?.mode === "AUTO_PASSTHROUGH" && (server.hosts ?? []).some((host) => hostCovers(host, wanted.suffix));
}

/** The first Gateway (by namespace/name) with a passthrough server for the suffix on the port. */
export function findEastWestGateway(gateways: readonly GatewayObject[], wanted: GatewayWanted): GatewayFinding {
  const names = gateways
    .filter((g) => (g.spec?.servers ?? []).some((server) => passesThrough(server, wanted)))
    .map((g) => `${g.metadata?.namespace ?? ""}/${g.metadata?.name ?? ""}`)
    .sort();
  const gateway = names[0];
  if (gateway !== undefined) return { found: true, gateway };
  const seen = gateways.length === 0 ? "the cluster has no Gateway" : `none of its ${gateways.length} Gateways has one`;
  return { found: false, reason: "GatewayMissing", detail: seen };
}

/** The condition that says what the check found and, when nothing, what to apply. */
export function eastWestGatewayCondition(finding: GatewayFinding, wanted: GatewayWanted): ConditionUpdate {
  const type = EAST_WEST_GATEWAY_CONDITION;
  const server = `a server on port ${wanted.port} with tls.mode AUTO_PASSTHROUGH for hosts "*.${wanted.suffix}"`;
  if (finding.found) {
    return { type, status: "True", reason: "PassthroughConfigured", message: `Gateway ${finding.gateway} has ${server}. Checked by \`meridian cluster register\`.` };
  }
  const fix = `Apply an Istio Gateway selecting the east-west gateway with ${server} (Istio's samples/multicluster/expose-services.yaml with hosts "*.${wanted.suffix}"), then run \`meridian cluster register\` again to record it.`;
  if (finding.reason === "NotChecked") {
    return { type, status: "Unknown", reason: finding.reason, message: `Not checked: ${finding.detail}.` };
  }
  const why = finding.reason === "GatewayCrdMissing" ? "Istio's Gateway kind (networking.istio.io/v1) is not served" : `no Gateway passes *.${wanted.suffix} through (${finding.detail})`;
  return { type, status: "False", reason: finding.reason, message: `Other clusters cannot reach this cluster's services through its east-west gateway: ${why}. ${fix}` };
}
