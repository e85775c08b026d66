// Port protocol from the Service port name, as Istio's explicit protocol selection reads it:
// `<protocol>` or `<protocol>-<suffix>`. Anything else is TCP (see the README's decision note).
import type { IstioProtocol } from "../../crds/istio.js";

const BY_PREFIX: ReadonlyMap<string, IstioProtocol> = new Map([
  ["http", "HTTP"],
  ["http2", "HTTP2"],
  ["grpc", "GRPC"],
  ["grpc-web", "GRPC-WEB"],
  ["https", "HTTPS"],
  ["tls", "TLS"],
  ["tcp", "TCP"],
  ["mongo", "MONGO"],
  ["mysql", "MYSQL"],
  ["redis", "REDIS"],
]);

export function protocolOfPortName(portName: string): IstioProtocol {
  const name = portName.toLowerCase();
  if (name === "grpc-web" || name.startsWith("grpc-web-")) return "GRPC-WEB";
  const dash = name.indexOf("-");
  const prefix = dash < 0 ? name : name.slice(0, dash);
  return BY_PREFIX.get(prefix) ?? "TCP";
}
