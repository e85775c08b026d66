// A small client of Toxiproxy's HTTP API (https://github.com/Shopify/toxiproxy#http-api): a proxy in
// front of a real server, and toxics (latency, reset_peer, limit_data, …) added to and removed from it.
// The server itself is started by the harness (e2e/harness/toxiproxy.ts).

export type ToxicStream = "upstream" | "downstream";

export interface Toxic {
  readonly name: string;
  /** latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data */
  readonly type: string;
  readonly stream?: ToxicStream;
  /** 0–1: the share of connections the toxic applies to (default 1). */
  readonly toxicity?: number;
  readonly attributes: Readonly<Record<string, number>>;
}

export interface ToxiProxy {
  /** `127.0.0.1:<port>`: connect here instead of the upstream. */
  readonly listen: string;
  addToxic(toxic: Toxic): Promise<void>;
  removeToxic(name: string): Promise<void>;
  /** Every toxic removed. */
  clear(): Promise<void>;
  /** A disabled proxy refuses connections and cuts the open ones. */
  setEnabled(enabled: boolean): Promise<void>;
}

async function call(url: string, method: string, body?: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`Toxiproxy ${method} ${url} answered ${response.status}: ${text}`);
  return text === "" ? undefined : (JSON.parse(text) as unknown);
}

/** Creates (or replaces) the proxy `name` listening on `listen` and forwarding to `upstream` (`host:port`). */
export async function createProxy(apiUrl: string, name: string, listen: string, upstream: string): Promise<ToxiProxy> {
  await call(`${apiUrl}/proxies/${name}`, "DELETE").catch(() => undefined);
  await call(`${apiUrl}/proxies`, "POST", { name, listen, upstream, enabled: true });
  const proxy = `${apiUrl}/proxies/${name}`;
  const toxics = async (): Promise<string[]> => ((await call(`${proxy}/toxics`, "GET")) as { name: string }[]).map((t) => t.name);
  return {
    listen,
    addToxic: async (toxic) => void (await call(`${proxy}/toxics`, "POST", { stream: "downstream", toxicity: 1, ...toxic })),
    removeToxic: async (toxicName) => void (await call(`${proxy}/toxics/${toxicName}`, "DELETE")),
    clear: async () => {
      for (const toxicName of await toxics()) await call(`${proxy}/toxics/${toxicName}`, "DELETE");
    },
    setEnabled: async (enabled) => void (await call(proxy, "POST", { enabled })),
  };
}
