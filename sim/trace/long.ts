// C longs beyond JSON's exact integers (docs/trace-format.md "Integer ranges"): msgsnd's
// `mtype`, msgrcv's `msgtyp` and its result's `mtype` may be any 64-bit value (LONG_MIN and
// LONG_MAX included, as Linux's ipc/msg.c: convert_mode() tests them), which a JSON number
// cannot carry past 2^53. A trace writes such a value as a decimal string
// ("-9223372036854775808"); decoded, it is a `Long`: a number when it is exactly one, else a
// bigint, so that equal values are always equal with `===`. It is written back as the string.

import type { At } from "./decode.js";

/** A C long: a number within JSON's exact integers, a bigint outside them. */
export type Long = number | bigint;

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
const WHAT = 'a C long: an integer, or a decimal string beyond 2^53 ("-9223372036854775808")';

/** The one representation of a 64-bit value: a number where it is exact, else a bigint. */
export function toLong(v: bigint): Long {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
}

/** A long as a trace writes it: an exact JSON integer, or a decimal string of a 64-bit value
 * (a string within 2^53 is accepted too, and decodes to the same number). */
export function longAt(v: unknown, at: At): Long {
  if (typeof v === "number" && Number.isSafeInteger(v)) return v;
  if (typeof v === "string" && /^-?[0-9]{1,19}$/.test(v)) {
    const b = BigInt(v);
    if (b >= LONG_MIN && b <= LONG_MAX) return toLong(b);
  }
  return at.expected(WHAT, v);
}

/** A long for JSON output: a number where exact, else its decimal string. */
export function longToJson(v: Long): number | string {
  return typeof v === "bigint" ? v.toString() : v;
}

/** The JSON Schema of a long (sim/trace/schema.ts). */
export const LONG_SCHEMA = {
  anyOf: [
    { type: "integer", minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER },
    { type: "string", pattern: "^-?[0-9]{1,19}$" },
  ],
};
