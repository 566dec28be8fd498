// What a call-table entry is, and the draws every table shares. The tables (call-table.ts for
// processes, pipes and FIFOs; sysv-table.ts for SysV IPC) import this; call-table.ts imports
// the SysV table, so what both need lives here rather than in either.

import fc from "fast-check";
import type { CallName } from "../wasm/abi.js";
import type { Shadow } from "./shadow.js";
import { entryCall, type EntryName } from "./weights.js";

/** What `build` may look at: the caller, the shadow state, the step's number. */
export interface BuildContext {
  pid: number;
  shadow: Shadow;
  index: number;
  /** O_DIRECT (packet mode) may be drawn. */
  packet: boolean;
  /** A signal may target -1 (every process) and 1 (init). */
  hostPids: boolean;
}

/** A step's fields besides `pid`: `call` and its arguments, as a trace writes them. */
export type StepFields = { call: CallName } & Record<string, unknown>;

export interface CallKind<A = unknown> {
  /** The entry's name (a call, or a call and a variant: "fcntl-setfl"); its default weight is
   * in weights.ts. */
  name: EntryName;
  /** The call `build` makes. */
  call: CallName;
  args: fc.Arbitrary<A>;
  /** The step's fields, or null when the draw makes no sense for this caller (skipped). */
  build(a: A, ctx: BuildContext): StepFields | null;
}

export function kind<A>(
  name: EntryName,
  args: fc.Arbitrary<A>,
  build: CallKind<A>["build"],
): CallKind {
  return { name, call: entryCall(name), args, build } as CallKind;
}

/** One of `values`, shrinking towards the earlier ones one by one (fc.constantFrom shrinks
 * straight to the first, which often no longer fails). */
export function pick<T>(values: readonly T[]): fc.Arbitrary<T> {
  return fc.integer({ min: 0, max: values.length - 1 }).map((i) => values[i]);
}

/** A subset of flag names, each with its own percent chance; shrinking turns flags off. */
export function flagsArb(names: readonly [string, number][]): fc.Arbitrary<string[]> {
  const on = names.map(([, p]) => fc.integer({ min: 0, max: 99 }).map((x) => x >= 100 - p));
  return fc.tuple(...on).map((bits) => names.filter((_, i) => bits[i]).map(([n]) => n));
}
