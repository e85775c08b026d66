import type { V1Deployment, V1Service } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";

import { DEFAULT_IDENTITY_OPTIONS, deriveEnv, resolveIdentity, selectorMatches } from "./identity.js";
import type { IdentityOptions, KindedController, PodController } from "./identity.js";

type Labels = Record<string, string>;

function service(name: string, selector: Labels | undefined, meta: { labels?: Labels; annotations?: Labels } = {}): V1Service {
  return { metadata: { name, namespace: "shop", ...meta }, spec: selector === undefined ? {} : { selector } };
}

interface ControllerParts {
  name?: string;
  namespace?: string;
  podLabels?: Labels;
  podAnnotations?: Labels;
  labels?: Labels;
  annotations?: Labels;
}

function deployment(parts: ControllerParts): KindedController {
  const object: V1Deployment = {
    metadata: { name: parts.name ?? "payments", namespace: parts.namespace ?? "shop", labels: parts.labels, annotations: parts.annotations },
    spec: {
      selector: { matchLabels: { app: "payments" } },
      template: { metadata: { labels: { app: "payments", ...parts.podLabels }, annotations: parts.podAnnotations } },
    },
  };
  return { kind: "Deployment", object };
}

function rollout(parts: ControllerParts): KindedController {
  const object: PodController = {
    metadata: { name: parts.name ?? "payments", namespace: "shop" },
    spec: { selector: { matchLabels: { app: "payments" } }, template: { metadata: { labels: { app: "payments", ...parts.podLabels } } } },
  };
  return { kind: "Rollout", object };
}

const selectsPayments = { app: "payments" };

describe("selectorMatches", () => {
  it("needs every selector pair among the labels", () => {
    expect(selectorMatches({ app: "a" }, { app: "a", tier: "x" })).toBe(true);
    expect(selectorMatches({ app: "a", tier: "y" }, { app: "a", tier: "x" })).toBe(false);
    expect(selectorMatches({ app: "a" }, undefined)).toBe(false);
  });

  it("selects nothing with an empty or missing selector (Kubernetes: a Service without selector has manual endpoints)", () => {
    expect(selectorMatches({}, { app: "a" })).toBe(false);
    expect(selectorMatches(undefined, { app: "a" })).toBe(false);
  });
});

describe("resolveIdentity", () => {
  it("takes the identity from the pod template of a selected Deployment", () => {
    const result = resolveIdentity(service("payments", selectsPayments), [deployment({ podLabels: { identity: "payments" } })]);
    expect(result).toEqual({ kind: "resolved", identity: "payments", env: "default", source: "Deployment shop/payments" });
  });

  it("takes the identity from an Argo Rollout", () => {
    const result = resolveIdentity(service("payments", selectsPayments), [rollout({ podLabels: { identity: "payments" } })]);
    expect(result).toMatchObject({ kind: "resolved", identity: "payments", source: "Rollout shop/payments" });
  });

  it("prefers the pod template label to the Service's own label", () => {
    const svc = service("payments", selectsPayments, { labels: { identity: "from-service" } });
    const result = resolveIdentity(svc, [deployment({ podLabels: { identity: "from-pods" } })]);
    expect(result).toMatchObject({ kind: "resolved", identity: "from-pods" });
  });

  it("ignores the identity label on the Deployment object itself (only the pod template counts)", () => {
    const result = resolveIdentity(service("payments", selectsPayments), [deployment({ labels: { identity: "payments" } })]);
    expect(result).toEqual({ kind: "none" });
  });

  it("falls back to the Service's label when no selected workload carries one", () => {
    const svc = service("payments", selectsPayments, { labels: { identity: "payments" } });
    expect(resolveIdentity(svc, [])).toEqual({ kind: "resolved", identity: "payments", env: "default", source: "Service shop/payments" });
    const withDeployment = resolveIdentity(svc, [deployment({ podLabels: { env: "prod" } })]);
    expect(withDeployment).toEqual({ kind: "resolved", identity: "payments", env: "prod", source: "Service shop/payments via Deployment shop/payments" });
  });

  it("uses the Service's label for a Service without selector", () => {
    const svc = service("legacy", undefined, { labels: { identity: "legacy", env: "qa" } });
    expect(resolveIdentity(svc, [deployment({ podLabels: { identity: "payments" } })])).toMatchObject({ identity: "legacy", env: "qa" });
  });

  it("does not select Deployments of another namespace or with other labels", () => {
    const svc = service("payments", selectsPayments);
    const elsewhere = deployment({ namespace: "other", podLabels: { identity: "payments" } });
    const unselected = deployment({ podLabels: { app: "inventory", identity: "inventory" } });
    expect(resolveIdentity(svc, [elsewhere, unselected])).toEqual({ kind: "none" });
  });

  it("treats an empty label value as absent", () => {
    const svc = service("payments", selectsPayments, { labels: { identity: "svc" } });
    expect(resolveIdentity(svc, [deployment({ podLabels: { identity: "" } })])).toMatchObject({ identity: "svc" });
  });

  it("accepts a canary and a stable Deployment that agree", () => {
    const stable = deployment({ name: "payments", podLabels: { identity: "payments" } });
    const canary = deployment({ name: "payments-canary", podLabels: { identity: "payments", track: "canary" } });
    expect(resolveIdentity(service("payments", selectsPayments), [stable, canary])).toMatchObject({ kind: "resolved", identity: "payments" });
  });

  it("reports selected workloads that disagree, naming each", () => {
    const a = deployment({ name: "a", podLabels: { identity: "alpha" } });
    const b = rollout({ name: "b", podLabels: { identity: "beta" } });
    const result = resolveIdentity(service("payments", selectsPayments), [b, a]);
    expect(result).toEqual({
      kind: "invalid",
      reason: "selected workloads disagree on identity/env: Deployment shop/a gives alpha/default; Rollout shop/b gives beta/default",
    });
  });

  it("reports an identity that is not a DNS-1123 label", () => {
    const result = resolveIdentity(service("payments", selectsPayments), [deployment({ podLabels: { identity: "Payments.API" } })]);
    expect(result).toEqual({
      kind: "invalid",
      reason: expect.stringMatching(/^identity "Payments.API" \(label identity on Deployment shop\/payments\) must be a DNS-1123 label/),
    });
  });

  it("reports an env that is not a DNS-1123 label", () => {
    const result = resolveIdentity(service("payments", selectsPayments), [deployment({ podLabels: { identity: "payments", env: "x".repeat(64) } })]);
    expect(result).toEqual({ kind: "invalid", reason: expect.stringContaining("at most 63 characters") });
  });

  it("honours configured label and annotation names", () => {
    const options: IdentityOptions = { identityLabel: "example.com/id", envAnnotation: "example.com/env", envLabels: ["stage"], defaultEnv: "main" };
    const d = deployment({ podLabels: { "example.com/id": "payments", identity: "ignored", env: "ignored" } });
    expect(resolveIdentity(service("payments", selectsPayments), [d], options)).toMatchObject({ identity: "payments", env: "main" });
  });
});

describe("deriveEnv precedence", () => {
  const options = DEFAULT_IDENTITY_OPTIONS;
  const full = {
    template: { annotations: { "admiral.io/env": "t-ann" }, labels: { "admiral.io/env": "t-admiral", env: "t-env" } },
    object: { annotations: { "admiral.io/env": "o-ann" }, labels: { "admiral.io/env": "o-admiral", env: "o-env" } },
  };

  it("pod template annotation first", () => {
    expect(deriveEnv([full.template, full.object], options)).toBe("t-ann");
  });

  it("then the object's annotation", () => {
    expect(deriveEnv([{ labels: full.template.labels }, full.object], options)).toBe("o-ann");
  });

  it("then the admiral.io/env label (pod template, then object)", () => {
    expect(deriveEnv([{ labels: full.template.labels }, { labels: full.object.labels }], options)).toBe("t-admiral");
    expect(deriveEnv([{ labels: { env: "t-env" } }, { labels: full.object.labels }], options)).toBe("o-admiral");
  });

  it("then the env label, then the default", () => {
    expect(deriveEnv([{ labels: { env: "t-env" } }, { labels: { env: "o-env" } }], options)).toBe("t-env");
    expect(deriveEnv([undefined, {}], options)).toBe("default");
  });

  it("an annotation anywhere beats a label anywhere", () => {
    expect(deriveEnv([{ labels: { env: "label" } }, undefined, { annotations: { "admiral.io/env": "annotation" } }], options)).toBe("annotation");
  });
});
