// SysV semaphores on random traces heavy in semop, semctl, fork and exit (weights.ts
// SEM_HEAVY): processes block in semop (decrements, zero waits, several sops at once) and are
// completed by others' semops, SETVAL/SETALL, exits (SEM_UNDO) and IPC_RMID. The ledger
// (sysv-ledgers.ts) follows each value from the outcomes alone.

import { test } from "@fast-check/vitest";
import { expect } from "vitest";
import { decodeResult, issue } from "../sim/model/calls.js";
import type { Step } from "../sim/trace/types.js";
import { FLAGS } from "../wasm/abi.js";
import type { Kernel } from "../wasm/kernel.js";
import { traceArb } from "./arbitraries.js";
import { SEMVMX, SemLedger, valuesThatPass } from "./sysv-ledgers.js";
import { runAll, withRun, type SysvRun } from "./sysv-run.js";
import { params } from "./support.js";
import { SEM_HEAVY } from "./weights.js";
import "./timeouts.js";

const traces = traceArb({ weights: SEM_HEAVY });

/** GETALL straight on the kernel, as `pid` (idle) would make it: no step, no trace line. */
function valuesNow(k: Kernel, pid: number, semid: number): number[] | null {
  const args = { semid, semnum: 0, cmd: FLAGS.ipcctl.GETALL, arg: null };
  const step = { index: -1, line: 0, pid, call: "semctl", args, raw: {} } as Step;
  const { issued, ret } = issue(k, step);
  const r = decodeResult(k, issued, ret);
  return r === "blocked" || ret < 0 ? null : r.values ?? null;
}

/** Each live set's values on the kernel after a step (none while worlds differ). */
function eachSet(run: SysvRun, ledger: SemLedger, check: (id: number, v: number[]) => void) {
  const pid = run.idle()[0];
  if (pid === undefined || !run.singleWorld()) return;
  for (const id of ledger.sets.keys()) {
    const v = valuesNow(run.kernel, pid, id);
    if (v === null) throw new Error(`GETALL of live set ${id} failed`);
    check(id, v);
  }
}

test.prop([traces], params(100))(
  "semaphore values stay within [0, 32767] after every step",
  (g) => {
    withRun("sem-range", g, (run) => {
      const ledger = new SemLedger();
      runAll(run, (step, ended) => {
        ledger.step(ended);
        eachSet(run, ledger, (id, values) => {
          const bad = values.filter((v) => v < 0 || v > SEMVMX);
          expect(bad, `set ${id} after step ${step.index}: ${values}`).toEqual([]);
        });
      });
    });
  },
);

test.prop([traces], params(100))(
  "with SEM_UNDO, once every process that operated has exited, each semaphore is its start " +
    "plus the operations not undone (each exit's adjustment clamped to [0, 32767])",
  (g) => {
    withRun("sem-undo", g, (run) => {
      const ledger = new SemLedger();
      runAll(run, (step, ended) => {
        ledger.step(ended);
        eachSet(run, ledger, (id, values) => {
          expect(values, `set ${id} after step ${step.index}`).toEqual(ledger.values(id));
        });
      });
      const observer = exitAll(run, ledger);
      for (const semid of [...ledger.sets.keys()].sort((a, b) => a - b)) {
        const r = run.call(observer, { call: "semctl", semid, cmd: "GETALL" });
        expect(r.values, `set ${semid} at the end`).toEqual(ledger.values(semid));
      }
      expect(ledger.pendingAdjustments(), "adjustments of live processes").toBe(0);
    });
  },
);

/**
 * The exit phase, added after the generated steps: an idle process forks an observer (no
 * SEM_UNDO of its own: a child starts without adjustments), then every other process exits.
 * A process blocked in semop is released by the observer with one IPC_NOWAIT semop that moves
 * the values it waits on just enough (after a GETALL, so the trace shows why); a semop no
 * value lets through ({0:+1, 0:0}) has its set removed instead (EIDRM). A blocked semop that
 * the values already let through is a bug: Linux completes waiters after every change
 * (ipc/sem.c:update_queue()). Returns the observer's pid.
 */
function exitAll(run: SysvRun, ledger: SemLedger): number {
  const take = (pid: number, fields: Parameters<SysvRun["append"]>[1]) => {
    const r = run.append(pid, fields);
    ledger.step(r.ended);
    return r.outcome.result;
  };
  const forked = take(run.idle()[0], { call: "fork" });
  const observer = forked !== undefined && forked !== "blocked" ? (forked.ret as number) : -1;
  if (observer < 0) throw new Error("the observer's fork failed");
  for (let round = 0; round < 200; round++) {
    const idle = run.idle().filter((p) => p !== observer);
    if (idle.length > 0) {
      take(idle[0], { call: "exit", status: 0 });
      continue;
    }
    const blocked = [...run.blockedIn()].sort((a, b) => a[0] - b[0]);
    if (blocked.length === 0) return observer;
    const [pid, step] = blocked[0];
    if (step.call !== "semop") throw new Error(`pid ${pid} is blocked in ${step.call}, not semop`);
    const semid = step.args.semid;
    const now = run.call(observer, { call: "semctl", semid, cmd: "GETALL" }).values;
    if (!now) throw new Error(`pid ${pid} waits on set ${semid}, which GETALL cannot read`);
    const want = valuesThatPass(step.args.sops, now);
    if (want === null) {
      take(observer, { call: "semctl", semid, cmd: "IPC_RMID" });
      continue;
    }
    const moves = [...want].filter(([num, v]) => v !== now[num]);
    if (moves.length === 0) {
      throw new Error(`pid ${pid} is blocked in the semop of step ${step.index}, which the ` +
        `values [${now}] of set ${semid} let through`);
    }
    const sops = moves.map(([num, v]) => ({ num, op: v - now[num], flags: ["IPC_NOWAIT"] }));
    take(observer, { call: "semop", semid, sops });
  }
  throw new Error("the exit phase did not end in 200 rounds");
}
