import { describe, expect, it } from "vitest";

import { parseListFlags, parseRegisterFlags, parseRemoveFlags, parseStatusFlags } from "./cluster-flags.js";
import { UsageError } from "./exit-codes.js";

const base = { kubeconfig: "member.yaml", region: "us-east-1" };

function usage(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
  throw new Error("expected a UsageError");
}

describe("register flags", () => {
  it("parses every flag into frozen options", () => {
    const options = parseRegisterFlags("us-east", {
      ...base,
      context: "prod",
      zone: "us-east-1a",
      network: "net-1",
      gatewayService: "istio-system/eastwest",
      gatewayPort: "443",
      discoverySelector: "mesh=on,team=pay",
      homeKubeconfig: "home.yaml",
      homeContext: "home",
      useGivenCredentials: true,
      dryRun: true,
      force: true,
      strict: true,
      output: "json",
    });
    expect(options).toEqual({
      cluster: "us-east",
      kubeconfig: "member.yaml",
      context: "prod",
      placement: {
        region: "us-east-1",
        zone: "us-east-1a",
        network: "net-1",
        gateway: { serviceRef: { namespace: "istio-system", name: "eastwest" }, port: 443 },
        discovery: { namespaceSelector: { matchLabels: { mesh: "on", team: "pay" } } },
      },
      home: { kubeconfig: "home.yaml", context: "home" },
      useGivenCredentials: true,
      dryRun: true,
      force: true,
      strict: true,
      rotateToken: false,
      output: "json",
    });
    expect(Object.isFrozen(options)).toBe(true);
  });

  it("defaults: table output, no gateway, every flag off; gateway port 15443", () => {
    const options = parseRegisterFlags("c1", base);
    expect(options).toMatchObject({ output: "table", dryRun: false, force: false, home: {}, placement: { region: "us-east-1" } });
    expect(parseRegisterFlags("c1", { ...base, gatewayAddress: "gw.example.com" }).placement.gateway).toEqual({ address: "gw.example.com", port: 15443 });
    expect(parseRegisterFlags("c1", { ...base, discoveryNamespaces: "pay, shop,pay" }).placement.discovery).toEqual({ namespaces: ["pay", "shop"] });
  });

  it.each([
    [{ kubeconfig: "m.yaml" }, "c1", "--region is required (the member's region, e.g. us-east-1)"],
    [{ region: "r" }, "c1", "--kubeconfig is required (the member cluster's kubeconfig file)"],
    [base, "Bad_Name", 'NAME "Bad_Name" must be a DNS-1123 label: lowercase letters, digits and \'-\', starting and ending with a letter or digit'],
    [{ ...base, region: "US" }, "c1", '--region "US" must be a DNS-1123 label'],
    [{ ...base, gatewayAddress: "1.2.3.4", gatewayService: "a/b" }, "c1", "--gateway-address and --gateway-service are mutually exclusive"],
    [{ ...base, gatewayPort: "15443" }, "c1", "--gateway-port needs --gateway-address or --gateway-service"],
    [{ ...base, gatewayAddress: "gw", gatewayPort: "70000" }, "c1", '--gateway-port "70000" must be an integer from 1 to 65535'],
    [{ ...base, gatewayService: "eastwest" }, "c1", '--gateway-service "eastwest" must be NAMESPACE/NAME'],
    [{ ...base, discoveryNamespaces: "a", discoverySelector: "k=v" }, "c1", "--discovery-namespaces and --discovery-selector are mutually exclusive"],
    [{ ...base, discoveryNamespaces: "Pay" }, "c1", '("Pay" is not a DNS-1123 label)'],
    [{ ...base, discoverySelector: "k" }, "c1", '--discovery-selector "k" must be KEY=VALUE'],
    [{ ...base, useGivenCredentials: true, rotateToken: true }, "c1", "--rotate-token has no token to rotate with --use-given-credentials"],
    [{ ...base, output: "xml" }, "c1", '-o/--output must be one of table, json, yaml (got "xml")'],
  ])("one line naming the flag: %j %s", (raw, name, message) => {
    const line = usage(() => parseRegisterFlags(name, raw));
    expect(line).toContain(message);
    expect(line).not.toContain("\n");
  });
});

describe("list, status and remove flags", () => {
  it("list: home and output", () => {
    expect(parseListFlags({ homeKubeconfig: "h.yaml", output: "yaml" })).toEqual({ home: { kubeconfig: "h.yaml" }, output: "yaml" });
  });

  it("status: a name", () => {
    expect(parseStatusFlags("east", {})).toEqual({ cluster: "east", home: {}, output: "table" });
    expect(usage(() => parseStatusFlags("East", {}))).toContain('NAME "East"');
  });

  it("remove: --purge needs --kubeconfig, which is only for --purge", () => {
    expect(parseRemoveFlags("east", { purge: true, kubeconfig: "m.yaml", context: "c" })).toEqual({
      cluster: "east",
      home: {},
      output: "table",
      force: false,
      purge: { kubeconfig: "m.yaml", context: "c" },
    });
    expect(usage(() => parseRemoveFlags("east", { purge: true }))).toBe("--purge needs --kubeconfig (the member cluster's admin kubeconfig)");
    expect(usage(() => parseRemoveFlags("east", { kubeconfig: "m.yaml" }))).toBe("--kubeconfig and --context are used only with --purge");
  });
});
