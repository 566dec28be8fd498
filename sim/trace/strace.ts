// A strace-like text view of steps and outcomes, for people reading a run:
//
//      4 [pid 2] write(4, "hello", 5) = 5
//      5 [pid 3] read(3, 5) <unfinished ...>
//      6 [pid 2] close(4) = 0
//        [pid 3] <... read resumed> = 5 "hello"
//      7 [pid 2] msgrcv(0, 64, 0, IPC_NOWAIT) = -1 ENOMSG (No message of desired type)
//      8 [pid 2] kill(3, SIGUSR1) = 0
//        [pid 3] --- SIGUSR1 ---
//      9 --- time passes: +1.000000000 s (t=2.500000000 s) ---
//
// Each step's line starts with its number (its index in the trace, what "step 8" means in a
// deadlock explanation); the events it caused follow it, indented.
// Like strace: flags by C name joined with "|", strings escaped and cut after 32 bytes with
// "..." after the quote, signal sets as [USR1 USR2]. Unlike strace, a call's outputs (data read,
// fds, status, stat) follow its return value instead of filling an argument, because the trace
// names inputs and outputs separately; and a `ref` address prints as ref(7)+16.

import { sockaddrBytes, sockaddrText } from "./sockaddr.js";
import { FLAGS, FLAG_BITS, HANDLERS, type ErrnoName } from "../../wasm/abi.js";
import { callSpec, type ArgKind, type ArgSpec, type CallName } from "../../wasm/calls.js";
import {
  ADDRESS_CALLS, NAMES, futexCommand, nameOfValue, namesOf, splitFlags, type Names,
} from "./calls.js";
import { signalNameOf, signalNumber } from "../../wasm/names.js";
import { utf8Bytes } from "./bytes.js";
import { direntsText } from "./dirents.js";
import { fdsetText, pollfdsText, reventsText } from "./poll.js";
import { epollEventText, epollEventsText } from "./epoll.js";
import { octal } from "./serialise.js";
import { isModeField } from "./stat-names.js";
import type { StepFilter } from "./filter.js";
import type { Siginfo } from "./siginfo.js";
import type {
  CallArgs, Flock, IntArg, Itimerspec, Itimerval, KindTypes, Outcome, OwnerEx, Result, Sigevent,
  StackT, Step, Timespec, Timeval, TraceEvent, WaitStatus,
} from "./types.js";

/** strace's default -s: bytes of a string printed before "...". */
const STRING_BYTES_SHOWN = 32;

/** strerror(3) texts (glibc's) for every errno in wasm/abi.ts; keyed by its names, so an errno
 * added there without a text here does not compile. */
export const STRERROR: { readonly [E in ErrnoName]: string } = {
  EPERM: "Operation not permitted",
  ENOENT: "No such file or directory",
  ESRCH: "No such process",
  EINTR: "Interrupted system call",
  EIO: "Input/output error",
  ENXIO: "No such device or address",
  E2BIG: "Argument list too long",
  EBADF: "Bad file descriptor",
  ECHILD: "No child processes",
  EAGAIN: "Resource temporarily unavailable",
  ENOMEM: "Cannot allocate memory",
  EACCES: "Permission denied",
  EFAULT: "Bad address",
  EBUSY: "Device or resource busy",
  EEXIST: "File exists",
  EXDEV: "Invalid cross-device link",
  ENODEV: "No such device",
  ENOTDIR: "Not a directory",
  EISDIR: "Is a directory",
  EINVAL: "Invalid argument",
  ENFILE: "Too many open files in system",
  EMFILE: "Too many open files",
  ENOTTY: "Inappropriate ioctl for device",
  EFBIG: "File too large",
  ENOSPC: "No space left on device",
  ESPIPE: "Illegal seek",
  EROFS: "Read-only file system",
  EMLINK: "Too many links",
  EPIPE: "Broken pipe",
  ERANGE: "Numerical result out of range",
  EDEADLK: "Resource deadlock avoided",
  ENOLCK: "No locks available",
  ENAMETOOLONG: "File name too long",
  ENOSYS: "Function not implemented",
  ENOTEMPTY: "Directory not empty",
  ELOOP: "Too many levels of symbolic links",
  ENOMSG: "No message of desired type",
  EIDRM: "Identifier removed",
  ENOPKG: "Package not installed",
  EOVERFLOW: "Value too large for defined data type",
  ENOTSOCK: "Socket operation on non-socket",
  EDESTADDRREQ: "Destination address required",
  EOPNOTSUPP: "Operation not supported",
  EMSGSIZE: "Message too long",
  EPROTOTYPE: "Protocol wrong type for socket",
  ENOPROTOOPT: "Protocol not available",
  EPROTONOSUPPORT: "Protocol not supported",
  ESOCKTNOSUPPORT: "Socket type not supported",
  EAFNOSUPPORT: "Address family not supported by protocol",
  EADDRINUSE: "Address already in use",
  ECONNRESET: "Connection reset by peer",
  ENOBUFS: "No buffer space available",
  EISCONN: "Transport endpoint is already connected",
  ENOTCONN: "Transport endpoint is not connected",
  ETIMEDOUT: "Connection timed out",
  ECONNREFUSED: "Connection refused",
};

/** A step and its caller's result: a completed call, a blocked one, or (result undefined) a
 * call that did not return (`exit`, or killed inside the call), printed `= ?` as strace does.
 * An advance is time passing, with the virtual time after it when `steps` (the trace's, up to
 * this one at least) let it be summed. */
export function formatStep(
  step: Step, result: Result | undefined, steps?: readonly Step[],
): string {
  if (step.call === "advance") return timePasses(step, steps);
  const head = `[pid ${step.pid}] ${step.call}(${formatArgs(step).join(", ")})`;
  if (result === undefined) return `${head} = ?`;
  if (result === "blocked") return `${head} <unfinished ...>`;
  return `${head} = ${formatReturn(result, step)}`;
}

/** The lines for a step's outcome: the call line, then one line per event. `steps` (the
 * trace's) lets a wake line name the call it resumes and print its return value fully. */
export function formatOutcome(step: Step, outcome: Outcome, steps?: readonly Step[]): string[] {
  return [
    formatStep(step, outcome.result, steps), ...outcome.events.map((e) => formatEvent(e, steps)),
  ];
}

/** Width of the views' step-number column (a longer number widens its own lines). */
const STEP_COLUMN = 4;

/** The lines the text views (`replay`, `run`) print for a step: the call line led by the
 * step's number (its index in the trace: the number deadlock explanations and the final state
 * cite, "step 8"), then its events indented under it. With a filter (sim/trace/filter.ts),
 * only what it shows: nothing of a hidden step, except a wake event resuming a call the
 * filter shows (as strace shows `<... read resumed>` under `-e trace=read`). */
export function numberedLines(
  step: Step, outcome: Outcome, steps?: readonly Step[], filter?: StepFilter,
): string[] {
  const number = String(step.index).padStart(STEP_COLUMN);
  const indent = " ".repeat(number.length);
  const shown = filter === undefined || filter(step.pid, step.call);
  const lines = shown ? [`${number} ${formatStep(step, outcome.result, steps)}`] : [];
  for (const e of outcome.events) {
    const resumed = "wake" in e ? steps?.[e.step]?.call : undefined;
    const show = filter === undefined ||
      (resumed !== undefined && "wake" in e ? filter(e.wake, resumed) : shown);
    if (show) lines.push(`${indent} ${formatEvent(e, steps)}`);
  }
  return lines;
}

/** Blank space the width of the step-number column, for lines under a step (comments). */
export function stepIndent(step: Step): string {
  return " ".repeat(Math.max(STEP_COLUMN, String(step.index).length));
}

const NSEC_PER_SEC = 1_000_000_000;

/** Seconds with nine decimals: "1.500000000". */
function seconds(ns: bigint): string {
  const sec = ns / BigInt(NSEC_PER_SEC);
  return `${sec}.${(ns % BigInt(NSEC_PER_SEC)).toString().padStart(9, "0")}`;
}

const nsOf = (t: Timespec) => BigInt(t.sec) * BigInt(NSEC_PER_SEC) + BigInt(t.nsec);

/** `--- time passes: +1.000000000 s (t=2.500000000 s) ---`: t is the monotonic clock after it
 * (the sum of the trace's advances up to this one). */
function timePasses(step: Extract<Step, { call: "advance" }>, steps?: readonly Step[]): string {
  const by = `+${seconds(nsOf(step.args.by))} s`;
  if (steps === undefined || steps[step.index] !== step) return `--- time passes: ${by} ---`;
  let now = 0n;
  for (const s of steps.slice(0, step.index + 1)) if (s.call === "advance") now += nsOf(s.args.by);
  return `--- time passes: ${by} (t=${seconds(now)} s) ---`;
}

export function formatEvent(e: TraceEvent, steps?: readonly Step[]): string {
  if ("wake" in e) {
    const woken = steps?.[e.step];
    const name = woken?.call ?? `step ${e.step}`;
    const r = e.result;
    const rest = r === "blocked" ? "<unfinished ...>" : `= ${formatReturn(r, woken)}`;
    return `[pid ${e.wake}] <... ${name} resumed> ${rest}`;
  }
  if ("signal" in e) {
    // Without a siginfo (an older trace), si_code is SI_QUEUE (sigqueue) or SI_TIMER (a POSIX
    // timer) when there is a value: the event does not say which.
    const info = e.info !== undefined ? ` ${siginfoText(e.info)}`
      : e.value === undefined ? "" : ` {si_value=${e.value}}`;
    // A `calls` handler's frame opened: its steps follow, up to the pid's sigreturn.
    const frame = e.frame ? " (handler runs: its calls follow until sigreturn)" : "";
    return `[pid ${e.pid}] --- ${e.signal}${info}${frame} ---`;
  }
  if ("exit" in e) return `[pid ${e.exit}] +++ ${exitText(e.status)} +++`;
  if ("stop" in e) return `[pid ${e.stop}] --- stopped ---`;
  return `[pid ${e.cont}] --- continued ---`;
}

function exitText(s: WaitStatus): string {
  if ("exited" in s) return `exited with ${s.exited}`;
  if ("signaled" in s) return `killed by ${s.signaled}${s.core ? " (core dumped)" : ""}`;
  if ("stopped" in s) return `stopped by ${s.stopped}`;
  return "continued";
}

/** The text after "= ": the return value (an errno with its text), then the outputs. */
function formatReturn(r: Exclude<Result, "blocked">, step?: Step): string {
  if (r.errno !== undefined) return `${r.ret} ${r.errno} (${STRERROR[r.errno]})`;
  return [formatRet(r.ret, step), ...formatOutputs(r)].join(" ");
}

function formatRet(ret: number | "address", step?: Step): string {
  if (ret === "address") return "<address>";
  if (step === undefined) return String(ret);
  if (ADDRESS_CALLS.includes(step.call) && ret >= 0) return hex(ret);
  if (step.call === "fcntl" && ret >= 0) {
    if (step.args.cmd === NAMES.fcntl.F_GETFL) return `${hex(ret)} (flags ${openFlags(ret)})`;
    if (step.args.cmd === NAMES.fcntl.F_GETFD) {
      return `${hex(ret)} (flags ${flagsToString(ret, NAMES.fd)})`;
    }
  }
  return String(ret);
}

function formatOutputs(r: Exclude<Result, "blocked">): string[] {
  const out: string[] = [];
  if (r.mtype !== undefined) out.push(`{${r.mtype}, ${quoteBytes(r.data ?? new Uint8Array())}}`);
  else if (r.data !== undefined) out.push(quoteBytes(r.data));
  if (r.fds !== undefined) out.push(`[${r.fds[0]}, ${r.fds[1]}]`);
  if (r.status !== undefined) out.push(`[${statusText(r.status)}]`);
  if (r.stat !== undefined) out.push(formatStruct(r.stat));
  if (r.values !== undefined) out.push(`[${r.values.join(", ")}]`);
  if (r.set !== undefined) out.push(signalSet(r.set.map((s) => signalNumber(s) ?? 0)));
  if (r.oldset !== undefined) out.push(signalSet(r.oldset.map((s) => signalNumber(s) ?? 0)));
  if (r.owner !== undefined) out.push(ownerText(r.owner));
  if (r.flock !== undefined) out.push(flockText(r.flock));
  if (r.oldss !== undefined) out.push(stackText(r.oldss));
  for (const key of ["tp", "res", "tv", "rem"] as const) {
    const t = r[key];
    if (t !== undefined) out.push(`${key}=${timeText(t)}`);
  }
  if (r.curr !== undefined) out.push(`curr=${timerText(r.curr)}`);
  if (r.old !== undefined) out.push(`old=${timerText(r.old)}`);
  if (r.timerid !== undefined) out.push(`timerid=${r.timerid}`);
  if (r.prio !== undefined) out.push(`prio=${r.prio}`);
  if (r.dirents !== undefined) out.push(direntsText(r.dirents));
  if (r.info !== undefined) out.push(siginfoText(r.info));
  if (r.revents !== undefined) out.push(reventsText(r.revents));
  if (r.events !== undefined) out.push(epollEventsText(r.events));
  for (const key of ["readfds", "writefds", "exceptfds"] as const) {
    const set = r[key];
    if (set !== undefined) out.push(`${key}=${fdsetText(set)}`);
  }
  if (r.optval !== undefined) out.push(`optval=${r.optval}, optlen=${r.optlen}`);
  if (r.addr !== undefined) out.push(`addr=${sockaddrText(r.addr)}`);
  return out;
}

function siginfoText(i: Siginfo): string {
  return `{si_signo=${i.signo}, si_code=${i.code}, si_pid=${i.pid}, si_uid=${i.uid}, ` +
    `si_status=${i.status}, si_value=${i.value}}`;
}

/** A struct f_owner_ex as strace prints it: {type=F_OWNER_PID, pid=3}. */
function ownerText(o: OwnerEx): string {
  return `{type=${nameOf(o.type, NAMES.owner)}, pid=${o.pid}}`;
}

/** A struct flock as strace prints it: {l_type=F_WRLCK, l_whence=SEEK_SET, l_start=0,
 * l_len=10, l_pid=0}. */
function flockText(f: Flock): string {
  return `{l_type=${nameOf(f.l_type, NAMES.locktype)}, ` +
    `l_whence=${nameOf(f.l_whence, NAMES.whence)}, l_start=${f.l_start}, l_len=${f.l_len}, ` +
    `l_pid=${f.l_pid}}`;
}

/** A stack_t as strace prints it: {ss_sp=0x10000, ss_flags=SS_ONSTACK, ss_size=65536}. */
function stackText(s: StackT | null): string {
  if (s === null) return "NULL";
  return `{ss_sp=0x${s.sp.toString(16)}, ss_flags=${flagsToString(s.flags, NAMES.ss)}, ` +
    `ss_size=${s.size}}`;
}

/** A timespec or timeval as strace prints it: {tv_sec=1, tv_nsec=500000000}. */
function timeText(t: Timespec | Timeval | null): string {
  if (t === null) return "NULL";
  const sub = "nsec" in t ? `tv_nsec=${t.nsec}` : `tv_usec=${t.usec}`;
  return `{tv_sec=${t.sec}, ${sub}}`;
}

/** An itimerval or itimerspec: {it_interval={...}, it_value={...}}. */
function timerText(t: Itimerval | Itimerspec | null): string {
  if (t === null) return "NULL";
  return `{it_interval=${timeText(t.interval)}, it_value=${timeText(t.value)}}`;
}

/** A sigevent as strace prints it: {sigev_value={sival_int=7}, sigev_signo=SIGUSR1, ...}. */
function sigeventText(e: Sigevent | null): string {
  if (e === null) return "NULL";
  const notify = nameOf(e.notify, NAMES.sigev);
  return `{sigev_value={sival_int=${e.value}}, sigev_signo=${signalName(e.signo)}, ` +
    `sigev_notify=${notify}}`;
}

/** A wait status as strace prints it: {WIFEXITED(s) && WEXITSTATUS(s) == 0}. */
function statusText(s: WaitStatus): string {
  if ("exited" in s) return `{WIFEXITED(s) && WEXITSTATUS(s) == ${s.exited}}`;
  if ("signaled" in s) {
    return `{WIFSIGNALED(s) && WTERMSIG(s) == ${s.signaled}${s.core ? " && WCOREDUMP(s)" : ""}}`;
  }
  if ("stopped" in s) return `{WIFSTOPPED(s) && WSTOPSIG(s) == ${s.stopped}}`;
  return "{WIFCONTINUED(s)}";
}

// ---- arguments ----

function formatArgs(step: Step): string[] {
  const special = SPECIAL[step.call] as ((a: unknown) => string[]) | undefined;
  if (special) return special(step.args);
  const args = step.args as Record<string, unknown>;
  return callSpec(step.call).args.flatMap((spec) =>
    (KIND_TEXT[spec.kind] as KindText<ArgKind>)(args[spec.name] as never, spec));
}

const str = String;

/** How strace prints each argument kind (some kinds print two arguments: bytes and a sembuf
 * array are followed by their length, as the C call takes them). */
type KindText<K extends ArgKind> = (v: KindTypes[K], spec: ArgSpec) => string[];
const one = (v: unknown) => [str(v)];
const KIND_TEXT: { [K in ArgKind]: KindText<K> } = {
  int: one, fd: one, target: one, msqid: one, semid: one, shmid: one, count: one, sigval: one,
  key: (v) => [ipcKey(v)],
  mode: (v) => [octal(v)],
  flags: (v, spec) => [flagsText(v, spec)],
  command: (v, spec) => [nameOf(v, namesOf(spec))],
  signal: (v) => [v === 0 ? "0" : signalName(v)],
  sigset: (v) => [signalSet(v)],
  addr: (v) => [address(v)],
  path: (v) => [quoteText(v)],
  bytes: (v) => [quoteBytes(v), str(v.length)],
  // strace: [{iov_base="ab", iov_len=2}, ...], then the count.
  iov: (v) => [`[${v.map((b) => `{iov_base=${quoteBytes(b)}, iov_len=${b.length}}`).join(", ")}]`,
    str(v.length)],
  counts: (v) => [`[${v.map((n) => `{iov_len=${n}}`).join(", ")}]`, str(v.length)],
  sops: (v) => [formatSops(v), str(v.length)],
  timeout: (v) => [timeText(v)],
  timespec: (v) => [timeText(v)],
  itimerval: (v) => [timerText(v)],
  itimerspec: (v) => [timerText(v)],
  sigevent: (v) => [sigeventText(v)],
  mqattr: (v) => [v === null ? "NULL" : `{mq_flags=${v.flags}, mq_maxmsg=${v.maxmsg}, ` +
    `mq_msgsize=${v.msgsize}, mq_curmsgs=${v.curmsgs}}`],
  stack: (v) => [stackText(v)],
  sockaddr: (v) => [sockaddrText(v), String(sockaddrBytes(v).length)],
  ctlbuf: (v) => [formatStruct(v)],
  semarg: (v) => [semArg(v)],
  pollfds: (v) => [pollfdsText(v)],
  nfds: one,
  sigmask: (v) => (v === null ? ["NULL", "8"] : [signalSet(v), "8"]),
  fdset: (v) => [fdsetText(v)],
  timeval: (v) => [timeText(v)],
  epollevent: (v) => [epollEventText(v)],
  fcntlarg: one,
};

/** Calls whose C form differs from their trace fields one by one. */
const SPECIAL: { [C in CallName]?: (a: CallArgs[C]) => string[] } = {
  fcntl: fcntlArgs,
  msgget: (a) => [ipcKey(a.key), getFlags(a.flags, a.mode)],
  msgsnd: (a) => [
    str(a.msqid), `{${a.mtype}, ${quoteBytes(a.data)}}`, str(a.data.length),
    flagsToString(a.flags, NAMES.msgsnd),
  ],
  semget: (a) => [ipcKey(a.key), str(a.nsems), getFlags(a.flags, a.mode)],
  shmget: (a) => [ipcKey(a.key), str(a.size), getFlags(a.flags, a.mode)],
  sigaction: (a) => [signalName(a.sig), sigactionStruct(a)],
  futex: futexArgs,
  open: (a) => [quoteText(a.path), ...openFlagsMode(a.flags, a.mode)],
  openat: (a) => [dirfd(a.dirfd), quoteText(a.path), ...openFlagsMode(a.flags, a.mode)],
  unlinkat: (a) => [dirfd(a.dirfd), quoteText(a.path), flagsToString(a.flags, NAMES.at)],
};

/** open's flags, and its mode only when it creates (O_CREAT, O_TMPFILE), as strace prints. */
function openFlagsMode(flags: number, mode: number): string[] {
  const f = openFlags(flags);
  const creates = (flags & (FLAGS.open.O_CREAT | FLAG_BITS.__O_TMPFILE)) !== 0;
  return creates ? [f, octal(mode)] : [f];
}

/** AT_FDCWD by its name. */
function dirfd(fd: number): string {
  return fd === -100 ? "AT_FDCWD" : str(fd);
}

/** futex as strace prints it: the op's name with `|FUTEX_CLOCK_REALTIME`, then the arguments
 * the command takes (a timeout, or val2 and addr2; a bitset of all ones by its name). */
function futexArgs(a: CallArgs["futex"]): string[] {
  const rt = FLAGS.futexFlags.FUTEX_CLOCK_REALTIME;
  const base = nameOf(a.op & ~rt, NAMES.futex);
  const op = (a.op & rt) !== 0 ? `${base}|FUTEX_CLOCK_REALTIME` : base;
  const bits = (v: number) => (v >>> 0 === 0xffffffff ? "FUTEX_BITSET_MATCH_ANY" : str(v));
  const head = [address(a.addr), op, str(a.val)];
  const F = NAMES.futex;
  switch (futexCommand(a.op)) {
    case F.FUTEX_WAIT: return [...head, timeText(a.timeout)];
    case F.FUTEX_WAIT_BITSET: return [...head, timeText(a.timeout), "NULL", bits(a.val3)];
    case F.FUTEX_WAKE_BITSET: return [...head, "NULL", "NULL", bits(a.val3)];
    case F.FUTEX_REQUEUE: return [...head, str(a.val2), address(a.addr2)];
    case F.FUTEX_CMP_REQUEUE: case F.FUTEX_WAKE_OP:
      return [...head, str(a.val2), address(a.addr2), str(a.val3)];
    default: return head;
  }
}

function fcntlArgs(a: CallArgs["fcntl"]): string[] {
  const { F_SETFL, F_SETFD, F_GETFL, F_GETFD, F_GETPIPE_SZ, F_GETOWN, F_GETSIG, F_SETSIG } =
    NAMES.fcntl;
  const head = [str(a.fd), nameOf(a.cmd, NAMES.fcntl)];
  if (typeof a.arg === "object") {
    return [...head, "l_type" in a.arg ? flockText(a.arg) : ownerText(a.arg)];
  }
  if (a.cmd === F_SETFL) return [...head, flagsToString(a.arg, NAMES.open)];
  if (a.cmd === F_SETFD) return [...head, flagsToString(a.arg, NAMES.fd)];
  if (a.cmd === F_SETSIG && a.arg >= 1 && a.arg <= 64) return [...head, signalName(a.arg)];
  // Commands without an argument print none, as strace does.
  const noArg: readonly number[] = [F_GETFL, F_GETFD, F_GETPIPE_SZ, F_GETOWN, F_GETSIG];
  return noArg.includes(a.cmd) ? head : [...head, str(a.arg)];
}

function sigactionStruct(a: CallArgs["sigaction"]): string {
  const handler = nameOf(a.handler, HANDLERS);
  const flags = flagsToString(a.flags, NAMES.sigaction);
  return `{sa_handler=${handler}, sa_mask=${signalSet(a.mask)}, sa_flags=${flags}}`;
}

function formatSops(sops: CallArgs["semop"]["sops"]): string {
  const one = (s: (typeof sops)[number]) =>
    `{sem_num=${s.num}, sem_op=${s.op}, sem_flg=${flagsToString(s.flags, NAMES.sop)}}`;
  return `[${sops.map(one).join(", ")}]`;
}

function semArg(arg: CallArgs["semctl"]["arg"]): string {
  if (arg === null) return "NULL";
  if (typeof arg === "number") return str(arg);
  if (Array.isArray(arg)) return `[${arg.join(", ")}]`;
  return formatStruct(arg);
}

/** A key as strace prints it: IPC_PRIVATE or unsigned hex. */
function ipcKey(key: number): string {
  return key === 0 ? "IPC_PRIVATE" : hex(key >>> 0);
}

/** msgget/semget/shmget flags and mode in one argument, as the C call takes them. */
function getFlags(flags: number, mode: number): string {
  return flags === 0 ? octal(mode) : `${flagsToString(flags, NAMES.ipcget)}|${octal(mode)}`;
}

function address(a: IntArg): string {
  if (typeof a === "number") return a === 0 ? "NULL" : hex(a);
  if (a.offset === 0) return `ref(${a.ref})`;
  return `ref(${a.ref})${a.offset > 0 ? "+" : "-"}${Math.abs(a.offset)}`;
}

function hex(n: number): string {
  return n < 0 ? `-0x${(-n).toString(16)}` : `0x${n.toString(16)}`;
}

/** Flags by C name joined with "|"; unknown bits as hex; 0 as the zero-valued name or "0". */
export function flagsToString(value: number, names: Names): string {
  const { names: parts, rest } = splitFlags(value, names);
  if (rest !== 0) parts.push(hex(rest));
  if (parts.length > 0) return parts.join("|");
  return nameOfValue(0, names) ?? "0";
}

/** A flags argument. pipe2's flags take open-style names but have no access mode: 0 is "0",
 * not O_RDONLY. */
function flagsText(v: number, spec: ArgSpec): string {
  if (spec.names === "open") return openFlags(v);
  if (spec.names === "pipe" && v === 0) return "0";
  return flagsToString(v, namesOf(spec));
}

/** Open flags always start with the access mode, which is a 2-bit field, not a flag. */
function openFlags(value: number): string {
  const access = ["O_RDONLY", "O_WRONLY", "O_RDWR", "0x3"][value & 3];
  const rest = (value & ~3) >>> 0;
  return rest === 0 ? access : `${access}|${flagsToString(rest, NAMES.open)}`;
}

function nameOf(value: number, names: Names): string {
  return nameOfValue(value, names) ?? str(value);
}

function signalName(sig: number): string {
  return signalNameOf(sig) ?? str(sig);
}

/** A signal set as strace prints it: [USR1 USR2], sorted by number, without "SIG". */
function signalSet(sigs: readonly number[]): string {
  const sorted = [...new Set(sigs)].sort((a, b) => a - b);
  return `[${sorted.map((s) => signalName(s).replace(/^SIG/, "")).join(" ")}]`;
}

/** A struct (stat output, IPC_SET buffer) as {field=value, nested={...}}; modes in octal. */
function formatStruct(o: Record<string, unknown> | null): string {
  if (o === null) return "NULL";
  const field = ([k, v]: [string, unknown]): string => {
    if (isModeField(k) && typeof v === "number") return `${k}=${octal(v)}`;
    if (typeof v === "object" && v !== null && !Array.isArray(v)) {
      return `${k}=${formatStruct(v as Record<string, unknown>)}`;
    }
    return `${k}=${typeof v === "string" ? quoteText(v) : JSON.stringify(v)}`;
  };
  return `{${Object.entries(o).map(field).join(", ")}}`;
}

// ---- strings ----

const ESCAPES: Record<number, string> = {
  0x09: "\\t", 0x0a: "\\n", 0x0b: "\\v", 0x0c: "\\f", 0x0d: "\\r", 0x22: '\\"', 0x5c: "\\\\",
};

/** Bytes as strace quotes them: printable ASCII as is, C escapes, other bytes in octal (three
 * digits when a digit follows, so the escape cannot swallow it); cut after `max` bytes. */
export function quoteBytes(bytes: Uint8Array, max = STRING_BYTES_SHOWN): string {
  let out = '"';
  const n = Math.min(bytes.length, max);
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (ESCAPES[b] !== undefined) out += ESCAPES[b];
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else {
      const next = i + 1 < n ? bytes[i + 1] : -1;
      const digitFollows = next >= 0x30 && next <= 0x37;
      out += `\\${digitFollows ? b.toString(8).padStart(3, "0") : b.toString(8)}`;
    }
  }
  return `${out}"${bytes.length > max ? "..." : ""}`;
}

function quoteText(text: string): string {
  return quoteBytes(utf8Bytes(text), Number.MAX_SAFE_INTEGER);
}
