// Vitest setup file for the e2e project: a failing test prints the tail of every server's log.
import { beforeEach } from "vitest";
import { controlPlaneLogTail } from "./clusters.js";

const TAIL_LINES = 40;

beforeEach(({ onTestFailed }) => {
  onTestFailed(() => {
    console.error(`Server logs (last ${TAIL_LINES} lines each):\n${controlPlaneLogTail(TAIL_LINES)}`);
  });
});
