// struct f_owner_ex in traces (fcntl F_SETOWN_EX, F_GETOWN_EX; docs/trace-format.md): `arg` as
// `{"type": "F_OWNER_PID", "pid": 3}` and F_GETOWN_EX's result `owner` in the same form. The
// type is an F_OWNER_ name or any C int (Linux's fs/fcntl.c f_setown_ex refuses the others:
// EINVAL), the pid any C int (find_vpid finds none for a negative one: ESRCH).

import { C_TYPE_RANGE } from "../../wasm/calls.js";
import { NAMES, nameOfValue } from "./calls.js";
import type { At } from "./decode.js";
import type { OwnerEx } from "./types.js";

const WHAT = '{"type": "F_OWNER_PID", "pid": 2}';
const [INT_MIN, INT_MAX] = C_TYPE_RANGE.int;

function cInt(v: unknown, at: At, names: Readonly<Record<string, number>> | null): number {
  if (typeof v === "string" && names && Object.hasOwn(names, v)) return names[v];
  if (typeof v === "string" && names) {
    at.fail(`unknown name ${JSON.stringify(v)} (known: ${Object.keys(names).join(", ")})`);
  }
  if (typeof v === "number" && Number.isInteger(v) && v >= INT_MIN && v <= INT_MAX) return v;
  return at.expected(`${names ? "an F_OWNER_ name or " : ""}a C int`, v);
}

/** A struct f_owner_ex: type (default F_OWNER_TID 0) and pid (default 0); F_GETOWN_EX's is
 * written `{}` (the call fills it). */
export function ownerExAt(v: unknown, at: At): OwnerEx {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return at.expected(WHAT, v);
  const o = v as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (key !== "type" && key !== "pid") {
      at.field(key).fail("unknown field (an f_owner_ex has type, pid)");
    }
  }
  const type = o.type === undefined ? 0 : cInt(o.type, at.field("type"), NAMES.owner);
  const pid = o.pid === undefined ? 0 : cInt(o.pid, at.field("pid"), null);
  return { type, pid };
}

/** A struct f_owner_ex for JSON: its type by name (one Linux refuses stays a number), its pid. */
export function ownerToJson(o: OwnerEx): { type: string | number; pid: number } {
  return { type: nameOfValue(o.type, NAMES.owner) ?? o.type, pid: o.pid };
}
