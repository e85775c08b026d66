import { describe, expect, test } from "vitest";

import { DNS1123_SUBDOMAIN_PATTERN } from "../../crds/index.js";
import { problemEvent, problemEventName } from "./problem-event.js";

const target = { kind: "ServiceDependency" as const, namespace: "apps", name: "checkout", uid: "0b5e-11" };
const problem = { code: "UnknownDestination" as const, message: "ServiceDependency apps/checkout: field spec.destinations names identity ghost" };

describe("problem events", () => {
  test("the name is the object's name and a hash of the object, its uid, the code and the message", () => {
    const name = problemEventName(target, problem);
    expect(name).toMatch(/^checkout\.[0-9a-f]{16}$/);
    expect(problemEventName(target, problem)).toBe(name);
    expect(problemEventName({ ...target, uid: "other" }, problem)).not.toBe(name);
    expect(problemEventName(target, { ...problem, message: "else" })).not.toBe(name);
    expect(problemEventName({ ...target, kind: "TrafficPolicy" }, problem)).not.toBe(name);
  });

  test("a long object name is cut so the Event's name is a valid DNS subdomain", () => {
    const name = problemEventName({ ...target, name: `${"a".repeat(235)}-b` }, problem);
    expect(name.length).toBeLessThanOrEqual(253);
    expect(name).toMatch(new RegExp(DNS1123_SUBDOMAIN_PATTERN));
    expect(name).not.toMatch(/[-.]\.[0-9a-f]{16}$/);
  });

  test("a Warning on the object, from meridian, with the problem's code and message", () => {
    const now = new Date("2026-05-01T12:00:00Z");
    expect(problemEvent(target, problem, now)).toEqual({
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: problemEventName(target, problem), namespace: "apps" },
      involvedObject: { apiVersion: "meridian.dev/v1alpha1", kind: "ServiceDependency", namespace: "apps", name: "checkout", uid: "0b5e-11" },
      type: "Warning",
      reason: "UnknownDestination",
      message: problem.message,
      source: { component: "meridian" },
      reportingComponent: "meridian",
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    });
    expect(problemEvent(target, { ...problem, message: "x".repeat(5000) }, now).message).toHaveLength(1024);
  });
});
