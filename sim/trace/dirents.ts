// getdents64's entries in traces (docs/trace-format.md "Files"): the result's `dirents`, a list
// `[{"ino": 1, "type": "DT_DIR", "name": "."}, ...]` in the order the call listed them. d_off
// and d_reclen are not reported: d_off is a position only the kernel interprets (the model's
// differs from Linux's: docs/differences.md `files`), d_reclen follows from the name.

import type { At } from "./decode.js";
import type { Dirent } from "./types.js";

/** include/linux/fs_types.h: d_type values by name (the ones a tmpfs lists). */
export const DT_NAMES: Readonly<Record<number, string>> = {
  0: "DT_UNKNOWN", 1: "DT_FIFO", 2: "DT_CHR", 4: "DT_DIR", 6: "DT_BLK", 8: "DT_REG",
  10: "DT_LNK", 12: "DT_SOCK",
};
const KNOWN = new Set(Object.values(DT_NAMES));

export function direntsAt(v: unknown, at: At): Dirent[] {
  if (!Array.isArray(v)) return at.expected("a list of {ino, type, name}", v);
  return v.map((e, i) => direntAt(e, at.field(String(i))));
}

function direntAt(v: unknown, at: At): Dirent {
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    return at.expected('{"ino": 1, "type": "DT_DIR", "name": "."}', v);
  }
  const o = v as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (key !== "ino" && key !== "type" && key !== "name") {
      at.field(key).fail("unknown field (a dirent has ino, type, name)");
    }
  }
  const ino = o.ino;
  if (typeof ino !== "number" || !Number.isSafeInteger(ino) || ino < 0) {
    return at.field("ino").expected("an inode number", ino);
  }
  if (typeof o.type !== "string" || !KNOWN.has(o.type)) {
    return at.field("type").expected(`one of ${[...KNOWN].join(", ")}`, o.type);
  }
  if (typeof o.name !== "string") return at.field("name").expected("a name", o.name);
  return { ino, type: o.type, name: o.name };
}

/** strace -v's form: [{d_ino=1, d_type=DT_DIR, d_name="."}, ...]. */
export function direntsText(d: readonly Dirent[]): string {
  const one = (e: Dirent) => `{d_ino=${e.ino}, d_type=${e.type}, d_name=${JSON.stringify(e.name)}}`;
  return `[${d.map(one).join(", ")}]`;
}
