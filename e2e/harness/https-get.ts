// A GET over HTTPS with a given CA and bearer token; just enough for health checks.
import { request } from "node:https";

export interface HttpsGetOptions {
  caPem: string;
  token: string;
  timeoutMs?: number;
}

export interface HttpsResponse {
  status: number;
  body: string;
}

export function httpsGet(url: string, options: HttpsGetOptions): Promise<HttpsResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      ca: options.caPem,
      headers: { authorization: `Bearer ${options.token}` },
      timeout: options.timeoutMs ?? 2_000,
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on("error", reject);
    req.end();
  });
}
