// Signal-driven I/O: a description's owner and signal (fcntl F_SETOWN, F_GETOWN, F_SETOWN_EX,
// F_GETOWN_EX, F_SETSIG, F_GETSIG), O_ASYNC on pipe and FIFO ends (F_SETFL, pipe_fasync), and
// kill_fasync, which pipe.ts calls where fs/pipe.c does.
//
// Linux: fs/fcntl.c (f_setown, f_getown, f_setown_ex, f_getown_ex, f_owner_sig,
// file_f_owner_allocate, send_sigio, send_sigio_to_task, sigio_perm, fasync_helper,
// kill_fasync), fs/pipe.c (pipe_fasync, and the kill_fasync calls of anon_pipe_read,
// anon_pipe_write, pipe_release), fs/file_table.c (__fput turns FASYNC off before release).
//
// Two pieces of state, as Linux has them:
//   - the owner (struct fown_struct), per description, made on first need (Linux 6.12+:
//     file_f_owner_allocate by F_SETOWN, F_SETOWN_EX or F_SETSIG): the owner's pid and pid
//     type, and the signal (0: SIGIO with SEND_SIG_PRIV);
//   - the fasync entries: a pipe's readers list and writers list of the descriptions with
//     O_ASYNC armed (fasync_helper), each entry remembering the fd F_SETFL named (fa_fd).
// O_ASYNC in f_flags and being on the lists differ: an open with O_ASYNC keeps the bit without
// arming it (do_dentry_open calls no ->fasync), and setfl calls ->fasync only when the bit
// changes, so such a description is never armed until the bit is cleared and set again.
//
//   Fown (per description): | allocated | pid | type | signum | fd | listed | nextR | nextW |
//   heads (per pipe):       | readers head (description + 1) | writers head |
//
// kill_fasync walks a list (newest entry first, as fasync_insert_entry links it) and sends each
// owner that exists: to one process (PIDTYPE_PID, PIDTYPE_TGID) or to every process of a group
// (PIDTYPE_PGID). sigio_perm always passes (every traced process is root). F_SETSIG's signal
// goes with si_code POLL_IN or POLL_OUT (SI_SIGIO for a signal with codes of its own); when it
// cannot be queued (RLIMIT_SIGPENDING) plain SIGIO goes instead.
//
// Differences from Linux: one thread per process, so F_OWNER_TID names the process as
// F_OWNER_PID does (only F_GETOWN_EX's type tells them apart); si_fd and si_band are not kept
// (the model's siginfo has si_code and si_value only).
//
// Invariants (fasyncCheck): a description is on a pipe's readers (writers) list exactly when
// it is a live read (write) end of that pipe with O_ASYNC armed; a free description has no
// owner.

import {
  EFAULT, EINVAL, ESRCH, F_GETOWN, F_GETOWN_EX, F_GETSIG, F_OWNER_PGRP, F_OWNER_PID,
  F_OWNER_TID, F_SETOWN, F_SETOWN_EX, F_SETSIG, O_ASYNC, PROC_UNUSED, SIGBUS,
  SIGCHLD, SIGFPE, SIGILL, SIGIO, SIGSEGV, SIGSYS, SIGTRAP, SI_KERNEL, SI_SIGIO,
} from "./abi";
import { FILE_FIFO, FILE_PIPE, FMODE_READ, FMODE_WRITE, file } from "./file";
import { hookSigSendInfo } from "./hooks";
import { NFILE, NPIPE, PID_FIRST } from "./param";
import { PGID_TRACE, Proc, nextPid, proc, validPid } from "./proc";
import { copyFromUser, copyToUser } from "./vm";

/** enum pid_type (include/linux/pid_types.h). */
const PIDTYPE_PID: i32 = 0;
const PIDTYPE_TGID: i32 = 1;
const PIDTYPE_PGID: i32 = 2;

/** Which of a pipe's fasync lists (fasync_readers, fasync_writers). */
export const FASYNC_READERS: i32 = 1;
export const FASYNC_WRITERS: i32 = 2;

/** struct fown_struct and the description's fasync entries. */
@unmanaged class Fown {
  /** file_f_owner() exists (F_SETOWN, F_SETOWN_EX or F_SETSIG made it). */
  allocated: i32;
  /** The owner's pid (struct pid's number), 0 for none. */
  pid: i32;
  type: i32;
  signum: i32;
  /** fa_fd: the descriptor the arming F_SETFL named. */
  fd: i32;
  /** FASYNC_READERS | FASYNC_WRITERS: the lists it is on. */
  listed: i32;
  /** The next description (+ 1) on the readers and the writers list, 0 at the end. */
  nextR: i32;
  nextW: i32;
}

/** struct f_owner_ex (include/uapi/asm-generic/fcntl.h). */
@unmanaged class FOwnerEx {
  type: i32;
  pid: i32;
}

@unmanaged class FasyncState {
  /** Descriptions with an owner struct, and entries on all lists (fasyncCheck skips its scan
   * when both are 0). */
  owners: i32;
  entries: i32;
  /** Entries of `fowns` and of `heads` (pipes) ever reached since init, a high-water mark: the
   * fast reset zeroes only those (views.ts k_layout_touched; the tables are 2 MB). */
  fownsTouched: i32;
  headsTouched: i32;
}

const S = changetype<FasyncState>(memory.data(offsetof<FasyncState>(), 8));
const fowns: usize = memory.data(NFILE * offsetof<Fown>(), 16);
const heads: usize = memory.data(NPIPE * 2 * sizeof<i32>(), 16);
const ownerEx = changetype<FOwnerEx>(memory.data(offsetof<FOwnerEx>(), 8));

@inline function fown(fi: i32): Fown {
  return changetype<Fown>(fowns + <usize>fi * offsetof<Fown>());
}

/** The head of pipe pi's list (FASYNC_READERS or FASYNC_WRITERS). */
@inline function head(pi: i32, list: i32): usize {
  return heads + (<usize>pi * 2 + <usize>(list - 1)) * sizeof<i32>();
}

/** Raise the high-water marks where an entry is first written (allocate, fasyncSetfl, link):
 * reads (kill_fasync on every pipe read and write) leave them alone. */
@inline function touchFown(fi: i32): void {
  if (fi >= S.fownsTouched) S.fownsTouched = fi + 1;
}
@inline function touchHead(pi: i32): void {
  if (pi >= S.headsTouched) S.headsTouched = pi + 1;
}

/** For the fast reset (views.ts): the tables' bases and sizes, and how much a run reached. */
export function fasyncTableBase(t: i32): usize { return t == 0 ? fowns : heads; }
export function fasyncTableEntry(t: i32): i32 {
  return t == 0 ? <i32>offsetof<Fown>() : 2 * sizeof<i32>();
}
export function fasyncTableEntries(t: i32): i32 { return t == 0 ? NFILE : NPIPE; }
export function fasyncTableTouched(t: i32): i32 {
  return t == 0 ? S.fownsTouched : S.headsTouched;
}

@inline function nextOf(o: Fown, list: i32): i32 {
  return list == FASYNC_READERS ? o.nextR : o.nextW;
}

@inline function setNext(o: Fown, list: i32, v: i32): void {
  if (list == FASYNC_READERS) o.nextR = v;
  else o.nextW = v;
}

export function fasyncInit(): void {
  memory.fill(fowns, 0, <usize>NFILE * offsetof<Fown>());
  memory.fill(heads, 0, <usize>NPIPE * 2 * sizeof<i32>());
  S.owners = 0;
  S.entries = 0;
  S.fownsTouched = 0;
  S.headsTouched = 0;
}

/** file_f_owner_allocate: the owner struct exists from now on (no owner, SIGIO). */
function allocate(fi: i32): void {
  touchFown(fi);
  const o = fown(fi);
  if (o.allocated != 0) return;
  o.allocated = 1;
  S.owners++;
}

// ---- fcntl ----

/** The commands of this file (do_fcntl's cases for them). */
export function fasyncCommand(cmd: i32): bool {
  return cmd == F_SETOWN || cmd == F_GETOWN || cmd == F_SETSIG || cmd == F_GETSIG ||
    cmd == F_SETOWN_EX || cmd == F_GETOWN_EX;
}

/** do_fcntl for the owner commands on description fi. `arg` is argi for F_SETOWN and
 * F_SETSIG, a user address for the _EX ones. */
export function fasyncFcntl(p: Proc, fi: i32, cmd: i32, arg: i32): i32 {
  if (cmd == F_SETOWN) return fSetown(fi, arg);
  if (cmd == F_GETOWN) return fGetown(fi);
  if (cmd == F_SETOWN_EX) return fSetownEx(p, fi, <u32>arg);
  if (cmd == F_GETOWN_EX) return fGetownEx(p, fi, <u32>arg);
  if (cmd == F_SETSIG) {
    // Linux: f_owner_sig(): valid_signal() before the owner is made; arg 0 restores SIGIO.
    if (<u32>arg > 64) return -EINVAL;
    allocate(fi);
    fown(fi).signum = arg;
    return 0;
  }
  assert(cmd == F_GETSIG, "fasyncFcntl: not an owner command");
  return fown(fi).allocated != 0 ? fown(fi).signum : 0;
}

/** find_vpid(nr) != NULL: a live or zombie process, or a process group with members. */
function pidExists(nr: i32): bool {
  return validPid(nr) || (nr == PGID_TRACE && groupAlive(nr));
}

/** pid_task(pid, PIDTYPE_PGID) != NULL: every traced process is in group PGID_TRACE. */
function groupAlive(pgid: i32): bool {
  if (pgid != PGID_TRACE) return false;
  for (let pid = PID_FIRST; pid < nextPid(); pid++) {
    if (proc(pid).state != PROC_UNUSED) return true;
  }
  return false;
}

/** __f_setown with force: the owner becomes (pid, type); pid 0 clears it. */
function setOwner(fi: i32, pid: i32, type: i32): void {
  const o = fown(fi);
  allocate(fi);
  o.pid = pid;
  o.type = type;
}

/** f_setown(filp, argi, 1): a negative arg names a process group; INT_MIN is EINVAL; a pid no
 * process or group has is ESRCH (the owner is made first and stays). */
function fSetown(fi: i32, who: i32): i32 {
  let type = PIDTYPE_TGID;
  if (who < 0) {
    if (who == i32.MIN_VALUE) return -EINVAL;
    type = PIDTYPE_PGID;
    who = -who;
  }
  allocate(fi);
  if (who != 0 && !pidExists(who)) return -ESRCH;
  setOwner(fi, who, type);
  return 0;
}

/** The owner's number as f_getown reports it: 0 when no task is attached to it any more. */
function ownerSeen(o: Fown): i32 {
  if (o.allocated == 0 || o.pid == 0) return 0;
  const attached = o.type == PIDTYPE_PGID ? groupAlive(o.pid) : validPid(o.pid);
  return attached ? o.pid : 0;
}

/** f_getown: the owner's pid, or minus its group (the value glibc turns into -1/errno for a
 * group, which the trace shows as the raw negative return). */
function fGetown(fi: i32): i32 {
  const o = fown(fi);
  const pid = ownerSeen(o);
  return o.type == PIDTYPE_PGID ? -pid : pid;
}

/** f_setown_ex: copy the struct in (EFAULT), check the type (EINVAL), make the owner, then
 * look the pid up (ESRCH). One thread per process: F_OWNER_TID names the process. */
function fSetownEx(p: Proc, fi: i32, va: u32): i32 {
  const n = <u32>offsetof<FOwnerEx>();
  if (copyFromUser(p, changetype<usize>(ownerEx), va, n) < n) return -EFAULT;
  let type: i32;
  if (ownerEx.type == F_OWNER_TID) type = PIDTYPE_PID;
  else if (ownerEx.type == F_OWNER_PID) type = PIDTYPE_TGID;
  else if (ownerEx.type == F_OWNER_PGRP) type = PIDTYPE_PGID;
  else return -EINVAL;
  allocate(fi);
  const who = ownerEx.pid;
  // Linux: find_vpid() of a negative number finds nothing: ESRCH.
  if (who != 0 && (who < 0 || !pidExists(who))) return -ESRCH;
  setOwner(fi, who, type);
  return 0;
}

/** f_getown_ex: {type, pid} copied out (no owner yet: F_OWNER_TID, 0). */
function fGetownEx(p: Proc, fi: i32, va: u32): i32 {
  const o = fown(fi);
  const type = o.allocated == 0 ? PIDTYPE_PID : o.type;
  ownerEx.pid = ownerSeen(o);
  ownerEx.type = type == PIDTYPE_PID ? F_OWNER_TID : type == PIDTYPE_TGID ? F_OWNER_PID
    : F_OWNER_PGRP;
  const n = <u32>offsetof<FOwnerEx>();
  return copyToUser(p, va, changetype<usize>(ownerEx), n) < n ? -EFAULT : 0;
}

// ---- O_ASYNC (pipe_fasync) ----

/** setfl's ->fasync for a pipe or FIFO end whose O_ASYNC bit changes: add it to (on) or remove
 * it from (off) the lists of its modes, the flag following as fasync_helper sets it. */
export function fasyncSetfl(fi: i32, fd: i32, on: bool): i32 {
  const f = file(fi);
  assert(f.kind == FILE_PIPE || f.kind == FILE_FIFO, "fasyncSetfl: no fasync handler");
  if (!on) {
    unlist(fi);
    return 0;
  }
  touchFown(fi);
  const o = fown(fi);
  o.fd = fd;
  if ((f.fmode & FMODE_READ) != 0) link(fi, f.pipe, FASYNC_READERS);
  if ((f.fmode & FMODE_WRITE) != 0) link(fi, f.pipe, FASYNC_WRITERS);
  f.flags |= O_ASYNC;
  return 0;
}

/** fasync_insert_entry: at the head of the list. */
function link(fi: i32, pi: i32, list: i32): void {
  const o = fown(fi);
  if ((o.listed & list) != 0) return;
  touchHead(pi);
  const h = head(pi, list);
  setNext(o, list, load<i32>(h));
  store<i32>(h, fi + 1);
  o.listed |= list;
  S.entries++;
}

/** fasync_remove_entry from both lists; the flag is cleared only when an entry was found. */
function unlist(fi: i32): void {
  const f = file(fi);
  const o = fown(fi);
  if (o.listed == 0) return;
  for (let list = FASYNC_READERS; list <= FASYNC_WRITERS; list++) {
    if ((o.listed & list) == 0) continue;
    let at = head(f.pipe, list);
    while (load<i32>(at) != fi + 1) {
      const cur = load<i32>(at) - 1;
      assert(cur >= 0, "fasync entry not on its list");
      at = changetype<usize>(fown(cur)) +
        (list == FASYNC_READERS ? offsetof<Fown>("nextR") : offsetof<Fown>("nextW"));
    }
    store<i32>(at, nextOf(o, list));
    setNext(o, list, 0);
    S.entries--;
  }
  o.listed = 0;
  f.flags &= ~O_ASYNC;
}

/** __fput: FASYNC off (->fasync(-1, file, 0)) before the release, and the owner freed
 * (file_f_owner_release). Called for every description's last reference. */
export function fasyncRelease(fi: i32): void {
  if (fi >= S.fownsTouched) return; // never written since init: nothing to undo
  unlist(fi);
  if (fown(fi).allocated != 0) S.owners--;
  memory.fill(changetype<usize>(fown(fi)), 0, offsetof<Fown>());
}

// ---- kill_fasync, send_sigio ----

/** kill_fasync(&pipe->fasync_readers or _writers, SIGIO, band): nothing unless an entry is on
 * the list (Linux's unlocked `if (*fp)` test, the common path: inline, the rest is not). */
@inline export function killFasync(pi: i32, list: i32, band: i32): void {
  if (load<i32>(head(pi, list)) != 0) killFasyncList(pi, list, band);
}

function killFasyncList(pi: i32, list: i32, band: i32): void {
  let e = load<i32>(head(pi, list));
  while (e != 0) {
    const o = fown(e - 1);
    // A send may kill a process that closes other entries: read the next one first.
    const next = nextOf(o, list);
    if (o.allocated != 0) sendSigio(o, band);
    e = next;
  }
}

/** send_sigio: to the owner process, or to every process of the owner group. */
function sendSigio(o: Fown, band: i32): void {
  if (o.pid == 0) return;
  if (o.type != PIDTYPE_PGID) {
    if (validPid(o.pid)) sendSigioToTask(proc(o.pid), o, band);
    return;
  }
  if (o.pid != PGID_TRACE) return;
  for (let pid = PID_FIRST; pid < nextPid(); pid++) {
    if (proc(pid).state != PROC_UNUSED) sendSigioToTask(proc(pid), o, band);
  }
}

/** send_sigio_to_task (sigio_perm passes: root). F_SETSIG's signal with si_code `band`, or
 * plain SIGIO (SEND_SIG_PRIV) when there is none or it cannot be queued. */
function sendSigioToTask(t: Proc, o: Fown, band: i32): void {
  const sig = o.signum;
  if (sig != 0) {
    const code = sig != SIGIO && sigSpecificCodes(sig) ? SI_SIGIO : band;
    if (hookSigSendInfo(t, sig, code, 0, 0) >= 0) return;
  }
  hookSigSendInfo(t, SIGIO, SI_KERNEL, 0, 0);
}

/** sig_specific_sicodes (include/linux/signal.h): the signals with si_codes of their own. */
function sigSpecificCodes(sig: i32): bool {
  return sig == SIGILL || sig == SIGFPE || sig == SIGSEGV || sig == SIGBUS || sig == SIGTRAP ||
    sig == SIGCHLD || sig == SIGIO || sig == SIGSYS;
}

// ---- invariants ----

/** Every list holds live ends of its pipe with O_ASYNC, each once, with the matching mode;
 * every listed description is on the lists its modes name; free descriptions own nothing. */
export function fasyncCheck(): void {
  assert(S.owners >= 0 && S.entries >= 0, "fasync counts below zero");
  if (S.owners == 0 && S.entries == 0) return;
  let onLists = 0;
  for (let pi = 0; pi < NPIPE; pi++) {
    for (let list = FASYNC_READERS; list <= FASYNC_WRITERS; list++) {
      const mode = list == FASYNC_READERS ? FMODE_READ : FMODE_WRITE;
      let n = 0;
      for (let e = load<i32>(head(pi, list)); e != 0; e = nextOf(fown(e - 1), list)) {
        const f = file(e - 1);
        assert(f.refs > 0 && f.pipe == pi, "fasync entry is not a live end of its pipe");
        assert((f.kind == FILE_PIPE || f.kind == FILE_FIFO) && (f.fmode & mode) != 0,
          "fasync entry on the wrong list");
        assert((f.flags & O_ASYNC) != 0, "fasync entry without O_ASYNC");
        assert(++n <= NFILE, "fasync list loops");
        onLists++;
      }
    }
  }
  let listed = 0;
  let owners = 0;
  for (let fi = 0; fi < NFILE; fi++) {
    const o = fown(fi);
    const f = file(fi);
    if (f.refs == 0) assert(o.allocated == 0 && o.listed == 0, "free description with an owner");
    if (o.allocated != 0) owners++;
    if (o.listed == 0) continue;
    const want = ((f.fmode & FMODE_READ) != 0 ? FASYNC_READERS : 0) |
      ((f.fmode & FMODE_WRITE) != 0 ? FASYNC_WRITERS : 0);
    assert(o.listed == want, "fasync entry missing from a list of its modes");
    listed += popcnt(want);
  }
  assert(listed == onLists && onLists == S.entries, "fasync lists and entries disagree");
  assert(owners == S.owners, "fasync owner count drifted");
}
