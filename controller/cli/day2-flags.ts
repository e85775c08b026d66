// The flags of `meridian diff`, `meridian explain` and `meridian plan`, validated with zod at the
// edge like the cluster and drill commands': each failure is one line naming the flag.
import { z } from "zod";

import { HomeOnlySchema, label } from "./cluster-flags.js";

const flag = z.boolean().default(false);

export const DiffFlagsSchema = HomeOnlySchema.extend({
  cluster: label("--cluster", "a registered member cluster").optional(),
  identity: label("--identity", "an identity").optional(),
  exitCode: flag,
});

export const ExplainFlagsSchema = HomeOnlySchema.extend({
  identity: label("IDENTITY", "the identity to explain, e.g. payments"),
  from: label("--from", "the member cluster the client runs in"),
  env: label("--env", "the env of the identity").optional(),
  namespace: label("--namespace", "the client's namespace in that cluster").optional(),
});

const files = z
  .array(z.string().min(1, "-f/--filename must not be empty"), { error: "-f/--filename is required: one or more manifest files, or - for standard input" })
  .min(1, "-f/--filename is required: one or more manifest files, or - for standard input");

export const PlanFlagsSchema = HomeOnlySchema.extend({
  filename: files,
  delete: flag,
  detailedExitcode: flag,
});

export type DiffFlags = z.output<typeof DiffFlagsSchema>;
export type ExplainFlags = z.output<typeof ExplainFlagsSchema>;
export type PlanFlags = z.output<typeof PlanFlagsSchema>;
