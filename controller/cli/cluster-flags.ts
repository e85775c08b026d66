// The `cluster` commands' flags, validated once with zod at the edge: every failure is one line that
// names the flag. Commander collects raw strings; these schemas turn them into frozen, typed options.

import { z } from "zod";

import { ADDRESS_PATTERN, LABEL_VALUE_PATTERN } from "../../crds/common.js";
import { dnsLabelProblem } from "../../federation/dns-label.js";
import { clusterName } from "../../federation/graph-model.js";
import type { ClusterName } from "../../federation/graph-model.js";
import type { Placement } from "../../federation/registration/home-manifests.js";
import { UsageError } from "./exit-codes.js";

export const OUTPUT_FORMATS = ["table", "json", "yaml"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function label(flag: string, what: string) {
  return z.string({ error: (issue) => (issue.input === undefined ? `${flag} is required (${what})` : `${flag} must be a string`) }).superRefine((value, ctx) => {
    const problem = dnsLabelProblem(value);
    if (problem !== undefined) ctx.addIssue({ code: "custom", message: `${flag} "${value}" ${problem}` });
  });
}

function nonEmpty(flag: string, what: string) {
  return z.string({ error: (issue) => (issue.input === undefined ? `${flag} is required (${what})` : `${flag} must be a string`) }).min(1, `${flag} must not be empty`);
}

const output = z.enum(OUTPUT_FORMATS, { error: (issue) => `-o/--output must be one of table, json, yaml (got "${String(issue.input)}")` }).default("table");

const port = z.string().transform((value, ctx) => {
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(number >= 1 && number <= 65535)) {
    ctx.addIssue({ code: "custom", message: `--gateway-port "${value}" must be an integer from 1 to 65535` });
    return z.NEVER;
  }
  return number;
});

const gatewayService = z.string().transform((value, ctx) => {
  const [namespace, name, extra] = value.split("/");
  if (namespace === undefined || name === undefined || extra !== undefined || !isLabel(namespace) || !isLabel(name)) {
    ctx.addIssue({ code: "custom", message: `--gateway-service "${value}" must be NAMESPACE/NAME (two DNS-1123 labels), e.g. istio-system/istio-eastwestgateway` });
    return z.NEVER;
  }
  return { namespace, name };
});

const namespaces = z.string().transform((value, ctx) => {
  const list = [...new Set(value.split(",").map((item) => item.trim()).filter((item) => item !== ""))];
  const bad = list.find((item) => !isLabel(item));
  if (list.length === 0 || bad !== undefined) {
    ctx.addIssue({ code: "custom", message: `--discovery-namespaces must be a comma-separated list of namespace names${bad === undefined ? "" : ` ("${bad}" is not a DNS-1123 label)`}` });
    return z.NEVER;
  }
  return list.sort();
});

const selector = z.string().transform((value, ctx) => {
  const pairs = value.split(",").map((pair) => pair.trim()).filter((pair) => pair !== "").map((pair) => pair.split("="));
  const bad = pairs.find((pair) => pair.length !== 2 || pair[0] === "" || !LABEL_VALUE_PATTERN.test(pair[1] ?? ""));
  if (pairs.length === 0 || bad !== undefined) {
    ctx.addIssue({ code: "custom", message: `--discovery-selector "${value}" must be KEY=VALUE[,KEY=VALUE…] (equality only)` });
    return z.NEVER;
  }
  return Object.fromEntries(pairs.map(([key, val]) => [key ?? "", val ?? ""]));
});

const flag = z.boolean().default(false);

const RegisterFlagsSchema = z
  .strictObject({
    name: label("NAME", "the cluster's name, a DNS-1123 label, e.g. us-east-1a"),
    kubeconfig: nonEmpty("--kubeconfig", "the member cluster's kubeconfig file"),
    context: z.string().min(1, "--context must not be empty").optional(),
    region: label("--region", "the member's region, e.g. us-east-1"),
    zone: label("--zone", "").optional(),
    network: z.string().regex(LABEL_VALUE_PATTERN, "--network must be a label value: letters, digits, '-', '_', '.'").max(63, "--network must be at most 63 characters").optional(),
    gatewayAddress: z.string().regex(ADDRESS_PATTERN, "--gateway-address must be an IP address or DNS name").max(253, "--gateway-address is too long").optional(),
    gatewayService: gatewayService.optional(),
    gatewayPort: port.optional(),
    discoveryNamespaces: namespaces.optional(),
    discoverySelector: selector.optional(),
    homeKubeconfig: z.string().min(1, "--home-kubeconfig must not be empty").optional(),
    homeContext: z.string().min(1, "--home-context must not be empty").optional(),
    useGivenCredentials: flag,
    dryRun: flag,
    force: flag,
    strict: flag,
    rotateToken: flag,
    output,
  })
  .superRefine((flags, ctx) => {
    const problem = exclusionProblem(flags);
    if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
  });

type RawRegisterFlags = z.output<typeof RegisterFlagsSchema>;

function exclusionProblem(flags: RawRegisterFlags): string | undefined {
  if (flags.gatewayAddress !== undefined && flags.gatewayService !== undefined) {
    return "--gateway-address and --gateway-service are mutually exclusive: give the address, or the Service whose load-balancer address is used";
  }
  if (flags.gatewayPort !== undefined && flags.gatewayAddress === undefined && flags.gatewayService === undefined) {
    return "--gateway-port needs --gateway-address or --gateway-service";
  }
  if (flags.discoveryNamespaces !== undefined && flags.discoverySelector !== undefined) {
    return "--discovery-namespaces and --discovery-selector are mutually exclusive";
  }
  if (flags.useGivenCredentials && flags.rotateToken) {
    return "--rotate-token has no token to rotate with --use-given-credentials";
  }
  return undefined;
}

export interface HomeFlags {
  kubeconfig?: string;
  context?: string;
}

export interface RegisterOptions {
  cluster: ClusterName;
  kubeconfig: string;
  context?: string;
  placement: Placement;
  home: HomeFlags;
  useGivenCredentials: boolean;
  dryRun: boolean;
  force: boolean;
  strict: boolean;
  rotateToken: boolean;
  output: OutputFormat;
}

export function parseRegisterFlags(name: unknown, raw: Record<string, unknown>): Readonly<RegisterOptions> {
  const flags = parseOrThrow(RegisterFlagsSchema, { ...raw, name });
  return Object.freeze({
    cluster: clusterName(flags.name),
    kubeconfig: flags.kubeconfig,
    ...(flags.context === undefined ? {} : { context: flags.context }),
    placement: placementOf(flags),
    home: homeOf(flags),
    useGivenCredentials: flags.useGivenCredentials,
    dryRun: flags.dryRun,
    force: flags.force,
    strict: flags.strict,
    rotateToken: flags.rotateToken,
    output: flags.output,
  });
}

function placementOf(flags: RawRegisterFlags): Placement {
  const placement: Placement = { region: flags.region };
  if (flags.zone !== undefined) placement.zone = flags.zone;
  if (flags.network !== undefined) placement.network = flags.network;
  const gatewayPort = flags.gatewayPort ?? 15443;
  if (flags.gatewayAddress !== undefined) placement.gateway = { address: flags.gatewayAddress, port: gatewayPort };
  if (flags.gatewayService !== undefined) placement.gateway = { serviceRef: flags.gatewayService, port: gatewayPort };
  if (flags.discoveryNamespaces !== undefined) placement.discovery = { namespaces: flags.discoveryNamespaces };
  if (flags.discoverySelector !== undefined) placement.discovery = { namespaceSelector: { matchLabels: flags.discoverySelector } };
  return placement;
}

export function homeOf(flags: { homeKubeconfig?: string | undefined; homeContext?: string | undefined }): HomeFlags {
  return {
    ...(flags.homeKubeconfig === undefined ? {} : { kubeconfig: flags.homeKubeconfig }),
    ...(flags.homeContext === undefined ? {} : { context: flags.homeContext }),
  };
}

export const HomeOnlySchema = z.strictObject({
  homeKubeconfig: z.string().min(1, "--home-kubeconfig must not be empty").optional(),
  homeContext: z.string().min(1, "--home-context must not be empty").optional(),
  output,
});

export interface ListOptions {
  home: HomeFlags;
  output: OutputFormat;
}

export function parseListFlags(raw: Record<string, unknown>): Readonly<ListOptions> {
  const flags = parseOrThrow(HomeOnlySchema, raw);
  return Object.freeze({ home: homeOf(flags), output: flags.output });
}

export interface StatusOptions extends ListOptions {
  cluster: ClusterName;
}

export function parseStatusFlags(name: unknown, raw: Record<string, unknown>): Readonly<StatusOptions> {
  const flags = parseOrThrow(HomeOnlySchema.extend({ name: label("NAME", "the registered cluster's name") }), { ...raw, name });
  return Object.freeze({ cluster: clusterName(flags.name), home: homeOf(flags), output: flags.output });
}

const RemoveFlagsSchema = HomeOnlySchema.extend({
  name: label("NAME", "the registered cluster's name"),
  purge: flag,
  kubeconfig: z.string().min(1, "--kubeconfig must not be empty").optional(),
  context: z.string().min(1, "--context must not be empty").optional(),
  force: flag,
}).superRefine((flags, ctx) => {
  if (flags.purge && flags.kubeconfig === undefined) {
    ctx.addIssue({ code: "custom", message: "--purge needs --kubeconfig (the member cluster's admin kubeconfig)" });
  }
  if (!flags.purge && (flags.kubeconfig !== undefined || flags.context !== undefined)) {
    ctx.addIssue({ code: "custom", message: "--kubeconfig and --context are used only with --purge" });
  }
});

export interface RemoveOptions extends ListOptions {
  cluster: ClusterName;
  purge?: { kubeconfig: string; context?: string };
  force: boolean;
}

export function parseRemoveFlags(name: unknown, raw: Record<string, unknown>): Readonly<RemoveOptions> {
  const flags = parseOrThrow(RemoveFlagsSchema, { ...raw, name });
  const purge = flags.purge && flags.kubeconfig !== undefined ? { kubeconfig: flags.kubeconfig, ...(flags.context === undefined ? {} : { context: flags.context }) } : undefined;
  return Object.freeze({
    cluster: clusterName(flags.name),
    home: homeOf(flags),
    output: flags.output,
    force: flags.force,
    ...(purge === undefined ? {} : { purge }),
  });
}

export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new UsageError(issue === undefined ? "invalid flags" : issueMessage(issue));
  }
  return result.data;
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") {
    return `unknown option ${issue.keys.map((key) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(", ")}`;
  }
  return issue.message;
}

function isLabel(value: string): boolean {
  return dnsLabelProblem(value) === undefined;
}
