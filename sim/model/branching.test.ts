// Issue 22: a replay whose steps have several retry orders copied the whole kernel memory per
// order and per level (a 13-line FIFO herd peaked at 1.6-1.9 GB; 243 lines of herds took 44 s
// on an idle machine, 300 s on a busy one). Each replay here runs in a process of its own, which
// reports its own peak resident memory (process.resourceUsage().maxRSS), so the bounds do not
// depend on what the test process holds.

import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

interface Peak { steps: number; worlds: number; ms: number; peakMb: number; rootMb: number }

async function replayPeak(trace: string, steps?: number): Promise<Peak> {
  const argv = [process.execPath, "scripts/run-ts.mjs", "sim/model/testdata/replay-peak.ts",
    resolve("sim/model/testdata", trace), ...(steps === undefined ? [] : [String(steps)])];
  const r = await promisify(execFile)(argv[0], argv.slice(1));
  expect(r.stderr, r.stderr).toBe("");
  return JSON.parse(r.stdout) as Peak;
}

describe("replay memory does not grow with the kernel per branch (issue 22)", () => {
  it("a herd of 5 FIFO openers released by one writer replays in under 150 MB", async () => {
    const p = await replayPeak("fifo-herd.jsonl");
    expect(p.steps).toBe(12);
    expect(p.peakMb).toBeLessThan(150);
  }, 120_000);

  it("a herd after 256 MiB of shared memory was touched adds under 40 MB", async () => {
    // The kernel alone holds ~300 MiB here: the bound is against the same replay stopped before
    // the herd (the issue measured 2.76 GB; the goal is 400 MB; fifo-herd-shm.jsonl, the
    // 5-opener herd, measured 365 MB). Too large to copy, this kernel is restored by running
    // the steps again: two openers keep the test short (the benchmark runs all five).
    const dir = mkdtempSync(join(tmpdir(), "ipcsim-herd-"));
    try {
      const lines = readFileSync("sim/model/testdata/fifo-herd-shm.jsonl", "utf8").split("\n");
      // Drop the last three forks (lines 23-25) and the opens of pids 5, 6 and 7.
      const two = lines.filter((l, i) => !/"pid": [567],/.test(l) && (i < 22 || i > 24))
        .join("\n");
      const file = join(dir, "herd2-shm.jsonl");
      writeFileSync(file, two);
      const before = await replayPeak(file, 23);
      const after = await replayPeak(file);
      expect(after.steps).toBe(24);
      // The root holds the static live ranges and the segment's pages once each (the pages are
      // alike): a few MiB, not the kernel's ~300 MiB, so the orders are restored from it
      // rather than by running every step again (68 s for five openers before; issue 22).
      expect(after.rootMb).toBeGreaterThan(0);
      expect(after.rootMb).toBeLessThan(16);
      expect(after.peakMb - before.peakMb).toBeLessThan(40);
      expect(after.peakMb).toBeLessThan(450);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);

  it("243 lines of herds replay in seconds, the retry orders' identical states merged",
    async () => {
    const p = await replayPeak("fifo-herds.jsonl");
    expect(p.steps).toBe(242);
    // Every order leaves the same state: one world is kept, not 16.
    expect(p.worlds).toBe(1);
    expect(p.peakMb).toBeLessThan(150);
    // Only where a state may differ from the post-init one is copied and compared (wasm/reset.ts
    // liveRanges): a few MiB of the kernel's 32 MiB (issue 22: 550 passes over all of it took
    // 5-6 s).
    expect(p.rootMb).toBeLessThan(8);
    // Generous for a busy machine (idle: under 2 s; before the fix 44 s idle, 300 s busy).
    expect(p.ms).toBeLessThan(60_000);
  }, 120_000);
});
