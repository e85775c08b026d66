import { ApiException } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";

import { RegistrationError, classifyError } from "./errors.js";

const context = { server: "https://127.0.0.1:1234", action: "apply ClusterRole meridian-member-read" };

function fetchFailed(cause: object): Error {
  return new TypeError("fetch failed", { cause });
}

function networkError(code: string, syscall?: string): Error {
  return Object.assign(new Error(`${syscall ?? ""} ${code}`), { code, ...(syscall === undefined ? {} : { syscall }) });
}

describe("classifyError", () => {
  it("a refused connection: unreachable, naming the server and the syscall", () => {
    const err = classifyError(fetchFailed(networkError("ECONNREFUSED", "connect")), context);
    expect(err.kind).toBe("unreachable");
    expect(err.message).toBe("cannot reach https://127.0.0.1:1234 (connect ECONNREFUSED): check the address and that the API server runs");
  });

  it("undici's own error from request() (no fetch wrapper) reads the same", () => {
    expect(classifyError(networkError("ECONNREFUSED", "connect"), context).message).toBe("cannot reach https://127.0.0.1:1234 (connect ECONNREFUSED): check the address and that the API server runs");
    expect(classifyError(networkError("DEPTH_ZERO_SELF_SIGNED_CERT"), context).message).toContain("cannot verify the certificate of https://127.0.0.1:1234 (DEPTH_ZERO_SELF_SIGNED_CERT)");
  });

  it("DNS failures and connect timeouts are unreachable too", () => {
    expect(classifyError(fetchFailed(networkError("ENOTFOUND", "getaddrinfo")), context).message).toContain("(getaddrinfo ENOTFOUND)");
    expect(classifyError(fetchFailed(networkError("UND_ERR_CONNECT_TIMEOUT")), context).kind).toBe("unreachable");
  });

  it("a request deadline: unreachable, timed out", () => {
    const timeout = new DOMException("The operation was aborted due to timeout", "TimeoutError");
    expect(classifyError(timeout, context).message).toBe("cannot reach https://127.0.0.1:1234 (timed out): check the address and that the API server runs");
  });

  it("TLS verification failures name the code and what to check", () => {
    const err = classifyError(fetchFailed(networkError("SELF_SIGNED_CERT_IN_CHAIN")), context);
    expect(err.kind).toBe("unreachable");
    expect(err.message).toContain("cannot verify the certificate of https://127.0.0.1:1234 (SELF_SIGNED_CERT_IN_CHAIN)");
  });

  it("401: credentials rejected", () => {
    const err = classifyError(new ApiException(401, "Unauthorized", undefined, {}), context);
    expect(err.kind).toBe("credentials");
    expect(err.message).toBe("https://127.0.0.1:1234 rejected the credentials (401 Unauthorized): the token or certificate is invalid or expired");
  });

  it("403: permissions, with the API server's message from a JSON string body", () => {
    const body = JSON.stringify({ kind: "Status", message: 'clusterroles.rbac.authorization.k8s.io "x" is forbidden: User "u" cannot patch' });
    const err = classifyError(new ApiException(403, "Forbidden", body, {}), context);
    expect(err.kind).toBe("permissions");
    expect(err.message).toBe('cannot apply ClusterRole meridian-member-read (403 Forbidden): clusterroles.rbac.authorization.k8s.io "x" is forbidden: User "u" cannot patch');
  });

  it("other statuses: not-found, conflict, runtime", () => {
    expect(classifyError(new ApiException(404, "", { message: "gone" }, {}), context)).toMatchObject({ kind: "not-found", message: expect.stringContaining("(404 Not Found): gone") });
    expect(classifyError(new ApiException(409, "", undefined, {}), context).kind).toBe("conflict");
    expect(classifyError(new ApiException(500, "", "oops", {}), context)).toMatchObject({ kind: "runtime", message: "cannot apply ClusterRole meridian-member-read (HTTP 500): oops" });
  });

  it("anything else is a runtime failure; RegistrationErrors pass through", () => {
    expect(classifyError(new Error("boom"), context)).toMatchObject({ kind: "runtime", message: "cannot apply ClusterRole meridian-member-read: boom" });
    const own = new RegistrationError("conflict", "taken");
    expect(classifyError(own, context)).toBe(own);
  });
});
