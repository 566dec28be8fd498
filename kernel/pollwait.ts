// Poll table entries: what lets one process wait on many queues (fs/select.c __pollwait,
// pollwake, poll_freewait).
//
// A process sleeps on one wait queue (wait.ts); a poller (poll, ppoll, select, pselect6) waits
// for any of its descriptors. Linux adds a non-exclusive poll_table_entry to the head of every
// polled file's queue (__pollwait -> add_wait_queue); a wake of that queue runs pollwake, which
// wakes the poller, which polls every descriptor again (do_poll's loop). Here an entry names the
// queue by its address (a "key": a real queue's, or a key no sleeper uses, as a message queue's
// info->wait_q or a process's signalfd_wqh, which only pollers wait on) and the poller's pid;
// the poller itself sleeps on pollQ (poll.ts), which nothing else wakes. wait.ts wakes the
// pollers of a queue before its own waiters (pollTake): entries are non-exclusive and at the
// head, so Linux's __wake_up_common reaches them before the exclusive waiter wakeOne stops at.
// Among the pollers of one queue the last to register is woken first (add_wait_queue puts each
// at the head). A woken poller loses all its entries at once (the retry polls again and adds
// new ones; Linux keeps them until poll_freewait, which changes nothing a trace can see).
//
// Entries come from a pool of NPOLLENT, 2,048 (Linux: a page at a time): past it the call
// fails with ENOMEM when nothing is ready (poll_get_entry's table->error), docs/differences.md
// `poll-entries`. Buckets hash the key; each process's entries are chained from Proc.pollHead
// (an entry's index + 1, 0 for none).
//
// Invariants (pollCheck): each live entry is in its key's bucket and on its process's chain;
// a process with entries is asleep in (or woken from) a poller; live counts agree.

import { PROC_BLOCKED, PROC_WOKEN } from "./abi";
import { Proc, proc } from "./proc";

/** Poll table entries system-wide: one poll of RLIMIT_NOFILE (1,024) descriptors, each naming
 * at most two queues (an O_RDWR FIFO end: rd_wait and wr_wait), never runs out alone. */
const NPOLLENT: i32 = 2048;
const NBUCKET: i32 = 256;

@unmanaged class PollEntry {
  key: usize;
  pid: i32;
  /** The next entry of the bucket (or of the free list), index + 1. */
  bucketNext: i32;
  /** The next entry of the same process, index + 1. */
  procNext: i32;
}

@unmanaged class PollState {
  freeHead: i32;
  live: i32;
}

const S = changetype<PollState>(memory.data(offsetof<PollState>(), 16));
const entries: usize = memory.data(NPOLLENT * offsetof<PollEntry>(), 16);
const buckets: usize = memory.data(NBUCKET * 4, 16);

@inline function entry(n: i32): PollEntry {
  return changetype<PollEntry>(entries + <usize>(n - 1) * offsetof<PollEntry>());
}

@inline function bucketOf(key: usize): usize {
  return buckets + <usize>(((<u32>key >> 2) * 2654435761) >> 24) * 4;
}

export function pollInit(): void {
  memory.fill(entries, 0, <usize>NPOLLENT * offsetof<PollEntry>());
  memory.fill(buckets, 0, <usize>NBUCKET * 4);
  for (let n = 1; n <= NPOLLENT; n++) entry(n).bucketNext = n < NPOLLENT ? n + 1 : 0;
  S.freeHead = 1;
  S.live = 0;
}

/** Entries in use: wait.ts skips the lookup while there are none. */
@inline export function pollLive(): i32 {
  return S.live;
}

/** __pollwait: p waits on key. False when the pool is exhausted (the caller's ENOMEM). */
export function pollAdd(p: Proc, key: usize): bool {
  const n = S.freeHead;
  if (n == 0) return false;
  const e = entry(n);
  S.freeHead = e.bucketNext;
  const b = bucketOf(key);
  e.key = key;
  e.pid = p.pid;
  e.bucketNext = load<i32>(b);
  store<i32>(b, n);
  e.procNext = p.pollHead;
  p.pollHead = n;
  S.live++;
  return true;
}

/** poll_freewait: every entry of p goes. */
export function pollDrop(p: Proc): void {
  let n = p.pollHead;
  while (n != 0) {
    const e = entry(n);
    const next = e.procNext;
    unlinkBucket(n, e.key);
    e.key = 0;
    e.pid = 0;
    e.procNext = 0;
    e.bucketNext = S.freeHead;
    S.freeHead = n;
    S.live--;
    n = next;
  }
  p.pollHead = 0;
}

function unlinkBucket(n: i32, key: usize): void {
  const b = bucketOf(key);
  let prev = 0;
  let cur = load<i32>(b);
  while (cur != n) {
    assert(cur != 0, "poll entry missing from its bucket");
    prev = cur;
    cur = entry(cur).bucketNext;
  }
  if (prev == 0) store<i32>(b, entry(n).bucketNext);
  else entry(prev).bucketNext = entry(n).bucketNext;
}

/** The next poller to wake for a wake-up of key: the most recent entry on key whose process
 * still sleeps (a poller already woken by its deadline or a signal keeps its entries until its
 * retry, and is skipped). Its entries all go (the caller wakes it). 0 when none is left. */
export function pollTake(key: usize): i32 {
  for (let n = load<i32>(bucketOf(key)); n != 0; n = entry(n).bucketNext) {
    const e = entry(n);
    if (e.key != key) continue;
    const p = proc(e.pid);
    if (p.state != PROC_BLOCKED) continue;
    pollDrop(p);
    return p.pid;
  }
  return 0;
}

/** Invariant: every process's chain holds live entries of its own, and in their buckets. */
export function pollCheckProc(p: Proc, inPoller: bool): i32 {
  let n = 0;
  for (let i = p.pollHead; i != 0; i = entry(i).procNext) {
    const e = entry(i);
    assert(e.pid == p.pid, "poll entry on another process's chain");
    assert(e.key != 0, "free poll entry on a process's chain");
    n++;
  }
  if (n != 0) {
    assert(inPoller, "poll entries of a process not in a poller");
    assert(p.state == PROC_BLOCKED || p.state == PROC_WOKEN, "poll entries of a running process");
  }
  return n;
}

/** Invariant: the live count matches the buckets and the free list. */
export function pollCheck(onChains: i32): void {
  let inBuckets = 0;
  for (let b = 0; b < NBUCKET; b++) {
    for (let n = load<i32>(buckets + <usize>b * 4); n != 0; n = entry(n).bucketNext) {
      assert(bucketOf(entry(n).key) == buckets + <usize>b * 4, "poll entry in a wrong bucket");
      inBuckets++;
    }
  }
  let free = 0;
  for (let n = S.freeHead; n != 0; n = entry(n).bucketNext) free++;
  assert(inBuckets == S.live && onChains == S.live, "poll entry count drifted");
  assert(free + S.live == NPOLLENT, "poll entries lost");
}
