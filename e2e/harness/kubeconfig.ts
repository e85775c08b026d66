// A kubeconfig for one control plane's admin, as plain data, a file and a client-node KubeConfig.
import { writeFile } from "node:fs/promises";
import { KubeConfig } from "@kubernetes/client-node";
import { stringify } from "yaml";

export interface KubeconfigInput {
  name: string;
  server: string;
  caPem: string;
  user: string;
  token: string;
}

export function kubeconfigDocument(input: KubeconfigInput): Record<string, unknown> {
  return {
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      { name: input.name, cluster: { server: input.server, "certificate-authority-data": Buffer.from(input.caPem).toString("base64") } },
    ],
    users: [{ name: input.user, user: { token: input.token } }],
    contexts: [{ name: input.name, context: { cluster: input.name, user: input.user } }],
    "current-context": input.name,
  };
}

export function kubeConfigFromYaml(yamlText: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(yamlText);
  return kubeConfig;
}

export async function writeKubeconfig(file: string, input: KubeconfigInput): Promise<KubeConfig> {
  const text = stringify(kubeconfigDocument(input));
  await writeFile(file, text, { mode: 0o600 });
  return kubeConfigFromYaml(text);
}
