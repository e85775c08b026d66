// `meridian drill start (--region R | --cluster C) [--identities a,b] [--duration 15m] [--force]
// [--plan-only] [--name N] [--namespace NS] [--wait]`: creates the FailoverDrill; the controller's
// leader runs it. With --wait, follows it to its end like `drill status`.
import type { CliIo } from "./cli-io.js";
import { homeOf, parseOrThrow } from "./cluster-flags.js";
import { followDrill } from "./drill-follow.js";
import { DrillStartFlagsSchema, defaultDrillName } from "./drill-flags.js";
import type { DrillStartFlags } from "./drill-flags.js";
import { DrillObjects } from "./drill-objects.js";
import { drillData, targetOf } from "./drill-render.js";
import { EXIT } from "./exit-codes.js";
import { loadHomeKubeconfig } from "./kubeconfig-files.js";
import { renderData } from "./output.js";

export async function runDrillStart(raw: Record<string, unknown>, io: CliIo): Promise<number> {
  const flags = parseOrThrow(DrillStartFlagsSchema, raw);
  const ref = { namespace: flags.namespace, name: flags.name ?? defaultDrillName(flags, io.now()) };
  const manifest = DrillObjects.manifest(ref, specOf(flags));
  const objects = new DrillObjects(loadHomeKubeconfig(homeOf(flags), io));
  await objects.create(manifest);
  if (flags.output !== "table") {
    io.stdout.write(renderData(flags.output, drillData(manifest)));
  } else {
    const what = flags.planOnly ? "preflight only, no routes change" : `evacuates ${targetOf(manifest)} for ${manifest.spec.duration}${flags.force ? ", forced past a refused preflight" : ""}`;
    io.stdout.write(`FailoverDrill ${ref.namespace}/${ref.name} created (${what}).\n`);
    if (!flags.wait) io.stdout.write(`Follow it with: meridian drill status ${ref.name} --namespace ${ref.namespace}\n`);
  }
  if (!flags.wait) return EXIT.ok;
  return followDrill(objects, ref, io, { quiet: flags.output !== "table" });
}

function specOf(flags: DrillStartFlags): Record<string, unknown> {
  return {
    target: flags.region === undefined ? { cluster: flags.cluster } : { region: flags.region },
    ...(flags.identities === undefined ? {} : { identities: flags.identities }),
    duration: flags.duration.text,
    force: flags.force,
    planOnly: flags.planOnly,
  };
}
