import { describe, expect, it } from "vitest";

import { workloadPorts } from "./workload-ports.js";

describe("workloadPorts", () => {
  it("keeps every TCP port, sorted by port, with numeric targetPorts", () => {
    const result = workloadPorts([
      { name: "http", port: 80, targetPort: 8080, protocol: "TCP" },
      { name: "grpc", port: 50051, targetPort: "grpc-port" },
      { name: "tcp-db", port: 5432, targetPort: 5432 },
    ]);
    expect(result).toEqual({
      ports: [
        { name: "http", port: 80, targetPort: 8080 },
        { name: "tcp-db", port: 5432, targetPort: 5432 },
        { name: "grpc", port: 50051 },
      ],
    });
  });

  it("names an unnamed port after its appProtocol when Istio knows it, else tcp", () => {
    expect(workloadPorts([{ port: 8080 }]).ports).toEqual([{ name: "tcp-8080", port: 8080 }]);
    expect(workloadPorts([{ name: "", port: 80, appProtocol: "HTTP" }]).ports).toEqual([{ name: "http-80", port: 80 }]);
    expect(workloadPorts([{ port: 80, appProtocol: "kubernetes.io/h2c" }]).ports).toEqual([{ name: "http2-80", port: 80 }]);
    expect(workloadPorts([{ port: 80, appProtocol: "example.com/custom" }]).ports).toEqual([{ name: "tcp-80", port: 80 }]);
  });

  it("leaves out UDP and SCTP ports", () => {
    const result = workloadPorts([
      { name: "dns", port: 53, protocol: "UDP" },
      { name: "tcp-dns", port: 53, protocol: "TCP" },
      { name: "sctp", port: 9999, protocol: "SCTP" },
    ]);
    expect(result).toEqual({ ports: [{ name: "tcp-dns", port: 53 }] });
  });

  it("reports a Service left without ports", () => {
    expect(workloadPorts(undefined)).toEqual({ ports: [], problem: "has no ports" });
    expect(workloadPorts([{ name: "dns", port: 53, protocol: "UDP" }]).problem).toBe("has no TCP ports (UDP and SCTP are not federated)");
  });
});
