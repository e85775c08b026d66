// The e2e harness: real Kubernetes control planes and Redis as local processes. See e2e/README.md.
export { ensureBinaries, type ControlPlaneBinaries } from "./ensure-binaries.js";
export { istioCrdsPath } from "./istio-crds.js";
export { startControlPlane, TEST_NAMESPACES, type ControlPlane, type ControlPlaneOptions } from "./control-plane.js";
export { startEtcd, type EtcdServer } from "./etcd-server.js";
export { startRedis, type TestRedis } from "./redis-server.js";
export { readHarnessConfig, type HarnessConfig } from "./harness-config.js";
export { tailFiles } from "./log-tail.js";
