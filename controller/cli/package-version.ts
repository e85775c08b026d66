// Meridian's version, from the package.json above this file: two levels up in a checkout
// (controller/cli/), three in the built package (dist/controller/cli/).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

function packageVersion(from: string): string | undefined {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: unknown; version?: unknown };
      if (manifest.name === "meridian" && typeof manifest.version === "string") return manifest.version;
    } catch {
      // no package.json here: keep walking up
    }
  }
  return undefined;
}

/** `meridian 0.1.0 (Node.js v24.22.3, linux-x64)`: what `meridian --version` prints. */
export function versionLine(): string {
  const version = packageVersion(import.meta.dirname) ?? "(version unknown)";
  return `meridian ${version} (Node.js ${process.version}, ${process.platform}-${process.arch})`;
}
