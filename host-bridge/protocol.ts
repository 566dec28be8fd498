// The driver's side of the agent protocol (host-bridge/agent/agent.c has the other side, and
// docs/host-bridge.md describes both): a decoded `Step` becomes one command line, and the
// agent's JSON reply becomes an `Outcome` (sim/trace/types.ts).
//
// Command line: `S step pid call n int1 .. intn hex`. `call` is the CALLS number (wasm/abi.ts),
// the integers are the call's fixed arguments ("-" = absent, masks as unsigned 64-bit decimals),
// then any variable list (semop sops as num op flags triples, SETALL values), and `hex` is the
// call's bytes (data or path) in hex, "-" when none, then "A" for a store or load whose address
// is an integer the trace wrote, not a ref (the agent refuses such an address outside the
// trace's mappings: agent/maps.c). Each call's layout is derived from its row in the call table
// (calls.ts LAYOUTS; the agent's copy is generated into agent/calls.gen.h).
//
// Replies carry raw numbers (errno values, signal numbers, wait statuses); this file names them.

import { CALLS, ERRNO, TEST_CALLS, TIME, type CallName, type ErrnoName } from "../wasm/abi.js";
import { decodeWaitStatus, signalName } from "../wasm/names.js";
import { ADDRESS_CALLS } from "../sim/trace/calls.js";
import { dropContOfExited } from "../sim/trace/compare.js";
import { toLong } from "../sim/trace/long.js";
import { sockaddrFromBytes } from "../sim/trace/sockaddr.js";
import { callSpec } from "../wasm/calls.js";
import { siginfoOf, type Siginfo } from "../sim/trace/siginfo.js";
import type {
  Flock, Outcome, OwnerEx, Result, StackT, Step, TimeOutputs, TraceEvent,
} from "../sim/trace/types.js";
import { ABSENT, encodeArgs, type AddressOf } from "./calls.js";

function hex(bytes: Uint8Array | undefined): string {
  return bytes && bytes.length > 0 ? Buffer.from(bytes).toString("hex") : ABSENT;
}

/** One step as the agent's command line (without the newline). */
export function encodeStep(step: Step, addr: AddressOf): string {
  const { ints, bytes } = encodeArgs(step.call, step.args, addr);
  const line = ["S", step.index, step.pid, CALLS[step.call], ints.length, ...ints, hex(bytes)];
  const access = step.call === "store" || step.call === "load";
  if (access && typeof step.raw.addr === "number") line.push("A"); // not a ref, not a scenario's
  return line.join(" ");
}

/** A test-only command (agent started with --test-calls): `pid` spins on the CPU for `ms`. */
export function encodeSpin(index: number, pid: number, ms: number): string {
  return ["S", index, pid, TEST_CALLS.spin, 1, ms, ABSENT].join(" ");
}

/** A test-only command (agent started with --test-calls): `pid` makes syscall `nr` with up to
 * three integer arguments (to test the seccomp filter: agent/seccomp.c). */
export function encodeRawSyscall(index: number, pid: number, nr: number, args: number[]): string {
  const ints = [nr, ...args, 0, 0, 0].slice(0, 4);
  return ["S", index, pid, TEST_CALLS.rawSyscall, 4, ...ints, ABSENT].join(" ");
}

/** The `I` line: CLOCK_REALTIME's start (the header's `realtime`, whole seconds) and the
 * header's sysctls (kernel.sem as a comma list). */
export function encodeInit(
  params: Record<string, number | number[]>, realtime: number = TIME.REALTIME_START_SEC,
): string {
  const pairs = Object.entries(params).map(([k, v]) => `${k}=${[v].flat().join(",")}`);
  return ["I", `realtime=${realtime}`, ...pairs].join(" ");
}

// ---- replies ----

/** Time outputs come already on the trace's virtual timeline (agent/time.c). */
type AgentResult = TimeOutputs & {
  ret: number;
  errno?: number;
  data?: string;
  /** A decimal string beyond 2^53 (agent/procs.c), which a JSON number cannot carry. */
  mtype?: number | string;
  fds?: [number, number];
  status?: number;
  stat?: Record<string, unknown>;
  values?: number[];
  set?: number[];
  oldset?: number[];
  owner?: OwnerEx;
  flock?: Flock;
  /** sigaltstack's old setting, sp in the trace's numbering (agent/calls_sig.c). */
  oldss?: StackT;
  /** sigtimedwait's siginfo. */
  info?: AgentSiginfo;
  /** poll's and ppoll's revents, as bits (agent/calls_poll.c). */
  revents?: number[];
  /** select's and pselect6's sets as written back (agent/calls_poll.c). */
  readfds?: number[];
  writefds?: number[];
  exceptfds?: number[];
  /** getsockopt's int value and length. */
  optval?: number;
  optlen?: number;
  /** epoll_wait's and epoll_pwait's events (agent/calls_epoll.c). */
  events?: { events: number; data: number }[];
};

/** A siginfo as numbers (agent/calls_sig.c siginfo_json), pid and uid in the model's terms. */
interface AgentSiginfo {
  signo: number; code: number; pid: number; uid: number; status: number; value: number;
}

type AgentEvent =
  | { wake: number; step: number; result: AgentResult }
  | { signal: number; pid: number; value?: number; frame?: true; info?: AgentSiginfo }
  | { exit: number; status: number }
  | { stop: number }
  | { cont: number };

export interface AgentReply {
  step: number;
  result?: AgentResult | "blocked";
  events?: AgentEvent[];
  invalid?: string;
  fault?: string;
  /** The host fell behind the trace's time: the run cannot be judged (the agent exits). */
  inconclusive?: string;
  /** How long after its instant's ideal real time the step ended (once time is paced). */
  late_ns?: number;
}

export interface AgentReady {
  ready: true;
  namespaces: boolean;
  workdir: string;
  pgid: number;
  data_bytes_max: number;
  reason: string;
  notes: string[];
}

/** Linux errno names wasm/abi.ts does not list (asm-generic/errno*.h), so that a surprise from
 * the host still reads as a name. */
const MORE_ERRNO: Record<number, string> = {
  8: "ENOEXEC", 15: "ENOTBLK", 18: "EXDEV", 19: "ENODEV", 26: "ETXTBSY", 30: "EROFS", 31: "EMLINK",
  33: "EDOM", 39: "ENOTEMPTY", 40: "ELOOP", 61: "ENODATA", 62: "ETIME", 75: "EOVERFLOW",
  84: "EILSEQ", 88: "ENOTSOCK", 90: "EMSGSIZE", 95: "EOPNOTSUPP", 110: "ETIMEDOUT",
};
const ERRNO_NAMES = new Map<number, string>(Object.entries(ERRNO).map(([k, v]) => [v, k]));

export function errnoName(n: number): ErrnoName {
  return (ERRNO_NAMES.get(n) ?? MORE_ERRNO[n] ?? `E${n}`) as ErrnoName;
}

/** Outputs that travel as they are: the time outputs, mq_timedreceive's priority,
 * getsockopt's value and length. */
const TIME_OUTPUTS = [
  "tp", "res", "tv", "rem", "curr", "old", "timerid", "prio", "optval", "optlen",
] as const;

export function decodeResult(call: CallName, r: AgentResult | "blocked"): Result {
  if (r === "blocked") return "blocked";
  const opaque = ADDRESS_CALLS.includes(call) && r.ret !== -1;
  const out: Exclude<Result, "blocked"> = { ret: opaque ? "address" : r.ret };
  if (r.errno !== undefined) out.errno = errnoName(r.errno);
  if (r.data !== undefined) {
    const bytes = new Uint8Array(Buffer.from(r.data, "hex"));
    // An address result travels as the name's bytes (agent/calls_net.c), as long as it is.
    if (hasAddr(call)) out.addr = sockaddrFromBytes(bytes, bytes.length);
    else out.data = bytes;
  }
  if (r.mtype !== undefined) out.mtype = toLong(BigInt(r.mtype));
  if (r.fds !== undefined) out.fds = [r.fds[0], r.fds[1]];
  if (r.status !== undefined) out.status = decodeWaitStatus(r.status);
  if (r.stat !== undefined) out.stat = r.stat; // modes stay numbers, as parse.ts decodes them
  if (r.values !== undefined) out.values = r.values;
  if (r.set !== undefined) out.set = r.set.map(signalName);
  if (r.oldset !== undefined) out.oldset = r.oldset.map(signalName);
  if (r.owner !== undefined) out.owner = { type: r.owner.type, pid: r.owner.pid };
  if (r.flock !== undefined) out.flock = { ...r.flock };
  if (r.oldss !== undefined) out.oldss = { ...r.oldss };
  for (const k of TIME_OUTPUTS) if (r[k] !== undefined) Object.assign(out, { [k]: r[k] });
  if (r.dirents !== undefined) out.dirents = r.dirents;
  if (r.info !== undefined) out.info = siginfoFrom(r.info);
  if (r.revents !== undefined) out.revents = r.revents;
  if (r.readfds !== undefined) out.readfds = r.readfds;
  if (r.writefds !== undefined) out.writefds = r.writefds;
  if (r.exceptfds !== undefined) out.exceptfds = r.exceptfds;
  if (r.events !== undefined) out.events = r.events;
  return out;
}

function hasAddr(call: CallName): boolean {
  return (callSpec(call).outputs as readonly string[]).includes("addr");
}

/** The call made at step k (wake results are decoded by the call that blocked). */
type CallOf = (step: number) => CallName;

function siginfoFrom(i: AgentSiginfo): Siginfo {
  return siginfoOf(i.signo, i.code, i.pid, i.uid, i.status, i.value);
}

/** The events of a reply. */
function decodeEvents(events: AgentEvent[], callOf: CallOf): TraceEvent[] {
  return events.map((e): TraceEvent => {
    if ("wake" in e) {
      return { wake: e.wake, step: e.step, result: decodeResult(callOf(e.step), e.result) };
    }
    if ("signal" in e) {
      const signal = signalName(e.signal);
      const out: TraceEvent = { signal, pid: e.pid };
      if (e.value !== undefined) out.value = e.value;
      if (e.frame) out.frame = true;
      if (e.info !== undefined) out.info = siginfoFrom(e.info);
      return out;
    }
    if ("exit" in e) return { exit: e.exit, status: decodeWaitStatus(e.status) };
    if ("stop" in e) return { stop: e.stop };
    return { cont: e.cont };
  });
}

export function decodeOutcome(step: Step, reply: AgentReply, callOf: CallOf): Outcome {
  const outcome: Outcome = {
    step: step.index,
    pid: step.pid,
    call: step.call,
    events: dropContOfExited(decodeEvents(reply.events ?? [], callOf)),
  };
  if (reply.result !== undefined) outcome.result = decodeResult(step.call, reply.result);
  return outcome;
}
