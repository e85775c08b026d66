// `meridian cluster list` and `meridian cluster status NAME`

import { listMeshClusters, readMeshCluster } from "../../federation/registration/home-store.js";
import { RegistrationError } from "../../federation/registration/errors.js";
import { serverOf } from "../../federation/kube/clients.js";
import type { CliIo } from "./cli-io.js";
import { parseListFlags, parseStatusFlags } from "./cluster-flags.js";
import { clusterSummary, renderClusterStatus, renderClusterTable, withoutManagedFields } from "./cluster-views.js";
import { EXIT } from "./exit-codes.js";
import { loadHomeKubeconfig } from "./kubeconfig-files.js";
import { renderData } from "./output.js";

export async function runList(raw: Record<string, unknown>, io: CliIo): Promise<number> {
  const options = parseListFlags(raw);
  const clusters = await listMeshClusters(loadHomeKubeconfig(options.home, io));
  if (options.output === "table") {
    io.stdout.write(clusters.length === 0 ? "No clusters registered.\n" : renderClusterTable(clusters, io.now()));
  } else {
    io.stdout.write(renderData(options.output, clusters.map(clusterSummary)));
  }
  return EXIT.ok;
}

export async function runStatus(name: unknown, raw: Record<string, unknown>, io: CliIo): Promise<number> {
  const options = parseStatusFlags(name, raw);
  const home = loadHomeKubeconfig(options.home, io);
  const cluster = await readMeshCluster(home, options.cluster);
  if (cluster === undefined) {
    throw new RegistrationError("not-found", `cluster "${options.cluster}" is not registered in ${serverOf(home)} (see meridian cluster list)`);
  }
  io.stdout.write(options.output === "table" ? renderClusterStatus(cluster, io.now()) : renderData(options.output, withoutManagedFields(cluster)));
  return EXIT.ok;
}
