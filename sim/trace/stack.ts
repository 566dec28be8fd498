// stack_t in traces (sigaltstack; docs/trace-format.md): `ss` as `{"sp": 0, "size": 65536,
// "flags": ["SS_AUTODISARM"]}` (every field may be left out: 0), and the result's `oldss` in the
// same form. sp is a number the model never dereferences (the host agent places it in an arena
// of its own); sp and size are 0..2^32-1, the model's 32-bit values; flags are SS_ names or
// the raw bits as a number (Linux checks the mode: EINVAL).

import { FLAGS } from "../../wasm/abi.js";
import { UAPI } from "../../wasm/abi.js";
import { splitFlags } from "./calls.js";
import { flagsAt, type At } from "./decode.js";
import type { StackT } from "./types.js";

const WHAT = '{"sp": 0, "size": 65536, "flags": []}';
const FIELDS = ["sp", "size", "flags"] as const;
const U32_MAX = 0xffffffff;

function u32At(v: unknown, at: At): number {
  if (typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= U32_MAX) return v;
  return at.expected("a number 0..2^32-1 (the model's 32-bit values)", v);
}

/** A stack_t; a field left out is 0. */
export function stackAt(v: unknown, at: At): StackT {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return at.expected(WHAT, v);
  const o = v as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!(FIELDS as readonly string[]).includes(key)) {
      at.field(key).fail(`unknown field (a stack_t has ${FIELDS.join(", ")})`);
    }
  }
  return {
    sp: o.sp === undefined ? 0 : u32At(o.sp, at.field("sp")),
    size: o.size === undefined ? 0 : u32At(o.size, at.field("size")),
    flags: o.flags === undefined ? 0 : flagsAt(o.flags, at.field("flags"), FLAGS.ss),
  };
}

/** ss_flags for JSON: the SS_ names, or the bits as a number where no name covers some. */
function stackFlagsToJson(flags: number): string[] | number {
  const { names, rest } = splitFlags(flags, FLAGS.ss);
  return rest === 0 ? names : flags >>> 0;
}

export function stackToJson(s: StackT): { sp: number; size: number; flags: string[] | number } {
  return { sp: s.sp, size: s.size, flags: stackFlagsToJson(s.flags) };
}

const ST = UAPI.stack_t;

/** The struct's 24 bytes on x86_64 (| ss_sp u64 | ss_flags i32 | pad 4 | ss_size u64 |). */
export function stackBytes(s: StackT): Uint8Array {
  const b = new DataView(new ArrayBuffer(ST.size));
  b.setBigUint64(ST.ss_sp, BigInt(s.sp), true);
  b.setUint32(ST.ss_flags, s.flags >>> 0, true);
  b.setBigUint64(ST.ss_size, BigInt(s.size), true);
  return new Uint8Array(b.buffer);
}

/** The struct from its 24 bytes. */
export function stackFromBytes(bytes: Uint8Array): StackT {
  const b = new DataView(bytes.buffer, bytes.byteOffset, ST.size);
  return {
    sp: Number(b.getBigUint64(ST.ss_sp, true)),
    size: Number(b.getBigUint64(ST.ss_size, true)),
    flags: b.getUint32(ST.ss_flags, true),
  };
}

export function stackEqual(a: StackT, b: StackT): boolean {
  return a.sp === b.sp && a.size === b.size && (a.flags >>> 0) === (b.flags >>> 0);
}
