// A planner problem as a core/v1 Event on the object it concerns. The name is deterministic (the
// object's name and a hash of its uid, the code and the message), so the same problem on the same
// object is the same Event: creating it again, after a restart, is an AlreadyExists and nothing more.
// Pure; the clock is an argument.
import { createHash } from "node:crypto";

import type { CoreV1Event } from "@kubernetes/client-node";

import { API_VERSION } from "../../crds/index.js";
import type { StatusKind } from "./object-status.js";

/** `source.component` and `reportingComponent` of every Event. */
export const EVENT_COMPONENT = "meridian";

/** Events' notes are limited to 1 kB by events.k8s.io; core/v1 is laxer, but kubectl shows them whole. */
const MAX_EVENT_MESSAGE = 1024;
/** Object names are DNS subdomains (253 characters); `.` and 16 hex digits follow. */
const MAX_NAME_PREFIX = 253 - 17;

export interface EventTarget {
  readonly kind: StatusKind | "FailoverDrill";
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
}

/** `<object name>.<16 hex digits>`, a valid DNS subdomain. */
export function problemEventName(target: EventTarget, problem: { readonly code: string; readonly message: string }): string {
  const hash = createHash("sha256").update([target.kind, target.namespace, target.name, target.uid, problem.code, problem.message].join("\u0000")).digest("hex").slice(0, 16);
  const prefix = target.name.slice(0, MAX_NAME_PREFIX).replace(/[.-]+$/, "");
  return `${prefix}.${hash}`;
}

export function problemEvent(target: EventTarget, problem: { readonly code: string; readonly message: string }, now: Date): CoreV1Event {
  return {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: problemEventName(target, problem), namespace: target.namespace },
    involvedObject: { apiVersion: API_VERSION, kind: target.kind, namespace: target.namespace, name: target.name, uid: target.uid },
    type: "Warning",
    reason: problem.code,
    message: problem.message.length > MAX_EVENT_MESSAGE ? `${problem.message.slice(0, MAX_EVENT_MESSAGE - 1)}…` : problem.message,
    source: { component: EVENT_COMPONENT },
    reportingComponent: EVENT_COMPONENT,
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
  };
}
