// Ledgers the SysV properties keep from a trace's completed calls alone, never from kernel
// memory: what each message queue must hold, and what each semaphore must be worth.
//
// MessageLedger: a queue is the messages sent into it and not yet received, in send order
// (Linux appends at the tail, ipc/msg.c:do_msgsnd(); a message handed straight to a waiting
// receiver, pipelined_send(), is sent and received in the same step). A receive must take the
// earliest message of the type it got (find_msg() takes the earliest of the type it selects),
// with the data sent, cut to the buffer only with MSG_NOERROR, and a type its msgtyp accepts.
// Sends into one queue that complete in the same step are senders woken together: ss_wakeup()
// wakes every blocked sender that now fits and each retries do_msgsnd() when the scheduler runs
// it, so their messages went in in an order the outcome does not show. The ledger keeps them
// as one batch: a receive (or a MSG_COPY of a position the batch holds) may take any of them.
//
// SemLedger: each value is its start (0, or SETVAL/SETALL) plus the operations that completed;
// SEM_UNDO keeps -op per process and semaphore, added back at exit and clamped to [0, SEMVMX]
// (ipc/sem.c:exit_sem()); SETVAL and SETALL clear the adjustments (sem_undo's semadj = 0).

import { FLAGS } from "../wasm/abi.js";
import type { Long, Sop, Step } from "../sim/trace/types.js";
import type { Done, Ended } from "./sysv-run.js";

const { IPC_NOWAIT, MSG_NOERROR, MSG_EXCEPT, MSG_COPY, SEM_UNDO } = FLAGS.ipc;
const { IPC_RMID, IPC_STAT, SETVAL, SETALL } = FLAGS.ipcctl;
export const SEMVMX = 32767;

interface Message {
  mtype: Long;
  data: Uint8Array;
  /** The msgsnd step that sent it. */
  sentAt: number;
  /** The ledger step that completed the send: a batch's messages are in no known order. */
  batch: number;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function show(data: Uint8Array): string {
  const text = new TextDecoder("latin1").decode(data.subarray(0, 24));
  return JSON.stringify(text) + (data.length > 24 ? `... (${data.length} bytes)` : "");
}

/** Whether msgrcv's msgtyp and flags accept a message of type `mtype` (convert_mode). */
function typeAccepted(msgtyp: Long, flags: number, mtype: Long): boolean {
  if (msgtyp === 0) return true;
  // Linux: ipc/msg.c:convert_mode() takes LONG_MIN as LONG_MAX ("-LONG_MIN is undefined").
  const most = BigInt(msgtyp) === -(2n ** 63n) ? 2n ** 63n - 1n : -BigInt(msgtyp);
  if (msgtyp < 0) return BigInt(mtype) <= most;
  return (flags & MSG_EXCEPT) !== 0 ? mtype !== msgtyp : mtype === msgtyp;
}

export class MessageLedger {
  /** Live queues (made by msgget, not removed), each its messages in send order. */
  readonly queues = new Map<number, Message[]>();
  sent = 0;
  received = 0;
  /** Messages still queued when their queue was removed. */
  discarded = 0;
  readonly problems: string[] = [];
  /** Steps followed, which number the batches. */
  private steps = 0;

  /** stat: check every successful IPC_STAT's msg_qnum and msg_cbytes against the ledger. */
  constructor(private readonly opts: { stat: boolean }) {}

  /** Follow one step's completed calls. Within a step a receive may be reported before the
   * send it took (a hand-off made during a woken sender's retry), so a receive that finds no
   * message of its type waits for the step's remaining sends (so does one that matches none
   * of the batch yet: the sender it took from may be reported later in the step). */
  step(ended: readonly Ended[]): void {
    this.steps++;
    let waiting: Done[] = [];
    for (const e of ended) {
      if (!("done" in e) || typeof e.done.result.ret !== "number") continue;
      const d = e.done;
      const ret = e.done.result.ret;
      if (d.step.call === "msgsnd" && ret === 0) {
        this.send(d.step);
        waiting = waiting.filter((w) => !this.receive(w, false));
      } else if (d.step.call === "msgrcv" && ret >= 0) {
        if (!this.receive(d, false)) waiting.push(d);
      } else {
        this.other(d);
      }
    }
    for (const w of waiting) this.receive(w, true);
  }

  /** Queued messages and bytes of a live queue. */
  holds(msqid: number): { qnum: number; cbytes: number } | undefined {
    const q = this.queues.get(msqid);
    if (!q) return undefined;
    return { qnum: q.length, cbytes: q.reduce((n, m) => n + m.data.length, 0) };
  }

  counts(): string {
    let queued = 0;
    for (const q of this.queues.values()) queued += q.length;
    return `sent ${this.sent}, received ${this.received}, queued ${queued}, ` +
      `discarded by IPC_RMID ${this.discarded}`;
  }

  private send(step: Step): void {
    if (step.call !== "msgsnd") return;
    const q = this.queues.get(step.args.msqid);
    if (!q) {
      this.problems.push(`msgsnd at step ${step.index} succeeded on ${step.args.msqid}, ` +
        "which no msgget made (or IPC_RMID removed)");
      return;
    }
    const { mtype, data } = step.args;
    q.push({ mtype, data, sentAt: step.index, batch: this.steps });
    this.sent++;
  }

  /** Check a receive against the ledger; false when no message of its type that it could
   * have taken is queued (and `last`: the step has no more sends, so that is a problem). */
  private receive(d: Done, last: boolean): boolean {
    if (d.step.call !== "msgrcv") return true;
    const { msqid, size, msgtyp, flags } = d.step.args;
    const r = d.result;
    const got = r.data ?? new Uint8Array(0);
    const what = `msgrcv at step ${d.step.index} (queue ${msqid}) got type ${r.mtype} ${show(got)}`;
    const q = this.queues.get(msqid);
    if (!q) {
      this.problems.push(`${what} from a queue that no msgget made (or IPC_RMID removed)`);
      return true;
    }
    if ((flags & MSG_COPY) !== 0) {
      const m = q[Number(msgtyp)];
      const copied = m && q.some((c) => c.batch === m.batch && c.mtype === r.mtype &&
        sameBytes(got, c.data.subarray(0, got.length)));
      if (!copied) {
        this.problems.push(`${what}: MSG_COPY of message ${msgtyp} is not the queue's ` +
          `message ${msgtyp} in send order (${m ? `type ${m.mtype} ${show(m.data)}` : "none"})`);
      }
      return true;
    }
    const first = q.find((m) => m.mtype === r.mtype);
    if (!first) {
      if (last) this.problems.push(`${what}: no message of that type is sent and not received`);
      return last;
    }
    const cut = (m: Message) => (flags & MSG_NOERROR) !== 0 && size < m.data.length;
    const want = (m: Message) => (cut(m) ? m.data.subarray(0, size) : m.data);
    // The earliest of the type, or one sent in the same step (a woken sender that retried first).
    const m = q.find((c) => c.mtype === r.mtype && c.batch === first.batch &&
      sameBytes(got, want(c)) && r.ret === want(c).length);
    if (!m && !last) return false;
    if (!m) {
      const others = q.filter((c) => c.mtype === r.mtype && c.batch === first.batch).length - 1;
      const cutNote = cut(first) ? ", cut to the buffer" : "";
      this.problems.push(`${what} (ret ${r.ret}): the earliest message of that type is ` +
        `${show(first.data)}, sent at step ${first.sentAt}${cutNote}` +
        (others > 0 ? ` (or one of ${others} more sent in the same step)` : ""));
    }
    const taken = m ?? first;
    if (!typeAccepted(msgtyp, flags, taken.mtype)) {
      this.problems.push(`${what}: msgtyp ${msgtyp}${flags & MSG_EXCEPT ? " MSG_EXCEPT" : ""} ` +
        "does not accept that type");
    }
    q.splice(q.indexOf(taken), 1);
    this.received++;
    return true;
  }

  private other(d: Done): void {
    const { step, result: r } = d;
    const ret = r.ret as number;
    if (step.call === "msgget" && ret >= 0 && !this.queues.has(ret)) this.queues.set(ret, []);
    if (step.call !== "msgctl" || ret < 0) return;
    const q = this.queues.get(step.args.msqid);
    if (step.args.cmd === IPC_RMID && q) {
      this.discarded += q.length;
      this.queues.delete(step.args.msqid);
    }
    if (step.args.cmd === IPC_STAT && q && this.opts.stat) {
      const held = this.holds(step.args.msqid)!;
      const qnum = r.stat?.msg_qnum;
      const cbytes = r.stat?.msg_cbytes;
      if (qnum !== held.qnum || cbytes !== held.cbytes) {
        this.problems.push(`IPC_STAT at step ${step.index} of queue ${step.args.msqid}: ` +
          `msg_qnum ${qnum}, msg_cbytes ${cbytes}; sent and not received: ${held.qnum} ` +
          `messages, ${held.cbytes} bytes (${this.counts()})`);
      }
    }
  }
}

// ---- semaphores ----

interface SemSet {
  values: number[];
  /** pid -> semadj per semaphore. */
  adj: Map<number, number[]>;
}

export class SemLedger {
  /** Live sets (made by semget, not removed). */
  readonly sets = new Map<number, SemSet>();

  step(ended: readonly Ended[]): void {
    for (const e of ended) {
      if ("exit" in e) this.exit(e.exit);
      else if (typeof e.done.result.ret === "number" && e.done.result.ret >= 0) this.done(e.done);
    }
  }

  values(semid: number): number[] | undefined {
    return this.sets.get(semid)?.values;
  }

  /** Whether any adjustment is still pending (a process that used SEM_UNDO is alive). */
  pendingAdjustments(): number {
    let n = 0;
    for (const s of this.sets.values()) n += s.adj.size;
    return n;
  }

  private done(d: Done): void {
    const step = d.step;
    const ret = d.result.ret as number;
    if (step.call === "semget") {
      if (!this.sets.has(ret)) {
        this.sets.set(ret, { values: new Array(step.args.nsems).fill(0), adj: new Map() });
      }
      return;
    }
    if (step.call === "semop") return this.semop(step.pid, step.args.semid, step.args.sops);
    if (step.call !== "semctl") return;
    const set = this.sets.get(step.args.semid);
    if (!set) return;
    const { cmd, arg, semnum } = step.args;
    if (cmd === IPC_RMID) this.sets.delete(step.args.semid);
    if (cmd === SETVAL && typeof arg === "number") {
      set.values[semnum] = arg;
      for (const a of set.adj.values()) a[semnum] = 0;
    }
    if (cmd === SETALL && Array.isArray(arg)) {
      set.values = set.values.map((_, i) => arg[i] ?? 0);
      for (const a of set.adj.values()) a.fill(0);
    }
  }

  private semop(pid: number, semid: number, sops: readonly Sop[]) {
    const set = this.sets.get(semid);
    if (!set) return;
    for (const s of sops) {
      set.values[s.num] += s.op;
      if ((s.flags & SEM_UNDO) === 0) continue;
      let a = set.adj.get(pid);
      if (!a) set.adj.set(pid, (a = new Array(set.values.length).fill(0)));
      a[s.num] -= s.op;
    }
  }

  private exit(pid: number): void {
    for (const set of this.sets.values()) {
      const a = set.adj.get(pid);
      if (!a) continue;
      a.forEach((d, i) => {
        if (d !== 0) set.values[i] = Math.min(SEMVMX, Math.max(0, set.values[i] + d));
      });
      set.adj.delete(pid);
    }
  }
}

/** Values for a blocked semop's semaphores that let it complete: for each semaphore it
 * names, the value nearest `now` (at or above it when it can be) that passes its operations in
 * order (a decrement needs the value to stay >= 0, a zero wait needs 0). Null when no value
 * can ({0:+1, 0:0} waits for ever). */
export function valuesThatPass(
  sops: readonly { num: number; op: number }[],
  now: readonly number[],
): Map<number, number> | null {
  const out = new Map<number, number>();
  for (const num of new Set(sops.map((s) => s.num))) {
    const ops = sops.filter((s) => s.num === num).map((s) => s.op);
    const passes = (x: number) => {
      let v = x;
      for (const op of ops) {
        if ((op === 0 && v !== 0) || v + op < 0 || v + op > SEMVMX) return false;
        v += op;
      }
      return true;
    };
    const from = now[num] ?? 0;
    let found: number | undefined;
    for (let d = 0; d <= 16 && found === undefined; d++) {
      if (passes(from + d)) found = from + d;
      else if (from - d >= 0 && passes(from - d)) found = from - d;
    }
    if (found === undefined) return null;
    out.set(num, found);
  }
  return out;
}
