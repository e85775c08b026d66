// Vitest global setup of the fault suite: the binaries built or found once (kube-apiserver, etcd,
// Toxiproxy), and a directory for the run. Each case starts its own servers (faults must not leak
// into another case). The teardown prints the table of every case that finished, keeps it in
// `.cache/faults-table.md` for `npm run faults:readme`, and runs the secrets scan over every
// controller log, CLI transcript and state dump of the run, after proving on a planted token that
// the scan finds one; a finding fails the run.
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

import { ensureBinaries, readHarnessConfig } from "../../harness/index.js";
import { repoRoot } from "../../harness/repo-paths.js";
import { ensureToxiproxy } from "../../harness/toxiproxy.js";
import { logsDir, readResults, readSecrets } from "./fault-run.js";
import { renderFaultTable } from "./fault-table.js";
import { filesUnder, scanFiles } from "./secrets-scan.js";

/** Where the last run's table is kept for `npm run faults:readme` (ignored by git). */
export const LAST_TABLE = join(repoRoot, ".cache", "faults-table.md");

/**
 * Proves the scan finds a token of the run planted into a log line (and a private key's header), in
 * a directory of its own; then scans the run's logs. Throws on any finding there.
 */
export function scanRunForSecrets(run: string): string {
  const known = readSecrets(run);
  const planted = known[0] ?? randomBytes(32).toString("hex");
  const plantedDir = join(run, "planted");
  mkdirSync(plantedDir, { recursive: true });
  writeFileSync(join(plantedDir, "planted.log"), `{"level":30,"msg":"Planted","token":"${planted}"}\n-----BEGIN PRIVATE KEY-----\n`);
  const proof = scanFiles(filesUnder(plantedDir), known.length > 0 ? known : [planted]);
  if (proof.length < 2) throw new Error("The secrets scan did not find the planted token and private key: the scan is broken.");
  const files = filesUnder(logsDir(run));
  const findings = scanFiles(files, known);
  if (findings.length > 0) throw new Error(`Secrets found in the fault run's output:\n${findings.map((f) => `${f.file}:${f.line} ${f.kind}`).join("\n")}`);
  return `Secrets scan: ${files.length} files (controller logs, CLI transcripts, Events, statuses, metrics) against ${known.length} known secrets and the shapes of tokens, private keys and kubeconfigs: nothing found (a planted token and key were found first).`;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const config = readHarnessConfig();
  await ensureBinaries(config);
  await ensureToxiproxy(config);
  const run = mkdtempSync(join(tmpdir(), "meridian-faults-"));
  project.provide("faultRun", { dir: run });
  const startedAt = Date.now();
  return async () => {
    const results = readResults(run);
    const table = renderFaultTable(results);
    const footer = `${results.length} case(s), ${((Date.now() - startedAt) / 1000).toFixed(0)} s of cases; run directory ${run}`;
    console.log(`\nFault suite\n\n${table}\n\n${footer}`);
    mkdirSync(join(repoRoot, ".cache"), { recursive: true });
    if (results.length > 0) writeFileSync(LAST_TABLE, `${table}\n`);
    console.log(scanRunForSecrets(run));
  };
}
