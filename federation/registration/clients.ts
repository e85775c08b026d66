// API clients for registration, like KubeConfig.makeApiClient but with a deadline on every request,
// so an address that swallows packets fails in seconds instead of hanging.

import { createConfiguration, ServerConfiguration } from "@kubernetes/client-node";
import type { Configuration, KubeConfig } from "@kubernetes/client-node";

export const DEFAULT_REQUEST_TIMEOUT_MS = 20_000;

export type ApiType<T> = new (configuration: Configuration) => T;

export function makeClient<T>(kubeConfig: KubeConfig, type: ApiType<T>, timeoutMs: number = DEFAULT_REQUEST_TIMEOUT_MS): T {
  const server = serverOf(kubeConfig);
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(server, {}),
    authMethods: { default: kubeConfig },
    promiseMiddleware: [
      {
        pre: (context) => {
          context.setSignal(AbortSignal.timeout(timeoutMs));
          return Promise.resolve(context);
        },
        post: (context) => Promise.resolve(context),
      },
    ],
  });
  return new type(configuration);
}

/** The current context's API server, without a trailing slash. */
export function serverOf(kubeConfig: KubeConfig): string {
  const cluster = kubeConfig.getCurrentCluster();
  if (cluster === null) {
    throw new TypeError("The kubeconfig has no current cluster");
  }
  return cluster.server.replace(/\/+$/, "");
}
