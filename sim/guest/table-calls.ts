// A C guest's calls made from the call table (wasm/calls.ts): for a Linux x86_64 number, the
// row of that number; its arguments read from the guest's registers and memory by kind
// (c-args.ts: a `bytes` argument is a pointer and a length, a `path` a C string, a `count`
// with a `data` output a buffer and its size, a struct by its address); the call made with
// `os.call`, as a trace step run as a program is (so the trace, the scheduler and the checks
// see an ordinary step); its outputs written back where the registers point; -errno in WASI's
// numbering. A call added to the table is reachable from C with no code here when its row
// says how (its registers are Linux's: outputRegister), or with one LAYOUT line when C passes
// something the row cannot say (an output slot before an input, a pointer to an int).

import {
  CALL_NAMES, CALL_TABLE, callSpec, type CallName, type OutputName,
} from "../../wasm/calls.js";
import { ModelError } from "../model/errors.js";
import { outputRegister } from "../model/calls.js";
import { ErrnoError } from "../scenario/errors.js";
import type { CallRequest } from "../scenario/os.js";
import { GuestFault, Regs, canRead, canWrite, readArg, writeOutput } from "./c-args.js";
import type { Guest } from "./runtime.js";
import { wasiErrno } from "./wasi-errno.js";

/** One register's meaning: an argument (read by its kind: it may take two registers), an
 * int read through a pointer (`*name`), an output buffer (`>name`; `>name+`: a buffer and a
 * length's address), an output at an argument's pointer (`>name@arg`), an unused one (`_`). */
type Token =
  | { arg: number; deref: boolean }
  | { out: OutputName; regs: 1 | 2 }
  | { out: OutputName; at: string }
  | { skip: true };

/** The calls whose C registers the row cannot say (Linux's prototypes). */
const LAYOUT: { readonly [C in CallName]?: string } = {
  poll: "fds nfds timeout >revents@fds",
  ppoll: "fds nfds timeout sigmask _ >revents@fds",
  epoll_wait: "epfd >events maxevents timeout",
  epoll_pwait: "epfd >events maxevents timeout sigmask _",
  accept4: "fd >addr+ flags",
  getsockname: "fd >addr+",
  getpeername: "fd >addr+",
  setsockopt: "fd level optname *value optlen",
  mq_timedreceive: "mqd >data size >prio timeout",
  mq_getsetattr: "mqd attr >stat",
  nanosleep: "req >rem",
  clock_nanosleep: "clock flags req >rem",
  fcntl: "fd cmd arg >flock@arg >owner@arg",
};

/** Calls C reaches otherwise: fork and exit (their own imports: the guest is copied, WASI's
 * proc_exit flushes stdio), sigaction (a C handler: syscalls.ts), and rows no process's C
 * code makes (a handler's return, the clock, CPU loads and stores of shared memory). */
const NOT_FROM_C = new Set<CallName>([
  "fork", "exit", "sigaction", "signal", "sigreturn", "advance", "store", "load", "cas", "xchg",
  "fetch_add",
]);

interface Plan {
  call: CallName;
  tokens: Token[];
}

function parseLayout(call: CallName, text: string): Token[] {
  const names = callSpec(call).args.map((a) => a.name);
  return text.split(" ").map((w): Token => {
    if (w === "_") return { skip: true };
    const at = /^>(\w+)@(\w+)$/.exec(w);
    if (at) return { out: at[1] as OutputName, at: at[2] };
    const out = /^>(\w+)(\+?)$/.exec(w);
    if (out) return { out: out[1] as OutputName, regs: out[2] ? 2 : 1 };
    const i = names.indexOf(w.replace(/^\*/, ""));
    if (i < 0) throw new Error(`assertion: ${call} layout names no argument ${w}`);
    return { arg: i, deref: w.startsWith("*") };
  });
}

/** The registers as the row says: its arguments in order, the output buffer where
 * outputRegister puts it in the kernel's registers (Linux's). */
function rowLayout(call: CallName): Token[] | string {
  const row = callSpec(call);
  const tokens: Token[] = row.args.map((_, i) => ({ arg: i, deref: false }));
  if (row.outputs.length === 0) return tokens;
  if (row.outputs.length > 1) return `its outputs (${row.outputs.join(", ")})`;
  let at: number;
  try {
    at = outputRegister(call, row);
  } catch {
    return "its registers";
  }
  // outputRegister counts registers; a SysV get's mode shares its flags' register, a sigset
  // takes two, bytes two.
  let reg = 0;
  let i = 0;
  for (; i < row.args.length && reg < at; i++) reg += regsOf(call, i);
  tokens.splice(i, 0, { out: row.outputs[0], regs: 1 });
  return tokens;
}

function regsOf(call: CallName, i: number): number {
  const a = callSpec(call).args;
  const k = a[i].kind;
  if (k === "mode" && a[i - 1]?.names === "ipcget") return 0;
  return k === "sigset" || k === "bytes" || k === "sops" || k === "sockaddr" ? 2 : 1;
}

/** The plan of each call C may make, or why it cannot yet (built on first use). */
const PLANS = new Map<number, Plan | string>();

function planOf(nr: number): Plan | string | undefined {
  const cached = PLANS.get(nr);
  if (cached !== undefined) return cached;
  const call = CALL_NAMES.find((c) => CALL_TABLE[c].nr === nr);
  if (call === undefined || NOT_FROM_C.has(call)) return undefined;
  const row = callSpec(call);
  const layout = LAYOUT[call];
  const tokens = layout ? parseLayout(call, layout) : rowLayout(call);
  let plan: Plan | string;
  if (typeof tokens === "string") plan = `${call} (${tokens})`;
  else {
    const bad = row.args.find((a) => !canRead(a.kind));
    const out = tokens.find((t) => "out" in t && !canWrite(t.out));
    plan = bad ? `${call} (its ${bad.kind} argument)`
      : out && "out" in out ? `${call} (its ${out.out} output)` : { call, tokens };
  }
  PLANS.set(nr, plan);
  return plan;
}

/** Make call `nr` with the guest's registers `regs`: its return, or -errno (WASI's). */
export async function tableCall(g: Guest, nr: number, regs: readonly number[]): Promise<number> {
  const plan = planOf(nr);
  if (plan === undefined) throw new ModelError(`system call ${nr} is not modelled for C guests`);
  if (typeof plan === "string") {
    throw new ModelError(`${plan} is not modelled for C guests yet`);
  }
  const row = callSpec(plan.call);
  const r = new Regs(regs);
  const args: Record<string, unknown> = {};
  const outs: { out: OutputName; at: number[] }[] = [];
  const argReg = new Map<string, number>();
  try {
    for (const t of plan.tokens) {
      if ("skip" in t) r.next();
      else if ("arg" in t) {
        const spec = row.args[t.arg];
        if (regsOf(plan.call, t.arg) === 0) continue; // splitIpcMode sets it
        argReg.set(spec.name, r.a[r.i] ?? 0);
        if (t.deref) args[spec.name] = derefInt(g, r.next());
        else args[spec.name] = readArg(g, r, spec, args);
      } else if ("regs" in t) {
        outs.push({ out: t.out, at: t.regs === 2 ? [r.next(), r.next()] : [r.next()] });
      } else outs.push({ out: t.out, at: [argReg.get(t.at) ?? 0] });
    }
    splitIpcMode(plan.call, args);
  } catch (e) {
    if (e instanceof GuestFault) return -wasiErrno("EFAULT");
    throw e;
  }
  return run(g, { call: plan.call, args } as CallRequest, outs, regs);
}

async function run(
  g: Guest, req: CallRequest, outs: { out: OutputName; at: number[] }[], regs: readonly number[],
): Promise<number> {
  try {
    const res = await g.os.call(req);
    for (const o of outs) writeOutput(g, o.out, o.at, res, regs);
    return typeof res.ret === "number" ? res.ret : 0;
  } catch (e) {
    if (e instanceof GuestFault) return -wasiErrno("EFAULT");
    if (!(e instanceof ErrnoError)) throw e;
    const rem = outs.find((o) => o.out === "rem");
    if (rem && e.rem) writeOutput(g, "rem", rem.at, { ret: -1, rem: e.rem }, regs);
    return -wasiErrno(e.code);
  }
}

function derefInt(g: Guest, at: number): number {
  if (at === 0 || at + 4 > g.view().byteLength) throw new GuestFault();
  return g.view().getInt32(at, true);
}

/** A SysV get's mode is the low 9 bits of its flags in C (msgget(2)), a field of its own in
 * the row. */
function splitIpcMode(call: CallName, args: Record<string, unknown>): void {
  const row = callSpec(call);
  const i = row.args.findIndex((a) => a.kind === "flags" && a.names === "ipcget");
  if (i < 0 || row.args[i + 1]?.kind !== "mode") return;
  const flags = args[row.args[i].name] as number;
  args[row.args[i].name] = flags & ~0o777;
  args[row.args[i + 1].name] = flags & 0o777;
}
