// The home cluster's credentials for `meridian controller`: the given kubeconfig files (merged, the
// first one's current context wins), else the pod's service account when running in a cluster,
// else ~/.kube/config. A missing file or unknown context stops the controller with a message.
import { KubeConfig } from "@kubernetes/client-node";
import { join } from "node:path";

import { selectContext } from "../../federation/registration/source-kubeconfig.js";

export interface HomeKubeconfigSource {
  readonly files: readonly string[];
  readonly context: string | undefined;
  /** KUBERNETES_SERVICE_HOST is set (the process runs in a pod). */
  readonly inCluster: boolean;
  readonly homeDirectory: string | undefined;
}

export class HomeKubeconfigError extends Error {
  override readonly name = "HomeKubeconfigError";
}

export function loadHomeKubeConfig(source: HomeKubeconfigSource): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (source.files.length === 0 && source.inCluster) {
    kubeConfig.loadFromCluster();
    return kubeConfig;
  }
  const files = source.files.length > 0 ? source.files : source.homeDirectory === undefined ? [] : [join(source.homeDirectory, ".kube", "config")];
  const [first, ...rest] = files;
  if (first === undefined) throw new HomeKubeconfigError("No home kubeconfig: set --kubeconfig / KUBECONFIG, or run in a cluster");
  loadFile(kubeConfig, first);
  for (const file of rest) {
    const more = new KubeConfig();
    loadFile(more, file);
    kubeConfig.mergeConfig(more, true);
  }
  try {
    selectContext(kubeConfig, source.context, files.join(":"));
  } catch (err) {
    throw new HomeKubeconfigError((err as Error).message, { cause: err });
  }
  return kubeConfig;
}

function loadFile(kubeConfig: KubeConfig, file: string): void {
  try {
    kubeConfig.loadFromFile(file);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new HomeKubeconfigError(`--kubeconfig / KUBECONFIG: cannot read kubeconfig ${file} (${typeof code === "string" ? code : "not a kubeconfig"})`, { cause: err });
  }
}
