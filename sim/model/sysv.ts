// The SysV calls whose row alone does not say how to make them (calls.ts ENCODERS and DECODERS:
// msgget and semget need nothing but their rows). The kernel takes Linux x86_64's user
// layouts, written into the calling process's I/O area:
//
//   msgbuf       | mtype i64 | mtext ... |
//   sembuf       | sem_num u16 | sem_op i16 | sem_flg i16 |        (6 bytes each)
//   timespec     | tv_sec i64 | tv_nsec i64 |
//   ipc64_perm   | key i32 | uid u32 | gid u32 | cuid u32 | cgid u32 | mode u32 | seq u16 |   (48)
//   msqid64_ds   | ipc64_perm | stime, rtime, ctime i64 @48 @56 @64 | cbytes u64 @72 |
//                | qnum u64 @80 | qbytes u64 @88 | lspid i32 @96 | lrpid i32 @100 | ... |     (120)
//   semid64_ds   | ipc64_perm | otime i64 @48 | ctime i64 @64 | nsems u64 @80 | ... |       (104)
//   shmid64_ds   | ipc64_perm | segsz u64 @48 | atime, dtime, ctime i64 @56 @64 @72 |
//                | cpid i32 @80 | lpid i32 @84 |
//                | nattch u64 @88 | ... |                                                   (112)
//
// IPC_SET and semctl's GETALL/SETALL are made as a C program makes them, and as the host agent
// does (host-bridge/agent/calls.c): IPC_STAT first (into a zeroed buffer), then the trace's
// fields over it, then the call; GETALL and SETALL learn sem_nsems the same way. The IPC_STAT
// has no effect on the kernel state and logs nothing. `stat` results are named as the agent
// names them (host-bridge/agent/procs.c stat_json), glibc's spelling (sim/trace/stat-names.ts).

import { CALLS, FLAGS, UAPI } from "../../wasm/abi.js";
import type { Kernel } from "../../wasm/kernel.js";
import type { Long, Step } from "../trace/types.js";
import { toLong } from "../trace/long.js";
import type { Decoders, Encoders, Issued, Ok } from "./calls.js";
import { ModelError } from "./errors.js";

const { IPC_STAT, IPC_SET, GETALL, SETALL, SETVAL } = FLAGS.ipcctl;
const { ipc64_perm: PERM, msqid64_ds: MSQ, semid64_ds: SEMDS, shmid64_ds: SHMDS } = UAPI;
const { msgbuf: MSGBUF, sembuf: SEMBUF, timespec: TIMESPEC } = UAPI;
/** Where semop's sops go (its timeout is at offset 0). */
const SOPS_OFFSET = TIMESPEC.size;

type Args<C extends Step["call"]> = Extract<Step, { call: C }>["args"];

/** What decoding a SysV result needs besides the call: the ctl command, GETALL's count. */
interface SysvIssue {
  ret: number;
  cmd?: number;
  count?: number;
}

/** struct ipc64_perm as IPC_STAT reports it (include/uapi/asm-generic/ipcbuf.h), in glibc's
 * spelling (struct ipc_perm: `__key` and `__seq`, the kernel's `key` and `seq`;
 * sim/trace/stat-names.ts). */
export type IpcPerm = {
  __key: number;
  uid: number;
  gid: number;
  cuid: number;
  cgid: number;
  mode: number;
  __seq: number;
};

/** struct msqid64_ds: msgctl(IPC_STAT)'s result (include/uapi/linux/msg.h; glibc's
 * `__msg_cbytes` is `msg_cbytes` through bits/msq.h's #define, as here). The times are
 * CLOCK_REALTIME seconds (0: never), compared by relation (sim/trace/compare.ts). */
export type MsqidDs = {
  msg_perm: IpcPerm;
  msg_stime: number;
  msg_rtime: number;
  msg_ctime: number;
  msg_qnum: number;
  msg_cbytes: number;
  msg_qbytes: number;
  msg_lspid: number;
  msg_lrpid: number;
};

/** struct shmid64_ds: shmctl(IPC_STAT)'s result (include/uapi/linux/shm.h). */
export type ShmidDs = {
  shm_perm: IpcPerm;
  shm_segsz: number;
  shm_atime: number;
  shm_dtime: number;
  shm_ctime: number;
  shm_nattch: number;
  shm_cpid: number;
  shm_lpid: number;
};

/** struct semid64_ds: semctl(IPC_STAT)'s result (include/uapi/linux/sem.h). */
export type SemidDs = {
  sem_perm: IpcPerm;
  sem_otime: number;
  sem_ctime: number;
  sem_nsems: number;
};

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function mustPoke(k: Kernel, pid: number, va: number, bytes: Uint8Array): void {
  if (bytes.length > k.ioSize) {
    throw new RangeError(`${bytes.length} bytes exceed the model's I/O area (${k.ioSize})`);
  }
  if (!k.poke(pid, va, bytes)) throw new RangeError(`pid ${pid}: cannot write its I/O area`);
}

function peekOrThrow(k: Kernel, pid: number, va: number, len: number): Uint8Array {
  const b = k.peek(pid, va, len);
  if (!b) throw new RangeError(`pid ${pid}: cannot read its I/O area`);
  return b;
}

/** A size_t argument as the kernel's i32: negative stays -1 ((long)size < 0), and sizes above
 * INT_MAX (larger than any message) become INT_MAX. */
function sizeArg(size: number): number {
  return size < 0 ? -1 : Math.min(size, 0x7fffffff);
}

// ---- messages ----

/** A long, little-endian: byte stores for an int32 (every mtype a scenario uses), else
 * through BigInt (a DataView and a BigInt per msgsnd were most of its encoding). */
function putI64(buf: Uint8Array, at: number, v: Long): void {
  if (typeof v === "bigint" || (v | 0) !== v) {
    view(buf).setBigInt64(at, BigInt.asIntN(64, BigInt(v)), true);
    return;
  }
  const sign = v < 0 ? 0xff : 0;
  for (let i = 0; i < 4; i++) buf[at + i] = (v >> (8 * i)) & 0xff;
  for (let i = 4; i < 8; i++) buf[at + i] = sign;
}

function msgsnd(k: Kernel, pid: number, va: number, a: Args<"msgsnd">): number {
  const buf = new Uint8Array(MSGBUF.mtext + a.data.length);
  putI64(buf, MSGBUF.mtype, a.mtype);
  buf.set(a.data, MSGBUF.mtext);
  mustPoke(k, pid, va, buf);
  return k.syscall(pid, CALLS.msgsnd, a.msqid, va, a.data.length, a.flags);
}

function msgrcv(k: Kernel, pid: number, va: number, a: Args<"msgrcv">): number {
  const typ = BigInt.asIntN(64, BigInt(a.msgtyp));
  const lo = Number(BigInt.asIntN(32, typ));
  const hi = Number(BigInt.asIntN(32, typ >> 32n));
  return k.syscall(pid, CALLS.msgrcv, a.msqid, va, sizeArg(a.size), lo, hi, a.flags);
}

/** IPC_STAT into a zeroed buffer at va (as the agent does before IPC_SET); the kernel's ret. */
function preStat(k: Kernel, pid: number, va: number, bytes: number, stat: () => number): number {
  mustPoke(k, pid, va, new Uint8Array(bytes));
  return stat();
}

type Fields = Record<string, unknown> | undefined;

function field(o: Fields, name: string): number | undefined {
  const v = o?.[name];
  return typeof v === "number" ? v : undefined;
}

/** ipc_perm's uid, gid and mode from a trace struct, over the buffer at va. */
function overlayPerm(k: Kernel, pid: number, va: number, perm: Fields): void {
  const put = (off: number, v: number | undefined, size: 2 | 4) => {
    if (v === undefined) return;
    const b = new Uint8Array(size);
    if (size === 4) view(b).setUint32(0, v >>> 0, true);
    else view(b).setUint16(0, v & 0xffff, true);
    mustPoke(k, pid, va + off, b);
  };
  put(PERM.uid, field(perm, "uid"), 4);
  put(PERM.gid, field(perm, "gid"), 4);
  put(PERM.mode, field(perm, "mode"), 2);
}

function msgctl(k: Kernel, pid: number, va: number, a: Args<"msgctl">): number {
  const nr = CALLS.msgctl;
  if (a.cmd !== IPC_SET) return k.syscall(pid, nr, a.msqid, a.cmd, va);
  preStat(k, pid, va, MSQ.size, () => k.syscall(pid, nr, a.msqid, IPC_STAT, va));
  overlayPerm(k, pid, va, a.buf?.msg_perm as Fields);
  const qbytes = field(a.buf ?? undefined, "msg_qbytes");
  if (qbytes !== undefined) {
    const b = new Uint8Array(8);
    view(b).setBigUint64(0, BigInt.asUintN(64, BigInt(qbytes)), true);
    mustPoke(k, pid, va + MSQ.msg_qbytes, b);
  }
  return k.syscall(pid, nr, a.msqid, IPC_SET, va);
}

// ---- semaphores ----

/** A 16-bit field, little-endian (the low 16 bits of v: two's complement for a negative op). */
function put16(buf: Uint8Array, at: number, v: number): void {
  buf[at] = v & 0xff;
  buf[at + 1] = (v >> 8) & 0xff;
}

/** sopsBytes' buffers by sembuf count, reused (the bytes are poked at once): a new Uint8Array
 * per semop was 7% of what an exploration of a semaphore scenario allocated. */
const sopsBuffers: Uint8Array[] = [];

/** The struct sembuf array. Byte stores, not a DataView: a DataView per semop was a tenth of
 * an exploration's time on a semaphore scenario. Valid until the next call. */
function sopsBytes(sops: Args<"semop">["sops"]): Uint8Array {
  let buf = sopsBuffers[sops.length];
  if (buf === undefined) {
    buf = new Uint8Array(sops.length * SEMBUF.size);
    if (sops.length <= 64) sopsBuffers[sops.length] = buf;
  } else {
    buf.fill(0);
  }
  for (let i = 0; i < sops.length; i++) {
    const s = sops[i];
    const at = i * SEMBUF.size;
    put16(buf, at + SEMBUF.sem_num, s.num);
    put16(buf, at + SEMBUF.sem_op, s.op);
    put16(buf, at + SEMBUF.sem_flg, s.flags);
  }
  return buf;
}

type SemopArgs = Args<"semop"> | Args<"semtimedop">;

function semop(k: Kernel, pid: number, va: number, a: SemopArgs, timed: boolean): number {
  mustPoke(k, pid, va + SOPS_OFFSET, sopsBytes(a.sops));
  if (!timed) return k.syscall(pid, CALLS.semop, a.semid, va + SOPS_OFFSET, a.sops.length);
  const t = (a as Args<"semtimedop">).timeout;
  let tva = 0;
  if (t) {
    const b = new Uint8Array(TIMESPEC.size);
    view(b).setBigInt64(TIMESPEC.tv_sec, BigInt.asIntN(64, BigInt(t.sec)), true);
    view(b).setBigInt64(TIMESPEC.tv_nsec, BigInt.asIntN(64, BigInt(t.nsec)), true);
    mustPoke(k, pid, va, b);
    tva = va;
  }
  return k.syscall(pid, CALLS.semtimedop, a.semid, va + SOPS_OFFSET, a.sops.length, tva);
}

/** sem_nsems by IPC_STAT (0 when the set cannot be read: the real call then fails too). */
function nsemsOf(k: Kernel, pid: number, va: number, semid: number): number {
  const stat = () => k.syscall(pid, CALLS.semctl, semid, 0, IPC_STAT, va);
  const r = preStat(k, pid, va, SEMDS.size, stat);
  if (r !== 0) return 0;
  return Number(view(peekOrThrow(k, pid, va, SEMDS.size)).getBigUint64(SEMDS.sem_nsems, true));
}

function semctl(k: Kernel, pid: number, va: number, a: Args<"semctl">): SysvIssue {
  const nr = CALLS.semctl;
  const call = (arg: number) => k.syscall(pid, nr, a.semid, a.semnum, a.cmd, arg);
  if (a.cmd === SETVAL) return { ret: call(typeof a.arg === "number" ? a.arg : 0) };
  if (a.cmd === GETALL) {
    const count = nsemsOf(k, pid, va, a.semid);
    return { ret: call(va), cmd: a.cmd, count };
  }
  if (a.cmd === SETALL) {
    const values = Array.isArray(a.arg) ? a.arg : [];
    const n = Math.max(nsemsOf(k, pid, va, a.semid), values.length);
    const buf = new Uint8Array(n * 2);
    values.forEach((x, i) => view(buf).setUint16(i * 2, x & 0xffff, true));
    mustPoke(k, pid, va, buf);
    return { ret: call(va) };
  }
  if (a.cmd === IPC_SET) {
    preStat(k, pid, va, SEMDS.size, () => k.syscall(pid, nr, a.semid, 0, IPC_STAT, va));
    const arg = a.arg && !Array.isArray(a.arg) && typeof a.arg === "object" ? a.arg : undefined;
    overlayPerm(k, pid, va, arg?.sem_perm as Fields);
  }
  return { ret: call(va), cmd: a.cmd };
}

// ---- shared memory ----

function shmctl(k: Kernel, pid: number, va: number, a: Args<"shmctl">): number {
  const nr = CALLS.shmctl;
  if (a.cmd !== IPC_SET) return k.syscall(pid, nr, a.shmid, a.cmd, va);
  preStat(k, pid, va, SHMDS.size, () => k.syscall(pid, nr, a.shmid, IPC_STAT, va));
  overlayPerm(k, pid, va, a.buf?.shm_perm as Fields);
  return k.syscall(pid, nr, a.shmid, IPC_SET, va);
}

/** Where a msgbuf sits in the I/O area. Not at the page start: the kernel keeps message text
 * at page offset 0, and a wasm memory.copy of a few KiB whose destination is 8 bytes past its
 * source's page offset (the text after the 8-byte mtype) runs ~10x slower in V8 (measured,
 * bench/sysv.ts). Any other offset is as good; addresses are invisible to traces. */
const MSGBUF_OFFSET = 64;

/** The SysV calls' encoders, at va (the process's I/O area). */
export const SYSV_ENCODERS: Encoders = {
  msgsnd: (k, step, va) => msgsnd(k, step.pid, va + MSGBUF_OFFSET, step.args),
  msgrcv: (k, step, va) => msgrcv(k, step.pid, va + MSGBUF_OFFSET, step.args),
  msgctl: (k, step, va) => ({ ret: msgctl(k, step.pid, va, step.args), cmd: step.args.cmd }),
  semop: (k, step, va) => semop(k, step.pid, va, step.args, false),
  semtimedop: (k, step, va) => semop(k, step.pid, va, step.args, true),
  semctl: (k, step, va) => semctl(k, step.pid, va, step.args),
  shmget: (_k, step, _va, byRow) => {
    if (step.args.size < 0) {
      throw new ModelError(`shmget size ${step.args.size} is a size_t above 2^63 on Linux; ` +
        "the model's sizes are 32-bit (args-32-bit)");
    }
    return byRow();
  },
  shmctl: (k, step, va) => ({ ret: shmctl(k, step.pid, va, step.args), cmd: step.args.cmd }),
};

// ---- results ----

function permStat(v: DataView): IpcPerm {
  return {
    __key: v.getInt32(PERM.key, true),
    uid: v.getUint32(PERM.uid, true),
    gid: v.getUint32(PERM.gid, true),
    cuid: v.getUint32(PERM.cuid, true),
    cgid: v.getUint32(PERM.cgid, true),
    mode: v.getUint16(PERM.mode, true),
    __seq: v.getUint16(PERM.seq, true),
  };
}

/** A time_t field (seconds). */
const seconds = (v: DataView, at: number) => Number(v.getBigInt64(at, true));

function msqidStat(v: DataView): MsqidDs {
  return {
    msg_perm: permStat(v),
    msg_stime: seconds(v, MSQ.msg_stime),
    msg_rtime: seconds(v, MSQ.msg_rtime),
    msg_ctime: seconds(v, MSQ.msg_ctime),
    msg_qnum: Number(v.getBigUint64(MSQ.msg_qnum, true)),
    msg_cbytes: Number(v.getBigUint64(MSQ.msg_cbytes, true)),
    msg_qbytes: Number(v.getBigInt64(MSQ.msg_qbytes, true)),
    msg_lspid: v.getInt32(MSQ.msg_lspid, true),
    msg_lrpid: v.getInt32(MSQ.msg_lrpid, true),
  };
}

function shmidStat(v: DataView): ShmidDs {
  return {
    shm_perm: permStat(v),
    shm_segsz: Number(v.getBigUint64(SHMDS.shm_segsz, true)),
    shm_atime: seconds(v, SHMDS.shm_atime),
    shm_dtime: seconds(v, SHMDS.shm_dtime),
    shm_ctime: seconds(v, SHMDS.shm_ctime),
    shm_nattch: Number(v.getBigUint64(SHMDS.shm_nattch, true)),
    shm_cpid: v.getInt32(SHMDS.shm_cpid, true),
    shm_lpid: v.getInt32(SHMDS.shm_lpid, true),
  };
}

function semidStat(v: DataView): SemidDs {
  return {
    sem_perm: permStat(v),
    sem_otime: seconds(v, SEMDS.sem_otime),
    sem_ctime: seconds(v, SEMDS.sem_ctime),
    sem_nsems: Number(v.getBigUint64(SEMDS.sem_nsems, true)),
  };
}

/** The outputs of a successful SysV call (ret >= 0): msgrcv's mtype and data, IPC_STAT's
 * stat, GETALL's values. */
function decodeSysv(k: Kernel, c: Issued, ret: number): Ok {
  const { call, pid, va, cmd, count } = c;
  if (call === "msgrcv") {
    const at = va + MSGBUF_OFFSET;
    // The long's halves, whole: a number where exact, else a bigint (sim/trace/long.ts).
    const hi = k.peekI32(pid, at + MSGBUF.mtype + 4);
    const lo = k.peekI32(pid, at + MSGBUF.mtype) >>> 0;
    const near = hi * 2 ** 32 + lo; // exact when it is a safe integer
    const mtype = Number.isSafeInteger(near) ? near : toLong((BigInt(hi) << 32n) | BigInt(lo));
    const data = ret === 0 ? new Uint8Array(0) : peekOrThrow(k, pid, at + MSGBUF.mtext, ret);
    return { ret, data, mtype };
  }
  if (cmd !== IPC_STAT && !(call === "semctl" && cmd === GETALL)) return { ret };
  const stat = (bytes: number) => view(peekOrThrow(k, pid, va, bytes));
  if (call === "msgctl") return { ret, stat: msqidStat(stat(MSQ.size)) };
  if (call === "shmctl") return { ret, stat: shmidStat(stat(SHMDS.size)) };
  if (cmd === IPC_STAT) return { ret, stat: semidStat(stat(SEMDS.size)) };
  const v = view(peekOrThrow(k, pid, va, (count ?? 0) * 2));
  return { ret, values: Array.from({ length: count ?? 0 }, (_, i) => v.getUint16(i * 2, true)) };
}

export const SYSV_DECODERS: Decoders = {
  msgrcv: decodeSysv, msgctl: decodeSysv, semctl: decodeSysv, shmctl: decodeSysv,
};
