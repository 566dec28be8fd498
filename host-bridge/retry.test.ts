// retryInconclusive (host.ts): a run the host could not pace is tried again after a pause, at
// most three times in all, and every retry is reported, so that the fuzzer can say how many
// runs needed one (a clean long run has none: docs/reliability.md "Long runs").

import { describe, expect, it } from "vitest";
import { HostFault, HostInconclusive, retryInconclusive } from "./host.js";

/** A run that is inconclusive `n` times, then returns "done". */
function flaky(n: number): { run: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    run: async () => {
      if (calls++ < n) throw new HostInconclusive(`the host fell behind (${calls})`);
      return "done";
    },
    calls: () => calls,
  };
}

describe("retryInconclusive", () => {
  it("returns the first verdict and reports each inconclusive run before it", async () => {
    const f = flaky(2);
    const heard: string[] = [];
    expect(await retryInconclusive(f.run, 3, (e) => heard.push(e.message))).toBe("done");
    expect(heard).toEqual(["the host fell behind (1)", "the host fell behind (2)"]);
    expect(f.calls()).toBe(3);
  });

  it("throws the last inconclusive run when every try was inconclusive", async () => {
    const f = flaky(3);
    const heard: string[] = [];
    await expect(retryInconclusive(f.run, 3, (e) => heard.push(e.message)))
      .rejects.toThrow("the host fell behind (3)");
    expect(heard).toHaveLength(2);
  });

  it("does not retry other faults", async () => {
    let calls = 0;
    const run = async () => {
      calls++;
      throw new HostFault("agent died");
    };
    await expect(retryInconclusive(run, 3, () => {})).rejects.toThrow("agent died");
    expect(calls).toBe(1);
  });
});
