// The values tables of deploy/README.md, generated from each chart's values.schema.json (key, type,
// description) and values.yaml (default). `helm-cli.ts render` rewrites them between their markers;
// e2e/deploy-chart.e2e.test.ts fails while the README and the schemas disagree.
import { readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { parse } from "yaml";
import { repoRoot } from "./repo-paths.js";

export const DEPLOY_README: string = join(repoRoot, "deploy", "README.md");

export interface SchemaNode {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly description?: string;
  readonly enum?: readonly unknown[];
  readonly $ref?: string;
}

export interface ValuesRow {
  readonly key: string;
  readonly type: string;
  readonly defaultValue: unknown;
  readonly description: string | undefined;
}

function valueAt(values: unknown, path: readonly string[]): unknown {
  let current = values;
  for (const key of path) current = typeof current === "object" && current !== null ? (current as Record<string, unknown>)[key] : undefined;
  return current;
}

function typeOf(node: SchemaNode): string {
  if (node.type === undefined) return "object";
  return typeof node.type === "string" ? node.type : node.type.join(" or ");
}

/** Every leaf of the schema, in the schema's order; objects without declared properties are leaves. */
export function valuesRows(schema: SchemaNode, values: unknown, path: readonly string[] = []): ValuesRow[] {
  if (schema.properties === undefined) {
    const allowed = schema.enum === undefined ? "" : ` One of: ${schema.enum.map(String).join(", ")}.`;
    const description = schema.description === undefined ? undefined : `${schema.description}${allowed}`;
    return [{ key: path.join("."), type: typeOf(schema), defaultValue: valueAt(values, path), description }];
  }
  return Object.entries(schema.properties).flatMap(([key, node]) => valuesRows(node, values, [...path, key]));
}

function escape(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("<", "\\<").replaceAll(">", "\\>");
}

function formatDefault(value: unknown): string {
  if (value === undefined || value === null) return "unset";
  const json = JSON.stringify(value);
  if (typeof value === "object" && json.length > 2) return "see values.yaml";
  return `\`${json.replaceAll("|", "\\|")}\``;
}

export function markdownTable(rows: readonly ValuesRow[]): string {
  const lines = ["| key | type | default | description |", "|---|---|---|---|"];
  for (const row of rows) lines.push(`| \`${row.key}\` | ${row.type} | ${formatDefault(row.defaultValue)} | ${escape(row.description ?? "")} |`);
  return lines.join("\n");
}

/** The table of one chart directory, from its values.schema.json and values.yaml. */
export async function chartValuesTable(chartDir: string): Promise<string> {
  const schema = JSON.parse(await readFile(join(chartDir, "values.schema.json"), "utf8")) as SchemaNode;
  const values: unknown = parse(await readFile(join(chartDir, "values.yaml"), "utf8"));
  return markdownTable(valuesRows(schema, values));
}

/** `readme` with the table between `<!-- values-table:NAME:begin/end -->` replaced, NAME the chart directory's name. */
export async function withValuesTables(readme: string, chartDirs: readonly string[]): Promise<string> {
  let text = readme;
  for (const dir of chartDirs) {
    const name = basename(dir);
    const begin = `<!-- values-table:${name}:begin -->`;
    const end = `<!-- values-table:${name}:end -->`;
    const start = text.indexOf(begin);
    const stop = text.indexOf(end);
    if (start < 0 || stop < start) throw new Error(`${DEPLOY_README} has no ${begin} ... ${end} markers for the values table of ${dir}.`);
    text = `${text.slice(0, start + begin.length)}\n${await chartValuesTable(dir)}\n${text.slice(stop)}`;
  }
  return text;
}
