// `meridian diff [--cluster C] [--identity I] [--exit-code]`: is the fleet what Meridian wants?
// Plans as the controller would, lists each member's ServiceEntries and DestinationRules (read-only)
// and prints what is missing, drifted (field by field), extra, or in conflict with an unowned object.
// Exit 0; with --exit-code 1 when anything differs; 3 when a member could not be read.
import { RegistrationError } from "../../federation/registration/errors.js";
import { clusterName } from "../core/index.js";
import type { CliIo } from "./cli-io.js";
import { homeOf, parseOrThrow } from "./cluster-flags.js";
import { DiffFlagsSchema } from "./day2-flags.js";
import { anyDifference, diffData, diffMembers, renderDiffTable } from "./diff-render.js";
import { EXIT } from "./exit-codes.js";
import { readFleetState } from "./fleet-state.js";
import { loadHomeKubeconfig } from "./kubeconfig-files.js";
import { renderData } from "./output.js";

export async function runDiff(raw: Record<string, unknown>, io: CliIo): Promise<number> {
  const flags = parseOrThrow(DiffFlagsSchema, raw);
  const only = flags.cluster === undefined ? undefined : clusterName(flags.cluster);
  const state = await readFleetState(loadHomeKubeconfig(homeOf(flags), io), io, only);
  if (only !== undefined && state.members.length === 0) throw new RegistrationError("not-found", `cluster "${only}" is not registered (see meridian cluster list)`);
  const diffs = diffMembers(state.members, flags.identity);
  io.stdout.write(flags.output === "table" ? renderDiffTable(diffs) : renderData(flags.output, diffData(diffs)));
  if (diffs.some((d) => d.diff === undefined)) return EXIT.unreachable;
  return flags.exitCode && anyDifference(diffs) ? EXIT.differs : EXIT.ok;
}
