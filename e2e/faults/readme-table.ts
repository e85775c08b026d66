// `npm run faults:readme`: writes the table of the last `npm run test:faults` (kept in
// .cache/faults-table.md by the suite's teardown) into README.md between the fault-table markers.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { repoRoot } from "../harness/repo-paths.js";
import { replaceBetweenMarkers } from "./support/fault-table.js";
import { LAST_TABLE } from "./support/global-setup.js";

if (!existsSync(LAST_TABLE)) {
  console.error(`${LAST_TABLE} is missing: run \`npm run test:faults\` first.`);
  process.exitCode = 1;
} else {
  const readme = join(repoRoot, "README.md");
  writeFileSync(readme, replaceBetweenMarkers(readFileSync(readme, "utf8"), readFileSync(LAST_TABLE, "utf8").trimEnd()));
  console.log(`README.md: the fault table from ${LAST_TABLE}`);
}
