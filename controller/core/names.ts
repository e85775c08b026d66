// Global hosts, deterministic object names and ownership labels (rule 1).
import { fnv1a32Hex } from "./hash.js";

export const MAX_NAME_LENGTH = 63;
import { IDENTITY_LABEL, MANAGED_BY_LABEL, MANAGED_BY_VALUE } from "../../crds/names.js";

export { IDENTITY_LABEL, MANAGED_BY_LABEL, MANAGED_BY_VALUE };
export const ENV_LABEL = "meridian.dev/env";

/** `<env>.<identity>.<suffix>`, Admiral's global host. */
export function globalHost(identity: string, env: string, suffix: string): string {
  return `${env}.${identity}.${suffix}`;
}

export const serviceEntryName = (host: string): string => objectName(`${host}-se`);
export const destinationRuleName = (host: string): string => objectName(`${host}-dr`);

/**
 * `name` itself when it fits in 63 characters; otherwise its first characters (without a
 * trailing `.` or `-`) followed by `-` and 8 hex digits of the FNV-1a hash of the full name.
 */
export function objectName(name: string): string {
  if (name.length <= MAX_NAME_LENGTH) return name;
  const suffix = `-${fnv1a32Hex(name)}`;
  const prefix = name.slice(0, MAX_NAME_LENGTH - suffix.length).replace(/[.-]+$/, "");
  return `${prefix}${suffix}`;
}

/** The labels every generated object of one host carries, keys sorted. */
export function ownershipLabels(identity: string, env: string): Record<string, string> {
  return {
    [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
    [ENV_LABEL]: env,
    [IDENTITY_LABEL]: identity,
  };
}
