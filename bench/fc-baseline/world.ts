// The fast-check baseline's tiny world: the bug suite's processes as async functions under
// `fc.scheduler()`, which picks uniformly among the pending scheduled promises. Each system call
// is one scheduled step; a call that must wait (an empty pipe, a zero semaphore, a full queue)
// sleeps on an unscheduled promise that a later call resolves, then takes a step again to
// re-check. The scheduler has no notion of a blocked task: when every live process sleeps,
// nothing is pending, `waitIdle()` returns with work undone, and the world reports a deadlock.
// The IPC objects are a few lines of plain TypeScript per bug, not the kernel: this is the cost
// and the search power of the usual JavaScript approach, for comparison.

import type { Scheduler } from "fast-check";

/** What a run of a bug program ended with. */
type Verdict = { ok: true } | { ok: false; why: string };

export class World {
  private sleepers: (() => void)[] = [];
  private live = new Set<string>();
  private failure: string | undefined;
  private readonly done: Promise<void>[] = [];

  constructor(private readonly s: Scheduler) {}

  /** One system call's scheduling point. */
  step(label: string): Promise<string> {
    return this.s.schedule(Promise.resolve(label), label);
  }

  /** A blocking call: take a step, then sleep until `ready()` holds (re-checked after each
   * wake). */
  async waitUntil(label: string, ready: () => boolean): Promise<void> {
    await this.step(label);
    while (!ready()) {
      await new Promise<void>((r) => this.sleepers.push(r));
      await this.step(label);
    }
  }

  /** Something changed: every sleeper re-checks its condition. */
  wake(): void {
    const w = this.sleepers;
    this.sleepers = [];
    for (const r of w) r();
  }

  /** Start a process; its exception (a failed assertion) is the run's failure. */
  spawn(name: string, body: () => Promise<void>): void {
    this.live.add(name);
    const p = body().then(
      () => {
        this.live.delete(name);
        this.wake();
      },
      (e: unknown) => {
        this.failure ??= `${name}: ${e instanceof Error ? e.message : String(e)}`;
        this.live.delete(name);
      },
    );
    this.done.push(p);
  }

  isLive(name: string): boolean {
    return this.live.has(name);
  }

  /** Run until idle: a failure, a deadlock (live processes, nothing pending), or ok. */
  async verdict(): Promise<Verdict> {
    await this.s.waitIdle();
    if (this.failure !== undefined) return { ok: false, why: this.failure };
    if (this.live.size > 0) {
      return { ok: false, why: `deadlock: ${[...this.live].join(", ")} asleep` };
    }
    return { ok: true };
  }
}

export function assert(cond: boolean, message: string): void {
  if (!cond) throw new Error(message);
}

/** A bug program for the baseline: set up processes on the world, then return its verdict. */
export type FcBug = (w: World) => Promise<Verdict>;
