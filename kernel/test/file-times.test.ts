// File times the host bridge cannot record (docs/linux-semantics.md 1.14 "File times"):
// - a trace that needs a day of real time on Linux. fs/inode.c relatime_need_update updates an
//   atime newer than mtime and ctime once it is 24 hours old (whole seconds);
// - the outcome of a coarse clock tick between a change and a read of one instant, which the
//   host gives or not as its jiffies fall (kernel/inode.ts inodeTouchAtime: a branch).
// The model's rules, checked here against expectations written from the source.

import { describe, expect, test } from "vitest";
import { ModelReplay } from "../../sim/model/engine.js";
import { checkTrace } from "../../sim/replay.js";
import { checkText } from "../../sim/report.js";
import { parseTrace } from "../../sim/trace/parse.js";

const T = 1767225600;
const DAY = 24 * 60 * 60;

const line = (o: object) => JSON.stringify(o);
const advance = (sec: number) => line({ call: "advance", by: { sec, nsec: 0 } });
const atime = (sec: number) =>
  line({ pid: 2, call: "fstat", fd: 3, expect: { ret: 0, stat: { st_atim: { sec, nsec: 0 } } } });
const read = line({ pid: 2, call: "pread64", fd: 3, count: 1, offset: 0 });

describe("relatime's day-old atime (fs/inode.c relatime_need_update)", () => {
  test("an atime newer than mtime and ctime is updated by a read a day later, not before", () => {
    const text = [
      line({ trace: "ipcsim", version: 1, name: "relatime-day", description: "model only" }),
      line({ pid: 2, call: "open", path: "f", flags: ["O_CREAT", "O_RDWR"], mode: "0644" }),
      advance(1), read, atime(T + 1), // the first read after the change
      advance(DAY - 1), read, atime(T + 1), // 23:59:59 later: relatime keeps it
      advance(1), read, atime(T + 1 + DAY), // a day: updated
    ].join("\n");
    const trace = parseTrace(text, "<relatime-day>");
    const r = checkTrace(trace, { check: true });
    if (r.divergence) expect.fail(checkText(trace, r, "kernel/test/file-times.test.ts").join("\n"));
    expect(r.steps).toBe(trace.steps.length);
  });
});

/** The trace's verdict: null when the model allows every expectation, else the divergence. */
function verdict(lines: string[], name: string): string | null {
  const trace = parseTrace(lines.join("\n"), `<${name}>`);
  const r = checkTrace(trace, { check: true });
  return r.divergence ? checkText(trace, r, name).join("\n") : null;
}

describe("a change and a read of one instant (the coarse clock may tick between them)", () => {
  const steps = (second: number, third: number) => [
    line({ trace: "ipcsim", version: 1, name: "same-instant", description: "model only" }),
    line({ pid: 2, call: "open", path: "f", flags: ["O_CREAT", "O_RDWR"], mode: "0644" }),
    line({ pid: 2, call: "write", fd: 3, data: "x" }),
    read, // atime of the change's instant, stamped after it: equal to ctime, or a tick later
    advance(1), read, atime(second),
    advance(1), read, atime(third),
  ];

  test("a later read updates atime (no tick: kernel/test/cases/files-times-same-instant)",
    () => expect(verdict(steps(T + 1, T + 1), "no-tick")).toBeNull());
  test("or does not, and then never does (a tick: atime stays later than ctime)",
    () => expect(verdict(steps(T, T), "tick")).toBeNull());
  test("but not both: once kept, atime is not updated by a third read", () =>
    expect(verdict(steps(T, T + 2), "mixed")).toMatch(/divergence at step 8 .*fstat/));
  test("and a read in the change's own instant decides nothing (no branch)", () => {
    const text = [
      line({ trace: "ipcsim", version: 1, name: "one-instant", description: "model only" }),
      line({ pid: 2, call: "open", path: "f", flags: ["O_CREAT", "O_RDWR"], mode: "0644" }),
      line({ pid: 2, call: "write", fd: 3, data: "x" }), read, read, read,
    ].join("\n");
    const trace = parseTrace(text, "<one-instant>");
    const m = new ModelReplay(trace, { check: true });
    for (const step of trace.steps) {
      expect(m.step(step)).toHaveLength(1);
      m.chooseAll();
      expect(m.worldCount()).toBe(1);
    }
  });
});
