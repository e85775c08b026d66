import { describe, expect, it } from "vitest";
import type { V1Secret } from "@kubernetes/client-node";

import { parseMeshCluster } from "../../crds/index.js";
import { clusterName } from "../graph-model.js";
import { kubeConfigFromSecret, tokenKubeconfig } from "../kubeconfig.js";
import { InvalidRegistrationError, memberSecretManifest, meshClusterManifest, placementWarnings, redactedSecret } from "./home-manifests.js";

const east = clusterName("us-east");
const server = "https://10.0.0.1:6443";
const kubeconfig = tokenKubeconfig({ cluster: east, server, token: "t0ken" });

describe("home manifests", () => {
  it("stores the kubeconfig in Secret meridian-member-<cluster>, labelled and annotated", () => {
    const secret = memberSecretManifest(east, server, { kubeconfig, source: "service-account-token", expires: "2027-01-01T00:00:00Z" });
    expect(secret.metadata).toEqual({
      name: "meridian-member-us-east",
      namespace: "meridian-system",
      labels: { "app.kubernetes.io/managed-by": "meridian", "meridian.dev/cluster": "us-east" },
      annotations: { "meridian.dev/credentials": "service-account-token", "meridian.dev/server": server, "meridian.dev/token-expires": "2027-01-01T00:00:00Z" },
    });
    expect(secret["type"]).toBe("Opaque");
  });

  it("stores a Secret the registry loads (kubeConfigFromSecret) as the same credentials", () => {
    const secret = memberSecretManifest(east, server, { kubeconfig, source: "given" });
    expect(secret.metadata.annotations?.["meridian.dev/token-expires"]).toBeUndefined();
    const loaded = kubeConfigFromSecret(secret as V1Secret, { namespace: "meridian-system", name: "meridian-member-us-east", key: "kubeconfig" }, east);
    expect(loaded.getCurrentCluster()?.server).toBe(server);
    expect(loaded.getCurrentUser()).toMatchObject({ name: "meridian-us-east", token: "t0ken" });
  });

  it("builds a MeshCluster the CRD accepts, referencing the Secret", () => {
    const manifest = meshClusterManifest(east, server, {
      region: "us-east-1",
      zone: "us-east-1a",
      network: "net-1",
      gateway: { serviceRef: { namespace: "istio-system", name: "eastwest" }, port: 15443 },
      discovery: { namespaces: ["shop", "pay"] },
    });
    expect(manifest.metadata).toEqual({
      name: "us-east",
      labels: { "app.kubernetes.io/managed-by": "meridian", "meridian.dev/cluster": "us-east" },
      annotations: { "meridian.dev/server": server },
    });
    expect(manifest["spec"]).toEqual({
      region: "us-east-1",
      zone: "us-east-1a",
      network: "net-1",
      kubeconfigSecretRef: { name: "meridian-member-us-east", namespace: "meridian-system", key: "kubeconfig" },
      gateway: { serviceRef: { namespace: "istio-system", name: "eastwest" }, port: 15443 },
      discovery: { namespaces: ["shop", "pay"] },
    });
    expect(parseMeshCluster(manifest).ok).toBe(true);
  });

  it("leaves out what was not given", () => {
    expect(meshClusterManifest(east, server, { region: "r" })["spec"]).toEqual({
      region: "r",
      kubeconfigSecretRef: { name: "meridian-member-us-east", namespace: "meridian-system", key: "kubeconfig" },
    });
  });

  it("refuses a MeshCluster the CRD would reject, naming the field", () => {
    expect(() => meshClusterManifest(east, server, { region: "US_EAST" })).toThrow(InvalidRegistrationError);
    expect(() => meshClusterManifest(east, server, { region: "US_EAST" })).toThrow(/spec\.region: should match/);
  });

  it("redacts a Secret's data for display", () => {
    const shown = redactedSecret(memberSecretManifest(east, server, { kubeconfig, source: "given" }));
    expect(JSON.stringify(shown)).not.toContain("t0ken");
    expect(JSON.stringify(shown)).not.toContain(Buffer.from(kubeconfig).toString("base64"));
    expect(shown["data"]).toEqual({ kubeconfig: `<redacted: ${Buffer.byteLength(kubeconfig)} bytes>` });
  });

  it("warns that a cluster registered without a gateway gets no endpoints in the other clusters", () => {
    const east = clusterName("east");
    expect(placementWarnings(east, { region: "us-east-1" })).toEqual([
      "no east-west gateway given (--gateway-address or --gateway-service): the other clusters will get no endpoints for the Services of east, so they cannot call what runs only there; register again with a gateway to fix it",
    ]);
    expect(placementWarnings(east, { region: "us-east-1", gateway: { address: "192.0.2.1", port: 15443 } })).toEqual([]);
    expect(placementWarnings(east, { region: "us-east-1", gateway: { serviceRef: { namespace: "istio-system", name: "eastwest" }, port: 15443 } })).toEqual([]);
  });
});
