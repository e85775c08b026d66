// Loading the kubeconfigs a user points the CLI at: the member's (--kubeconfig, --context) and the
// home cluster's (--home-kubeconfig, --home-context, else $KUBECONFIG, else ~/.kube/config).
// Unreadable files and unknown contexts are usage errors that name the file.

import { KubeConfig } from "@kubernetes/client-node";
import { join } from "node:path";

import { selectContext } from "../../federation/registration/source-kubeconfig.js";
import type { CliIo } from "./cli-io.js";
import type { HomeFlags } from "./cluster-flags.js";
import { UsageError } from "./exit-codes.js";

export function loadKubeconfig(file: string, context: string | undefined): KubeConfig {
  const kubeConfig = new KubeConfig();
  loadInto(kubeConfig, file);
  selectContext(kubeConfig, context, file);
  return kubeConfig;
}

export function loadHomeKubeconfig(flags: HomeFlags, io: CliIo): KubeConfig {
  const files = homeFiles(flags, io);
  const [first, ...rest] = files;
  if (first === undefined) {
    throw new UsageError("no home kubeconfig: pass --home-kubeconfig, or set KUBECONFIG");
  }
  const kubeConfig = new KubeConfig();
  loadInto(kubeConfig, first);
  for (const file of rest) {
    const more = new KubeConfig();
    loadInto(more, file);
    // The first file's current context wins, as with kubectl.
    kubeConfig.mergeConfig(more, true);
  }
  selectContext(kubeConfig, flags.context, files.join(":"));
  return kubeConfig;
}

function homeFiles(flags: HomeFlags, io: CliIo): string[] {
  if (flags.kubeconfig !== undefined) {
    return [flags.kubeconfig];
  }
  const fromEnv = (io.env.kubeconfig ?? "").split(":").filter((file) => file !== "");
  if (fromEnv.length > 0) {
    return fromEnv;
  }
  return io.env.home === undefined ? [] : [join(io.env.home, ".kube", "config")];
}

function loadInto(kubeConfig: KubeConfig, file: string): void {
  try {
    kubeConfig.loadFromFile(file);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const why = typeof code === "string" ? code : "not a kubeconfig";
    throw new UsageError(`cannot read kubeconfig ${file} (${why})`);
  }
}
