import { describe, expect, it } from "vitest";

import type { PlannedKey } from "../queue/index.js";
import { Backlog } from "./backlog.js";

const key = (identity: string): PlannedKey => ({ cluster: "c1", identity });

describe("Backlog", () => {
  it("counts every enqueue at once, passes it on unchanged, and takes the queues' own count when it comes", async () => {
    const passed: string[] = [];
    const backlog = new Backlog({ enqueue: (keys, cause, options) => Promise.resolve(void passed.push(`${keys.map((k) => k.identity).join(",")} ${cause} ${options?.background === true ? "background" : ""}`.trim())) });
    expect(backlog.jobs).toBe(0);
    await backlog.enqueue([key("a"), key("b")], "watch");
    await backlog.enqueue([key("c")], "resync", { background: true });
    expect(backlog.jobs).toBe(3);
    expect(passed).toEqual(["a,b watch", "c resync background"]);
    await backlog.recount(() => Promise.resolve(1));
    expect(backlog.jobs).toBe(1);
  });

  it("a count that an enqueue overtook cannot lower the number (it may have missed those keys)", async () => {
    const backlog = new Backlog({ enqueue: () => Promise.resolve() });
    const overtaken = (jobs: number) => async (): Promise<number> => {
      await backlog.enqueue([key("a"), key("b")], "watch");
      return jobs;
    };
    await backlog.recount(overtaken(0));
    expect(backlog.jobs).toBe(2);
    await backlog.recount(overtaken(5));
    expect(backlog.jobs).toBe(5);
    await backlog.recount(() => Promise.resolve(0));
    expect(backlog.jobs).toBe(0);
  });
});
