import type { V1Secret } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";

import { clusterName } from "../graph-model.js";
import { credentialFingerprint, credentialsFrom } from "./member-credentials.js";
import type { CredentialSource } from "./member-credentials.js";

const ref = { namespace: "meridian-system", name: "meridian-member-east-1", key: "kubeconfig" };

function kubeconfig(server: string, token: string, user = "admin"): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "c", cluster: { server } }],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: "ctx", context: { cluster: "c", user } }],
    "current-context": "ctx",
  });
}

function secret(data: Record<string, string>): V1Secret {
  return { metadata: { name: ref.name, namespace: ref.namespace }, data };
}

function source(s: V1Secret | undefined, overrides: Partial<CredentialSource> = {}): CredentialSource {
  return { ref, secret: s, watchedNamespace: "meridian-system", ...overrides };
}

const base64 = (text: string): string => Buffer.from(text).toString("base64");

describe("credentialsFrom", () => {
  it("gives two members whose kubeconfigs both use user admin credentials of their own", () => {
    const east = credentialsFrom(source(secret({ kubeconfig: base64(kubeconfig("https://10.0.0.1:6443", "token-east")) })), clusterName("east-1"), {});
    const west = credentialsFrom(source(secret({ kubeconfig: base64(kubeconfig("https://10.0.0.2:6443", "token-west")) })), clusterName("west-1"), {});
    if (!east.ok || !west.ok) throw new Error("expected usable credentials");
    expect(east.kubeConfig.getCurrentUser()).toMatchObject({ name: "meridian-east-1", token: "token-east" });
    expect(west.kubeConfig.getCurrentUser()).toMatchObject({ name: "meridian-west-1", token: "token-west" });
    expect(east.server).toBe("https://10.0.0.1:6443");
  });

  it.each([
    ["a missing Secret", undefined, "SecretNotFound", "the Secret does not exist; create it"],
    ["a missing key", secret({ other: base64("x") }), "KeyMissing", "(keys present: other); store the kubeconfig under that key"],
    ["bad base64", secret({ kubeconfig: "not*base64" }), "NotBase64", "the value is not base64; store a valid kubeconfig there"],
    ["bad YAML", secret({ kubeconfig: base64("clusters: [unclosed") }), "NotYaml", "the value is not valid YAML"],
  ])("reports %s with the kubeconfig problem as reason and what to do", (_what, s, reason, text) => {
    const credentials = credentialsFrom(source(s), clusterName("east-1"), {});
    expect(credentials).toMatchObject({ ok: false, reason });
    expect(credentials.ok ? "" : credentials.message).toContain(text);
    expect(credentials.ok ? "" : credentials.message).toContain("`meridian cluster register east-1` stores working credentials");
  });

  it("refuses a Secret outside the watched namespace", () => {
    const credentials = credentialsFrom(source(undefined, { ref: { ...ref, namespace: "team-a" } }), clusterName("east-1"), {});
    expect(credentials).toMatchObject({ ok: false, reason: "SecretOutsideNamespace" });
  });

  it("never puts secret material in messages or fingerprints", () => {
    const s = secret({ kubeconfig: base64(kubeconfig("https://10.0.0.1:6443", "very-secret-token").replace("users:", "users:\n  - [")) });
    const credentials = credentialsFrom(source(s), clusterName("east-1"), {});
    expect(JSON.stringify(credentials)).not.toContain("very-secret-token");
    expect(credentialFingerprint(source(s))).toMatch(/^[0-9a-f]{64}$/);
  });

  it("fingerprints the Secret's content: same content, same fingerprint", () => {
    const a = source(secret({ kubeconfig: base64("x") }));
    expect(credentialFingerprint(a)).toBe(credentialFingerprint(source(secret({ kubeconfig: base64("x") }))));
    expect(credentialFingerprint(a)).not.toBe(credentialFingerprint(source(secret({ kubeconfig: base64("y") }))));
    expect(credentialFingerprint(source(undefined))).not.toBe(credentialFingerprint(source(secret({}))));
  });
});
