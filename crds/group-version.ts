// The one place that spells Meridian's API group, version, kinds and plurals.

export const GROUP = "meridian.dev";
export const VERSION = "v1alpha1";
export const API_VERSION = `${GROUP}/${VERSION}` as const;

/** Every Meridian custom resource: its kind, plural, short name and scope. */
export const RESOURCES = {
  MeshCluster: { kind: "MeshCluster", plural: "meshclusters", singular: "meshcluster", shortName: "mc", namespaced: false },
  ServiceDependency: {
    kind: "ServiceDependency",
    plural: "servicedependencies",
    singular: "servicedependency",
    shortName: "sdep",
    namespaced: true,
  },
  TrafficPolicy: { kind: "TrafficPolicy", plural: "trafficpolicies", singular: "trafficpolicy", shortName: "tp", namespaced: true },
  FailoverDrill: { kind: "FailoverDrill", plural: "failoverdrills", singular: "failoverdrill", shortName: "drill", namespaced: true },
} as const;

export type Kind = keyof typeof RESOURCES;
export type Plural = (typeof RESOURCES)[Kind]["plural"];

export const KINDS = Object.keys(RESOURCES) as Kind[];
export const PLURALS: readonly Plural[] = KINDS.map((kind) => RESOURCES[kind].plural);

/** The CustomResourceDefinition's name, e.g. `meshclusters.meridian.dev`. */
export function crdName(plural: Plural): string {
  return `${plural}.${GROUP}`;
}

/** The kind that has this plural. */
export function kindOf(plural: Plural): Kind {
  const kind = KINDS.find((k) => RESOURCES[k].plural === plural);
  if (kind === undefined) throw new Error(`Unknown plural ${plural}`);
  return kind;
}
