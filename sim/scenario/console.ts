// The console: what a process writes to its fds 0, 1 and 2, shown as its output, a line at a
// time, in the order it happened (`# stdout (pid 3): text` in a run's text view, `--output-by-pid`
// grouped by process).
//
// The kernel keeps those descriptors on the first process's /dev/null description (kernel/
// file.ts), as the host bridge's agent opens them (host-bridge/agent/traced.c), so a trace that
// writes fd 1 behaves on the model as on Linux and still diffs: the console is no file kind of
// its own but that description, found by the kernel's fd table at each step (any descriptor on
// it: a dup of fd 1, a child's inherited copy; never a pipe fd 1 was dup2'ed to). The bytes are
// the step's own data, so the output is a projection of the trace.

import type { Kernel } from "../../wasm/kernel.js";
import type { Outcome, Step } from "../trace/types.js";
import type { ExecResult } from "./exec-result.js";

const FILE_NULL = 1; // kernel/file.ts: the null device, the only one in the model
const NOFILE = 1024; // RLIMIT_NOFILE (kernel/param.ts)

/** A console line as ExecResult.logs keeps it: `[pid N fd F] text`. */
function consoleLog(pid: number, fd: number, text: string): string {
  return `[pid ${pid} fd ${fd}] ${text}`;
}

/** The bytes a write step put on the console, or null. */
function consoleBytes(k: Kernel, step: Step, outcome: Outcome): Uint8Array | null {
  if (step.call !== "write" && step.call !== "writev") return null;
  const r = outcome.result;
  if (r === undefined || r === "blocked" || typeof r.ret !== "number" || r.ret <= 0) return null;
  const fd = step.args.fd;
  if (fd < 0 || fd >= NOFILE) return null;
  const file = k.x.k_fd_file(step.pid, fd);
  if (file < 0 || k.x.k_file_kind(file) !== FILE_NULL) return null;
  const data = step.call === "write" ? step.args.data : concat(step.args.iov);
  return data.subarray(0, r.ret);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

/** A recorded run's text lines besides its steps (ExecResult.logs, each after the step
 * logAt names): os.log lines, and each process's console writes cut into lines, per
 * descriptor (a line to stdout and one to stderr stay apart even when they interleave). */
export class RunOutput {
  /** The text after the last newline, by `pid fd`. */
  private readonly partial = new Map<string, string>();

  constructor(
    private readonly k: Kernel, private readonly r: ExecResult, private readonly record: boolean,
  ) {}

  /** A line after the last step (`[pid N] text` for os.log). */
  log(line: string): void {
    if (!this.record) return;
    this.r.logs.push(line);
    this.r.logAt.push(this.r.steps.length - 1);
  }

  /** After a step: its console bytes, as whole lines. */
  stepped(step: Step, outcome: Outcome): void {
    if (!this.record) return;
    const data = consoleBytes(this.k, step, outcome);
    if (data === null) return;
    const fd = (step.args as { fd: number }).fd;
    const key = `${step.pid} ${fd}`;
    const lines = ((this.partial.get(key) ?? "") + new TextDecoder().decode(data)).split("\n");
    this.partial.set(key, lines.pop()!);
    for (const l of lines) this.log(consoleLog(step.pid, fd, l));
  }

  /** The run is over: the unterminated lines. */
  flush(): void {
    for (const [key, text] of this.partial) {
      const [pid, fd] = key.split(" ").map(Number);
      if (text !== "") this.log(consoleLog(pid, fd, text));
    }
    this.partial.clear();
  }
}
