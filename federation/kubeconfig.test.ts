import type { V1Secret } from "@kubernetes/client-node";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";

import { clusterName } from "./graph-model.js";
import { InvalidKubeconfigError, kubeConfigFromSecret, memberCredentialName, tokenKubeconfig } from "./kubeconfig.js";
import type { KubeconfigCheckOptions, KubeconfigProblem } from "./kubeconfig.js";

const TOKEN = "s3cr3t-t0ken-value";
const CA = Buffer.from("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n").toString("base64");
const east = clusterName("east-1");
const ref = { namespace: "meridian-system", name: "east-1-kubeconfig", key: "kubeconfig" };
const prefix = 'Kubeconfig in Secret meridian-system/east-1-kubeconfig, key "kubeconfig": ';

function secretOf(text: string, key = "kubeconfig"): V1Secret {
  return { metadata: { name: ref.name, namespace: ref.namespace }, data: { [key]: Buffer.from(text).toString("base64") } };
}

function config(overrides: { user?: object; cluster?: object; context?: object; current?: string | null } = {}): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      { name: "other", cluster: { server: "https://other.example:6443" } },
      { name: "prod", cluster: { server: "https://prod.example:6443/", "certificate-authority-data": CA, ...overrides.cluster } },
    ],
    users: [
      { name: "admin", user: { token: TOKEN, ...overrides.user } },
      { name: "someone-else", user: { token: "another-token" } },
    ],
    contexts: [{ name: "prod", context: { cluster: "prod", user: "admin", namespace: "shop", ...overrides.context } }],
    ...(overrides.current === null ? {} : { "current-context": overrides.current ?? "prod" }),
  });
}

function failure(secret: V1Secret | undefined, options: KubeconfigCheckOptions = {}): InvalidKubeconfigError {
  try {
    kubeConfigFromSecret(secret, ref, east, options);
  } catch (err) {
    if (err instanceof InvalidKubeconfigError) {
      return err;
    }
    throw err;
  }
  throw new Error("expected an InvalidKubeconfigError");
}

function expectFailure(secret: V1Secret | undefined, reason: KubeconfigProblem, why: string, options: KubeconfigCheckOptions = {}): void {
  const err = failure(secret, options);
  expect(err.reason).toBe(reason);
  expect(err.secretRef).toEqual(ref);
  expect(err.message).toBe(prefix + why);
  expect(err.message).not.toContain(TOKEN);
  expect(err.message).not.toContain(CA);
}

describe("kubeConfigFromSecret", () => {
  it("keeps only the current context, renamed after the member cluster", () => {
    const kc = kubeConfigFromSecret(secretOf(config()), ref, east);
    const name = memberCredentialName(east);
    expect(name).toBe("meridian-east-1");
    expect(kc.getCurrentContext()).toBe(name);
    expect(kc.getContexts()).toEqual([{ name, cluster: name, user: name, namespace: "shop" }]);
    expect(kc.getClusters()).toMatchObject([{ name, server: "https://prod.example:6443", caData: CA, skipTLSVerify: false }]);
    expect(kc.getUsers()).toHaveLength(1);
    expect(kc.getCurrentUser()).toMatchObject({ name, token: TOKEN });
  });

  it("gives two members whose kubeconfigs share a user name distinct user names", () => {
    const west = clusterName("west-1");
    const a = kubeConfigFromSecret(secretOf(config()), ref, east);
    const b = kubeConfigFromSecret(secretOf(config({ user: { token: "other" } })), ref, west);
    expect(a.getCurrentUser()?.name).toBe("meridian-east-1");
    expect(b.getCurrentUser()?.name).toBe("meridian-west-1");
    expect(b.getCurrentUser()?.token).toBe("other");
  });

  it("accepts client certificates, basic auth, and exec when allowed", () => {
    const cert = { token: undefined, "client-certificate-data": CA, "client-key-data": CA };
    expect(kubeConfigFromSecret(secretOf(config({ user: cert })), ref, east).getCurrentUser()).toMatchObject({ certData: CA, keyData: CA });
    const basic = { token: undefined, username: "u", password: "p" };
    expect(kubeConfigFromSecret(secretOf(config({ user: basic })), ref, east).getCurrentUser()).toMatchObject({ username: "u" });
    const exec = { token: undefined, exec: { apiVersion: "client.authentication.k8s.io/v1", command: "get-token" } };
    expect(kubeConfigFromSecret(secretOf(config({ user: exec })), ref, east, { allowExec: true }).getCurrentUser()?.exec).toMatchObject({ command: "get-token" });
  });

  it("resolves YAML anchors and merge keys before checking, so a merged token-file is still refused", () => {
    const text = [
      "clusters: [{ name: c, cluster: { server: 'https://c.example' } }]",
      "base: &base { token-file: /var/run/secrets/kubernetes.io/serviceaccount/token }",
      "users: [{ name: u, user: { <<: *base } }]",
      "contexts: [{ name: x, context: { cluster: c, user: u } }]",
      "current-context: x",
    ].join("\n");
    expectFailure(secretOf(text), "FileReference", 'user "u" reads token-file from a file; embed token instead');
  });

  it("reads merged credentials like kubectl does", () => {
    const text = [
      "clusters: [{ name: c, cluster: { server: 'https://c.example' } }]",
      `base: &base { token: ${TOKEN} }`,
      "users: [{ name: u, user: { <<: *base } }]",
      "contexts: [{ name: x, context: { cluster: c, user: u } }]",
      "current-context: x",
    ].join("\n");
    expect(kubeConfigFromSecret(secretOf(text), ref, east).getCurrentUser()?.token).toBe(TOKEN);
  });

  describe("errors name the Secret, the key and why, never secret material", () => {
    it("Secret missing", () => expectFailure(undefined, "SecretNotFound", "the Secret does not exist"));

    it("key missing, listing the keys present", () => {
      expectFailure(secretOf(config(), "config"), "KeyMissing", "the key is missing or empty (keys present: config)");
      expectFailure({ metadata: {} }, "KeyMissing", "the key is missing or empty (the Secret has no data)");
      expectFailure({ data: { kubeconfig: "" } }, "KeyMissing", "the key is missing or empty (keys present: kubeconfig)");
    });

    it("not base64", () => expectFailure({ data: { kubeconfig: "not base64!" } }, "NotBase64", "the value is not base64"));

    it("not UTF-8", () => expectFailure({ data: { kubeconfig: Buffer.from([0xff, 0xfe, 0xfd]).toString("base64") } }, "NotYaml", "the value is not UTF-8 text"));

    it("not YAML: the code and line, not the offending text", () => {
      const err = failure(secretOf(`users:\n- name: admin\n  user: { token: ${TOKEN}\n`));
      expect(err.reason).toBe("NotYaml");
      expect(err.message).toMatch(/^Kubeconfig in Secret .*: the value is not valid YAML \([A-Z_]+ at line \d+\)$/);
      expect(err.message).not.toContain(TOKEN);
    });

    it("not a kubeconfig", () => {
      expectFailure(secretOf(TOKEN), "NotKubeconfig", "the value is not a kubeconfig (expected a mapping with clusters, contexts and users)");
    });

    it("no current context", () => expectFailure(secretOf(config({ current: null })), "NoCurrentContext", "current-context is not set"));

    it("current context not found", () => expectFailure(secretOf(config({ current: "staging" })), "ContextNotFound", 'current-context "staging" is not among contexts'));

    it("context naming a missing cluster, or none", () => {
      expectFailure(secretOf(config({ context: { cluster: "gone" } })), "ClusterNotFound", 'context "prod" names cluster "gone", which is not among clusters');
      expectFailure(secretOf(config({ context: { cluster: "" } })), "ClusterNotFound", 'context "prod" names no cluster');
    });

    it("context naming a missing user, or none", () => {
      expectFailure(secretOf(config({ context: { user: "ghost" } })), "UserNotFound", 'context "prod" names user "ghost", which is not among users');
      expectFailure(secretOf(config({ context: { user: undefined } })), "UserNotFound", 'context "prod" names no user');
    });

    it("no server, or not an http(s) URL", () => {
      expectFailure(secretOf(config({ cluster: { server: undefined } })), "NoServer", 'cluster "prod" has no server');
      expectFailure(secretOf(config({ cluster: { server: "ftp://prod.example" } })), "NoServer", 'cluster "prod" has a server that is not an http(s) URL');
    });

    it("files of the controller", () => {
      expectFailure(secretOf(config({ user: { "token-file": "/etc/hostname" } })), "FileReference", 'user "admin" reads token-file from a file; embed token instead');
      expectFailure(secretOf(config({ user: { "client-key": "/k.pem" } })), "FileReference", 'user "admin" reads client-key from a file; embed client-key-data instead');
      expectFailure(
        secretOf(config({ cluster: { "certificate-authority": "/ca.crt" } })),
        "FileReference",
        'cluster "prod" reads certificate-authority from a file; embed certificate-authority-data instead',
      );
    });

    it("exec and auth-provider unless allowed", () => {
      const exec = { exec: { command: "aws", args: ["eks", "get-token"] } };
      expectFailure(secretOf(config({ user: exec })), "UnsupportedAuth", 'user "admin" uses an exec plugin, which is not allowed (it would run a command in the controller)');
      const provider = { "auth-provider": { name: "oidc", config: { "id-token": TOKEN } } };
      expectFailure(secretOf(config({ user: provider })), "UnsupportedAuth", 'user "admin" uses an auth-provider, which is not allowed');
      expect(kubeConfigFromSecret(secretOf(config({ user: provider })), ref, east, { allowAuthProvider: true }).getCurrentUser()?.authProvider).toMatchObject({ name: "oidc" });
    });

    it("no credentials", () => {
      expectFailure(
        secretOf(config({ user: { token: undefined, "client-certificate-data": CA } })),
        "NoCredentials",
        'user "admin" has no credentials (token, client certificate and key, or username and password)',
      );
    });
  });
});

describe("tokenKubeconfig", () => {
  it("builds a kubeconfig that kubeConfigFromSecret reads back under the member's name", () => {
    const text = tokenKubeconfig({ cluster: east, server: "https://east.example:6443", token: TOKEN, caData: CA });
    const kc = kubeConfigFromSecret(secretOf(text), ref, east);
    expect(kc.getCurrentCluster()).toMatchObject({ name: "meridian-east-1", server: "https://east.example:6443", caData: CA });
    expect(kc.getCurrentUser()).toMatchObject({ name: "meridian-east-1", token: TOKEN });
  });

  it("omits the CA when none is given and never skips TLS verification", () => {
    const text = tokenKubeconfig({ cluster: east, server: "https://east.example", token: TOKEN });
    expect(text).not.toContain("certificate-authority");
    expect(text).not.toContain("insecure-skip-tls-verify");
  });

  it("refuses bad input without echoing the token", () => {
    const cases = [
      [{ server: "east.example" }, "server must be an http(s) URL"],
      [{ token: "" }, "token is empty"],
      [{ caData: "-----BEGIN" }, "caData must be base64"],
    ] as const;
    for (const [override, message] of cases) {
      const build = (): string => tokenKubeconfig({ cluster: east, server: "https://east.example", token: TOKEN, ...override });
      expect(build).toThrow(TypeError);
      expect(build).toThrow(`Token kubeconfig for cluster east-1: ${message}`);
      expect(build).not.toThrow(TOKEN);
    }
  });
});
