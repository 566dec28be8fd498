// struct flock in traces (fcntl F_GETLK, F_SETLK, F_SETLKW, F_OFD_GETLK, F_OFD_SETLK,
// F_OFD_SETLKW; docs/trace-format.md): `arg` as `{"l_type": "F_WRLCK", "l_whence": "SEEK_SET",
// "l_start": 0, "l_len": 100, "l_pid": 0}` (every field but l_type may be left out: 0, which
// is SEEK_SET), and the getlk commands' result `flock` in the same form. l_type and l_whence are
// a name or any C short (Linux checks them: EINVAL), l_start and l_len C longs as far as a
// JSON number is exact (2^53), l_pid a C int.

import { C_TYPE_RANGE } from "../../wasm/calls.js";
import { FLAGS } from "../../wasm/abi.js";
import { NAMES, nameOfValue } from "./calls.js";
import type { At } from "./decode.js";
import type { Flock } from "./types.js";

const WHAT = '{"l_type": "F_WRLCK", "l_whence": "SEEK_SET", "l_start": 0, "l_len": 0}';
const FIELDS = ["l_type", "l_whence", "l_start", "l_len", "l_pid"] as const;

/** The fcntl commands whose arg is a struct flock. */
export const FLOCK_CMDS: ReadonlySet<number> = new Set([
  FLAGS.fcntl.F_GETLK, FLAGS.fcntl.F_SETLK, FLAGS.fcntl.F_SETLKW, FLAGS.fcntl.F_OFD_GETLK,
  FLAGS.fcntl.F_OFD_SETLK, FLAGS.fcntl.F_OFD_SETLKW,
]);

/** The commands that write the struct back (the result's `flock`). */
export const FLOCK_GET_CMDS: ReadonlySet<number> =
  new Set([FLAGS.fcntl.F_GETLK, FLAGS.fcntl.F_OFD_GETLK]);

function num(
  v: unknown, at: At, c: "short" | "long" | "int", names: Readonly<Record<string, number>> | null,
): number {
  if (typeof v === "string" && names && Object.hasOwn(names, v)) return names[v];
  if (typeof v === "string" && names) {
    at.fail(`unknown name ${JSON.stringify(v)} (known: ${Object.keys(names).join(", ")})`);
  }
  const [min, max] = C_TYPE_RANGE[c];
  if (typeof v === "number" && Number.isInteger(v) && v >= min && v <= max) return v;
  return at.expected(`${names ? "a name or " : ""}a C ${c}`, v);
}

/** A struct flock; a field left out is 0. */
export function flockAt(v: unknown, at: At): Flock {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return at.expected(WHAT, v);
  const o = v as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!(FIELDS as readonly string[]).includes(key)) {
      at.field(key).fail(`unknown field (a flock has ${FIELDS.join(", ")})`);
    }
  }
  const get = (k: (typeof FIELDS)[number], c: "short" | "long" | "int",
    names: Readonly<Record<string, number>> | null): number =>
    (o[k] === undefined ? 0 : num(o[k], at.field(k), c, names));
  return {
    l_type: get("l_type", "short", NAMES.locktype),
    l_whence: get("l_whence", "short", NAMES.whence),
    l_start: get("l_start", "long", null),
    l_len: get("l_len", "long", null),
    l_pid: get("l_pid", "int", null),
  };
}

/** A struct flock for JSON: l_type and l_whence by name where they have one. */
export function flockToJson(f: Flock): Record<string, string | number> {
  return {
    l_type: nameOfValue(f.l_type, NAMES.locktype) ?? f.l_type,
    l_whence: nameOfValue(f.l_whence, NAMES.whence) ?? f.l_whence,
    l_start: f.l_start, l_len: f.l_len, l_pid: f.l_pid,
  };
}

/** The struct's 32 bytes on x86_64 (| l_type i16 | l_whence i16 | pad 4 | l_start i64 |
 * l_len i64 | l_pid i32 | pad 4 |). */
export function flockBytes(f: Flock): Uint8Array {
  const b = new DataView(new ArrayBuffer(32));
  b.setInt16(0, f.l_type, true);
  b.setInt16(2, f.l_whence, true);
  b.setBigInt64(8, BigInt(f.l_start), true);
  b.setBigInt64(16, BigInt(f.l_len), true);
  b.setInt32(24, f.l_pid, true);
  return new Uint8Array(b.buffer);
}

/** The struct from its 32 bytes. */
export function flockFromBytes(bytes: Uint8Array): Flock {
  const b = new DataView(bytes.buffer, bytes.byteOffset, 32);
  return {
    l_type: b.getInt16(0, true), l_whence: b.getInt16(2, true),
    l_start: Number(b.getBigInt64(8, true)), l_len: Number(b.getBigInt64(16, true)),
    l_pid: b.getInt32(24, true),
  };
}

export function flockEqual(a: Flock, b: Flock): boolean {
  return FIELDS.every((k) => a[k] === b[k]);
}
