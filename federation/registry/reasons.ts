// Every reason a MeshCluster condition can carry. The kubeconfig problems of federation/kubeconfig.ts
// (SecretNotFound, KeyMissing, NotBase64, NotYaml, …) are CredentialsValid reasons as they are.

export const REASONS = Object.freeze({
  // Any condition
  InvalidSpec: "InvalidSpec",
  // Connected
  Connected: "Connected",
  Unreachable: "Unreachable",
  TLSHandshakeFailed: "TLSHandshakeFailed",
  NoCredentials: "NoCredentials",
  Connecting: "Connecting",
  // CredentialsValid (besides the kubeconfig problems)
  Authenticated: "Authenticated",
  Unauthorized: "Unauthorized",
  ServerCertificateUntrusted: "ServerCertificateUntrusted",
  SecretOutsideNamespace: "SecretOutsideNamespace",
  // CredentialsValid, PermissionsVerified
  NotChecked: "NotChecked",
  // PermissionsVerified
  Verified: "Verified",
  PermissionDenied: "PermissionDenied",
  CheckFailed: "CheckFailed",
  // Synced
  Synced: "Synced",
  NotStarted: "NotStarted",
  Syncing: "Syncing",
  WatchFailed: "WatchFailed",
} as const);
