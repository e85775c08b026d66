// `meridian explain IDENTITY --from CLUSTER [--env E] [--namespace NS]`: where traffic for the
// identity goes from that cluster, and why (controller/core/explain.ts), plus the live state of the
// generated objects there. Read-only. Exit 0; 1 when the cluster is not registered.
import { RegistrationError } from "../../federation/registration/errors.js";
import { clusterName, explain } from "../core/index.js";
import type { CliIo } from "./cli-io.js";
import { homeOf, parseOrThrow } from "./cluster-flags.js";
import { ExplainFlagsSchema } from "./day2-flags.js";
import { EXIT } from "./exit-codes.js";
import { hostLiveState, renderExplanation } from "./explain-render.js";
import { readFleetState } from "./fleet-state.js";
import { loadHomeKubeconfig } from "./kubeconfig-files.js";
import { renderData } from "./output.js";

export async function runExplain(identity: unknown, raw: Record<string, unknown>, io: CliIo): Promise<number> {
  const flags = parseOrThrow(ExplainFlagsSchema, { ...raw, identity });
  const from = clusterName(flags.from);
  const state = await readFleetState(loadHomeKubeconfig(homeOf(flags), io), io, from);
  const member = state.members[0];
  if (member === undefined) throw new RegistrationError("not-found", `cluster "${from}" is not registered (see meridian cluster list)`);
  const query = { identity: flags.identity, from, ...(flags.env === undefined ? {} : { env: flags.env }), ...(flags.namespace === undefined ? {} : { namespace: flags.namespace }) };
  const explanation = explain(state.fleet, state.plan, query);
  const live = member.live === undefined ? undefined : explanation.hosts.map((h) => hostLiveState(h, flags.identity, member.desired ?? [], member.live ?? []));
  if (member.error !== undefined) io.stderr.write(`warning: the live objects of ${from} are not shown: ${member.error}\n`);
  io.stdout.write(flags.output === "table" ? renderExplanation(explanation, live) : renderData(flags.output, { ...explanation, live: live ?? null }));
  return EXIT.ok;
}
