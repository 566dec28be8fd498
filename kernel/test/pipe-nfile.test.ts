// Descriptions at the NFILE scale: 40 processes each open a FIFO 1,000 times and keep every
// description open (RLIMIT_NOFILE is 1024 a process, fs.file-max 65,536: kernel/param.ts), so
// description indices pass 32,768; then pipe() must still succeed. pipe2 once returned its two
// new descriptions packed as (write << 16) | read, which turned negative there and came back as
// an errno, leaking both descriptions (kernel_check failed).
//
// kernel_check() runs once at the end: after each of 40,000 steps it would walk every table.

import { describe, expect, test } from "vitest";
import { ModelReplay } from "../../sim/model/engine.js";
import { meetsExpectation } from "../../sim/replay.js";
import { parseTrace } from "../../sim/trace/parse.js";

const PROCS = 40;
const OPENS = 1000;
/** fds 0, 1 and 2 are /dev/null in every process (inherited from pid 2). */
const FIRST_FD = 3;

function traceText(): string {
  const lines = [
    `{"trace": "ipcsim", "version": 1, "name": "pipe-nfile"}`,
    `{"pid": 2, "call": "mkfifo", "path": "f", "mode": "0644", "expect": {"ret": 0}}`,
  ];
  for (let i = 1; i < PROCS; i++) {
    lines.push(`{"pid": 2, "call": "fork", "expect": {"ret": ${2 + i}}}`);
  }
  const open = `"call": "open", "path": "f", "flags": ["O_RDWR"]`;
  for (let pid = 2; pid < 2 + PROCS; pid++) {
    for (let n = 0; n < OPENS; n++) {
      lines.push(`{"pid": ${pid}, ${open}, "expect": {"ret": ${FIRST_FD + n}}}`);
    }
  }
  const fd = FIRST_FD + OPENS;
  lines.push(`{"pid": 2, "call": "pipe", "expect": {"ret": 0, "fds": [${fd}, ${fd + 1}]}}`);
  return lines.join("\n") + "\n";
}

describe("descriptions past index 32,768", () => {
  test("40 processes hold 1,000 FIFO opens each; pipe() then succeeds, kernel_check passes", () => {
    const trace = parseTrace(traceText(), "pipe-nfile");
    const model = new ModelReplay(trace, {});
    for (const step of trace.steps) {
      const allowed = model.step(step);
      if (!model.choose((o) => meetsExpectation(step, o))) {
        const got = JSON.stringify(allowed);
        expect.fail(`step ${step.index} (${step.call} by pid ${step.pid}): ${got}`);
      }
    }
    model.kernel.check();
  }, 120_000);
});
