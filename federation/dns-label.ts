// DNS-1123 labels: the shape of every identity, env, region, zone and cluster name (CRD contract).
// The pattern is the CRDs' own; this file adds the reason a value fails it.

import { DNS1123_LABEL_PATTERN } from "../crds/common.js";

export const DNS_1123_LABEL_MAX_LENGTH = 63;

/** Why `value` is not a DNS-1123 label, or undefined when it is one. */
export function dnsLabelProblem(value: string): string | undefined {
  if (value.length === 0) {
    return "must not be empty";
  }
  if (value.length > DNS_1123_LABEL_MAX_LENGTH) {
    return `must be at most ${DNS_1123_LABEL_MAX_LENGTH} characters (has ${value.length})`;
  }
  if (!DNS1123_LABEL_PATTERN.test(value)) {
    return "must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit";
  }
  return undefined;
}

export function isDnsLabel(value: string): boolean {
  return dnsLabelProblem(value) === undefined;
}
