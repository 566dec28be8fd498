// POSIX message queue calls' encodings (calls.ts ENCODERS, DECODERS).
//
// Each call's structs go in the process's I/O area as the kernel reads them:
//   mq_open          | mq_attr (64) | name, NUL-terminated |
//   mq_timedsend     | timespec (16) | ... | message @64 |
//   mq_timedreceive  | timespec (16) | prio u32 @16 | ... | buffer @64 |
//   mq_notify        | sigevent (64) |
//   mq_getsetattr    | new mq_attr (64) | old mq_attr @64 (the result's `stat`) |
// struct mq_attr is four longs (mq_flags, mq_maxmsg, mq_msgsize, mq_curmsgs) and four reserved.
// A receive's size above the I/O area is passed as is: the kernel writes at most the queue's
// msgsize (8192 at most), and refuses a size below it (EMSGSIZE).

import { CALLS } from "../../wasm/abi.js";
import type { Kernel } from "../../wasm/kernel.js";
import type { MqAttr, Step } from "../trace/types.js";
import type { Decoders, Encoders } from "./calls.js";
import { ModelError } from "./errors.js";
import { sigeventBytes, timespecBytes } from "./time.js";

const ATTR_BYTES = 64;
const DATA_AT = 64;
const PRIO_AT = 16;

function put(k: Kernel, step: Step, va: number, bytes: Uint8Array): number {
  if (DATA_AT + bytes.length > k.ioSize) {
    throw new ModelError(`line ${step.line}: ${step.call} of ${bytes.length} bytes exceeds the ` +
      `model's I/O area (${k.ioSize - DATA_AT})`);
  }
  if (!k.poke(step.pid, va, bytes)) {
    throw new ModelError(`line ${step.line}: pid ${step.pid}'s I/O area is not writable`);
  }
  return va;
}

function attrBytes(a: MqAttr): Uint8Array {
  const b = new Uint8Array(ATTR_BYTES);
  const v = new DataView(b.buffer);
  v.setBigInt64(0, BigInt(a.flags), true);
  v.setBigInt64(8, BigInt(a.maxmsg), true);
  v.setBigInt64(16, BigInt(a.msgsize), true);
  v.setBigInt64(24, BigInt(a.curmsgs), true);
  return b;
}

/** A C long the model's 32-bit registers would pass as another number (the attr's fields go
 * in memory, whole): none; a size above 2^32 - 1 is clamped (it only has to be large). */
const size32 = (n: number) => (n < 0 || n > 0xffffffff ? 0xffffffff : n);

export const MQUEUE_ENCODERS: Encoders = {
  mq_open: (k, step, va) => {
    const { name, flags, mode, attr } = step.args;
    const at = attr === null ? 0 : put(k, step, va, attrBytes(attr));
    put(k, step, va + DATA_AT, new TextEncoder().encode(`${name}\0`));
    return k.syscall(step.pid, CALLS.mq_open, va + DATA_AT, flags, mode, at);
  },
  mq_timedsend: (k, step, va) => {
    const { mqd, data, prio, timeout } = step.args;
    const ts = timeout === null ? 0 : put(k, step, va, timespecBytes(timeout));
    put(k, step, va + DATA_AT, data);
    return k.syscall(step.pid, CALLS.mq_timedsend, mqd, va + DATA_AT, data.length, prio, ts);
  },
  mq_timedreceive: (k, step, va) => {
    const { mqd, size, timeout } = step.args;
    const ts = timeout === null ? 0 : put(k, step, va, timespecBytes(timeout));
    const ret = k.syscall(step.pid, CALLS.mq_timedreceive, mqd, va + DATA_AT, size32(size),
      va + PRIO_AT, ts);
    return { ret, va };
  },
  mq_notify: (k, step, va) => {
    const { mqd, sevp } = step.args;
    const at = sevp === null ? 0 : put(k, step, va, sigeventBytes(sevp));
    return k.syscall(step.pid, CALLS.mq_notify, mqd, at);
  },
  mq_getsetattr: (k, step, va) => {
    const { mqd, attr } = step.args;
    const at = attr === null ? 0 : put(k, step, va, attrBytes(attr));
    const ret = k.syscall(step.pid, CALLS.mq_getsetattr, mqd, at, va + ATTR_BYTES);
    return { ret, va: va + ATTR_BYTES };
  },
};

export const MQUEUE_DECODERS: Decoders = {
  mq_timedreceive: (k, c, ret) => {
    const data = ret === 0 ? new Uint8Array(0) : k.peek(c.pid, c.va + DATA_AT, ret);
    if (!data) throw new ModelError(`mq_timedreceive result of pid ${c.pid} unreadable`);
    return { ret, data, prio: k.peekI32(c.pid, c.va + PRIO_AT) >>> 0 };
  },
  mq_getsetattr: (k, c, ret) => {
    const b = k.peek(c.pid, c.va, ATTR_BYTES);
    if (!b) throw new ModelError(`mq_getsetattr result of pid ${c.pid} unreadable`);
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const long = (at: number) => Number(v.getBigInt64(at, true));
    return {
      ret,
      stat: { mq_flags: long(0), mq_maxmsg: long(8), mq_msgsize: long(16), mq_curmsgs: long(24) },
    };
  },
};
