// The scenario `os` API's argument checks and conversions: an integer, a byte string, a SysV
// get's mode, a sembuf in any of its spellings. A wrong type is a TypeError naming the argument.

import { HANDLERS } from "../../wasm/abi.js";
import { utf8Bytes } from "../trace/bytes.js";
import type { Sop } from "../trace/types.js";
import type { Bytes, SembufLike } from "./os-types.js";

export function bytes(data: Bytes, what: string): Uint8Array {
  if (typeof data === "string") return utf8Bytes(data);
  if (data instanceof Uint8Array) return data;
  throw new TypeError(`${what}: expected a string or a Uint8Array, got ${typeof data}`);
}

/** The kernel's number of a handler (wasm/abi.ts HANDLERS): a function runs as a `calls`
 * handler. */
export function handlerCode(handler: unknown, what: string): number {
  const h = typeof handler === "function" ? HANDLERS.calls
    : HANDLERS[handler as keyof typeof HANDLERS];
  if (h !== undefined) return h;
  throw new TypeError(
    `${what}: a function, "SIG_DFL", "SIG_IGN" or "catch", got ${String(handler)}`,
  );
}

export function int(v: unknown, what: string): number {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  throw new TypeError(`${what}: expected an integer, got ${String(v)}`);
}

/** A SysV get's flags: the mode bits (low 9) are the mode, as msgget(2) reads msgflg. */
export function splitMode(flags: number): { flags: number; mode: number } {
  return { flags: flags & ~0o777, mode: flags & 0o777 };
}

export function sop(s: SembufLike): Sop {
  if (Array.isArray(s)) {
    return { num: int(s[0], "sembuf num"), op: int(s[1], "sembuf op"), flags: s[2] ?? 0 };
  }
  const o = s as Record<string, number | undefined>;
  if ("sem_num" in o) {
    return { num: int(o.sem_num, "sem_num"), op: int(o.sem_op, "sem_op"), flags: o.sem_flg ?? 0 };
  }
  return { num: int(o.num, "sembuf num"), op: int(o.op, "sembuf op"), flags: o.flags ?? 0 };
}
