// SysV shared memory: shmget, shmat, shmdt, shmctl (IPC_STAT, IPC_SET, IPC_RMID, IPC_INFO,
// SHM_INFO, SHM_STAT, SHM_STAT_ANY, SHM_LOCK, SHM_UNLOCK), and the open/close of every region
// that maps a memory object (vm.ts calls objOpen/objClose on fork, split, unmap and exit).
//
// Linux: ipc/shm.c (newseg, shm_more_checks, do_shmat, ksys_shmdt, __shm_open, shm_close,
// shm_may_destroy, do_shm_rmid, shm_destroy, exit_shm, shmctl_stat, shmctl_down,
// shmctl_ipc_info, shmctl_shm_info, shmctl_do_lock).
//
// A segment is an IPC record (ipc.ts) whose type part is ShmSeg, and a memory object
// (shmem.ts) of its size rounded up to pages, with frames allocated on first touch. shm_segsz
// keeps the size asked for; a mapping covers whole pages, so the rest of the last page is
// usable (linux-semantics.md 1.7). shm_nattch counts the regions (VMAs) mapping the segment, as
// Linux's shm_open/shm_close run per VMA: an attach, each copy at fork, each piece of a split.
// lpid is the process that last opened or closed a region: the attacher, the forking parent,
// the detacher, the exiting process. IPC_RMID with attachments sets SHM_DEST and makes the key
// IPC_PRIVATE (the id still works, shmat included); the segment goes at its last detach.
//
// Times: shm_atime (a region opened), shm_dtime (closed), shm_ctime (creation, IPC_SET) are the
// virtual CLOCK_REALTIME's seconds (time.ts), set where lpid is (__shm_open, __shm_close).
//
// Differences from Linux: segments larger than the
// model's 2 GiB mapping range cannot be attached (ENOMEM); the model has no huge pages
// (vm.nr_hugepages 0, as a default Linux): SHM_HUGETLB is ENOMEM, and with SHM_NORESERVE an
// ordinary segment (Linux's is huge-page aligned and SIGBUS on touch); SHM_LOCK only sets the
// mode bit (no memory is locked).
//
// Invariants (shmCheck): a live segment names a live object of its size in pages whose
// shmIdx is the segment; nattch equals the object's regions; shm_tot is the sum of the
// segments' pages; a segment with SHM_DEST has regions (else it would be gone).

import {
  EACCES, EFAULT, EINVAL, ENOMEM, ENOSPC, IPC_INFO, IPC_RMID, IPC_SET, IPC_STAT, SHM_INFO,
  SHM_RDONLY, SHM_REMAP, SHM_RND, SHM_STAT, SHM_EXEC, PROT_EXEC, PROT_READ, PROT_WRITE, SHM_DEST,
  SHM_LOCK, SHM_LOCKED, SHM_STAT_ANY, SHM_UNLOCK,
} from "./abi";
import {
  IPC_PRIVATE, IPC_REC_HDR, IPC_SHM, S_IRUGO, S_IWUGO, ipcAddId, ipcCtlObtainCheck, ipcGet,
  REC_BYTES,
  ipcIdxUsed, ipcInUse, ipcMaxIdx, ipcObtainCheck, ipcObtainIdx, ipcPerm, ipcPerms, ipcRec,
  ipcRmid, ipcSetKeyPrivate, ipcStatPerm, ipcUpdatePerm,
} from "./ipc";
import { fileObjClose, fileObjOpen } from "./filemap";
import { mapRegion, regionAfter, unmapRange } from "./mmap";
import {
  FILE_OBJ, IPCMNI, PAGE_SHIFT, PAGE_SIZE, P_SHMALL, P_SHMMAX, P_SHMMNI, P_SHM_RMID_FORCED, SHMLBA,
  SHMMIN,
} from "./param";
import { Proc } from "./proc";
import { shmem, shmemCreate, shmemFree, shmemMapped, shmemUnmapped } from "./shmem";
import { paramGet } from "./sysctl";
import { timeRealSeconds } from "./time";
import { ShmInfo, ShmInfo64, Shmid64Ds } from "./uapi";
import { VMA_MAYWRITE, VMA_SHARED, copyFromUser, copyToUser, vma } from "./vm";

const S_IXUGO: i32 = 0o111;
const SHMID_DS_BYTES: i32 = <i32>offsetof<Shmid64Ds>();
const SHMINFO_BYTES: i32 = <i32>offsetof<ShmInfo64>();
const SHM_INFO_BYTES: i32 = <i32>offsetof<ShmInfo>();

/** struct shmid_kernel after the IpcPerm head of its record. */
@unmanaged class ShmSeg {
  segsz: u32;
  nattch: i32;
  cpid: i32;
  lpid: i32;
  /** The memory object (shmem.ts). */
  obj: i32;
  /** shm_creator: the creating process while it lives, 0 after it exits. */
  creator: i32;
  /** shm_atim, shm_dtim, shm_ctim: CLOCK_REALTIME seconds. */
  atime: i64;
  dtime: i64;
  ctime: i64;
}

@unmanaged class ShmState {
  /** shm_tot: pages of every segment. */
  tot: u64;
  /** The last attach number handed out (Vma.attach). */
  attaches: i32;
  /** The process making the current shmget (newseg records it as cpid). */
  caller: i32;
}

const S = changetype<ShmState>(memory.data(offsetof<ShmState>(), 16));
/** The kernel's copy of shmid64_ds (the largest), shminfo64 or shm_info. */
const buf: usize = memory.data(SHMID_DS_BYTES, 16);

@inline function seg(idx: i32): ShmSeg {
  return changetype<ShmSeg>(ipcRec(IPC_SHM, idx) + IPC_REC_HDR);
}

/** shm_segsz and shm_nattch of the segment at idx (views.ts: the final state's table). */
export function shmSegsz(idx: i32): u32 { return seg(idx).segsz; }
export function shmNattch(idx: i32): i32 { return seg(idx).nattch; }

export function shmInit(): void {
  assert(IPC_REC_HDR + offsetof<ShmSeg>() <= <usize>REC_BYTES, "ShmSeg overflows its record");
  S.tot = 0;
  S.attaches = 0;
  S.caller = 0;
}

// ---- shmget ----

/** shmget's flags beyond IPC_CREAT/IPC_EXCL (include/uapi/linux/shm.h, hugetlb_encode.h). */
const SHM_HUGETLB: i32 = 0o4000;
const SHM_NORESERVE: i32 = 0o10000;
const SHM_HUGE_SHIFT: i32 = 26;
const SHM_HUGE_MASK: i32 = 0x3f;

/** newseg's SHM_HUGETLB branch: hstate_sizelog() knows the default size (log 0) and the
 * x86-64 sizes 2 MiB and 1 GiB (else EINVAL); hugetlb_file_setup() reserves the pages unless
 * SHM_NORESERVE, which fails with ENOMEM when vm.nr_hugepages is 0 (the model's setting). */
function hugetlbSetup(flg: i32): i32 {
  if ((flg & SHM_HUGETLB) == 0) return 0;
  const log = (flg >>> SHM_HUGE_SHIFT) & SHM_HUGE_MASK;
  if (log != 0 && log != 21 && log != 30) return -EINVAL;
  return (flg & SHM_NORESERVE) != 0 ? 0 : -ENOMEM;
}

/** newseg: a segment of `size` bytes (arg), creator the caller. */
function newseg(key: i32, flg: i32, arg: i32): i32 {
  const size = <u32>arg;
  if (size < <u32>SHMMIN || size > <u32>paramGet(P_SHMMAX)) return -EINVAL;
  const pages = (<u64>size + <u64>(PAGE_SIZE - 1)) >> PAGE_SHIFT;
  if (S.tot + pages > <u64><u32>paramGet(P_SHMALL)) return -ENOSPC;
  const huge = hugetlbSetup(flg); // Linux: ipc/shm.c:newseg(), after the size and shm_tot checks
  if (huge < 0) return huge;
  const o = shmemCreate(<u32>pages);
  if (o < 0) return o;
  const idx = ipcAddId(IPC_SHM, key, flg, paramGet(P_SHMMNI));
  if (idx < 0) {
    shmemFree(o);
    return idx;
  }
  shmem(o).shmIdx = idx;
  const s = seg(idx);
  s.segsz = size;
  s.nattch = 0;
  s.cpid = S.caller;
  s.lpid = 0;
  s.obj = o;
  s.creator = S.caller;
  s.atime = 0;
  s.dtime = 0;
  s.ctime = timeRealSeconds();
  S.tot += pages;
  return ipcPerm(ipcRec(IPC_SHM, idx)).id;
}

/** shm_more_checks: an existing segment smaller than the size asked for is EINVAL. */
function moreChecks(idx: i32, arg: i32): i32 {
  return seg(idx).segsz < <u32>arg ? -EINVAL : 0;
}

/** shmget(key, size, shmflg); size is a size_t the engine passes as its low 32 bits. */
export function shmGet(p: Proc, key: i32, size: u32, flg: i32): i32 {
  S.caller = p.pid;
  return ipcGet(IPC_SHM, key, flg, <i32>size, newseg, moreChecks);
}

// ---- region open/close (vm.ts, mmap.ts) ----

/** A region mapping object `o` appears (__shm_open for a segment): nattch++, lpid = p. A file
 * region's object is the file's (filemap.ts). */
export function objOpen(o: i32, p: Proc): void {
  if (o >= FILE_OBJ) return fileObjOpen(o);
  shmemMapped(o);
  const idx = shmem(o).shmIdx;
  if (idx < 0) return;
  seg(idx).nattch++;
  seg(idx).lpid = p.pid;
  seg(idx).atime = timeRealSeconds();
}

/** A region mapping `o` goes (shm_close): nattch--, lpid = p, destroyed when it may be. */
export function objClose(o: i32, p: Proc): void {
  if (o >= FILE_OBJ) return fileObjClose(o);
  const idx = shmem(o).shmIdx;
  shmemUnmapped(o);
  if (idx < 0) return;
  seg(idx).nattch--;
  seg(idx).lpid = p.pid;
  seg(idx).dtime = timeRealSeconds();
  if (mayDestroy(idx)) destroy(idx);
}

/** shm_may_destroy: no attachments, and removed (or kernel.shm_rmid_forced). */
function mayDestroy(idx: i32): bool {
  if (seg(idx).nattch != 0) return false;
  return paramGet(P_SHM_RMID_FORCED) != 0 || (ipcPerm(ipcRec(IPC_SHM, idx)).mode & SHM_DEST) != 0;
}

/** shm_destroy: the id goes, and the object with its frames. */
function destroy(idx: i32): void {
  const s = seg(idx);
  S.tot -= <u64>shmem(s.obj).pages;
  shmem(s.obj).shmIdx = -1;
  shmemFree(s.obj);
  ipcRmid(IPC_SHM, idx);
}

/** exit_shm: the exiting process no longer owns what it created; with shm_rmid_forced its
 * unattached segments go at once. */
export function shmExit(p: Proc): void {
  const forced = paramGet(P_SHM_RMID_FORCED) != 0;
  // ipcMaxIdx is -1 with no segment: exits scan only up to the highest idx in use.
  const top = ipcMaxIdx(IPC_SHM);
  for (let idx = 0; idx <= top; idx++) {
    if (!ipcIdxUsed(IPC_SHM, idx) || seg(idx).creator != p.pid) continue;
    seg(idx).creator = 0;
    if (forced && mayDestroy(idx)) destroy(idx);
  }
}

// ---- shmat, shmdt ----

/** do_shmat: the address the segment is mapped at, or -errno. */
export function shmAt(p: Proc, shmid: i32, addr: u32, flg: i32): i32 {
  if (shmid < 0) return -EINVAL;
  let fixed = false;
  if (addr != 0) {
    if ((addr & (SHMLBA - 1)) != 0) {
      if ((flg & SHM_RND) == 0) return -EINVAL;
      addr &= ~(SHMLBA - 1);
      if (addr == 0 && (flg & SHM_REMAP) != 0) return -EINVAL;
    }
    fixed = true;
  } else if ((flg & SHM_REMAP) != 0) return -EINVAL;
  let prot = PROT_READ;
  let acc = S_IRUGO;
  if ((flg & SHM_RDONLY) == 0) {
    prot |= PROT_WRITE;
    acc |= S_IWUGO;
  }
  if ((flg & SHM_EXEC) != 0) {
    prot |= PROT_EXEC;
    acc |= S_IXUGO;
  }
  const idx = ipcObtainCheck(IPC_SHM, shmid);
  if (idx < 0) return idx;
  if (ipcPerms(ipcRec(IPC_SHM, idx), acc) < 0) return -EACCES;
  const s = seg(idx);
  // The attach holds the segment (nattch + 1) while it maps, then lets go (do_shmat).
  s.nattch++;
  const r = attachMap(p, s, addr, fixed, (flg & SHM_REMAP) != 0, prot);
  s.nattch--;
  if (mayDestroy(idx)) destroy(idx);
  return r;
}

function attachMap(p: Proc, s: ShmSeg, addr: u32, fixed: bool, remap: bool, prot: i32): i32 {
  const size = s.segsz;
  if (fixed && !remap) {
    if (<u64>addr + <u64>size > <u64>u32.MAX_VALUE) return -EINVAL;
    // find_vma_intersection(addr, addr + size): the size asked for, not rounded.
    const vi = regionAfter(p, addr);
    if (vi >= 0 && vma(vi).start < addr + size) return -EINVAL;
  }
  S.attaches++;
  // do_shmat opens the segment's file for reading only under SHM_RDONLY, so do_mmap leaves
  // the region without VM_MAYWRITE (mprotect's PROT_WRITE is EACCES).
  const flags = (prot & PROT_WRITE) != 0 ? VMA_SHARED | VMA_MAYWRITE : VMA_SHARED;
  return mapRegion(p, addr, <u32>size, prot, flags, s.obj, 0, fixed, S.attaches);
}

/** ksys_shmdt: unmap the attachment whose first region starts at addr (a region of shm with
 * (start - addr) / PAGE_SIZE == pgoff), then the other pieces of the same attachment within
 * the segment's size. EINVAL when none matches. */
export function shmDt(p: Proc, addr: u32): i32 {
  if ((addr & (PAGE_SIZE - 1)) != 0) return -EINVAL;
  let vi = regionAfter(p, addr);
  let attach = 0;
  let size: u64 = 0;
  while (vi >= 0) {
    const v = vma(vi);
    const next = regionAfter(p, v.end);
    if (isShmPiece(v.obj, v.start, v.pgoff, addr)) {
      attach = v.attach;
      size = <u64>seg(shmem(v.obj).shmIdx).segsz;
      unmapRange(p, v.start, v.end);
      vi = next;
      break;
    }
    vi = next;
  }
  if (attach == 0) return -EINVAL;
  size = (size + <u64>(PAGE_SIZE - 1)) & ~<u64>(PAGE_SIZE - 1);
  while (vi >= 0 && <u64>(vma(vi).end - addr) <= size) {
    const v = vma(vi);
    const next = regionAfter(p, v.end);
    if (v.attach == attach && isShmPiece(v.obj, v.start, v.pgoff, addr)) {
      unmapRange(p, v.start, v.end);
    }
    vi = next;
  }
  return 0;
}

/** A region of a SysV segment whose offset matches an attachment at addr (unsigned
 * arithmetic as Linux's: a region below addr never matches). */
function isShmPiece(obj: i32, start: u32, pgoff: i32, addr: u32): bool {
  if (obj < 0 || shmem(obj).shmIdx < 0) return false;
  return start >= addr && (start - addr) >>> PAGE_SHIFT == <u32>pgoff;
}

// ---- shmctl ----

/** ksys_shmctl(shmid, cmd, buf). */
export function shmCtl(p: Proc, shmid: i32, cmd: i32, va: u32): i32 {
  if (cmd < 0 || shmid < 0) return -EINVAL;
  if (cmd == IPC_INFO) return ctlIpcInfo(p, va);
  if (cmd == SHM_INFO) return ctlShmInfo(p, va);
  if (cmd == IPC_STAT || cmd == SHM_STAT || cmd == SHM_STAT_ANY) return ctlStat(p, shmid, cmd, va);
  if (cmd == IPC_SET) {
    if (copyFromUser(p, buf, va, SHMID_DS_BYTES) != <u32>SHMID_DS_BYTES) return -EFAULT;
    return ctlDown(shmid, cmd);
  }
  if (cmd == IPC_RMID) return ctlDown(shmid, cmd);
  if (cmd == SHM_LOCK || cmd == SHM_UNLOCK) return ctlLock(shmid, cmd);
  return -EINVAL;
}

/** shmctl_down: IPC_SET (uid, gid, mode from buf) and IPC_RMID (do_shm_rmid). */
function ctlDown(shmid: i32, cmd: i32): i32 {
  const idx = ipcCtlObtainCheck(IPC_SHM, shmid);
  if (idx < 0) return idx;
  const rec = ipcRec(IPC_SHM, idx);
  if (cmd == IPC_SET) {
    const err = ipcUpdatePerm(rec, buf);
    if (err == 0) seg(idx).ctime = timeRealSeconds();
    return err;
  }
  if (seg(idx).nattch == 0) {
    destroy(idx);
    return 0;
  }
  const perm = ipcPerm(rec);
  perm.mode |= SHM_DEST;
  // ipc_set_key_private: the key no longer finds it.
  if (perm.key != IPC_PRIVATE) ipcSetKeyPrivate(IPC_SHM, idx);
  return 0;
}

/** shmctl_stat: IPC_STAT checks the id's seq; SHM_STAT(_ANY) take an idx and return the id. */
function ctlStat(p: Proc, shmid: i32, cmd: i32, va: u32): i32 {
  const idx = cmd == IPC_STAT ? ipcObtainCheck(IPC_SHM, shmid) : ipcObtainIdx(IPC_SHM, shmid);
  if (idx < 0) return idx;
  const rec = ipcRec(IPC_SHM, idx);
  if (cmd != SHM_STAT_ANY && ipcPerms(rec, S_IRUGO) < 0) return -EACCES;
  const s = seg(idx);
  memory.fill(buf, 0, SHMID_DS_BYTES);
  ipcStatPerm(rec, buf);
  const out = changetype<Shmid64Ds>(buf);
  out.shm_segsz = <u64>s.segsz;
  out.shm_cpid = s.cpid;
  out.shm_lpid = s.lpid;
  out.shm_nattch = <u64>s.nattch;
  out.shm_atime = s.atime;
  out.shm_dtime = s.dtime;
  out.shm_ctime = s.ctime;
  if (copyToUser(p, va, buf, SHMID_DS_BYTES) != <u32>SHMID_DS_BYTES) return -EFAULT;
  return cmd == IPC_STAT ? 0 : ipcPerm(rec).id;
}

/** shmctl_ipc_info: struct shminfo64; returns the highest used idx. */
function ctlIpcInfo(p: Proc, va: u32): i32 {
  memory.fill(buf, 0, SHMINFO_BYTES);
  const out = changetype<ShmInfo64>(buf);
  out.shmmax = <u64><u32>paramGet(P_SHMMAX);
  out.shmmin = <u64>SHMMIN;
  out.shmmni = <u64>paramGet(P_SHMMNI);
  out.shmseg = <u64>paramGet(P_SHMMNI);
  out.shmall = <u64><u32>paramGet(P_SHMALL);
  if (copyToUser(p, va, buf, SHMINFO_BYTES) != <u32>SHMINFO_BYTES) return -EFAULT;
  return max(ipcMaxIdx(IPC_SHM), 0);
}

/** shmctl_shm_info: struct shm_info (used_ids, shm_tot, shm_rss in pages). */
function ctlShmInfo(p: Proc, va: u32): i32 {
  memory.fill(buf, 0, SHM_INFO_BYTES);
  const out = changetype<ShmInfo>(buf);
  out.used_ids = ipcInUse(IPC_SHM);
  out.shm_tot = S.tot;
  let rss: u64 = 0;
  const top = ipcMaxIdx(IPC_SHM);
  for (let idx = 0; idx <= top; idx++) {
    if (ipcIdxUsed(IPC_SHM, idx)) rss += <u64>shmem(seg(idx).obj).touched;
  }
  out.shm_rss = rss;
  if (copyToUser(p, va, buf, SHM_INFO_BYTES) != <u32>SHM_INFO_BYTES) return -EFAULT;
  return max(ipcMaxIdx(IPC_SHM), 0);
}

/** shmctl_do_lock: root has CAP_IPC_LOCK; only the SHM_LOCKED mode bit is modelled. */
function ctlLock(shmid: i32, cmd: i32): i32 {
  const idx = ipcObtainCheck(IPC_SHM, shmid);
  if (idx < 0) return idx;
  const perm = ipcPerm(ipcRec(IPC_SHM, idx));
  if (cmd == SHM_LOCK) perm.mode |= SHM_LOCKED;
  else perm.mode &= ~SHM_LOCKED;
  return 0;
}

// ---- invariants ----

export function shmCheck(): void {
  let tot: u64 = 0;
  for (let idx = 0; idx < IPCMNI; idx++) {
    if (!ipcIdxUsed(IPC_SHM, idx)) continue;
    const s = seg(idx);
    const o = shmem(s.obj);
    assert(o.inUse == 1 && o.shmIdx == idx, "segment's object is not its own");
    const pages = (<u64>s.segsz + <u64>(PAGE_SIZE - 1)) >> PAGE_SHIFT;
    assert(<u64>o.pages == pages, "segment's object has the wrong size");
    assert(s.nattch == o.maps, "shm_nattch != regions mapping the segment");
    const dest = (ipcPerm(ipcRec(IPC_SHM, idx)).mode & SHM_DEST) != 0;
    assert(!dest || s.nattch > 0, "removed segment without attachments still alive");
    tot += <u64>o.pages;
  }
  assert(tot == S.tot, "shm_tot != pages of the segments");
}
