// The harness logs objects, not sentences, to stderr so test reporters keep stdout.
import { pino, type Logger } from "pino";

export const harnessLog: Logger = pino({ name: "e2e-harness", level: "info" }, pino.destination(2));
