// client-node's HTTP transport with undici's request() instead of its fetch(). client-node sends every
// API call through fetch, whose WHATWG machinery (Request, Headers, web streams, body mixins) was
// about a quarter of the controller's busy time in the drill benchmark, mostly per request. request()
// is undici's lean API on the same dispatcher (the kubeconfig's pooled Agent) with the same abort
// signal, so connection reuse, TLS and deadlines are unchanged. Watches do not come here: client-node's
// Watch calls fetch itself.
//
// Errors keep their shape where it matters: an HTTP status becomes client-node's ApiException as
// before (client-node builds it from the response), and a transport failure is undici's error with
// its `code` (ECONNREFUSED, a TLS code, …) or the signal's TimeoutError, which federation/registration/
// errors.ts classifies like fetch's `fetch failed` with that cause.
import { promisify } from "node:util";
import { gunzip } from "node:zlib";

import { IsomorphicFetchHttpLibrary, ResponseContext, SelfDecodingBody, wrapHttpLibrary } from "@kubernetes/client-node";
import type { HttpLibrary, RequestContext } from "@kubernetes/client-node";
import { request } from "undici";

const gunzipAsync = promisify(gunzip);

/** Bodies other than a string (form data, URL parameters: never sent by Meridian's calls) go through fetch. */
const viaFetch = new IsomorphicFetchHttpLibrary();

async function send(context: RequestContext): Promise<ResponseContext> {
  const body = context.getBody();
  if (body !== undefined && typeof body !== "string") return viaFetch.send(context).toPromise();
  const dispatcher = context.getDispatcher();
  const signal = context.getSignal();
  const response = await request(context.getUrl(), {
    method: context.getHttpMethod(),
    headers: { "accept-encoding": "gzip", ...context.getHeaders() },
    ...(body === undefined ? {} : { body }),
    ...(dispatcher === undefined ? {} : { dispatcher }),
    ...(signal === undefined ? {} : { signal }),
  });
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  const raw = Buffer.from(await response.body.arrayBuffer());
  const data = headers["content-encoding"] === "gzip" ? await gunzipAsync(raw) : raw;
  return new ResponseContext(response.statusCode, headers, new SelfDecodingBody(Promise.resolve(data)));
}

export const undiciHttpLibrary: HttpLibrary = wrapHttpLibrary({ send });
