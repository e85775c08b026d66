// `meridian cluster remove NAME [--purge --kubeconfig FILE [--context CTX]] [--force]`

import type { ObjectChange } from "../../federation/registration/apply.js";
import { describeObject } from "../../federation/registration/register.js";
import { removeCluster } from "../../federation/registration/remove.js";
import type { RemoveResult } from "../../federation/registration/remove.js";
import type { CliIo } from "./cli-io.js";
import { parseRemoveFlags } from "./cluster-flags.js";
import { EXIT } from "./exit-codes.js";
import { loadHomeKubeconfig, loadKubeconfig } from "./kubeconfig-files.js";
import { renderData } from "./output.js";

export async function runRemove(name: unknown, raw: Record<string, unknown>, io: CliIo): Promise<number> {
  const options = parseRemoveFlags(name, raw);
  const home = loadHomeKubeconfig(options.home, io);
  const purge = options.purge === undefined ? undefined : loadKubeconfig(options.purge.kubeconfig, options.purge.context);
  const result = await removeCluster({
    cluster: options.cluster,
    home,
    ...(purge === undefined ? {} : { purge }),
    force: options.force,
    progress: (line) => io.stderr.write(`${line}\n`),
  });
  io.stdout.write(options.output === "table" ? removeSummary(result) : renderData(options.output, result));
  return EXIT.ok;
}

export function removeSummary(result: RemoveResult): string {
  const lines = [`Removed cluster ${result.cluster}`, `  Home:    ${changes(result.home)}`];
  if (result.member.length > 0) {
    lines.push(`  Member:  ${changes(result.member)}`);
  }
  return `${lines.join("\n")}\n`;
}

function changes(list: readonly ObjectChange[]): string {
  return list.length === 0 ? "nothing" : list.map((change) => `${describeObject(change)} ${change.action}`).join(", ");
}
