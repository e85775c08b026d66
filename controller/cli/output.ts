// Rendering for people and scripts: aligned tables (kubectl's layout), JSON, YAML, and ages.

import { stringify } from "yaml";

import type { OutputFormat } from "./cluster-flags.js";

/** Columns separated by at least three spaces, headers upper-case, no trailing spaces. */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("   ")
      .trimEnd();
  return [line(headers), ...rows.map(line)].join("\n") + "\n";
}

/** JSON or YAML of `data`; `table` is rendered by the caller. */
export function renderData(format: Exclude<OutputFormat, "table">, data: unknown): string {
  return format === "json" ? `${JSON.stringify(data, null, 2)}\n` : stringify(data, { lineWidth: 0 });
}

/** Several objects as one YAML stream (`---` between documents), as `kubectl apply -f` reads it. */
export function renderYamlDocuments(documents: readonly unknown[]): string {
  return documents.map((document) => stringify(document, { lineWidth: 0 })).join("---\n");
}

/** kubectl's short human duration: 45s, 3m12s, 17m, 2h5m, 30h, 3d4h, 120d, 3y. */
export function humanDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(minutes / 60);
  const days = Math.floor(hours / 24);
  if (seconds < 120) return `${seconds}s`;
  if (minutes < 10) return withRest(`${minutes}m`, seconds % 60, "s");
  if (hours < 3) return `${minutes}m`;
  if (hours < 8) return withRest(`${hours}h`, minutes % 60, "m");
  if (hours < 48) return `${hours}h`;
  if (days < 8) return withRest(`${days}d`, hours % 24, "h");
  if (days < 730) return `${days}d`;
  return `${Math.floor(days / 365)}y`;
}

function withRest(head: string, rest: number, unit: string): string {
  return rest === 0 ? head : `${head}${rest}${unit}`;
}

/** Age of an RFC 3339 timestamp (or a Date), `<unknown>` when absent or unparsable. */
export function age(timestamp: string | Date | undefined, now: Date): string {
  if (timestamp === undefined) return "<unknown>";
  const time = timestamp instanceof Date ? timestamp.getTime() : Date.parse(timestamp);
  return Number.isNaN(time) ? "<unknown>" : humanDuration(now.getTime() - time);
}

/** `1 identity`, `2 identities`: a count with its noun in the right number. */
export function counted(count: number, singular: string, plural: string): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
