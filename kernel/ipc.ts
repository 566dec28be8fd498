// SysV IPC: the registry shared by message queues, semaphore sets and (later) shared memory:
// keys, ids, permissions, the hand-off completion of a sleeper, and the small objects and page
// buffers that hold the objects' contents.
//
// Linux: ipc/util.c (ipcget, ipcget_public, ipc_addid, ipc_idr_alloc, ipc_rmid, ipcperms,
// ipc_obtain_object_check, ipcctl_obtain_check, ipc_update_perm, kernel_to_ipc64_perm),
// ipc/util.h (ipcid_to_idx, ipc_checkid, ipc_get_maxidx), lib/idr.c (idr_alloc_cyclic).
//
// Ids: every type has its own allocator (struct ipc_ids). id = seq << 15 | idx. idx is taken
// cyclically from [cursor, max_idx), then from [0, cursor), with
// max_idx = min(max(in_use * 3/2, 64), 32768); seq++ when the new idx is not above the last one
// (wrapping to 0 at 65535). kernel.<type>_next_id forces one id, then resets itself to -1; it
// moves neither the cursor nor seq. A lookup checks the seq, so a stale id gives EINVAL.
//
// Records: one 128-byte record per idx, in pages allocated when an idx of their range is first
// used (32 records a page, kept until k_init):
//   | IpcPerm (40 bytes) | pad | type part from IPC_REC_HDR (msg.ts MsgQueue, sem.ts SemArray) |
//
// Credentials: every traced process is root (euid 0, egid 0) with CAP_IPC_OWNER and
// CAP_SYS_ADMIN and without CAP_SYS_RESOURCE, as the host bridge runs (confirmed: a 0000 queue
// is fully usable by root in a fresh IPC namespace). ipcperms() therefore always grants; the
// rule is written out so that the capability is the only thing that makes it so.
//
// Objects: 32-byte slots (message headers, undo records) carved from pages, named by index.
// Buffers: `len` bytes in pages: one page when len <= 4096, else an index page naming up to
// 1024 pages (IPC_BUF_MAX). A buffer's handle is that page (0 when len is 0); its owner keeps len.
//
// Differences from Linux: one buffer holds at most IPC_BUF_MAX bytes (a larger msgmax or a
// larger semaphore set gives ENOMEM).
//
// Invariants (ipcCheck): in_use equals the used records; a used record's id encodes its idx and
// seq, and idx <= max_idx; every key other than IPC_PRIVATE is in its hash bucket; the object
// free list and the used count cover every object slot.

import {
  EACCES, EEXIST, EINVAL, ENOENT, ENOMEM, ENOSPC, EPERM, EVENT_WAKE, IPC_CREAT, IPC_EXCL,
  PROC_BLOCKED, PROC_IDLE,
} from "./abi";
import { eventPush } from "./event";
import { pageAlloc, pageAllocRaw, pagePut } from "./mem";
import {
  IPC_BUF_MAX, IPC_KEY_BUCKETS, IPC_MIN_CYCLE, IPC_OBJ_PAGES_MAX, IPCID_SEQ_MAX, IPCMNI,
  IPCMNI_SHIFT, PAGE_SHIFT, PAGE_SIZE, P_MSG_NEXT_ID,
} from "./param";
import { Proc, callStateReset } from "./proc";
import { paramGet, paramSet } from "./sysctl";
import { sleeperHandle, timerCancel } from "./timer";
import { Ipc64Perm } from "./uapi";
import { copyFromUser, copyToUser } from "./vm";
import { unlinkWaiter } from "./wait";

export const IPC_MSG: i32 = 0;
export const IPC_SEM: i32 = 1;
export const IPC_SHM: i32 = 2;
const IPC_TYPES: i32 = 3;
export const IPC_PRIVATE: i32 = 0;
/** Where a record's type part starts: after its IpcPerm, 16-byte aligned. */
export const IPC_REC_HDR: usize = (offsetof<IpcPerm>() + 15) & ~15;
export const REC_BYTES: i32 = 128;
const RECS_PER_PAGE: i32 = 32;
const REC_PAGES: i32 = IPCMNI / RECS_PER_PAGE;
const IDX_MASK: i32 = IPCMNI - 1;
const OBJ_BYTES: i32 = 32;
const OBJS_PER_PAGE: i32 = 128;
const PTR: usize = sizeof<usize>();

/** Permission bits (include/uapi/linux/stat.h). */
export const S_IRUGO: i32 = 0o444;
export const S_IWUGO: i32 = 0o222;
const S_IRWXUGO: i32 = 0o777;

/** The caller's credentials (see the header). */
const EUID: u32 = 0;
const EGID: u32 = 0;
const CAP_IPC_OWNER: bool = true;
const CAP_SYS_ADMIN: bool = true;
export const CAP_SYS_RESOURCE: bool = false;
/** INVALID_UID / INVALID_GID: what make_kuid() gives for (uid_t)-1. */
const INVALID_ID: u32 = 0xffffffff;

/** struct kern_ipc_perm, the head of every record. */
@unmanaged class IpcPerm {
  used: i32;
  key: i32;
  uid: u32;
  gid: u32;
  cuid: u32;
  cgid: u32;
  mode: i32;
  seq: i32;
  id: i32;
  /** Next record (idx + 1) in this key's hash bucket, 0 at the end. */
  keyNext: i32;
}

/** struct ipc_ids: one allocator per type. */
@unmanaged class IpcIds {
  inUse: i32;
  seq: i32;
  lastIdx: i32;
  maxIdx: i32;
  /** idr_next: where the cyclic search starts. */
  cursor: i32;
}

@unmanaged class ObjState {
  freeHead: i32;
  pages: i32;
  used: i32;
}

const idsTable: usize = memory.data(IPC_TYPES * offsetof<IpcIds>(), 16);
const recPages: usize = memory.data(IPC_TYPES * REC_PAGES * <i32>PTR, 16);
const usedBits: usize = memory.data(IPC_TYPES * IPCMNI / 8, 16);
const keyHeads: usize = memory.data(IPC_TYPES * IPC_KEY_BUCKETS * 4, 16);
const objPages: usize = memory.data(IPC_OBJ_PAGES_MAX * <i32>PTR, 16);
const O = changetype<ObjState>(memory.data(offsetof<ObjState>(), 16));
/** Each of recPages, usedBits, keyHeads and objPages (ipcArrayBase's order) is as init left it
 * (all zero) past its high-water mark: the end of the bytes written since init. The fast reset
 * restores only below it (kernel/views.ts k_layout_touched). */
const highWater: usize = memory.data(4 * 4, 16);

/** A write to array i (ipcArrayBase's order) at address at, of `bytes` bytes. */
@inline function wrote(i: i32, at: usize, bytes: i32): void {
  const end = <i32>(at - ipcArrayBase(i)) + bytes;
  const mark = highWater + <usize>i * 4;
  if (end > load<i32>(mark)) store<i32>(mark, end);
}

@inline function ids(type: i32): IpcIds {
  return changetype<IpcIds>(idsTable + <usize>type * offsetof<IpcIds>());
}

@inline export function ipcPerm(rec: usize): IpcPerm {
  return changetype<IpcPerm>(rec);
}

export function ipcInit(): void {
  memory.fill(idsTable, 0, <usize>IPC_TYPES * offsetof<IpcIds>());
  for (let t = 0; t < IPC_TYPES; t++) {
    ids(t).lastIdx = -1;
    ids(t).maxIdx = -1;
  }
  memory.fill(recPages, 0, <usize>(IPC_TYPES * REC_PAGES) * PTR);
  memory.fill(usedBits, 0, <usize>(IPC_TYPES * IPCMNI / 8));
  memory.fill(keyHeads, 0, <usize>(IPC_TYPES * IPC_KEY_BUCKETS * 4));
  memory.fill(objPages, 0, <usize>IPC_OBJ_PAGES_MAX * PTR);
  O.freeHead = -1;
  O.pages = 0;
  O.used = 0;
  memory.fill(highWater, 0, 4 * 4);
}

/** The bytes at the start of array i (ipcArrayBase's order) that may differ from init. */
export function ipcArrayTouched(i: i32): i32 {
  return load<i32>(highWater + <usize>i * 4);
}

/** The registry's arrays, for the fast reset (kernel/views.ts layout): 0 recPages, 1
 * usedBits, 2 keyHeads, 3 objPages; their bytes. */
export function ipcArrayBase(i: i32): usize {
  return i == 0 ? recPages : i == 1 ? usedBits : i == 2 ? keyHeads : objPages;
}
export function ipcArrayBytes(i: i32): i32 {
  if (i == 0) return IPC_TYPES * REC_PAGES * <i32>PTR;
  if (i == 1) return IPC_TYPES * IPCMNI / 8;
  return i == 2 ? IPC_TYPES * IPC_KEY_BUCKETS * 4 : IPC_OBJ_PAGES_MAX * <i32>PTR;
}

// ---- records ----

@inline function recPageSlot(type: i32, idx: i32): usize {
  return recPages + <usize>(type * REC_PAGES + (idx >> 5)) * PTR;
}

/** The record of idx (0 when its page was never allocated). */
export function ipcRec(type: i32, idx: i32): usize {
  const page = load<usize>(recPageSlot(type, idx));
  return page == 0 ? 0 : page + <usize>((idx & (RECS_PER_PAGE - 1)) * REC_BYTES);
}

@inline function bitAddr(type: i32, idx: i32): usize {
  return usedBits + <usize>(type * (IPCMNI / 8) + (idx >> 3));
}

export function ipcIdxUsed(type: i32, idx: i32): bool {
  return (load<u8>(bitAddr(type, idx)) & (1 << (idx & 7))) != 0;
}

function setUsed(type: i32, idx: i32, used: bool): void {
  const a = bitAddr(type, idx);
  const bit = 1 << (idx & 7);
  const v = <i32>load<u8>(a);
  store<u8>(a, <u8>(used ? v | bit : v & ~bit));
  wrote(1, a, 1);
}

@inline function bucket(type: i32, key: i32): usize {
  const h = (key ^ (key >>> 10) ^ (key >>> 20)) & (IPC_KEY_BUCKETS - 1);
  return keyHeads + <usize>(type * IPC_KEY_BUCKETS + h) * 4;
}

/** ipc_findkey: the idx of the object with this key, or -1. */
function ipcFindKey(type: i32, key: i32): i32 {
  for (let n = load<i32>(bucket(type, key)); n != 0; n = ipcPerm(ipcRec(type, n - 1)).keyNext) {
    if (ipcPerm(ipcRec(type, n - 1)).key == key) return n - 1;
  }
  return -1;
}

function unhashKey(type: i32, idx: i32): void {
  const key = ipcPerm(ipcRec(type, idx)).key;
  if (key == IPC_PRIVATE) return;
  let link = bucket(type, key);
  while (load<i32>(link) != idx + 1) {
    link = ipcRec(type, load<i32>(link) - 1) + offsetof<IpcPerm>("keyNext");
  }
  store<i32>(link, ipcPerm(ipcRec(type, idx)).keyNext);
  const keyEnd = keyHeads + <usize>(IPC_TYPES * IPC_KEY_BUCKETS * 4);
  if (link >= keyHeads && link < keyEnd) wrote(2, link, 4); // a bucket, not a record's link
}

/** idr_alloc_cyclic(0, end): the first free idx at or after the cursor, else from 0. */
function allocCyclic(type: i32, end: i32): i32 {
  const s = ids(type);
  for (let i = s.cursor; i < end; i++) if (!ipcIdxUsed(type, i)) return i;
  for (let i = 0; i < end && i < s.cursor; i++) if (!ipcIdxUsed(type, i)) return i;
  return -ENOSPC;
}

/** ipc_idr_alloc: the new object's idx and seq, packed as seq << 15 | idx (its id), or -errno.
 * Linux: ipc/util.c:ipc_idr_alloc() takes next_id (resetting it) before anything else. */
function allocId(type: i32): i32 {
  const s = ids(type);
  const nextId = paramGet(P_MSG_NEXT_ID + type);
  paramSet(P_MSG_NEXT_ID + type, -1);
  if (nextId >= 0) {
    // idr_alloc(idx, 0): the lowest free idx at or above the one asked for; seq as given.
    for (let i = nextId & IDX_MASK; i < IPCMNI; i++) {
      if (!ipcIdxUsed(type, i)) return ((nextId >> IPCMNI_SHIFT) << IPCMNI_SHIFT) | i;
    }
    return -ENOSPC;
  }
  let end = max(s.inUse * 3 / 2, IPC_MIN_CYCLE);
  end = min(end, IPCMNI);
  const idx = allocCyclic(type, end);
  if (idx < 0) return idx;
  if (!recPageFor(type, idx)) return -ENOMEM;
  s.cursor = idx + 1;
  if (idx <= s.lastIdx) {
    s.seq++;
    if (s.seq >= IPCID_SEQ_MAX) s.seq = 0;
  }
  s.lastIdx = idx;
  return (s.seq << IPCMNI_SHIFT) | idx;
}

function recPageFor(type: i32, idx: i32): bool {
  const slot = recPageSlot(type, idx);
  if (load<usize>(slot) != 0) return true;
  const page = pageAlloc();
  if (page == 0) return false;
  store<usize>(slot, page);
  wrote(0, slot, <i32>PTR);
  return true;
}

/** ipc_addid: register a new object (creator root, `mode`), return its idx or -errno. The
 * record's type part is zeroed. `limit` is msgmni/semmni/shmmni. */
export function ipcAddId(type: i32, key: i32, mode: i32, limit: i32): i32 {
  const s = ids(type);
  if (limit > IPCMNI) limit = IPCMNI;
  if (s.inUse >= limit) return -ENOSPC;
  const id = allocId(type);
  if (id < 0) return id;
  const idx = id & IDX_MASK;
  if (!recPageFor(type, idx)) return -ENOMEM;
  const rec = ipcRec(type, idx);
  memory.fill(rec, 0, REC_BYTES);
  const perm = ipcPerm(rec);
  perm.used = 1;
  perm.key = key;
  perm.uid = EUID;
  perm.cuid = EUID;
  perm.gid = EGID;
  perm.cgid = EGID;
  perm.mode = mode & S_IRWXUGO;
  perm.seq = id >> IPCMNI_SHIFT;
  perm.id = id;
  if (key != IPC_PRIVATE) {
    perm.keyNext = load<i32>(bucket(type, key));
    store<i32>(bucket(type, key), idx + 1);
    wrote(2, bucket(type, key), 4);
  }
  setUsed(type, idx, true);
  s.inUse++;
  if (idx > s.maxIdx) s.maxIdx = idx;
  return idx;
}

/** ipc_set_key_private: the object stays, but its key no longer finds it (shm IPC_RMID). */
export function ipcSetKeyPrivate(type: i32, idx: i32): void {
  unhashKey(type, idx);
  ipcPerm(ipcRec(type, idx)).key = IPC_PRIVATE;
}

/** ipc_rmid: the id and key are gone at once; later lookups give EINVAL. */
export function ipcRmid(type: i32, idx: i32): void {
  const s = ids(type);
  unhashKey(type, idx);
  ipcPerm(ipcRec(type, idx)).used = 0;
  setUsed(type, idx, false);
  s.inUse--;
  if (idx == s.maxIdx) {
    let i = idx - 1;
    while (i >= 0 && !ipcIdxUsed(type, i)) i--;
    s.maxIdx = i;
  }
}

/** ipc_get_maxidx: the highest used idx (-1 when none), as IPC_INFO reports it. */
export function ipcMaxIdx(type: i32): i32 {
  const s = ids(type);
  if (s.inUse == 0) return -1;
  if (s.inUse == IPCMNI) return IPCMNI - 1;
  return s.maxIdx;
}

export function ipcInUse(type: i32): i32 {
  return ids(type).inUse;
}

/** ipc_obtain_object_check: idx of a live object whose seq matches id, or -EINVAL. */
export function ipcObtainCheck(type: i32, id: i32): i32 {
  const idx = id & IDX_MASK;
  if (!ipcIdxUsed(type, idx)) return -EINVAL;
  if (ipcPerm(ipcRec(type, idx)).seq != id >> IPCMNI_SHIFT) return -EINVAL;
  return idx;
}

/** ipc_obtain_object_idr: the object at id's idx whatever its seq (MSG_STAT, SEM_STAT). */
export function ipcObtainIdx(type: i32, id: i32): i32 {
  const idx = id & IDX_MASK;
  return ipcIdxUsed(type, idx) ? idx : -EINVAL;
}

// ---- permissions ----

/** ipcperms: 0 when the caller may use the object for the rwx bits of `flag`, else -EACCES.
 * Only the bits asked for count: msgget(key, 0) on a 0000 queue is granted to anyone. */
export function ipcPerms(rec: usize, flag: i32): i32 {
  const perm = ipcPerm(rec);
  const requested = (flag >> 6) | (flag >> 3) | flag;
  let granted = perm.mode;
  if (EUID == perm.cuid || EUID == perm.uid) granted >>= 6;
  else if (EGID == perm.cgid || EGID == perm.gid) granted >>= 3;
  if ((requested & ~granted & 7) != 0 && !CAP_IPC_OWNER) return -EACCES;
  return 0;
}

/** ipcget: IPC_PRIVATE always creates; otherwise the key is looked up, and an existing object
 * is checked in Linux's order (ipc/util.c:ipcget_public()): EEXIST, then the type's own check
 * (`moreChecks`), then EACCES. Returns the id or -errno. */
export function ipcGet(
  type: i32, key: i32, flg: i32, arg: i32,
  getnew: (key: i32, flg: i32, arg: i32) => i32,
  moreChecks: (idx: i32, arg: i32) => i32,
): i32 {
  if (key == IPC_PRIVATE) return getnew(key, flg, arg);
  const idx = ipcFindKey(type, key);
  if (idx < 0) return (flg & IPC_CREAT) == 0 ? -ENOENT : getnew(key, flg, arg);
  if ((flg & IPC_CREAT) != 0 && (flg & IPC_EXCL) != 0) return -EEXIST;
  const err = moreChecks(idx, arg);
  if (err < 0) return err;
  const rec = ipcRec(type, idx);
  if (ipcPerms(rec, flg) < 0) return -EACCES;
  return ipcPerm(rec).id;
}

/** ipcctl_obtain_check (IPC_SET, IPC_RMID): the owner, the creator or CAP_SYS_ADMIN. */
export function ipcCtlObtainCheck(type: i32, id: i32): i32 {
  const idx = ipcObtainCheck(type, id);
  if (idx < 0) return idx;
  const perm = ipcPerm(ipcRec(type, idx));
  if (EUID == perm.cuid || EUID == perm.uid || CAP_SYS_ADMIN) return idx;
  return -EPERM;
}

/** ipc_update_perm (IPC_SET) from the caller's struct ipc64_perm at `src` (the head of its
 * *_ds, as ipcStatPerm writes it): uid, gid and the low 9 mode bits; (uid_t)-1 is EINVAL. */
export function ipcUpdatePerm(rec: usize, src: usize): i32 {
  const user = changetype<Ipc64Perm>(src);
  if (user.uid == INVALID_ID || user.gid == INVALID_ID) return -EINVAL;
  const perm = ipcPerm(rec);
  perm.uid = user.uid;
  perm.gid = user.gid;
  perm.mode = (perm.mode & ~S_IRWXUGO) | (<i32>user.mode & S_IRWXUGO);
  return 0;
}

/** kernel_to_ipc64_perm: the head of a *_ds at dst (uapi.ts Ipc64Perm), padding zeroed. */
export function ipcStatPerm(rec: usize, dst: usize): void {
  const perm = ipcPerm(rec);
  memory.fill(dst, 0, offsetof<Ipc64Perm>());
  const out = changetype<Ipc64Perm>(dst);
  out.key = perm.key;
  out.uid = perm.uid;
  out.gid = perm.gid;
  out.cuid = perm.cuid;
  out.cgid = perm.cgid;
  out.mode = <u32>perm.mode;
  out.seq = <u16>perm.seq;
}

// ---- hand-off completion ----

/** The waker completes a sleeper's call with `ret` (msg pipelined_send and expunge_all, sem
 * update_queue and freeary): the sleeper leaves its list and is idle again, and the engine
 * reads its outputs from its memory when it turns the event into a wake. */
export function ipcWakeDone(p: Proc, ret: i32): void {
  assert(p.state == PROC_BLOCKED, "ipcWakeDone: the sleeper is not blocked");
  if (p.waitQ != 0) unlinkWaiter(p);
  timerCancel(sleeperHandle(p)); // a semtimedop's deadline (timer.ts)
  p.state = PROC_IDLE;
  p.callNr = -1;
  callStateReset(p);
  // A sleeper here has no deliverable signal (one would have interrupted it: sigdeliver.ts
  // sigWake); a blocked one stays pending until p unblocks it.
  eventPush(EVENT_WAKE, p.pid, ret, 0);
}

// ---- 32-byte objects ----

/** Address of object i. */
@inline export function obj(i: i32): usize {
  const page = load<usize>(objPages + <usize>(i >> 7) * PTR);
  return page + <usize>((i & (OBJS_PER_PAGE - 1)) * OBJ_BYTES);
}

/** A zeroed object, or -ENOMEM. */
export function objAlloc(): i32 {
  if (O.freeHead < 0) {
    if (O.pages >= IPC_OBJ_PAGES_MAX) return -ENOMEM;
    const page = pageAlloc();
    if (page == 0) return -ENOMEM;
    store<usize>(objPages + <usize>O.pages * PTR, page);
    wrote(3, objPages + <usize>O.pages * PTR, <i32>PTR);
    const first = O.pages * OBJS_PER_PAGE;
    O.pages++;
    for (let i = first + OBJS_PER_PAGE - 1; i >= first; i--) {
      store<i32>(obj(i), O.freeHead);
      O.freeHead = i;
    }
  }
  const i = O.freeHead;
  O.freeHead = load<i32>(obj(i));
  // Four stores, not memory.fill: V8 11 runs that as a call out to C (wasm-notes.md).
  const at = obj(i);
  for (let k = 0; k < OBJ_BYTES; k += 8) store<u64>(at + <usize>k, 0);
  O.used++;
  return i;
}

export function objFree(i: i32): void {
  store<i32>(obj(i), O.freeHead);
  O.freeHead = i;
  O.used--;
}

// ---- page buffers ----

/** A zeroed buffer of len bytes (1 <= len <= IPC_BUF_MAX), or 0 when memory is short. */
export function bufAlloc(len: i32, zero: bool = true): usize {
  if (len <= 0 || len > IPC_BUF_MAX) return 0;
  // A buffer about to be filled from user memory need not be zeroed first: zeroing a page was
  // a third of a small semop's or msgsnd's cost.
  if (len <= PAGE_SIZE) return zero ? pageAlloc() : pageAllocRaw();
  const index = pageAlloc();
  if (index == 0) return 0;
  const n = (len + PAGE_SIZE - 1) >> PAGE_SHIFT;
  for (let i = 0; i < n; i++) {
    const page = zero ? pageAlloc() : pageAllocRaw();
    if (page == 0) {
      for (let j = 0; j < i; j++) pagePut(load<usize>(index + <usize>j * PTR));
      pagePut(index);
      return 0;
    }
    store<usize>(index + <usize>i * PTR, page);
  }
  return index;
}

export function bufFree(h: usize, len: i32): void {
  if (h == 0) return;
  if (len > PAGE_SIZE) {
    const n = (len + PAGE_SIZE - 1) >> PAGE_SHIFT;
    for (let i = 0; i < n; i++) pagePut(load<usize>(h + <usize>i * PTR));
  }
  pagePut(h);
}

/** Address of byte `off` (contiguous to the end of its page). */
@inline export function bufAddr(h: usize, len: i32, off: i32): usize {
  if (len <= PAGE_SIZE) return h + <usize>off;
  return load<usize>(h + <usize>(off >> PAGE_SHIFT) * PTR) + <usize>(off & (PAGE_SIZE - 1));
}

/** Copy len bytes from user va into the buffer. False on a fault. */
export function bufFromUser(p: Proc, h: usize, len: i32, va: u32): bool {
  for (let off = 0; off < len; off += PAGE_SIZE) {
    const n = <u32>min(len - off, PAGE_SIZE);
    if (copyFromUser(p, bufAddr(h, len, off), va + <u32>off, n) != n) return false;
  }
  return true;
}

/** Copy the first n bytes of the buffer to user va. False on a fault. */
export function bufToUser(p: Proc, va: u32, h: usize, len: i32, n: i32): bool {
  for (let off = 0; off < n; off += PAGE_SIZE) {
    const k = <u32>min(n - off, PAGE_SIZE);
    if (copyToUser(p, va + <u32>off, bufAddr(h, len, off), k) != k) return false;
  }
  return true;
}

/** Report the pages of a buffer to `count` (check.ts). */
export function bufPages(h: usize, len: i32, count: (page: usize) => void): void {
  if (h == 0) return;
  if (len > PAGE_SIZE) {
    const n = (len + PAGE_SIZE - 1) >> PAGE_SHIFT;
    for (let i = 0; i < n; i++) count(load<usize>(h + <usize>i * PTR));
  }
  count(h);
}

// ---- invariants ----

export function ipcCheck(): void {
  for (let t = 0; t < IPC_TYPES; t++) {
    let used = 0;
    for (let idx = 0; idx < IPCMNI; idx++) {
      if (!ipcIdxUsed(t, idx)) continue;
      used++;
      const rec = ipcRec(t, idx);
      assert(rec != 0, "used IPC idx without a record page");
      const perm = ipcPerm(rec);
      assert(perm.used == 1, "used IPC idx whose record is free");
      const id = (perm.seq << IPCMNI_SHIFT) | idx;
      assert(perm.id == id, "IPC id does not encode its idx and seq");
      assert(idx <= ids(t).maxIdx, "IPC idx above max_idx");
      const hashed = perm.key == IPC_PRIVATE || ipcFindKey(t, perm.key) == idx;
      assert(hashed, "IPC key not in its bucket");
    }
    assert(used == ids(t).inUse, "IPC in_use drifted");
  }
  let free = 0;
  for (let i = O.freeHead; i >= 0; i = load<i32>(obj(i))) {
    free++;
    assert(free <= O.pages * OBJS_PER_PAGE, "IPC object free list cycles");
  }
  assert(free + O.used == O.pages * OBJS_PER_PAGE, "IPC objects lost");
}

/** Report the registry's own pages (records, object slabs) to `count`. */
export function ipcPages(count: (page: usize) => void): void {
  for (let i = 0; i < IPC_TYPES * REC_PAGES; i++) {
    const page = load<usize>(recPages + <usize>i * PTR);
    if (page != 0) count(page);
  }
  for (let i = 0; i < O.pages; i++) count(load<usize>(objPages + <usize>i * PTR));
}
