// A trace's struct mq_attr (mq_open's attr, mq_getsetattr's new attr), kept out of decode.ts
// (its size limit).

import { NAMES } from "./calls.js";
import { At, checkKeys, cIntAt, flagsAt, obj } from "./decode.js";
import type { MqAttr } from "./types.js";

/** A struct mq_attr: flags (O_NONBLOCK's name or a number), maxmsg, msgsize, curmsgs (C
 * longs, each 0 when left out: mq_open reads only maxmsg and msgsize, mq_setattr only flags). */
export function mqattrAt(v: unknown, at: At): MqAttr {
  const o = obj(v, at, '{"maxmsg": 10, "msgsize": 8192} or {"flags": "O_NONBLOCK"}');
  checkKeys(o, ["flags", "maxmsg", "msgsize", "curmsgs"], at,
    "an mq_attr has flags, maxmsg, msgsize, curmsgs");
  const long = (k: "maxmsg" | "msgsize" | "curmsgs") =>
    o[k] === undefined ? 0 : cIntAt(o[k], "long", at.field(k), `mq_${k}`);
  const flags = o.flags === undefined ? 0 : flagsAt(o.flags, at.field("flags"), NAMES.open);
  return { flags, maxmsg: long("maxmsg"), msgsize: long("msgsize"), curmsgs: long("curmsgs") };
}

