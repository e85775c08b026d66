// The last lines of log files, for printing when a test fails.
import { readFileSync } from "node:fs";

const MAX_BYTES = 256 * 1024;

export function tailFile(file: string, lines: number): string {
  let text: string;
  try {
    const buffer = readFileSync(file);
    text = buffer.subarray(Math.max(0, buffer.length - MAX_BYTES)).toString("utf8");
  } catch (err) {
    return `(no log at ${file}: ${(err as Error).message})`;
  }
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

/** `==> file <==` headed tails, like `tail` on several files. */
export function tailFiles(files: readonly string[], lines: number): string {
  return files.map((file) => `==> ${file} <==\n${tailFile(file, lines)}`).join("\n\n");
}
