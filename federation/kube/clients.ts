// API clients, like KubeConfig.makeApiClient but with a deadline on every request, so an address that
// swallows packets fails in seconds instead of hanging, and with one connection pool per kubeconfig:
// client-node 2.0 builds a new undici Agent for every request, so every request paid a TLS handshake
// and a new SecureContext (most of the controller's CPU, and much of the API servers', under load);
// and sent with undici's request() rather than fetch (`undici-http.ts`).

import { createConfiguration, ServerConfiguration } from "@kubernetes/client-node";
import type { Configuration, KubeConfig, RequestContext, SecurityAuthentication } from "@kubernetes/client-node";

import { undiciHttpLibrary } from "./undici-http.js";

export const DEFAULT_REQUEST_TIMEOUT_MS = 20_000;

export type ApiType<T> = new (configuration: Configuration) => T;

export function makeClient<T>(kubeConfig: KubeConfig, type: ApiType<T>, timeoutMs: number = DEFAULT_REQUEST_TIMEOUT_MS): T {
  const server = serverOf(kubeConfig);
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(server, {}),
    httpApi: undiciHttpLibrary,
    authMethods: { default: pooled(kubeConfig) },
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

type Dispatcher = NonNullable<ReturnType<RequestContext["getDispatcher"]>>;

/** The dispatcher (connection pool) of each kubeconfig object; a rotated credential is a new object. */
const pools = new WeakMap<KubeConfig, Dispatcher>();

/**
 * The kubeconfig's authentication (headers, TLS options), with every request of the same kubeconfig
 * object sent through one keep-alive pool. The TLS settings of a kubeconfig object never change;
 * bearer tokens travel in headers, set per request as before.
 */
function pooled(kubeConfig: KubeConfig): SecurityAuthentication {
  return {
    getName: () => kubeConfig.getName(),
    applySecurityAuthentication: async (context: RequestContext) => {
      await kubeConfig.applySecurityAuthentication(context);
      const fresh = context.getDispatcher();
      if (fresh === undefined) return;
      const pool = pools.get(kubeConfig);
      if (pool === undefined) {
        pools.set(kubeConfig, fresh);
      } else {
        // The fresh Agent has never connected: it holds no socket or timer, so it is left to the
        // garbage collector. Closing it cost about 2% of the controller's CPU under load (undici
        // builds an error object with a stack trace for every destroyed dispatcher).
        context.setDispatcher(pool);
      }
    },
  };
}

/** The current context's API server, without a trailing slash. */
export function serverOf(kubeConfig: KubeConfig): string {
  const cluster = kubeConfig.getCurrentCluster();
  if (cluster === null) {
    throw new TypeError("The kubeconfig has no current cluster");
  }
  return cluster.server.replace(/\/+$/, "");
}
