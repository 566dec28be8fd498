// Helpers for the host bridge's tests: traces written as step objects, and a check that runs
// one on the host and compares every step's expectations (sim/trace/compare.ts).

import { readdirSync, readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { describeDifference, expectedOutcome } from "../sim/trace/compare.js";
import { parseTrace } from "../sim/trace/parse.js";
import type { Outcome, Trace } from "../sim/trace/types.js";
import { hostSupport, retryInconclusive, runOnHost, type HostOptions } from "./host.js";

const support = hostSupport();
if (!support.ok) console.warn(`host-bridge tests skipped: ${support.reason}`);

/** " (skipped: why)" for describe names when the host bridge cannot run here, else "". */
export const skipReason = support.ok ? "" : ` (skipped: ${support.reason})`;

/** `it`, skipped off Linux or without the agent binary. */
export const hostIt = it.skipIf(!support.ok);

const HEADER = '{"trace": "ipcsim", "version": 1, "name": "test"}';

/** A trace from step lines (objects or JSON text). */
export function trace(steps: (object | string)[], header = HEADER): Trace {
  const lines = steps.map((s) => (typeof s === "string" ? s : JSON.stringify(s)));
  return parseTrace([header, ...lines].join("\n"), "<test>");
}

/** Runs the trace on the host and checks every step's expectations (absent ones are not
 * checked). Returns the outcomes. An inconclusive run is tried again. */
export async function check(t: Trace, opts: HostOptions = {}): Promise<Outcome[]> {
  const outcomes = await retryInconclusive(() => runOnHost(t, opts));
  const problems: string[] = [];
  for (const o of outcomes) {
    const s = t.steps[o.step];
    const diff = describeDifference(expectedOutcome(s, o), o);
    if (diff) problems.push(`line ${s.line} ${JSON.stringify(s.raw)}: ${diff}`);
  }
  expect(problems).toEqual([]);
  return outcomes;
}

/** Expectation shorthands: a result without events, an error, blocked. */
export const ok = (ret: number, more: object = {}) => ({
  expect: { ret, ...more },
  expect_events: [],
});
export const fail = (errno: string) => ({ expect: { ret: -1, errno }, expect_events: [] });
export const blocked = { expect: "blocked", expect_events: [] };

/** Expectation with events: `expecting({ ret: 0 }, wake(3, 2, { ret: 0 }))`, or
 * `expecting(undefined, ...)` for a caller that does not return. (Not named `then`: a module
 * exporting `then` is a thenable, and `await import()` of it never resolves.) */
export const expecting = (result: object | string | undefined, ...events: object[]) =>
  result === undefined ? { expect_events: events } : { expect: result, expect_events: events };

/** Events. */
export const wake = (pid: number, step: number, result: object) => ({ wake: pid, step, result });
export const exited = (pid: number, code: number) => ({ exit: pid, status: { exited: code } });
export const killed = (pid: number, sig: string) => ({ exit: pid, status: { signaled: sig } });
export const caught = (sig: string, pid: number) => ({ signal: sig, pid });

/** Pids of live processes whose environment holds `name=tag` (a zombie's is empty): how the
 * cleanup tests find what a run started, guard and traced processes included. */
export function processesTagged(name: string, tag: string): number[] {
  const needle = Buffer.from(`${name}=${tag}\0`);
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`).includes(needle)) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}
