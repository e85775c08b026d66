import { describe, expect, it } from "vitest";
import { protocolOfPortName } from "./protocol.js";

describe("protocolOfPortName", () => {
  it.each([
    ["http", "HTTP"], ["http-api", "HTTP"], ["http2", "HTTP2"], ["http2-x", "HTTP2"],
    ["grpc", "GRPC"], ["grpc-internal", "GRPC"], ["grpc-web", "GRPC-WEB"], ["grpc-web-ui", "GRPC-WEB"],
    ["https", "HTTPS"], ["tls", "TLS"], ["tls-passthrough", "TLS"], ["tcp", "TCP"], ["tcp-metrics", "TCP"],
    ["mongo", "MONGO"], ["mysql-primary", "MYSQL"], ["redis", "REDIS"], ["HTTP-Upper", "HTTP"],
  ])("reads %s as %s", (name, protocol) => {
    expect(protocolOfPortName(name)).toBe(protocol);
  });

  it.each(["metrics", "httpx", "web", "udp-dns", ""])("reads unrecognised %j as TCP", (name) => {
    expect(protocolOfPortName(name)).toBe("TCP");
  });
});
