// helm for deploy/, by hand:
//   node --import tsx e2e/harness/helm-cli.ts build    build (or find) the pinned helm; prints its path
//   node --import tsx e2e/harness/helm-cli.ts render   re-render deploy/manifests/ and deploy/README.md's values tables
import { readFile, writeFile } from "node:fs/promises";
import { ensureHelm } from "./helm.js";
import { CHARTS } from "./helm-chart.js";
import { writeDeployManifests } from "./helm-manifests.js";
import { DEPLOY_README, withValuesTables } from "./helm-values-table.js";
import { readHarnessConfig } from "./harness-config.js";

const USAGE = "usage: node --import tsx e2e/harness/helm-cli.ts build | render";

async function render(): Promise<void> {
  const helm = await ensureHelm(readHarnessConfig());
  const written = await writeDeployManifests(helm);
  const readme = await readFile(DEPLOY_README, "utf8");
  await writeFile(DEPLOY_README, await withValuesTables(readme, [CHARTS.meridian, CHARTS.member]));
  console.log(JSON.stringify({ helm: helm.file, version: helm.version, written: [...written, DEPLOY_README] }));
}

async function main(args: readonly string[]): Promise<void> {
  const [command] = args;
  if (command === "build") {
    const started = Date.now();
    const helm = await ensureHelm(readHarnessConfig());
    console.log(JSON.stringify({ helm: helm.file, version: helm.version, durationMs: Date.now() - started }));
  } else if (command === "render") {
    await render();
  } else {
    throw new Error(USAGE);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
