import { ApiException } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";

import { apiFailure, SilentWatchError } from "./api-failure.js";

const context = { server: "https://127.0.0.1:6443", action: "list and watch services (cluster-wide)" };

function fetchFailed(code: string, message: string): Error {
  return new TypeError("fetch failed", { cause: Object.assign(new Error(message), { code, syscall: "connect" }) });
}

describe("apiFailure", () => {
  it("tells a refused connection from an untrusted certificate", () => {
    expect(apiFailure(fetchFailed("ECONNREFUSED", "connect ECONNREFUSED"), context)).toEqual({
      kind: "Unreachable",
      message: "cannot reach https://127.0.0.1:6443 (connect ECONNREFUSED): check the address and that the API server runs",
    });
    expect(apiFailure(fetchFailed("SELF_SIGNED_CERT_IN_CHAIN", "self-signed certificate in certificate chain"), context).kind).toBe("TLS");
  });

  it("classifies API errors by status, with the server's message", () => {
    const body = JSON.stringify({ message: 'endpointslices.discovery.k8s.io is forbidden: User "x" cannot list resource "endpointslices"' });
    const forbidden = apiFailure(new ApiException(403, "Forbidden", body, {}), { ...context, action: "list and watch endpointslices.discovery.k8s.io (cluster-wide)" });
    expect(forbidden).toEqual({
      kind: "Forbidden",
      status: 403,
      message:
        'cannot list and watch endpointslices.discovery.k8s.io (cluster-wide) (403 Forbidden): endpointslices.discovery.k8s.io is forbidden: User "x" cannot list resource "endpointslices"',
    });
    expect(apiFailure(new ApiException(401, "Unauthorized", undefined, {}), context).kind).toBe("Unauthorized");
    expect(apiFailure(new ApiException(500, "boom", undefined, {}), context)).toMatchObject({ kind: "Http", status: 500 });
  });

  it("reads the status of a failed watch request (an Error with statusCode)", () => {
    expect(apiFailure(Object.assign(new Error("Gone"), { statusCode: 410 }), context)).toMatchObject({ kind: "Gone", status: 410 });
  });

  it("reports a silent watch and a timeout", () => {
    expect(apiFailure(new SilentWatchError("no event for 95 s"), context)).toEqual({ kind: "Silent", message: "cannot list and watch services (cluster-wide): no event for 95 s" });
    expect(apiFailure(new DOMException("timed out", "TimeoutError"), context).kind).toBe("Unreachable");
  });
});
