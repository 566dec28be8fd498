// The run's text view (issue 13, "The text views"): steps numbered as deadlock explanations
// cite them, `-e trace=`/`-p` filters, `os.log` lines that cannot be taken for calls.

import { describe, expect, test } from "vitest";
import type { Os } from "./os.js";
import { run } from "./run.js";
import { stepFilter } from "../trace/filter.js";
import { replayTrace } from "../replay.js";
import { replayText } from "../report.js";
import { parseTrace } from "../trace/parse.js";

/** A leaked write end: the child blocks in read forever, the parent in waitpid. */
async function leak(os: Os) {
  const [r, w] = await os.pipe();
  const child = await os.fork(async (c) => {
    c.log("read(3) = 5 hello");
    while ((await c.read(r, 64)).length > 0) {}
  });
  await os.close(r);
  await os.write(w, "hello");
  await os.close(w);
  await os.waitpid(child, 0);
}

describe("the run view", () => {
  test("numbers each step as the deadlock explanation cites it (main printed none)", async () => {
    const r = await run(leak, { seed: 0 });
    expect(r.verdict.kind).toBe("deadlock");
    const text = r.text();
    const cited = [...text.join("\n").matchAll(/pid (\d+) blocked in (\w+)\(.*?\(step (\d+)\)/g)];
    expect(cited.length).toBe(2);
    for (const [, pid, call, step] of cited) {
      const line = text.find((l) => l.startsWith(`${step.padStart(4)} `));
      expect(line).toMatch(new RegExp(`^ *${step} \\[pid ${pid}\\] ${call}\\(.*<unfinished`));
    }
  });

  test("numbers steps as `replay` of the run's trace does", async () => {
    const r = await run(leak, { seed: 0 });
    const trace = parseTrace(r.trace(), "run.jsonl");
    const replayed = replayText(trace, replayTrace(trace, 0), 0);
    const numbered = (lines: string[]) => lines.filter((l) => /^ *\d+ \[pid/.test(l));
    expect(numbered(replayed)).toEqual(numbered(r.text()));
  });

  test("os.log lines are marked so that they cannot be taken for a call (main printed " +
    "`[pid 3] read(3) = 5 hello`)", async () => {
    const text = (await run(leak, { seed: 0 })).text();
    expect(text).toContain("     # os.log (pid 3): read(3) = 5 hello");
    expect(text.filter((l) => /^\s*(\d+ )?\[pid 3\] read\(3\) = 5 hello/.test(l))).toEqual([]);
  });

  test("-e trace= and -p hide steps and their events, never the verdict", async () => {
    const r = await run(leak, { seed: 0 });
    const reads = r.text(stepFilter(["trace=read"], undefined));
    expect(reads.filter((l) => /\[pid \d+\] \w+\(/.test(l)).every((l) => / read\(/.test(l)))
      .toBe(true);
    expect(reads.some((l) => l.startsWith("verdict: deadlock"))).toBe(true);
    expect(reads.some((l) => l.includes("blocked in waitpid"))).toBe(true);
    const pid2 = r.text(stepFilter(undefined, ["2"]));
    expect(pid2.some((l) => l.includes("[pid 3]"))).toBe(false);
    expect(pid2.some((l) => l.includes("os.log"))).toBe(false);
    expect(pid2.some((l) => / \[pid 2\] waitpid\(/.test(l))).toBe(true);
  });
});

test("the run's summary has its plurals right: 1 preemption (main said `preemptions: 1`)",
  async () => {
    const semCycle = (await import("./testdata/sem-cycle.js")).default;
    const r = await run(semCycle, { strategy: "replay", replay: "01" });
    expect(r.preemptions).toBe(1);
    expect(r.text()).toContain("7 steps, 3 decisions, 1 preemption");
  });

test("a pipe has the same number in the deadlock explanation, the run's final state and " +
  "`replay` of its trace (main: #1 in the explanation, #0 in replay)", async () => {
  const r = await run(leak, { seed: 0 });
  const text = r.text().join("\n");
  expect(text).toContain("on pipe #1 (empty)");
  expect(text).toContain("  pipe #1: 1 reader, 1 writer, 0 bytes in 0/16 slots");
  const trace = parseTrace(r.trace(), "run.jsonl");
  expect(replayText(trace, replayTrace(trace, 0), 0))
    .toContain("  pipe #1: 1 reader, 1 writer, 0 bytes in 0/16 slots");
});
