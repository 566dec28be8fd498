// The files generator (files-table.ts) on traces heavy in paths and regular files: the strict
// shadow (files-shadow.ts) agrees with the model, and the traces reach the states worth testing.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Outcome, Step } from "../sim/trace/types.js";
import { traceArb } from "./arbitraries.js";
import { collectStreams } from "./pipe-streams.js";
import { Shadow } from "./shadow.js";
import { replayPath, sharedKernel } from "./support.js";
import { HEAVY } from "./weights.js";
import "./timeouts.js";

describe("what the files generator reaches (100 traces of --heavy files, fixed seed)", () => {
  const counts = new Map<string, number>();
  let shadowErrors: string[] = [];
  const sample = fc.sample(traceArb({ weights: HEAVY.files.weights }), { numRuns: 100, seed: 42 });
  for (const g of sample) {
    const { path } = replayPath(g.trace, g.seed, sharedKernel());
    const seen = new Set<string>();
    const shadow = new Shadow(false);
    for (const p of path) {
      const step = g.steps[p.index];
      const fd = "fd" in step.args ? step.args.fd : -1;
      const kind = shadow.fdsOf(step.pid).find(([n]) => n === fd)?.[1].kind;
      const r = p.outcome.result;
      const ok = typeof r === "object" && typeof r.ret === "number" && r.ret > 0;
      if (kind === "file" && ok && step.call === "read") seen.add("read of a file");
      const write = step.call === "write" || step.call === "writev";
      if (kind === "file" && ok && write) seen.add("write to a file");
      feature(seen, step, p.outcome);
      shadow.apply(step, p.outcome);
      const got = ok && step.call === "openat" ? (r.ret as number) : -1;
      const opened = shadow.fdsOf(step.pid).find(([n]) => n === got)?.[1].kind;
      if (opened === "dir") seen.add("openat of a directory");
    }
    for (const k of seen) counts.set(k, (counts.get(k) ?? 0) + 1);
    try {
      collectStreams(g.trace, path); // a strict shadow: throws a ShadowError on disagreement
    } catch (e) {
      shadowErrors = [...shadowErrors, `${String(e)}\n${g.jsonl()}`];
    }
  }

  it("the shadow's rules (the tree, sizes, offsets, working directories) agree with the model",
    () => expect(shadowErrors.slice(0, 1)).toEqual([]));

  // Traces (of 100) that must show each feature; measured counts are about twice these.
  const floors: [string, number][] = [
    ["openat created", 24], ["openat of a directory", 10], ["openat blocked", 1],
    ["pread64 data", 2], ["pread64 short", 25], ["pwrite64 ok", 30], ["read of a file", 1],
    ["write to a file", 10], ["lseek SEEK_HOLE", 6], ["lseek ENXIO", 5], ["mkdir ok", 30],
    ["mkdir EEXIST", 10], ["rmdir ok", 10], ["rmdir ENOTEMPTY", 2], ["unlinkat ok", 10],
    ["chdir ok", 20], ["fchdir ok", 2], ["ftruncate ok", 2], ["truncate ok", 6],
    ["openat ENOTDIR", 15], ["openat EISDIR", 8], ["fork", 40],
  ];
  it.each(floors)("%s: in at least %i traces", (name, floor) => {
    const all = JSON.stringify([...counts].sort());
    expect(counts.get(name) ?? 0, all).toBeGreaterThanOrEqual(floor);
  });
});

function feature(seen: Set<string>, step: Step, o: Outcome): void {
  const r = o.result;
  if (r === "blocked") seen.add(`${step.call} blocked`);
  if (step.call === "fork") seen.add("fork");
  if (r === undefined || r === "blocked" || typeof r.ret !== "number") return;
  if (r.errno) seen.add(`${step.call} ${r.errno}`);
  else seen.add(`${step.call} ok`);
  const data = r.data?.length ?? 0;
  if (step.call === "openat" && r.ret >= 0 && step.raw.flags?.toString().includes("O_CREAT")) {
    seen.add("openat created");
  }
  if (step.call === "pread64" && data > 0) seen.add("pread64 data");
  if (step.call === "pread64" && r.ret >= 0 && r.ret < step.args.count) seen.add("pread64 short");
  if (step.call === "lseek" && r.ret >= 0 && step.raw.whence === "SEEK_HOLE") {
    seen.add("lseek SEEK_HOLE");
  }
}
