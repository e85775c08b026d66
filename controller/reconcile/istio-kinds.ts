// The Istio kinds the reconciler reads and writes, and how to address them with CustomObjectsApi.
import { ApiException } from "@kubernetes/client-node";

export const ISTIO_GROUP = "networking.istio.io";
export const ISTIO_VERSION = "v1";

export const PLURALS: Readonly<Record<string, string>> = {
  ServiceEntry: "serviceentries",
  DestinationRule: "destinationrules",
};

export const RECONCILED_KINDS = Object.keys(PLURALS);

export function pluralOf(kind: string): string {
  const plural = PLURALS[kind];
  if (plural === undefined) throw new TypeError(`The reconciler does not write ${kind} objects`);
  return plural;
}

/** The HTTP status of a failed API call, or undefined for any other error. */
export function apiStatusOf(err: unknown): number | undefined {
  return err instanceof ApiException ? err.code : undefined;
}
