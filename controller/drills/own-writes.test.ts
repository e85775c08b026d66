import { describe, expect, it } from "vitest";

import { OwnWrites } from "./own-writes.js";

const drill = (resourceVersion: string, phase: string) => ({ metadata: { name: "d", namespace: "ns", resourceVersion }, phase });

describe("OwnWrites", () => {
  it("serves the runner's write while the watch shows a version it replaced, then the watch", () => {
    const writes = new OwnWrites<ReturnType<typeof drill>>();
    writes.wrote(drill("1", "Pending"), drill("2", "Preflight"));
    writes.wrote(drill("2", "Preflight"), drill("3", "Evacuating"));
    expect(writes.newest([drill("1", "Pending")])).toEqual([drill("3", "Evacuating")]);
    expect(writes.newest([drill("2", "Preflight")])).toEqual([drill("3", "Evacuating")]);
    expect(writes.newest([drill("3", "Evacuating")])).toEqual([drill("3", "Evacuating")]);
    // Caught up: an old version seen again (a watch restart replaying) is no longer replaced.
    expect(writes.newest([drill("1", "Pending")])).toEqual([drill("1", "Pending")]);
  });

  it("a change by someone else (a version it did not replace) wins over the runner's write", () => {
    const writes = new OwnWrites<ReturnType<typeof drill>>();
    writes.wrote(drill("1", "Pending"), drill("2", "Preflight"));
    expect(writes.newest([drill("7", "Holding")])).toEqual([drill("7", "Holding")]);
  });

  it("forgets a drill that is gone", () => {
    const writes = new OwnWrites<ReturnType<typeof drill>>();
    writes.wrote(drill("1", "Pending"), drill("2", "Preflight"));
    expect(writes.newest([])).toEqual([]);
    expect(writes.newest([drill("1", "Pending")])).toEqual([drill("1", "Pending")]);
  });
});
