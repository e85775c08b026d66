// The secrets scan: no log line, Event, status, metric or CLI output of a run may hold a token, a
// private key or kubeconfig content. Looks for the run's own secrets verbatim (API servers' admin
// tokens, the members' ServiceAccount tokens) and for their shapes (a JWT, a PEM private key, the
// keys of a kubeconfig). Pure but for `scanFiles`; unit-tested.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

export interface SecretFinding {
  readonly file: string;
  readonly line: number;
  /** What was found: `known secret`, `JWT`, `private key`, `kubeconfig`. */
  readonly kind: string;
}

const SHAPES: readonly { kind: string; pattern: RegExp }[] = [
  { kind: "JWT", pattern: /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
  { kind: "private key", pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { kind: "kubeconfig", pattern: /client-key-data|client-certificate-data|certificate-authority-data|\bkind:\s*Config\b|"kind"\s*:\s*"Config"/ },
];

/** Findings in one text: each line checked against the known secrets and the shapes. */
export function scanText(file: string, text: string, knownSecrets: readonly string[]): SecretFinding[] {
  const findings: SecretFinding[] = [];
  for (const [index, line] of text.split("\n").entries()) {
    if (knownSecrets.some((secret) => line.includes(secret))) findings.push({ file, line: index + 1, kind: "known secret" });
    for (const { kind, pattern } of SHAPES) if (pattern.test(line)) findings.push({ file, line: index + 1, kind });
  }
  return findings;
}

/** Every file under `dir` (recursively). */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

export function scanFiles(files: readonly string[], knownSecrets: readonly string[]): SecretFinding[] {
  return files.flatMap((file) => scanText(file, readFileSync(file, "utf8"), knownSecrets));
}
