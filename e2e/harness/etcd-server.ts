// One etcd member on loopback ports, its data in a directory the caller owns.
import { join } from "node:path";
import { freePorts } from "./free-port.js";
import { startProcess, type ManagedProcess } from "./managed-process.js";
import { waitUntil } from "./wait-until.js";

export interface EtcdServer {
  /** Client URL, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  readonly clientPort: number;
  readonly peerPort: number;
  readonly process: ManagedProcess;
}

export function etcdArgs(dataDir: string, clientPort: number, peerPort: number): string[] {
  const client = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  return [
    "--name=meridian-e2e",
    `--data-dir=${dataDir}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=meridian-e2e=${peer}`,
    // Test data is thrown away: skip fsync, keep the WAL short and the log quiet.
    "--unsafe-no-fsync=true",
    "--snapshot-count=10000",
    "--log-level=warn",
  ];
}

async function isHealthy(url: string): Promise<boolean> {
  const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_000) });
  return response.ok;
}

export async function startEtcd(binary: string, dir: string, timeoutMs = 60_000): Promise<EtcdServer> {
  const [clientPort = 0, peerPort = 0] = await freePorts(2);
  return startEtcdOn(binary, dir, { clientPort, peerPort }, timeoutMs);
}

/** etcd on these ports with the data in `dir` (again, after a stop: same members, same data). */
export async function startEtcdOn(binary: string, dir: string, { clientPort, peerPort }: { clientPort: number; peerPort: number }, timeoutMs = 60_000): Promise<EtcdServer> {
  const url = `http://127.0.0.1:${clientPort}`;
  const process = startProcess({
    name: "etcd",
    command: binary,
    args: etcdArgs(join(dir, "etcd-data"), clientPort, peerPort),
    logFile: join(dir, "etcd.log"),
  });
  try {
    await waitUntil(() => isHealthy(url), {
      what: `etcd at ${url}`,
      timeoutMs,
      failIf: () => (process.exited() ? "etcd exited" : undefined),
    });
  } catch (err) {
    await process.stop();
    throw new Error(`${(err as Error).message}\n${process.logTail(30)}`, { cause: err });
  }
  return { url, clientPort, peerPort, process };
}
