// The harness of the virtual-time tests (time.test.ts, time-timers.test.ts): a kernel driven
// through the raw ABI. The time calls are issued as registers with their structs in the
// caller's I/O area; the other calls go through the trace engine (sim/model/calls.ts issue);
// `advance` loops as the engine does (advance, retry the woken, advance by what is left).

import { expect } from "vitest";
import { CALLS, EVENT } from "../../wasm/abi.js";
import { Kernel, type KernelEvent } from "../../wasm/kernel.js";
import { issue } from "../../sim/model/calls.js";
import { parseTrace } from "../../sim/trace/parse.js";
import type { CallName } from "../../wasm/calls.js";

export const NS = 1_000_000_000;
export const MS = 1_000_000;
const HEADER = '{"trace": "ipcsim", "version": 1, "name": "time"}';
export const CLOCK = {
  REALTIME: 0, MONOTONIC: 1, PROCESS_CPUTIME_ID: 2, THREAD_CPUTIME_ID: 3, MONOTONIC_RAW: 4,
  REALTIME_COARSE: 5, MONOTONIC_COARSE: 6, BOOTTIME: 7, REALTIME_ALARM: 8, TAI: 11,
} as const;
export const SIGEV = { SIGNAL: 0, NONE: 1, THREAD: 2, THREAD_ID: 4 } as const;

/** A kernel with its I/O area's addresses: a struct in, another out. */
export class T {
  readonly k = new Kernel();
  readonly io = this.k.ioBase;
  readonly a = this.io; // input struct
  readonly b = this.io + 256; // output struct
  events: KernelEvent[] = [];

  sys(pid: number, call: CallName, ...regs: number[]): number {
    const r = this.k.syscall(pid, CALLS[call], ...regs);
    this.events.push(...this.k.drainEvents());
    this.k.check();
    return r;
  }

  /** A non-time call as a trace step (`{"pid": 2, "call": ...}` without the header). */
  step(line: string): number {
    const s = parseTrace(`${HEADER}\n${line}\n`, "time").steps[0];
    const r = issue(this.k, s).ret;
    this.events.push(...this.k.drainEvents());
    // A signal's victims die when they next run (kernel/sigdeliver.ts sigDoom): as the engine
    // does, let the ones whose death order does not show die before the next step.
    for (let pid = this.k.x.k_woken_free(); pid !== 0; pid = this.k.x.k_woken_free()) {
      this.k.retry(pid);
      this.events.push(...this.k.drainEvents());
    }
    this.k.check();
    return r;
  }

  /** Time passes by ns: advance until it returns 0, retrying woken processes in between
   * (the engine's loop). */
  advance(ns: number): number[] {
    const rets: number[] = [];
    let left = ns;
    for (;;) {
      const before = this.k.timeNow();
      const r = this.k.syscall(0, CALLS.advance, Math.floor(left / NS), left % NS);
      rets.push(r);
      this.events.push(...this.k.drainEvents());
      for (const pid of this.k.woken()) this.wake(pid, this.k.retry(pid));
      this.k.check();
      left -= this.k.timeNow() - before;
      if (r !== 1) return rets;
    }
  }

  private wake(pid: number, ret: number): void {
    this.events.push({ kind: EVENT.WAKE, pid, a: ret, b: 0, c: 0, d: 0 });
    this.events.push(...this.k.drainEvents());
  }

  take(): KernelEvent[] {
    const e = this.events;
    this.events = [];
    return e;
  }

  put(pid: number, va: number, ...words: number[]): void {
    const buf = new DataView(new ArrayBuffer(words.length * 8));
    words.forEach((w, i) => buf.setBigInt64(i * 8, BigInt(w), true));
    expect(this.k.poke(pid, va, new Uint8Array(buf.buffer))).toBe(true);
  }

  get(pid: number, va: number, n: number): number[] {
    const bytes = this.k.peek(pid, va, n * 8);
    if (!bytes) throw new Error("peek failed");
    const v = new DataView(bytes.buffer);
    return Array.from({ length: n }, (_, i) => Number(v.getBigInt64(i * 8, true)));
  }

  /** A timespec written at a; its address. */
  ts(pid: number, sec: number, nsec: number): number {
    this.put(pid, this.a, sec, nsec);
    return this.a;
  }
}

export const ev = (kind: number, pid: number, a: number) => ({ kind, pid, a });
export const brief = (es: KernelEvent[]) => es.map((e) => ev(e.kind, e.pid, e.a));
export const signalEvents = (es: KernelEvent[]) => es.filter((e) => e.kind === EVENT.SIGNAL)
  .map((e) => ({ pid: e.pid, sig: e.a, code: e.c, value: e.d }));

