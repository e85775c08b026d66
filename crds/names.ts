// Names every layer agrees on, spelled once: the labels and field manager on everything Meridian
// writes, and its namespaces.

/** Label on every object Meridian writes; Meridian never changes or deletes an object without it. */
export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
export const MANAGED_BY_VALUE = "meridian";
/** Label naming the identity a generated object belongs to. */
export const IDENTITY_LABEL = "meridian.dev/identity";
/** Server-side apply field manager for every write the controller and registration make. */
export const FIELD_MANAGER = "meridian";
/** Namespace of the member's ServiceAccount, and of the home cluster's member Secrets. */
export const MERIDIAN_NAMESPACE = "meridian-system";
/** Namespace of the member where Meridian writes ServiceEntries and DestinationRules (the default). */
export const SYNC_NAMESPACE = "meridian-sync";
