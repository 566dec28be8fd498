// File times the host bridge cannot record (docs/linux-semantics.md 1.14 "File times"): a trace
// that needs a day of real time on Linux. fs/inode.c relatime_need_update updates an atime
// newer than mtime and ctime once it is 24 hours old (whole seconds); the model's rule, checked
// here against expectations written from the source.

import { describe, expect, test } from "vitest";
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
