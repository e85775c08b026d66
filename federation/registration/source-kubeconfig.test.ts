import { KubeConfig } from "@kubernetes/client-node";
import { parse, stringify } from "yaml";
import { describe, expect, it } from "vitest";

import { clusterName } from "../graph-model.js";
import { RegistrationError } from "./errors.js";
import { caDataOf, givenCredentialsKubeconfig, selectContext } from "./source-kubeconfig.js";

const CA = Buffer.from("-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n").toString("base64");
const files: Record<string, string> = { "/pki/ca.crt": "ca-pem", "/pki/client.crt": "cert-pem", "/pki/client.key": "key-pem" };
const readFile = (path: string): Buffer => {
  const content = files[path];
  if (content === undefined) throw Object.assign(new Error("nope"), { code: "ENOENT" });
  return Buffer.from(content);
};

function load(user: object, cluster: object = { server: "https://a:6443", "certificate-authority-data": CA }, current = "a"): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(
    stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "a", cluster }],
      users: [{ name: "admin", user }],
      contexts: [
        { name: "a", context: { cluster: "a", user: "admin" } },
        { name: "b", context: { cluster: "a", user: "admin" } },
      ],
      "current-context": current,
    }),
  );
  return kc;
}

function failure(run: () => unknown): RegistrationError {
  try {
    run();
  } catch (err) {
    if (err instanceof RegistrationError) return err;
    throw err;
  }
  throw new Error("expected a RegistrationError");
}

describe("selectContext", () => {
  it("selects the named context, or the current one", () => {
    const kc = load({ token: "t" });
    expect(selectContext(kc, "b", "f.yaml")).toBe("b");
    expect(kc.getCurrentContext()).toBe("b");
    expect(selectContext(load({ token: "t" }), undefined, "f.yaml")).toBe("a");
  });

  it("names the file and the available contexts when the context does not exist", () => {
    const err = failure(() => selectContext(load({ token: "t" }), "x", "/home/me/kc.yaml"));
    expect(err.kind).toBe("usage");
    expect(err.message).toBe('context "x" not found in /home/me/kc.yaml; available: a, b');
  });
});

describe("caDataOf", () => {
  it("embedded, read from a file, or none", () => {
    expect(caDataOf(load({ token: "t" }), readFile)).toBe(CA);
    expect(caDataOf(load({ token: "t" }, { server: "https://a:6443", "certificate-authority": "/pki/ca.crt" }), readFile)).toBe(Buffer.from("ca-pem").toString("base64"));
    expect(caDataOf(load({ token: "t" }, { server: "https://a:6443" }), readFile)).toBeUndefined();
  });

  it("refuses a cluster that skips TLS verification", () => {
    const err = failure(() => caDataOf(load({ token: "t" }, { server: "https://a:6443", "insecure-skip-tls-verify": true }), readFile));
    expect(err.message).toContain("skips TLS verification");
  });
});

describe("givenCredentialsKubeconfig", () => {
  const east = clusterName("east");

  it("flattens the context to one entry named meridian-<cluster>, token kept", () => {
    const stored = parse(givenCredentialsKubeconfig(load({ token: "t0k" }), east, readFile));
    expect(stored).toEqual({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "meridian-east", cluster: { server: "https://a:6443", "certificate-authority-data": CA } }],
      users: [{ name: "meridian-east", user: { token: "t0k" } }],
      contexts: [{ name: "meridian-east", context: { cluster: "meridian-east", user: "meridian-east" } }],
      "current-context": "meridian-east",
    });
  });

  it("embeds client certificate files", () => {
    const stored = parse(givenCredentialsKubeconfig(load({ "client-certificate": "/pki/client.crt", "client-key": "/pki/client.key" }), east, readFile));
    expect(stored.users[0].user).toEqual({
      "client-certificate-data": Buffer.from("cert-pem").toString("base64"),
      "client-key-data": Buffer.from("key-pem").toString("base64"),
    });
  });

  it("refuses exec plugins and unreadable files with a usage error", () => {
    const exec = { exec: { apiVersion: "client.authentication.k8s.io/v1", command: "aws", args: ["eks", "get-token"] } };
    expect(failure(() => givenCredentialsKubeconfig(load(exec), east, readFile)).message).toContain('user "admin" uses an exec plugin');
    const missing = { "client-certificate": "/pki/missing.crt", "client-key": "/pki/client.key" };
    expect(failure(() => givenCredentialsKubeconfig(load(missing), east, readFile)).message).toBe("cannot read client-certificate file /pki/missing.crt (ENOENT)");
  });
});
