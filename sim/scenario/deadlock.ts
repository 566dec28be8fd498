// The deadlock explanation: when every live process is blocked, say what each waits for, on
// which IPC object, who could end the wait, and the cycle of waits, e.g.
//
//   pid 3 blocked in read(3) on pipe #1 (empty), whose only write end is held by pid 3 itself
//     (fd 4, write end of pipe() at step 0, inherited at fork)
//   pid 2 waits in semop on set 0 sem 1 (value 0) for a V that only pid 3 can do
//   wait-for cycle: pid 2 -> pid 3 -> pid 2
//
// A process sleeping towards a deadline (nanosleep, clock_nanosleep, semtimedop with a
// timeout) is described with it: "pid 3 sleeps until t=1.5 s (nanosleep, step 4)". The
// livelock explanation (only time passes) says what keeps firing and what each process waits
// for.
//
// Built from the kernel's state (fd tables, pipe ends, semaphore values: kernel/views.ts and
// the cold exports) and from what the simulator recorded (the call each process blocked in,
// where each fd came from, who took semaphore units: tracking.ts).

import { FLAGS } from "../../wasm/abi.js";
import type { CALL_TABLE, CallName, Interrupt } from "../../wasm/calls.js";
import type { Kernel, LockWaitView } from "../../wasm/kernel.js";
import type { StepOf } from "../model/calls.js";
import { formatStep } from "../trace/strace.js";
import { pollBitsText, type PollFd } from "../trace/poll.js";
import { eventsJson } from "../trace/epoll.js";
import type { IntArg, Long, Outcome, SockAddr, Sop, Step } from "../trace/types.js";
import { semKey, type Tracker } from "./tracking.js";
import { timeNs } from "../trace/timespec.js";
import { seconds } from "./verdict.js";
import { pipeName } from "../state.js";
import { plural } from "../text.js";

const FMODE_READ = 1;
const FMODE_WRITE = 2;
/** fds scanned per process when looking for pipe ends (the simulator's scenarios use few). */
const FD_SCAN = 256;

export interface BlockedProc {
  pid: number;
  state: "ready" | "running" | "blocked" | "stopped";
  /** Index of the step it blocked in (-1 if none). */
  step: number;
  /** It runs signal handlers (`calls` handlers): innermost first, each one's signal and the
   * step of the call it interrupted (-1: none). */
  handlers?: { sig: string; under: number; next?: string }[];
}

interface Ctx {
  k: Kernel;
  steps: readonly Step[];
  tracker: Tracker;
  live: readonly BlockedProc[];
  /** pid -> pids that could end its wait. */
  edges: Map<number, number[]>;
}

/** The explanation, one line per fact, the cycle (if any) last. */
export function explainDeadlock(
  k: Kernel, steps: readonly Step[], tracker: Tracker, live: readonly BlockedProc[],
): string[] {
  const ctx: Ctx = { k, steps, tracker, live, edges: new Map() };
  const lines: string[] = [];
  for (const p of live) lines.push(describe(ctx, p));
  const cycle = findCycle(ctx.edges);
  if (cycle) lines.push(`wait-for cycle: ${cycle.map((p) => `pid ${p}`).join(" -> ")}`);
  else lines.push("no process that could end these waits is running");
  return lines;
}

/** The wait-for graph of the blocked processes among `live` (the HTML view's, at any step):
 * each one's line as the deadlock explanation says it, and its edges (pid -> the pids that
 * could end its wait). */
export function waitGraph(
  k: Kernel, steps: readonly Step[], tracker: Tracker, live: readonly BlockedProc[],
): { lines: string[]; edges: Map<number, number[]> } {
  const ctx: Ctx = { k, steps, tracker, live, edges: new Map() };
  const lines = live.filter((p) => p.state === "blocked").map((p) => describe(ctx, p));
  return { lines, edges: ctx.edges };
}

function describe(ctx: Ctx, p: BlockedProc): string {
  if (p.state === "stopped") {
    return `pid ${p.pid} is stopped (SIGSTOP) and nothing will continue it`;
  }
  if (p.state === "ready") return `pid ${p.pid} is ready to make a call`;
  const step = ctx.steps[p.step];
  if (!step) return `pid ${p.pid} is blocked`;
  const until = deadlineOf(ctx, p.pid);
  if (until !== null && (step.call === "nanosleep" || step.call === "clock_nanosleep")) {
    ctx.edges.set(p.pid, []);
    return `pid ${p.pid} sleeps until ${until} (${step.call}, step ${step.index})`;
  }
  const call = formatStep(step, "blocked")
    .replace(/^\[pid \d+\] /, "")
    .replace(/ <unfinished \.\.\.>$/, "");
  const head = `pid ${p.pid} blocked in ${call} (step ${step.index})`;
  return head + inHandlers(ctx, p) + waitText(ctx, p.pid, step);
}

/** ", inside its SIGUSR1 handler (which interrupted its read at step 4)", for each handler. */
function inHandlers(ctx: Ctx, p: BlockedProc): string {
  return (p.handlers ?? []).map((h) => {
    const under = ctx.steps[h.under];
    const what = under ? ` (which interrupted its ${under.call} at step ${h.under})`
      : h.next ? ` (which came before its ${h.next})` : "";
    return `, inside its ${h.sig} handler${what}`;
  }).join("");
}

/** The calls that can sleep: the rows with `blocks`. */
type BlockingCall = {
  [C in CallName]: (typeof CALL_TABLE)[C] extends { blocks: Interrupt } ? C : never;
}[CallName];

type WaitText<C extends CallName> = (ctx: Ctx, pid: number, step: StepOf<C>) => string;

/** What each blocking call waits for, and who could end the wait (recorded in ctx.edges): a
 * call added to the table with `blocks` and no entry here fails to compile. */
const WAITS: { readonly [C in BlockingCall]: WaitText<C> } = {
  read: (ctx, pid, step) => pipeWait(ctx, pid, step.args.fd, FMODE_WRITE),
  poll: (ctx, pid, step) => pollWaitText(ctx, pid, step.args.fds, "poll"),
  ppoll: (ctx, pid, step) => pollWaitText(ctx, pid, step.args.fds, "ppoll"),
  select: (ctx, pid, step) => selectWaitText(ctx, pid, step.args, "select"),
  pselect6: (ctx, pid, step) => selectWaitText(ctx, pid, step.args, "pselect6"),
  epoll_wait: (ctx, pid, step) => epollWaitText(ctx, pid, step.args.epfd, "epoll_wait"),
  epoll_pwait: (ctx, pid, step) => epollWaitText(ctx, pid, step.args.epfd, "epoll_pwait"),
  write: (ctx, pid, step) => pipeWait(ctx, pid, step.args.fd, FMODE_READ),
  readv: (ctx, pid, step) => pipeWait(ctx, pid, step.args.fd, FMODE_WRITE),
  writev: (ctx, pid, step) => pipeWait(ctx, pid, step.args.fd, FMODE_READ),
  recvfrom: (ctx, pid, step) => sockWait(ctx, pid, step.args.fd, false),
  sendto: (ctx, pid, step) => sockWait(ctx, pid, step.args.fd, true),
  accept4: (ctx, pid, step) => acceptWait(ctx, pid, step.args.fd),
  connect: (ctx, pid, step) => connectWait(ctx, pid, step.args.addr),
  open: (ctx, pid, step) =>
    ` waiting for the other end of FIFO ${step.args.path} to be opened${others(ctx, pid)}`,
  openat: (ctx, pid, step) =>
    ` waiting for the other end of FIFO ${step.args.path} to be opened${others(ctx, pid)}`,
  waitpid: (ctx, pid, step) => childWait(ctx, pid, step.args.target),
  semop: (ctx, pid, step) => semWait(ctx, pid, step.args.semid, step.args.sops),
  semtimedop: (ctx, pid, step) => {
    const text = semWait(ctx, pid, step.args.semid, step.args.sops);
    const until = deadlineOf(ctx, pid);
    return until === null ? text : `${text}, until ${until} (then EAGAIN)`;
  },
  msgrcv: (ctx, pid, step) => {
    const what = `${wantedMessage(step.args.msgtyp, step.args.flags)} on queue ${step.args.msqid}`;
    return ` waiting for ${what}${others(ctx, pid)}`;
  },
  msgsnd: (ctx, pid, step) => ` waiting for room in queue ${step.args.msqid}${others(ctx, pid)}`,
  futex: (ctx, pid, step) => {
    const until = deadlineOf(ctx, pid);
    const text = ` waiting for a FUTEX_WAKE of the word at ${hexAddr(step.args.addr)}` +
      others(ctx, pid);
    return until === null ? text : `${text}, until ${until} (then ETIMEDOUT)`;
  },
  mq_timedsend: (ctx, pid, step) => {
    const until = deadlineOf(ctx, pid);
    const text = ` waiting for room in POSIX queue descriptor ${step.args.mqd}${others(ctx, pid)}`;
    return until === null ? text : `${text}, until ${until} (then ETIMEDOUT)`;
  },
  mq_timedreceive: (ctx, pid, step) => {
    const until = deadlineOf(ctx, pid);
    const text = ` waiting for a message on POSIX queue descriptor ${step.args.mqd}` +
      others(ctx, pid);
    return until === null ? text : `${text}, until ${until} (then ETIMEDOUT)`;
  },
  pause: (ctx, pid) => ` waiting for a signal${others(ctx, pid)}`,
  sigsuspend: (ctx, pid) => ` waiting for a signal${others(ctx, pid)}`,
  sigtimedwait: (ctx, pid) => ` waiting for a signal of its set${others(ctx, pid)}`,
  // With a deadline, describe() says "sleeps until"; without one (never here: time would
  // jump), a signal is all that could end it.
  nanosleep: (ctx, pid) => ` waiting for a signal${others(ctx, pid)}`,
  clock_nanosleep: (ctx, pid) => ` waiting for a signal${others(ctx, pid)}`,
  fcntl: (ctx, pid) => lockWait(ctx, pid),
  flock: (ctx, pid) => lockWait(ctx, pid),
};

/** A lock sleeper (flock, F_SETLKW): what it waits for and who holds it, following the
 * holders that wait in turn, e.g. "waits for bytes 0-99 of FIFO "counter" (a write lock),
 * held by pid 4, which waits for bytes 100-199 ... held by pid 3". */
function lockWait(ctx: Ctx, pid: number): string {
  const first = ctx.k.lockWait(pid);
  if (!first) return others(ctx, pid);
  ctx.edges.set(pid, first.holderPid > 0 ? [first.holderPid] : []);
  const seen = new Set([pid]);
  let text = ` waits for ${lockText(ctx, first)}`;
  for (let w: LockWaitView | null = first, hops = 0; w && hops < 12; hops++) {
    if (w.holderPid <= 0) return `${text}, whose holder was woken to retry`;
    text += `, held by ${w.holderPid === pid ? `pid ${pid} itself` : `pid ${w.holderPid}`}`;
    if (w.holderKind !== "POSIX") text += ` (through its ${w.holderKind} lock)`;
    if (seen.has(w.holderPid)) return text;
    seen.add(w.holderPid);
    w = ctx.k.lockWait(w.holderPid);
    if (w) text += `, which waits for ${lockText(ctx, w)}`;
  }
  return text;
}

function lockText(ctx: Ctx, w: LockWaitView): string {
  const x = ctx.k.x;
  const pi = x.k_file_pipe(w.file);
  const file = pi >= 0 ? pipeName(ctx.k, pi) : `description ${w.file}`;
  const type = w.type === FLAGS.locktype.F_WRLCK ? "write" : "read";
  if (w.kind === "flock") {
    return `a flock ${w.type === FLAGS.locktype.F_WRLCK ? "LOCK_EX" : "LOCK_SH"} of ${file}`;
  }
  const range = `bytes ${w.start}-${w.end < 0 ? "EOF" : w.end}`;
  return `${range} of ${file} (a ${type} lock${w.kind === "OFD" ? ", OFD" : ""})`;
}

/** The messages a msgrcv waits for, as msgrcv(2) describes msgtyp: 0 any message; > 0 one of
 * that type (with MSG_EXCEPT, of any other type); < 0 one of the lowest type up to |msgtyp|. */
export function wantedMessage(msgtyp: Long, flags: number): string {
  if (msgtyp === 0) return "any message (msgtyp 0)";
  if (msgtyp < 0) return `a message of type at most ${-msgtyp} (msgtyp ${msgtyp}: lowest first)`;
  if (flags & FLAGS.ipc.MSG_EXCEPT) return `a message of any type but ${msgtyp} (MSG_EXCEPT)`;
  return `a message of type ${msgtyp}`;
}

/** An address argument as a trace gives it: a number in hex, or a ref to an mmap step. */
function hexAddr(a: IntArg): string {
  return typeof a === "number" ? `0x${a.toString(16)}` : `step ${a.ref} + ${a.offset}`;
}

/** "t=1.5 s", the virtual time pid sleeps until (kernel k_proc_deadline), or null. */
function deadlineOf(ctx: Ctx, pid: number): string | null {
  const ns = ctx.k.procDeadline(pid);
  return ns < 0 ? null : `t=${seconds(ns / 1e9)} s`;
}

/** The livelock explanation: how long only time has passed, what fires (the effects of the
 * last expiries, the periodic timers armed), then each live process as in a deadlock. */
export function explainLivelock(
  k: Kernel, steps: readonly Step[], outcomes: readonly Outcome[], tracker: Tracker,
  live: readonly BlockedProc[], advances: number,
): string[] {
  const ctx: Ctx = { k, steps, tracker, live, edges: new Map() };
  const first = rowStart(steps, advances);
  const from = timeBefore(steps, first);
  const lines = [
    `${plural(advances, "timer expiry", "timer expiries")} in a row and no call, ` +
    `from t=${seconds(from / 1e9)} s ` +
    `to t=${seconds(k.timeNow() / 1e9)} s`,
  ];
  const periodic = [...tracker.timers.values()].filter((t) => t.intervalNs > 0);
  for (const t of periodic) {
    lines.push(`pid ${t.pid}'s ${t.what} fires every ${seconds(t.intervalNs / 1e9)} s`);
  }
  lines.push(effects(outcomes.slice(first)));
  for (const p of live) lines.push(describe(ctx, p));
  return lines;
}

/** Where the last `advances` advances begin: between them only handlers returned (a handler
 * that makes no call: its sigreturn is no progress, scheduler.ts). */
function rowStart(steps: readonly Step[], advances: number): number {
  let i = steps.length;
  for (let n = 0; n < advances && i > 0;) if (steps[--i].call === "advance") n++;
  return i;
}

/** CLOCK_MONOTONIC (ns) before step `index`: the sum of the advances before it. */
function timeBefore(steps: readonly Step[], index: number): number {
  let ns = 0;
  for (let i = 0; i < index; i++) {
    const s = steps[i];
    if (s.call === "advance") ns += timeNs(s.args.by);
  }
  return ns;
}

/** What the expiries did, as a person would summarise it. */
function effects(outcomes: readonly Outcome[]): string {
  const seen = new Set<string>();
  for (const o of outcomes) {
    for (const e of o.events) {
      if ("signal" in e) seen.add(`${e.signal}'s handler runs in pid ${e.pid}`);
      else if ("wake" in e) seen.add(`pid ${e.wake} is woken`);
    }
  }
  if (seen.size === 0) {
    return "the expiries change nothing a process sees (a signal ignored or blocked, or " +
      "SIGEV_NONE)";
  }
  return `each expiry: ${[...seen].join(", ")}, and no process makes a call`;
}

/** Whether the explainer describes the waits of `call` (every call that can block does). */
export function describesWait(call: CallName): boolean {
  return Object.hasOwn(WAITS, call);
}

/** What the blocked call waits for, and who could end the wait (recorded in ctx.edges). A call
 * that never sleeps here (a step still marked blocked) waits on every other process. */
function waitText(ctx: Ctx, pid: number, step: Step): string {
  const text = WAITS[step.call as BlockingCall] as WaitText<CallName> | undefined;
  return text ? text(ctx, pid, step) : others(ctx, pid);
}

/** Any other live process could end the wait (message queues, signals): say they are blocked. */
function others(ctx: Ctx, pid: number): string {
  const rest = ctx.live.filter((q) => q.pid !== pid).map((q) => q.pid);
  ctx.edges.set(pid, rest);
  if (rest.length === 0) return ", and no other process is alive";
  // Before the end of a run (the view's graph at a step), some of them may still run.
  if (ctx.live.some((q) => q.pid !== pid && q.state === "running")) {
    return `; any other live process (${list(rest)}) could end it`;
  }
  return `; every other live process (${list(rest)}) is blocked too`;
}

function list(pids: readonly number[]): string {
  return pids.map((p) => `pid ${p}`).join(", ");
}

/** " waiting in poll for fds 3 (POLLIN), 5 (POLLOUT)", until its deadline if it has one. */
function pollWaitText(
  ctx: Ctx, pid: number, fds: readonly PollFd[] | null, call: string,
): string {
  const watched = (fds ?? []).filter((f) => f.fd >= 0)
    .map((f) => `${f.fd} (${pollBitsText(f.events)})`);
  const what = watched.length ? `fds ${watched.join(", ")}` : "no descriptor";
  const until = deadlineOf(ctx, pid);
  const text = ` waiting in ${call} for ${what}${others(ctx, pid)}`;
  return until === null ? text : `${text}, until ${until} (then 0)`;
}

/** " waiting in select for fds 3 (read), 4 (write)", as pollWaitText. */
function selectWaitText(ctx: Ctx, pid: number, sets: {
  readfds: readonly number[] | null; writefds: readonly number[] | null;
  exceptfds: readonly number[] | null;
}, call: string): string {
  const fds = [[sets.readfds, "read"], [sets.writefds, "write"], [sets.exceptfds, "except"]]
    .flatMap(([set, what]) => ((set ?? []) as number[]).map((fd) => `${fd} (${what})`));
  const what = fds.length ? `fds ${fds.join(", ")}` : "no descriptor";
  const until = deadlineOf(ctx, pid);
  const text = ` waiting in ${call} for ${what}${others(ctx, pid)}`;
  return until === null ? text : `${text}, until ${until} (then 0)`;
}

/** " waiting in epoll_wait on epoll fd 3 for fds 5 (EPOLLIN), 7 (EPOLLOUT)": the interest
 * list in insertion order (the kernel's), without the EPOLLERR and EPOLLHUP every item has. */
function epollWaitText(ctx: Ctx, pid: number, epfd: number, call: string): string {
  const x = ctx.k.x;
  const f = x.k_fd_file(pid, epfd);
  const e = f < 0 ? -1 : x.k_file_epoll(f);
  const watched: string[] = [];
  for (let k = 0; e >= 0; k++) {
    const fd = x.k_epoll_item_fd(e, k);
    if (fd < 0) break;
    const bits = (x.k_epoll_item_events(e, k) >>> 0) & ~(FLAGS.epollev.EPOLLERR |
      FLAGS.epollev.EPOLLHUP);
    watched.push(`${fd} (${eventsText(bits)})`);
  }
  const what = watched.length ? `fds ${watched.join(", ")}` : "no descriptor";
  const until = deadlineOf(ctx, pid);
  const text = ` waiting in ${call} on epoll fd ${epfd} for ${what}${others(ctx, pid)}`;
  return until === null ? text : `${text}, until ${until} (then 0)`;
}

function eventsText(bits: number): string {
  const v = eventsJson(bits);
  return typeof v === "number" ? `0x${v.toString(16)}` : v.join("|") || "0";
}

/** Who holds the other end (mode `want`) of the pipe behind pid's fd. */
function pipeWait(ctx: Ctx, pid: number, fd: number, want: number): string {
  const x = ctx.k.x;
  const f = x.k_fd_file(pid, fd);
  if (f >= 0 && x.k_file_sock(f) >= 0) return sockWait(ctx, pid, fd, want === FMODE_READ);
  const pi = f < 0 ? -1 : x.k_file_pipe(f);
  if (pi < 0) return "";
  const name = pipeName(ctx.k, pi);
  const state = want === FMODE_WRITE ? "empty" : `full, ${plural(x.k_pipe_bytes(pi), "byte")}`;
  const holders = pipeHolders(ctx, pi, want);
  ctx.edges.set(pid, [...new Set(holders.map((h) => h.pid))]);
  const end = want === FMODE_WRITE ? "write end" : "read end";
  if (holders.length === 0) return ` on ${name} (${state}), whose ${end} nobody holds`;
  const who = holders.map((h) => {
    const name = h.pid === pid ? `pid ${pid} itself` : `pid ${h.pid}`;
    return `${name} (fd ${h.fd}${h.how ? `, ${h.how}` : ""})`;
  });
  const only = holders.length === 1 ? `only ${end} is` : `${end}s are`;
  return ` on ${name} (${state}), whose ${only} held by ${who.join(" and ")}`;
}

/** A socket's send waits for room in its own send buffer (a reader of the peer frees it); a
 * receive waits for bytes from the peer: either way, whoever holds the peer's descriptors. */
function sockWait(ctx: Ctx, pid: number, fd: number, send: boolean): string {
  const x = ctx.k.x;
  const f = x.k_fd_file(pid, fd);
  const si = f < 0 ? -1 : x.k_file_sock(f);
  if (si < 0) return "";
  const name = `socket #${x.k_sock_serial(si)}`;
  const state = send
    ? `its send buffer full, ${x.k_sock_wmem(si)} of ${x.k_sock_sndbuf(si)} bytes in flight`
    : "nothing to read";
  const peer = x.k_sock_peer(si);
  const holders = peer < 0 ? [] : sockHolders(ctx, peer);
  ctx.edges.set(pid, [...new Set(holders.map((h) => h.pid))]);
  const what = send ? "reads its peer" : "writes to it";
  if (peer < 0) return ` on ${name} (${state}), which has no peer`;
  if (holders.length === 0) return ` on ${name} (${state}), ${embryoWait(ctx, pid, peer)}`;
  const who = holders.map((h) => `${h.pid === pid ? `pid ${pid} itself` : `pid ${h.pid}`} ` +
    `(fd ${h.fd}${h.how ? `, ${h.how}` : ""})`);
  return ` on ${name} (${state}), until one of ${who.join(" and ")} ${what}` +
    ` (socket #${x.k_sock_serial(peer)})`;
}

/** A peer nobody holds: an embryo on a listener's queue (unix_stream_connect) waits for one of
 * the listener's holders to accept it; another is gone for good. */
function embryoWait(ctx: Ctx, pid: number, peer: number): string {
  const x = ctx.k.x;
  const listener = x.k_sock_listener(peer);
  if (listener < 0) return "and no process holds its peer";
  const holders = sockHolders(ctx, listener);
  ctx.edges.set(pid, [...new Set(holders.map((h) => h.pid))]);
  const name = sockNameText(ctx.k, listener);
  const queue = `its peer (socket #${x.k_sock_serial(peer)}) not yet accepted from the ` +
    `queue of socket #${x.k_sock_serial(listener)}${name ? ` bound to ${name}` : ""}`;
  if (holders.length === 0) return `${queue}, which no process holds`;
  const who = holders.map((h) => `${h.pid === pid ? `pid ${pid} itself` : `pid ${h.pid}`} ` +
    `(fd ${h.fd})`);
  return `${queue}, until one of ${who.join(" and ")} accepts it`;
}

/** A socket's name as a trace writes it: "s0", "@name" (abstract), or "" (unbound). */
export function sockNameText(k: Kernel, si: number): string {
  const x = k.x;
  const len = x.k_sock_addr_len(si);
  if (len <= 2) return "";
  const bytes = Array.from({ length: len - 2 }, (_, k) => x.k_sock_addr_byte(si, k + 2));
  const abstract = bytes[0] === 0;
  // TextDecoder, not Buffer: the HTML view runs this in the page (sim/view/scrub.ts).
  const name = new TextDecoder().decode(
    new Uint8Array(abstract ? bytes.slice(1) : bytes.slice(0, bytes.indexOf(0) >>> 0)));
  return abstract ? `@${name}` : name;
}

/** accept on an empty queue: any live process may connect (a socket of its own). */
function acceptWait(ctx: Ctx, pid: number, fd: number): string {
  const x = ctx.k.x;
  const f = x.k_fd_file(pid, fd);
  const si = f < 0 ? -1 : x.k_file_sock(f);
  if (si < 0) return "";
  ctx.edges.set(pid, ctx.live.map((q) => q.pid).filter((q) => q !== pid));
  const name = sockNameText(ctx.k, si);
  return ` waiting in accept on socket #${x.k_sock_serial(si)}` +
    `${name ? ` bound to ${name}` : ""}, until a process connects${others(ctx, pid)}`;
}

/** connect to a full listener: those holding the listener may accept. */
function connectWait(ctx: Ctx, pid: number, addr: SockAddr): string {
  const name = "path" in addr ? addr.path : "abstract" in addr ? `@${addr.abstract}` : "?";
  const x = ctx.k.x;
  let holders: Holder[] = [];
  for (let si = 0; si < SOCK_SCAN; si++) {
    if (x.k_sock_peer(si) < 0 && sockNameText(ctx.k, si) === name) {
      holders = [...holders, ...sockHolders(ctx, si)];
    }
  }
  ctx.edges.set(pid, [...new Set(holders.map((h) => h.pid))]);
  const who = holders.map((h) => `pid ${h.pid} (fd ${h.fd})`);
  return ` waiting in connect to ${name}, its listener's queue full` +
    (who.length ? `, until one of ${who.join(" and ")} accepts` : ", and no process holds it");
}

/** Socket rows a connect wait looks through for its listener (the model's NSOCK). */
const SOCK_SCAN = 2048;

function sockHolders(ctx: Ctx, si: number): Holder[] {
  const x = ctx.k.x;
  const out: Holder[] = [];
  for (const q of ctx.live) {
    for (let fd = 0; fd < FD_SCAN; fd++) {
      const f = x.k_fd_file(q.pid, fd);
      if (f >= 0 && x.k_file_sock(f) === si) {
        out.push({ pid: q.pid, fd, how: ctx.tracker.procs[q.pid]?.fds.get(fd) });
      }
    }
  }
  return out;
}

interface Holder {
  pid: number;
  fd: number;
  /** Where the fd came from (tracking.ts), when known. */
  how?: string;
}

function pipeHolders(ctx: Ctx, pi: number, want: number): Holder[] {
  const x = ctx.k.x;
  const out: Holder[] = [];
  for (const q of ctx.live) {
    for (let fd = 0; fd < FD_SCAN; fd++) {
      const f = x.k_fd_file(q.pid, fd);
      if (f < 0 || x.k_file_pipe(f) !== pi || (x.k_file_fmode(f) & want) === 0) continue;
      out.push({ pid: q.pid, fd, how: ctx.tracker.procs[q.pid]?.fds.get(fd) });
    }
  }
  return out;
}

function childWait(ctx: Ctx, pid: number, target: number): string {
  const kids = (ctx.tracker.procs[pid]?.children ?? []).filter((c) => isLive(ctx, c));
  const named = target > 0 ? kids.filter((c) => c === target) : kids;
  ctx.edges.set(pid, named);
  if (named.length === 0) return " for a child that will never exit";
  const who = target > 0 ? `child pid ${target}` : `a child (${list(named)})`;
  return ` for ${who}, which is blocked too`;
}

function isLive(ctx: Ctx, pid: number): boolean {
  return ctx.live.some((q) => q.pid === pid);
}

function semWait(ctx: Ctx, pid: number, semid: number, sops: readonly Sop[]): string {
  const parts: string[] = [];
  const waitFor = new Set<number>();
  for (const s of sops) {
    const v = ctx.k.x.k_view_sem_value(semid, s.num);
    if (s.op < 0 && v >= -s.op) continue;
    if (s.op > 0 || (s.op === 0 && v === 0)) continue;
    const held = semHolders(ctx, semid, s.num);
    held.forEach((p) => waitFor.add(p));
    const what = s.op === 0 ? "to reach zero" : `for a V (+${-s.op}) ${whoCanV(pid, held)}`;
    parts.push(`on set ${semid} sem ${s.num} (value ${v}) ${what}`);
  }
  ctx.edges.set(pid, [...waitFor]);
  if (parts.length === 0) return "";
  const nowait = sops.some((s) => s.flags & FLAGS.ipc.SEM_UNDO) ? " (SEM_UNDO)" : "";
  return ` waiting ${parts.join("; and ")}${nowait}`;
}

/** Live processes whose completed operations took more units of the semaphore than they gave. */
function semHolders(ctx: Ctx, semid: number, num: number): number[] {
  const m = ctx.tracker.semHeld.get(semKey(semid, num));
  if (!m) return [];
  return [...m].filter(([p, n]) => n > 0 && isLive(ctx, p)).map(([p]) => p);
}

function whoCanV(pid: number, held: readonly number[]): string {
  if (held.length === 0) return "that no live process holds units to give back";
  if (held.length > 1) return `that only ${list(held)} can do`;
  const self = held[0] === pid ? " itself" : "";
  return `that only pid ${held[0]}${self} can do (it took units and has not given them back)`;
}

/** A cycle of waits (its first pid again at the end), lowest pid first, or null. */
export function findCycle(edges: Map<number, number[]>): number[] | null {
  const state = new Map<number, number>();
  const stack: number[] = [];
  const visit = (n: number): number[] | null => {
    state.set(n, 1);
    stack.push(n);
    for (const m of edges.get(n) ?? []) {
      if (state.get(m) === 1) return [...stack.slice(stack.indexOf(m)), m];
      if (!state.has(m) && edges.has(m)) {
        const c = visit(m);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(n, 2);
    return null;
  };
  for (const n of [...edges.keys()].sort((a, b) => a - b)) {
    if (!state.has(n)) {
      const c = visit(n);
      if (c) return c;
    }
  }
  return null;
}
