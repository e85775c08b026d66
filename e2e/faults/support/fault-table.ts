// The fault suite's figures: one row per case, rendered as the table printed at the end of a run and
// kept in README.md between markers (pure; unit-tested).

export interface FaultResult {
  /** Short, kebab-case: the row's name. */
  readonly case: string;
  /** What was done, in a few words. */
  readonly fault: string;
  /** ms from the fault's start until the controller showed it (condition, /readyz or metric); undefined: never shown. */
  readonly detectedMs: number | undefined;
  /** What showed it, e.g. `MeshCluster Connected=False`. */
  readonly detectedBy: string;
  /** ms from the fault's end until every member equalled the plan of the final inputs. */
  readonly recoveredMs: number;
  /** ServiceEntry/DestinationRule writes the API servers served between the fault's start and end. */
  readonly writesDuringFault: number;
  /** Routes (cluster, host, endpoint) present before the fault and missing at any sample until recovery. */
  readonly routesLost: number;
  readonly lostRoutes: readonly string[];
  /** Planted objects without Meridian's label whose resourceVersion changed (or that disappeared). */
  readonly unownedTouched: number;
  /** Highest request rate (req/s, WATCH excluded) one API server served over the fault window, and the bound. */
  readonly requestRate: { readonly perSecond: number; readonly bound: number; readonly cluster: string };
  /** Anything else the case measured (a change made during the fault applied in ms, …). */
  readonly notes: readonly string[];
}

export const TABLE_START = "<!-- fault-table:start -->";
export const TABLE_END = "<!-- fault-table:end -->";

function seconds(ms: number | undefined): string {
  return ms === undefined ? "not shown" : `${(ms / 1000).toFixed(1)} s`;
}

function detected(r: FaultResult): string {
  if (r.detectedBy === "n/a") return "n/a";
  return r.detectedMs === undefined ? "not shown" : `${seconds(r.detectedMs)} (${r.detectedBy})`;
}

export function renderFaultTable(results: readonly FaultResult[]): string {
  const rows = results.map((r) => `| ${r.case} | ${r.fault} | ${detected(r)} | ${seconds(r.recoveredMs)} | ${r.writesDuringFault} | ${r.routesLost} | ${r.unownedTouched} |`);
  return ["| case | fault | detected in | recovered in | writes during fault | routes lost | unowned touched |", "|---|---|---|---|---|---|---|", ...rows].join("\n");
}

/** `readme` with the text between the markers replaced by `table` (the markers must be there, once each). */
export function replaceBetweenMarkers(readme: string, table: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start === -1 || end === -1 || end < start || readme.indexOf(TABLE_START, start + 1) !== -1) {
    throw new Error(`README.md needs exactly one ${TABLE_START} … ${TABLE_END} pair`);
  }
  return `${readme.slice(0, start + TABLE_START.length)}\n${table}\n${readme.slice(end)}`;
}
