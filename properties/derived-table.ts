// Generator entries derived from the call table (wasm/calls.ts) for calls that have no entry of
// their own in call-table.ts, sysv-table.ts, mem-table.ts or signal-table.ts: each argument is
// drawn by its kind. Only calls whose arguments are all integers of a known kind get one (a
// path, bytes, an address or a struct needs aiming: weights.test.ts then asks for a tailored
// entry). The draws stay meaningful on Linux: the caller's own fds, itself or a child as a
// target, a user signal, names from the argument's family.

import fc from "fast-check";
import { CALL_NAMES, callSpec, type ArgKind, type ArgSpec, type CallName } from "../wasm/calls.js";
import { namesOf } from "../sim/trace/calls.js";
import { type BuildContext, type CallKind, type StepFields } from "./call-kind.js";
import type { EntryName } from "./weights.js";

/** A draw of one argument: resolved against the caller's state when the step is built. */
type Draw = number;
type KindDraw = { arb: fc.Arbitrary<Draw>; value(d: Draw, a: ArgSpec, ctx: BuildContext): unknown };

const SIGNALS = ["SIGUSR1", "SIGUSR2", "SIGRTMIN", 0] as const;
const small = fc.nat({ max: 15 });

const DRAWS: Partial<Record<ArgKind, KindDraw>> = {
  int: { arb: small, value: (d) => d % 4 },
  count: { arb: small, value: (d) => [0, 1, 4096, 65536][d % 4] },
  sigval: { arb: small, value: (d) => d },
  fd: { arb: small, value: (d, _, ctx) => ownFd(ctx, d) },
  target: { arb: small, value: (d, _, ctx) => target(ctx, d) },
  signal: { arb: small, value: (d) => SIGNALS[d % SIGNALS.length] },
  mode: { arb: small, value: () => "0600" },
  key: { arb: small, value: (d) => (d % 2 === 0 ? "IPC_PRIVATE" : 0x5eed + (d % 3)) },
  flags: { arb: small, value: (d, a) => subset(names(a), d) },
  command: { arb: small, value: (d, a) => names(a)[d % names(a).length] },
};

function names(a: ArgSpec): string[] {
  return Object.keys(namesOf(a));
}

/** The bits of d choose names (the first four), so shrinking d to 0 drops them all. */
function subset(all: string[], d: number): string[] {
  return all.slice(0, 4).filter((_, i) => (d >> i) & 1);
}

function ownFd(ctx: BuildContext, d: number): number {
  const fds = ctx.shadow.fdsOf(ctx.pid).map(([fd]) => fd);
  return fds.length === 0 ? d % 4 : fds[d % fds.length];
}

/** The caller itself, one of its children, or (rarely) a pid that does not exist. */
function target(ctx: BuildContext, d: number): number {
  const children = ctx.shadow.childrenOf(ctx.pid);
  if (d === 15) return 9999;
  if (children.length === 0 || d % 2 === 0) return ctx.pid;
  return children[d % children.length];
}

/** An entry for `call` drawn by kind, or null when a kind has no generic draw. */
function derivedEntry(call: CallName): CallKind | null {
  const args = callSpec(call).args;
  const draws = args.map((a) => DRAWS[a.kind]);
  if (draws.some((d) => d === undefined)) return null;
  const kinds = draws as KindDraw[];
  return {
    name: call as EntryName,
    call,
    args: fc.tuple(...kinds.map((k) => k.arb)),
    build(ds: Draw[], ctx: BuildContext): StepFields {
      const fields: StepFields = { call };
      args.forEach((a, i) => (fields[a.name] = kinds[i].value(ds[i], a, ctx)));
      return fields;
    },
  } as CallKind;
}

/** Entries for the calls the hand-written tables leave out, in call-table order. */
export function derivedEntries(written: readonly CallKind[]): CallKind[] {
  const have = new Set(written.map((k) => k.call));
  const out: CallKind[] = [];
  for (const call of CALL_NAMES) {
    if (have.has(call)) continue;
    const entry = derivedEntry(call);
    if (entry) out.push(entry);
  }
  return out;
}

