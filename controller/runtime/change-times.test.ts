import { describe, expect, it } from "vitest";

import { ChangeTimes } from "./change-times.js";

describe("ChangeTimes", () => {
  it("keeps the time of each identity's last change, and of the last change of every identity", () => {
    let now = 100;
    const times = new ChangeTimes(() => now);
    expect(times.lastChangeOf("cart")).toBe(0);
    times.identitiesChanged(["cart", "ledger"]);
    now = 200;
    times.identitiesChanged(["ledger"]);
    expect([times.lastChangeOf("cart"), times.lastChangeOf("ledger"), times.lastChangeOf("web")]).toEqual([100, 200, 0]);
    now = 300;
    times.allChanged();
    expect([times.lastChangeOf("cart"), times.lastChangeOf("web")]).toEqual([300, 300]);
  });
});
