// What the e2e global setup hands to test files through vitest's provide/inject.

/** A started control plane as test files see it: plain, serializable data. */
export interface ControlPlaneInfo {
  name: string;
  server: string;
  kubeconfig: string;
  adminToken: string;
  logFiles: string[];
}

export interface RedisInfo {
  url: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    controlPlanes: ControlPlaneInfo[];
    redis: RedisInfo;
  }
}
