// /readyz of a real `meridian controller` while a member's API server cannot be reached: readiness
// is the start-up gate (every registered member tried, every one that can sync synced since start),
// so an unreachable member neither keeps a starting replica unready nor makes a running one unready;
// it is named in `clusters.unavailable`, and `clusters.synced` counts what its MeshCluster says.
// The member is reached through a TCP relay in this process, closed to make it unreachable.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CustomObjectsApi } from "@kubernetes/client-node";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { inject } from "vitest";
import { parse, stringify } from "yaml";

import { freePort } from "./harness/free-port.js";
import { waitUntil } from "./harness/wait-until.js";
import { controlPlanes } from "./support/clusters.js";
import type { ConnectedControlPlane } from "./support/clusters.js";
import { printControllerLog, startControllerProcess, type ControllerProcess } from "./support/controller-process.js";
import { unregisterAll } from "./support/federation-members.js";
import { meridian } from "./support/meridian-cli.js";
import { tcpProxy, type TcpProxy } from "./support/tcp-proxy.js";

interface Readiness {
  status: number;
  body: { ready: boolean; notReady: string[]; clusters: { registered: number; synced: number; unavailable?: string[] } };
}

const dir = mkdtempSync(join(tmpdir(), "meridian-readiness-"));

describe("controller readiness while a member is unreachable", () => {
  const [home, eu, ap] = controlPlanes() as [ConnectedControlPlane, ConnectedControlPlane, ConnectedControlPlane];
  const names = { home: "rdz-home", eu: "rdz-eu", ap: "rdz-ap" };
  let proxy: TcpProxy;
  let controller: ControllerProcess | undefined;
  let port = 0;

  const readiness = async (): Promise<Readiness> => {
    const response = await fetch(`http://127.0.0.1:${port}/readyz`);
    return { status: response.status, body: (await response.json()) as Readiness["body"] };
  };
  const syncedCondition = async (name: string): Promise<string | undefined> => {
    const object = (await home.kubeConfig.makeApiClient(CustomObjectsApi).getClusterCustomObject({ group: "meridian.dev", version: "v1alpha1", plural: "meshclusters", name })) as {
      status?: { conditions?: { type: string; status: string }[] };
    };
    return object.status?.conditions?.find((c) => c.type === "Synced")?.status;
  };
  const register = async (name: string, kubeconfig: string, gateway: string): Promise<void> => {
    const run = await meridian("cluster", "register", name, "--kubeconfig", kubeconfig, "--region", "r1", "--gateway-address", gateway, "--home-kubeconfig", home.info.kubeconfig);
    if (run.code !== 0) throw new Error(`cluster register ${name}: ${run.stderr}`);
  };

  beforeAll(async () => {
    await unregisterAll(home);
    proxy = tcpProxy(await freePort(), Number(new URL(ap.info.server).port));
    await proxy.open();
    const document = parse(readFileSync(ap.info.kubeconfig, "utf8"));
    document.clusters[0].cluster.server = proxy.server;
    const throughProxy = join(dir, "ap-through-proxy.yaml");
    writeFileSync(throughProxy, stringify(document), { mode: 0o600 });
    await register(names.home, home.info.kubeconfig, "192.0.2.31");
    await register(names.eu, eu.info.kubeconfig, "192.0.2.32");
    await register(names.ap, throughProxy, "192.0.2.33");
  }, 120_000);

  afterAll(async () => {
    await controller?.stop();
    await proxy.close();
    await unregisterAll(home);
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(({ onTestFailed }) => onTestFailed(() => printControllerLog(controller, 80)));

  test("a member unreachable at start: ready once it has been tried, and named unavailable", async () => {
    await proxy.close();
    controller = startControllerProcess({ homeKubeconfig: home.info.kubeconfig, redisUrl: inject("redis").url });
    port = await controller.port();
    let last: Readiness | undefined;
    await waitUntil(
      async () => {
        last = await readiness();
        return last.status === 200;
      },
      { what: `/readyz 200 with ${names.ap} unreachable`, timeoutMs: 60_000, intervalMs: 250 },
    ).catch((err: unknown) => {
      throw new Error(`${(err as Error).message}; last /readyz: ${JSON.stringify(last)}`);
    });
    expect(last?.body).toEqual({ ready: true, notReady: [], clusters: { registered: 3, synced: 2, unavailable: [`cluster ${names.ap}: not synced (unreachable)`] } });
  }, 120_000);

  test("the member comes back: every member synced, none unavailable", async () => {
    await proxy.open();
    let last: Readiness | undefined;
    await waitUntil(
      async () => {
        last = await readiness();
        return last.body.clusters.synced === 3;
      },
      { what: `${names.ap} synced again`, timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(last).toEqual({ status: 200, body: { ready: true, notReady: [], clusters: { registered: 3, synced: 3, unavailable: [] } } });
  }, 120_000);

  test("the member goes away after syncing: still ready, /readyz counts it as its MeshCluster does and names it", async () => {
    await proxy.close();
    await waitUntil(async () => (await syncedCondition(names.ap)) === "False", { what: `MeshCluster ${names.ap} Synced=False`, timeoutMs: 60_000, intervalMs: 250 });
    const unreachable = [`cluster ${names.ap}: not synced (unreachable)`];
    let last: Readiness | undefined;
    await waitUntil(
      async () => {
        last = await readiness();
        return JSON.stringify(last.body.clusters.unavailable) === JSON.stringify(unreachable);
      },
      { what: `/readyz naming ${names.ap} unavailable`, timeoutMs: 20_000, intervalMs: 250 },
    ).catch((err: unknown) => {
      throw new Error(`${(err as Error).message}; last /readyz: ${JSON.stringify(last)}`);
    });
    expect(last).toEqual({ status: 200, body: { ready: true, notReady: [], clusters: { registered: 3, synced: 2, unavailable: unreachable } } });
  }, 120_000);
});
