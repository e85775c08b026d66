// Test-side access to the control planes the global setup started.
import { KubeConfig, KubernetesObjectApi, CoreV1Api, ApiException } from "@kubernetes/client-node";
import { inject } from "vitest";
import { tailFiles } from "../harness/log-tail.js";
import type { ControlPlaneInfo } from "./provided-context.js";
import "./provided-context.js";

export interface ConnectedControlPlane {
  info: ControlPlaneInfo;
  kubeConfig: KubeConfig;
  core: CoreV1Api;
  objects: KubernetesObjectApi;
}

export function connect(info: ControlPlaneInfo): ConnectedControlPlane {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(info.kubeconfig);
  return { info, kubeConfig, core: kubeConfig.makeApiClient(CoreV1Api), objects: KubernetesObjectApi.makeApiClient(kubeConfig) };
}

export function controlPlanes(): ConnectedControlPlane[] {
  return inject("controlPlanes").map(connect);
}

/** The first control plane, for tests that need just one. */
export function firstControlPlane(): ConnectedControlPlane {
  const [first] = controlPlanes();
  if (first === undefined) throw new Error("The e2e global setup provided no control planes.");
  return first;
}

/** A KubeConfig for the same server as `base`, authenticating with `token` as a distinct user. */
export function kubeConfigWithToken(base: KubeConfig, user: string, token: string): KubeConfig {
  const cluster = base.getCurrentCluster();
  if (cluster === null) throw new Error("The base kubeconfig has no current cluster.");
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [cluster],
    users: [{ name: user, token }],
    contexts: [{ name: user, cluster: cluster.name, user }],
    currentContext: user,
  });
  return kubeConfig;
}

/** The HTTP status of a failed call, or undefined when it succeeded. */
export async function statusOf(call: Promise<unknown>): Promise<number | undefined> {
  try {
    await call;
    return undefined;
  } catch (err) {
    if (err instanceof ApiException) return err.code;
    throw err;
  }
}

/** The API server's message from an error body: a Status object, or a JSON string of one. */
function statusMessage(body: unknown): string {
  let value = body;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      return value as string;
    }
  }
  const message = (value as { message?: unknown } | null)?.message;
  return typeof message === "string" ? message : JSON.stringify(value);
}

/** The API server's error message for a call that must fail (throws if it succeeded). */
export async function errorTextOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (err) {
    if (err instanceof ApiException) return statusMessage(err.body);
    throw err;
  }
  throw new Error("Expected the call to be rejected, but it succeeded.");
}

export function controlPlaneLogTail(lines: number): string {
  return tailFiles(inject("controlPlanes").flatMap((info) => info.logFiles), lines);
}
