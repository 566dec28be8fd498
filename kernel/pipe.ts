// Pipes, exactly as fs/pipe.c: a ring of page slots, the merge rule, PIPE_BUF atomicity,
// partial writes, O_NONBLOCK, EOF, EPIPE with SIGPIPE, packet mode (O_DIRECT), F_SETPIPE_SZ.
//
// Linux: fs/pipe.c (anon_pipe_read, anon_pipe_write, pipe_release, pipe_set_size,
// round_pipe_size, __do_pipe_flags). Syscalls: pipe2, read, write (sys_file.ts), fcntl (file.ts).
//
// Capacity is counted in slots, not bytes: a write first merges its sub-page remainder
// (len % 4096) into the last slot if that fits, then fills whole new pages while a slot is free.
// So 100-byte writes fit 640 times (40 per page), not 655.
//
// Blocking: readers sleep exclusively on rdWait, writers on wrWait (wait.ts); a woken process
// retries its call from where Linux's loop resumes (a writer keeps the bytes it already moved,
// in its PipeWriteWait). A write wakes one reader when the pipe was empty; a reader that was
// woken and leaves data wakes the next (wake_next_reader); a read that frees a slot of a full
// pipe wakes one writer; the last close of either side wakes everyone.
//
// The ring (one page of PipeBuffer slot records; ringSize is a power of two, head/tail run
// freely):
//   slot: | page usize | offset i32 | len i32 | flags i32 |   (32-bit wasm: 16 bytes)
//
// Differences from Linux: the pipe-user-pages limits never apply (traced processes run as root,
// which has CAP_SYS_ADMIN: pipe_is_unprivileged_user() is false); a ring has at most 256 slots.
//
// Invariants (pipeCheck): 0 <= head - tail <= ringSize; each occupied slot has a page and
// 0 < offset + len <= 4096 (len 0 only transiently); readers/writers equal the open ends; the
// bytes held are the bytes ever written less those taken out.

import {
  BLOCKED, EAGAIN, EFAULT, EINVAL, EMFILE, ENFILE, ENOMEM, EPERM, EPIPE, EBUSY, EPOLLIN,
  EPOLLOUT, EPOLLRDNORM, EPOLLWRNORM, F_GETPIPE_SZ,
  O_CLOEXEC, O_DIRECT, O_NONBLOCK, O_RDONLY, O_WRONLY, POLL_IN, POLL_OUT, SIGPIPE, POLLERR,
  POLLHUP, POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM,
} from "./abi";
import {
  FILE_PIPE, FMODE_READ, FMODE_WRITE, fdAllocLowest, fdInstallAt, file, fileAlloc, filePut,
} from "./file";
import { FLOW_IN, FLOW_OUT, FLOW_PIPE, eventPushFlow } from "./event";
import { FASYNC_READERS, FASYNC_WRITERS, killFasync } from "./fasync";
import { fifoPipeGone } from "./fifo";
import { inodeSetMCtime, inodeTouchAtime } from "./inode";
import { pageAlloc, pageAllocRaw, pagePut, pageRefs } from "./mem";
import { paramGet } from "./sysctl";
import {
  MAX_RW_COUNT, NPIPE, PAGE_SHIFT, PAGE_SIZE, PIPE_DEF_BUFFERS, PIPE_MAX_SLOTS, P_PIPE_MAX_SIZE,
} from "./param";
import { hookSigSendThread } from "./hooks";
import { CALL_STATE_BYTES, Proc, callState } from "./proc";
import { copyFromUserAt, copyToUserAt } from "./uio";
import { accessOk } from "./vm";
import { sleepOn, waitCheck, waitEmpty, waitInit, wakeAll, wakeOne, wakeOneKeyed } from "./wait";

const BUF_CAN_MERGE: i32 = 1;
const BUF_PACKET: i32 = 2;

/** A ring slot: struct pipe_buffer (include/linux/pipe_fs_i.h) without ops and private. */
@unmanaged class PipeBuffer {
  page: usize;
  offset: i32;
  len: i32;
  flags: i32;
}
const SLOT_BYTES: i32 = <i32>offsetof<PipeBuffer>();

@unmanaged export class Pipe {
  inUse: i32;
  head: u32;
  tail: u32;
  ringSize: i32;
  maxUsage: i32;
  readers: i32;
  writers: i32;
  /** Open files on this pipe (pipe->files); the pipe is freed at 0. */
  files: i32;
  rCounter: i32;
  wCounter: i32;
  rdWaitHead: i32;
  rdWaitTail: i32;
  wrWaitHead: i32;
  wrWaitTail: i32;
  slots: usize;
  /** The FIFO inode this pipe belongs to, or -1 for an anonymous pipe. */
  inode: i32;
  nextFree: i32;
  /** Its number in creation order since k_init (1, 2, ...): how the views name a pipe, the
   * same in `replay`'s final state and in deadlock explanations (an index may be reused). */
  serial: i32;
  /** A page kept from the last emptied slot for the next write (pipe->tmp_page): a write into
   * an empty pipe and the read that drains it take and free no page (anon_pipe_buf_release,
   * anon_pipe_get_page). 0 when none. */
  tmpPage: usize;
  /** Bytes ever written and taken out (read, or a packet's rest discarded), mod 2^32: where
   * in the stream a write or read moves bytes, for the views' flow records (event.ts). */
  written: i32;
  taken: i32;
  /** pipe->poll_usage: polled once (pipe_poll), every write wakes rd_wait after, as epoll's
   * edge-triggered items need (anon_pipe_write: "Epoll nonsensically wants a wakeup"). */
  pollUsage: i32;
}

/** A write asleep for room (Proc call state): the bytes it already moved, returned if a signal
 * ends the sleep (syscall.ts interruptCode). */
@unmanaged class PipeWriteWait {
  moved: i32;
}

@inline export function pipeWriteWait(p: Proc): PipeWriteWait {
  assert(offsetof<PipeWriteWait>() <= CALL_STATE_BYTES);
  return changetype<PipeWriteWait>(callState(p));
}

@unmanaged class PipeState {
  freeHead: i32;
  used: i32;
  /** Pipes made since k_init (the last serial). */
  created: i32;
}

const S = changetype<PipeState>(memory.data(offsetof<PipeState>(), 16));
const pipes: usize = memory.data(NPIPE * offsetof<Pipe>(), 16);
const resizeTmp: usize = memory.data(PIPE_MAX_SLOTS * SLOT_BYTES, 16);

@inline export function pipe(i: i32): Pipe {
  return changetype<Pipe>(pipes + <usize>i * offsetof<Pipe>());
}

export function rdWait(pi: Pipe): usize {
  return changetype<usize>(pi) + offsetof<Pipe>("rdWaitHead");
}

export function wrWait(pi: Pipe): usize {
  return changetype<usize>(pi) + offsetof<Pipe>("wrWaitHead");
}

export function pipeInit(): void {
  memory.fill(pipes, 0, <usize>NPIPE * offsetof<Pipe>());
  for (let i = 0; i < NPIPE; i++) pipe(i).nextFree = i + 2 <= NPIPE ? i + 2 : 0;
  S.freeHead = 1;
  S.used = 0;
  S.created = 0;
}

// ---- slots ----

@inline function slot(pi: Pipe, n: u32): usize {
  return pi.slots + <usize>(n & <u32>(pi.ringSize - 1)) * SLOT_BYTES;
}
@inline function buf(s: usize): PipeBuffer { return changetype<PipeBuffer>(s); }
@inline function slotPage(s: usize): usize { return buf(s).page; }
@inline function slotOffset(s: usize): i32 { return buf(s).offset; }
@inline function slotLen(s: usize): i32 { return buf(s).len; }
@inline function slotFlags(s: usize): i32 { return buf(s).flags; }
@inline function setSlot(s: usize, page: usize, offset: i32, len: i32, flags: i32): void {
  const b = buf(s);
  b.page = page;
  b.offset = offset;
  b.len = len;
  b.flags = flags;
}

@inline function occupancy(pi: Pipe): u32 { return pi.head - pi.tail; }
@inline function isEmpty(pi: Pipe): bool { return pi.head == pi.tail; }
@inline function isFull(pi: Pipe): bool { return occupancy(pi) >= <u32>pi.maxUsage; }

/** pipe_poll's mask for description fi (a pipe or FIFO end): POLLIN|POLLRDNORM when a reader
 * finds data, POLLHUP when it has no writer (unless a FIFO reader opened O_NONBLOCK has seen
 * none since: f_pipe == w_counter), POLLOUT|POLLWRNORM when a slot is free (pipe_full counts
 * slots, not bytes: one byte in each of the 16 slots is full), POLLERR for a writer without a
 * reader. The caller waits on rd_wait and wr_wait as the file's mode says (pipePollKeys). */
export function pipePoll(fi: i32): i32 {
  const f = file(fi);
  const pi = pipe(f.pipe);
  pi.pollUsage = 1;
  let mask = 0;
  if ((f.fmode & FMODE_READ) != 0) {
    if (!isEmpty(pi)) mask |= POLLIN | POLLRDNORM;
    if (pi.writers == 0 && f.fPipe != pi.wCounter) mask |= POLLHUP;
  }
  if ((f.fmode & FMODE_WRITE) != 0) {
    if (!isFull(pi)) mask |= POLLOUT | POLLWRNORM;
    if (pi.readers == 0) mask |= POLLERR;
  }
  return mask;
}

/** Bytes buffered (FIONREAD). */
export function pipeBytes(pi: Pipe): i32 {
  let n = 0;
  for (let t = pi.tail; t != pi.head; t++) n += slotLen(slot(pi, t));
  return n;
}

// ---- creation and release ----

/** alloc_pipe_info: 16 slots, fewer if fs.pipe-max-size is below 64 KiB. -ENFILE when full. */
export function pipeAlloc(inode: i32): i32 {
  if (S.freeHead == 0) return -ENFILE;
  const page = pageAlloc();
  if (page == 0) return -ENFILE;
  const i = S.freeHead - 1;
  const pi = pipe(i);
  S.freeHead = pi.nextFree;
  S.used++;
  let slots = PIPE_DEF_BUFFERS;
  const maxSize = paramGet(P_PIPE_MAX_SIZE);
  if (slots * PAGE_SIZE > maxSize) slots = maxSize >> PAGE_SHIFT;
  memory.fill(changetype<usize>(pi), 0, offsetof<Pipe>());
  pi.inUse = 1;
  pi.slots = page;
  pi.ringSize = slots;
  pi.maxUsage = slots;
  pi.rCounter = 1;
  pi.wCounter = 1;
  pi.inode = inode;
  pi.serial = ++S.created;
  waitInit(rdWait(pi));
  waitInit(wrWait(pi));
  return i;
}

function pipeFree(i: i32): void {
  const pi = pipe(i);
  for (let t = pi.tail; t != pi.head; t++) pagePut(slotPage(slot(pi, t)));
  if (pi.tmpPage != 0) pagePut(pi.tmpPage);
  pagePut(pi.slots);
  if (pi.inode >= 0) fifoPipeGone(pi.inode);
  pi.inUse = 0;
  pi.nextFree = S.freeHead;
  S.freeHead = i + 1;
  S.used--;
}

/** put_pipe_info for files that never opened (failed FIFO opens): drop n files, free at 0. */
export function pipeDropFile(i: i32, n: i32): void {
  pipe(i).files -= n;
  if (pipe(i).files == 0) pipeFree(i);
}

/** pipe_release: one end closes. The last reader or writer (but not both) wakes everyone. */
export function pipeFileRelease(i: i32, fmode: i32, inode: i32): void {
  const pi = pipe(i);
  if ((fmode & FMODE_READ) != 0) pi.readers--;
  if ((fmode & FMODE_WRITE) != 0) pi.writers--;
  if ((pi.readers == 0) != (pi.writers == 0)) {
    wakeAll(rdWait(pi));
    wakeAll(wrWait(pi));
    killFasync(i, FASYNC_READERS, POLL_IN);
    killFasync(i, FASYNC_WRITERS, POLL_OUT);
  }
  pi.files--;
  if (pi.files == 0) pipeFree(i);
}

/** What pipe2 makes before it copies the descriptor numbers out (do_pipe2): the two new
 * descriptions and the fds they will take. */
@unmanaged export class NewPipe {
  readDesc: i32;
  writeDesc: i32;
  readFd: i32;
  writeFd: i32;
}

/** __do_pipe_flags (flags already checked by sys_pipe2): a pipe, its two descriptions, and
 * the fds they will take, the read end the lowest free one and the write end the next. Nothing
 * is installed yet: pipeInstall or pipeDiscard follows. */
export function pipeCreate(p: Proc, flags: i32, np: NewPipe): i32 {
  const r = createFiles(flags, np);
  if (r < 0) return r;
  np.readFd = fdAllocLowest(p, 0);
  np.writeFd = np.readFd < 0 ? np.readFd : fdAllocLowest(p, np.readFd + 1);
  if (np.writeFd < 0) {
    pipeDiscard(np);
    return np.writeFd;
  }
  return 0;
}

/** The fds could not be copied out: the descriptions go (fput). */
export function pipeDiscard(np: NewPipe): void {
  filePut(np.readDesc);
  filePut(np.writeDesc);
}

/** fd_install of both ends. */
export function pipeInstall(p: Proc, np: NewPipe, flags: i32): i32 {
  const cloexec = (flags & O_CLOEXEC) != 0;
  if (!fdInstallAt(p, np.readFd, np.readDesc, cloexec)) return -ENOMEM;
  if (!fdInstallAt(p, np.writeFd, np.writeDesc, cloexec)) return -ENOMEM;
  return 0;
}

/** create_pipe_files: a pipe and its two descriptions (np.readDesc, np.writeDesc). */
function createFiles(flags: i32, np: NewPipe): i32 {
  const pi = pipeAlloc(-1);
  if (pi < 0) return pi;
  const w = fileAlloc(FILE_PIPE, O_WRONLY | (flags & (O_NONBLOCK | O_DIRECT)), FMODE_WRITE);
  if (w < 0) {
    pipeFree(pi);
    return w;
  }
  pipe(pi).files = 1;
  pipe(pi).writers = 1;
  file(w).pipe = pi;
  const r = fileAlloc(FILE_PIPE, O_RDONLY | (flags & O_NONBLOCK), FMODE_READ);
  if (r < 0) {
    filePut(w);
    return r;
  }
  pipe(pi).files = 2;
  pipe(pi).readers = 1;
  file(r).pipe = pi;
  np.readDesc = r;
  np.writeDesc = w;
  return 0;
}

// ---- read ----

/** read(2) on a pipe or FIFO end: anon_pipe_read, which ends with kill_fasync(
 * &pipe->fasync_writers, SIGIO, POLL_OUT) (fasync.ts). A reader going to sleep sends nothing
 * (Linux 6.15 dropped that call: sigio-reader-side records it). */
export function pipeRead(p: Proc, fi: i32, va: u32, count: u32): i32 {
  if (!accessOk(va, count)) return -EFAULT;
  if (count == 0) return 0;
  const r = anonPipeRead(p, fi, va, count);
  if (r != BLOCKED) killFasync(file(fi).pipe, FASYNC_WRITERS, POLL_OUT);
  // A FIFO's bytes read: file_accessed on its tmpfs inode (an anonymous pipe's is pipefs's).
  if (r > 0 && pipe(file(fi).pipe).inode >= 0) inodeTouchAtime(pipe(file(fi).pipe).inode);
  return r;
}

/** anon_pipe_read. `p.woke`: this call slept and was woken (Linux's wake_next_reader). */
function anonPipeRead(p: Proc, fi: i32, va: u32, count: u32): i32 {
  const f = file(fi);
  const pi = pipe(f.pipe);
  let total = count > MAX_RW_COUNT ? MAX_RW_COUNT : count;
  let ret = 0;
  let wakeWriter = false;
  while (true) {
    if (!isEmpty(pi)) {
      const s = slot(pi, pi.tail);
      let chars = <u32>slotLen(s);
      if (chars > total) chars = total;
      const copied = copyToUserAt(p, va + <u32>ret, slotPage(s) + slotOffset(s), chars);
      if (copied < chars) {
        if (ret == 0) ret = -EFAULT;
        break;
      }
      ret += chars;
      flowMoved(p, pi, FLOW_OUT, <i32>chars);
      buf(s).offset = slotOffset(s) + chars;
      buf(s).len = slotLen(s) - chars;
      if ((slotFlags(s) & BUF_PACKET) != 0) {
        total = chars; // the rest of a packet read short is discarded
        pi.taken += slotLen(s);
        buf(s).len = 0;
      }
      if (slotLen(s) == 0) {
        wakeWriter = wakeWriter || isFull(pi);
        bufRelease(pi, slotPage(s));
        pi.tail++;
      }
      total -= chars;
      if (total == 0) break;
      if (!isEmpty(pi)) continue;
    }
    if (pi.writers == 0) break;
    if (ret != 0) break;
    if ((f.flags & O_NONBLOCK) != 0) return -EAGAIN;
    return sleepOn(p, rdWait(pi), true);
  }
  const wakeNextReader = p.woke != 0 && !isEmpty(pi);
  if (wakeWriter) wakeOneKeyed(wrWait(pi), EPOLLOUT | EPOLLWRNORM);
  if (wakeNextReader) wakeOneKeyed(rdWait(pi), EPOLLIN | EPOLLRDNORM);
  return ret;
}

/** anon_pipe_buf_release: an emptied slot's page becomes the tmp page if there is none and
 * nobody else holds it, else it is put. */
function bufRelease(pi: Pipe, page: usize): void {
  if (pi.tmpPage == 0 && pageRefs(page) == 1) pi.tmpPage = page;
  else pagePut(page);
}

// ---- write ----

/** write(2) on a pipe or FIFO end: anon_pipe_write, which ends (and, before it sleeps, pauses)
 * with kill_fasync(&pipe->fasync_readers, SIGIO, POLL_IN) (fasync.ts). */
export function pipeWrite(p: Proc, fi: i32, va: u32, count: u32): i32 {
  if (!accessOk(va, count)) return -EFAULT;
  if (count == 0) return 0; // a null write succeeds, before the reader check: no SIGPIPE
  const r = anonPipeWrite(p, fi, va, count);
  killFasync(file(fi).pipe, FASYNC_READERS, POLL_IN);
  // Bytes written to a FIFO: file_update_time on its tmpfs inode, once the write returns.
  if (r > 0 && pipe(file(fi).pipe).inode >= 0) inodeSetMCtime(pipe(file(fi).pipe).inode);
  return r;
}

/** anon_pipe_write. A retry (p.woke) resumes the loop with the bytes it moved before it slept. */
function anonPipeWrite(p: Proc, fi: i32, va: u32, count: u32): i32 {
  const f = file(fi);
  const pi = pipe(f.pipe);
  const total = count > MAX_RW_COUNT ? MAX_RW_COUNT : count;
  let done: u32;
  let wasEmpty: bool;
  if (p.woke == 0) {
    if (pi.readers == 0) return brokenPipe(p, 0);
    wasEmpty = isEmpty(pi);
    const merged = mergeTail(p, pi, va, total, wasEmpty);
    if (merged < 0) return merged;
    done = <u32>merged;
    if (done == total) return writeDone(pi, <i32>done, wasEmpty, false);
  } else {
    // Linux: the writer sleeps in wait_event(pipe_writable()): a wake-up that leaves the pipe
    // full with readers (a resize that made no room) sends it back to sleep before it looks at
    // anything else, O_NONBLOCK included.
    if (isFull(pi) && pi.readers != 0) return sleepOn(p, wrWait(pi), true);
    wasEmpty = isEmpty(pi);
    done = <u32>pipeWriteWait(p).moved;
  }
  return writeLoop(p, f.flags, pi, va, total, done, wasEmpty);
}

/** Merge len % 4096 bytes into the last slot when it can take them. Bytes merged, or -EFAULT. */
function mergeTail(p: Proc, pi: Pipe, va: u32, total: u32, wasEmpty: bool): i32 {
  const chars = total & <u32>(PAGE_SIZE - 1);
  if (chars == 0 || wasEmpty) return 0;
  const s = slot(pi, pi.head - 1);
  const offset = slotOffset(s) + slotLen(s);
  if ((slotFlags(s) & BUF_CAN_MERGE) == 0 || offset + <i32>chars > PAGE_SIZE) return 0;
  if (copyFromUserAt(p, slotPage(s) + offset, va, chars) < chars) return -EFAULT;
  buf(s).len = slotLen(s) + <i32>chars;
  flowMoved(p, pi, FLOW_IN, <i32>chars);
  return <i32>chars;
}

function writeLoop(
  p: Proc, flags: i32, pi: Pipe, va: u32, total: u32, done: u32, wasEmpty: bool,
): i32 {
  while (true) {
    if (pi.readers == 0) return brokenPipe(p, <i32>done);
    if (!isFull(pi)) {
      let page = pi.tmpPage;
      if (page == 0) page = pageAllocRaw();
      if (page == 0) return writeDone(pi, done != 0 ? <i32>done : -ENOMEM, wasEmpty, p.woke != 0);
      // Linux keeps the page as tmp_page until a slot takes it: a failed copy leaves it there.
      pi.tmpPage = page;
      let n = total - done;
      if (n > <u32>PAGE_SIZE) n = PAGE_SIZE;
      if (copyFromUserAt(p, page, va + done, n) < n) {
        return writeDone(pi, done != 0 ? <i32>done : -EFAULT, wasEmpty, p.woke != 0);
      }
      pi.tmpPage = 0;
      flowMoved(p, pi, FLOW_IN, <i32>n);
      const bufFlags = (flags & O_DIRECT) != 0 ? BUF_PACKET : BUF_CAN_MERGE;
      setSlot(slot(pi, pi.head), page, 0, <i32>n, bufFlags);
      pi.head++;
      done += n;
      if (done == total) break;
      continue;
    }
    if ((flags & O_NONBLOCK) != 0) {
      return writeDone(pi, done != 0 ? <i32>done : -EAGAIN, wasEmpty, p.woke != 0);
    }
    // Sleep for space: wake a reader first if this write made the pipe non-empty.
    if (wasEmpty || pi.pollUsage != 0) wakeOneKeyed(rdWait(pi), EPOLLIN | EPOLLRDNORM);
    pipeWriteWait(p).moved = <i32>done;
    return sleepOn(p, wrWait(pi), true);
  }
  return writeDone(pi, <i32>done, wasEmpty, p.woke != 0);
}

/** p moved n bytes into (FLOW_IN) or out of the pipe at its stream's end or start. */
@inline function flowMoved(p: Proc, pi: Pipe, dir: i32, n: i32): void {
  const at = dir == FLOW_IN ? pi.written : pi.taken;
  eventPushFlow(p.pid, FLOW_PIPE, dir, pi.serial, at, n, pi.inode);
  if (dir == FLOW_IN) pi.written = at + n;
  else pi.taken = at + n;
}

/** The tail of anon_pipe_write: wake a reader if the pipe was empty, and the next writer if
 * this one was woken and left room. */
function writeDone(pi: Pipe, ret: i32, wasEmpty: bool, woke: bool): i32 {
  if (wasEmpty || pi.pollUsage != 0) wakeOneKeyed(rdWait(pi), EPOLLIN | EPOLLRDNORM);
  if (woke && !isFull(pi)) wakeOneKeyed(wrWait(pi), EPOLLOUT | EPOLLWRNORM);
  return ret;
}

/** No readers: SIGPIPE to the writer (delivered when the call returns) and EPIPE, unless bytes
 * were already written, which are then returned. */
function brokenPipe(p: Proc, done: i32): i32 {
  hookSigSendThread(p, SIGPIPE);
  return done != 0 ? done : -EPIPE;
}

// ---- fcntl ----

/** round_pipe_size: below a page, a page; else the next power of two; 0 past 2^31. */
function roundPipeSize(size: u32): u32 {
  if (size > 0x80000000) return 0;
  if (size < <u32>PAGE_SIZE) return PAGE_SIZE;
  return <u32>1 << (32 - clz(size - 1));
}

/** F_GETPIPE_SZ and F_SETPIPE_SZ (pipe_fcntl, pipe_set_size, pipe_resize_ring). */
export function pipeFcntl(i: i32, cmd: i32, arg: i32): i32 {
  const pi = pipe(i);
  if (cmd == F_GETPIPE_SZ) return pi.maxUsage * PAGE_SIZE;
  const size = roundPipeSize(<u32>arg);
  const slots = <i32>(size >> <u32>PAGE_SHIFT);
  if (slots == 0) return -EINVAL;
  // No CAP_SYS_RESOURCE (as the host bridge runs): growing past fs.pipe-max-size is EPERM.
  if (slots > pi.maxUsage && size > <u32>paramGet(P_PIPE_MAX_SIZE)) return -EPERM;
  if (slots > PIPE_MAX_SLOTS) return -ENOMEM;
  if (<u32>slots < occupancy(pi)) return -EBUSY;
  resizeRing(pi, slots);
  // Linux: pipe_resize_ring wakes wr_wait ("this might have made more room"); a woken writer
  // that still finds the pipe full sleeps on (pipeWrite).
  wakeOne(wrWait(pi));
  return pi.maxUsage * PAGE_SIZE;
}

function resizeRing(pi: Pipe, slots: i32): void {
  const n = occupancy(pi);
  for (let k: u32 = 0; k < n; k++) {
    memory.copy(resizeTmp + <usize>k * SLOT_BYTES, slot(pi, pi.tail + k), SLOT_BYTES);
  }
  pi.ringSize = slots;
  pi.maxUsage = slots;
  pi.tail = 0;
  pi.head = n;
  memory.copy(pi.slots, resizeTmp, <usize>n * SLOT_BYTES);
}

/** The views' look at slot n (0: the oldest) of pipe i: field 0 its offset in its page, 1 its
 * length, 2 its flags (1: a write may merge into it, 2: a packet), 3 its page's number (the
 * address / 4096: two slots on one page show one number); -1 past the last slot. */
export function pipeSlotView(i: i32, n: i32, field: i32): i32 {
  const pi = pipe(i);
  if (pi.inUse == 0 || n < 0 || <u32>n >= occupancy(pi)) return -1;
  const s = slot(pi, pi.tail + <u32>n);
  if (field == 0) return slotOffset(s);
  if (field == 1) return slotLen(s);
  return field == 2 ? slotFlags(s) : <i32>(slotPage(s) >> PAGE_SHIFT);
}

// ---- invariants ----

export function pipeCheck(readersSeen: usize, writersSeen: usize): void {
  let used = 0;
  for (let i = 0; i < NPIPE; i++) {
    const pi = pipe(i);
    if (pi.inUse == 0) continue;
    used++;
    assert(pi.ringSize > 0 && pi.ringSize <= PIPE_MAX_SLOTS, "pipe ring size out of range");
    assert((pi.ringSize & (pi.ringSize - 1)) == 0, "pipe ring size not a power of two");
    assert(occupancy(pi) <= <u32>pi.ringSize, "pipe holds more slots than its ring");
    for (let t = pi.tail; t != pi.head; t++) {
      const s = slot(pi, t);
      assert(slotPage(s) != 0, "occupied pipe slot without a page");
      const inPage = slotOffset(s) >= 0 && slotLen(s) >= 0;
      assert(inPage && slotOffset(s) + slotLen(s) <= PAGE_SIZE, "pipe slot overflows its page");
    }
    assert(pi.readers == load<i32>(readersSeen + <usize>i * 4), "pipe readers != open read ends");
    assert(pi.writers == load<i32>(writersSeen + <usize>i * 4), "pipe writers != open write ends");
    assert(pi.files > 0, "live pipe with no files");
    assert(pi.written - pi.taken == pipeBytes(pi), "pipe: written - taken != bytes held");
    waitCheck(rdWait(pi));
    waitCheck(wrWait(pi));
    if (pi.readers == 0 && pi.writers == 0) {
      assert(waitEmpty(wrWait(pi)), "writer asleep on a pipe nobody reads");
    }
  }
  assert(used == S.used, "pipe use count drifted");
}

/** Report the pages a pipe holds (its slot array, buffered pages and tmp page) to `count`. */
export function pipeSlotPages(i: i32, count: (page: usize) => void): void {
  const pi = pipe(i);
  count(pi.slots);
  if (pi.tmpPage != 0) count(pi.tmpPage);
  for (let t = pi.tail; t != pi.head; t++) count(slotPage(slot(pi, t)));
}

