// The Istio objects Meridian writes into member clusters: only the fields it sets.
// Field names follow networking.istio.io/v1 (istio.io/api, networking/v1alpha3 protos).

export const ISTIO_NETWORKING_API_VERSION = "networking.istio.io/v1";

export interface ObjectMeta {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
}

/** Istio's port protocols, derived from the Service port name prefix. */
export type IstioProtocol = "HTTP" | "HTTP2" | "GRPC" | "GRPC-WEB" | "HTTPS" | "TLS" | "TCP" | "MONGO" | "MYSQL" | "REDIS";

export interface ServiceEntryPort {
  number: number;
  protocol: IstioProtocol;
  name: string;
}

/** One endpoint of a ServiceEntry (Istio's WorkloadEntry shape). */
export interface ServiceEntryEndpoint {
  address: string;
  /** Port name → port number on this endpoint. */
  ports: Record<string, number>;
  labels: Record<string, string>;
  network?: string;
  /** `region/zone`; absent on the endpoints of a Failover-mode host (see controller/core/endpoints.ts). */
  locality?: string;
}

export interface ServiceEntrySpec {
  hosts: string[];
  /** Empty by default: Istio's DNS proxy allocates addresses. */
  addresses?: string[];
  ports: ServiceEntryPort[];
  location: "MESH_INTERNAL";
  resolution: "DNS";
  endpoints: ServiceEntryEndpoint[];
  exportTo?: string[];
}

export interface ServiceEntry {
  apiVersion: typeof ISTIO_NETWORKING_API_VERSION;
  kind: "ServiceEntry";
  metadata: ObjectMeta;
  spec: ServiceEntrySpec;
}

export interface OutlierDetection {
  consecutive5xxErrors?: number;
  consecutiveGatewayErrors?: number;
  /** Duration, e.g. `10s`. */
  interval: string;
  baseEjectionTime: string;
  maxEjectionPercent: number;
  minHealthPercent?: number;
}

export interface LocalityFailover {
  from: string;
  to: string;
}

export interface LocalityDistribute {
  from: string;
  /** Locality pattern (`region/*`) → weight; weights sum to 100. */
  to: Record<string, number>;
}

export interface LocalityLbSetting {
  enabled: boolean;
  failover?: LocalityFailover[];
  failoverPriority?: string[];
  distribute?: LocalityDistribute[];
}

export interface DestinationRuleSpec {
  host: string;
  exportTo?: string[];
  trafficPolicy: {
    tls: { mode: "ISTIO_MUTUAL" };
    outlierDetection: OutlierDetection;
    loadBalancer: {
      simple?: "ROUND_ROBIN" | "LEAST_REQUEST";
      localityLbSetting: LocalityLbSetting;
    };
  };
}

export interface DestinationRule {
  apiVersion: typeof ISTIO_NETWORKING_API_VERSION;
  kind: "DestinationRule";
  metadata: ObjectMeta;
  spec: DestinationRuleSpec;
}

export type GeneratedObject = ServiceEntry | DestinationRule;
