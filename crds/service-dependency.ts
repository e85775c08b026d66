// ServiceDependency: a source identity and the identities it calls. Mirrors
// crds/meridian.dev_servicedependencies.yaml.
import { z } from "zod";
import { ObjectMetaSchema, boundedString, conditionList, count, dnsLabel, pruneNulls } from "./common.js";
import { API_VERSION } from "./group-version.js";
import { celIssue, parserFor } from "./parse.js";

/** The destination identity that stands for every identity. */
export const WILDCARD_IDENTITY = "*";
export const MAX_DESTINATIONS = 256;

export const SERVICE_DEPENDENCY_RULES = {
  wildcardAlone: 'an entry with identity "*" must be the only entry',
  uniquePairs: "destinations must not repeat an (identity, env) pair",
} as const;

export const SERVICE_DEPENDENCY_CONDITIONS = ["Resolved", "Synced"] as const;
export type ServiceDependencyConditionType = (typeof SERVICE_DEPENDENCY_CONDITIONS)[number];

const DESTINATION_IDENTITY_PATTERN = /^(\*|[a-z0-9]([-a-z0-9]*[a-z0-9])?)$/;

const DestinationSchema = z.object({
  identity: boundedString(63).regex(DESTINATION_IDENTITY_PATTERN),
  env: dnsLabel().optional(),
});
export type Destination = z.infer<typeof DestinationSchema>;

function checkDestinations(destinations: Destination[], ctx: z.RefinementCtx): void {
  // CEL: !self.exists(d, d.identity == '*') || size(self) == 1
  if (destinations.some((d) => d.identity === WILDCARD_IDENTITY) && destinations.length !== 1) {
    celIssue(ctx, SERVICE_DEPENDENCY_RULES.wildcardAlone);
  }
  // CEL: self.all(a, self.exists_one(b, b.identity == a.identity && (has(b.env) ? b.env : '') == (has(a.env) ? a.env : '')))
  const pairs = new Set(destinations.map((d) => JSON.stringify([d.identity, d.env ?? ""])));
  if (pairs.size !== destinations.length) celIssue(ctx, SERVICE_DEPENDENCY_RULES.uniquePairs);
}

export const ServiceDependencySpecSchema = z.object({
  source: z.object({ identity: dnsLabel(), env: dnsLabel().optional() }),
  destinations: z.array(DestinationSchema).min(1).max(MAX_DESTINATIONS).superRefine(checkDestinations),
});

const IdentityEnvSchema = z.object({ identity: boundedString(63), env: boundedString(63) });

export const ServiceDependencyStatusSchema = z.object({
  observedGeneration: count().optional(),
  conditions: conditionList().optional(),
  resolved: z.array(IdentityEnvSchema).max(1024).optional(),
  unresolved: z
    .array(z.object({ identity: boundedString(63), env: boundedString(63).optional(), reason: boundedString(1024) }))
    .max(1024)
    .optional(),
  clustersWritten: count().optional(),
});

export const ServiceDependencySchema = z.preprocess(
  (obj) => pruneNulls(obj),
  z.object({
    apiVersion: z.literal(API_VERSION),
    kind: z.literal("ServiceDependency"),
    metadata: ObjectMetaSchema,
    spec: ServiceDependencySpecSchema,
    status: ServiceDependencyStatusSchema.optional(),
  }),
);

export type ServiceDependency = z.infer<typeof ServiceDependencySchema>;
export type ServiceDependencySpec = z.infer<typeof ServiceDependencySpecSchema>;
export type ServiceDependencyStatus = z.infer<typeof ServiceDependencyStatusSchema>;

/** Validates a ServiceDependency. */
export const parseServiceDependency = parserFor(ServiceDependencySchema);

/** True when the dependency says "calls everything". */
export function isWildcardDependency(spec: ServiceDependencySpec): boolean {
  return spec.destinations.some((d) => d.identity === WILDCARD_IDENTITY);
}
