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
// An entry's owner may instead be an epoll item (epoll.ts: ep_ptable_queue_proc's eppoll_entry):
// `item` is then the item's index + 1 and `pid` 0, the entry is chained from the item (its
// procNext link) and stays on its queue across wakes until the item goes (ep_remove,
// eventpoll_release). A wake of the queue runs the item's callback (hooks.ts hookEpCallback:
// ep_poll_callback); an EPOLLEXCLUSIVE item's entry is exclusive (add_wait_queue_exclusive):
// at the queue's tail in add order, and a wake of one (wakeOne) stops after the first whose
// callback reports a wake (its epoll had a waiter).
//
// Invariants (pollCheck): each live entry is in its key's bucket and on its owner's chain;
// a process with entries is asleep in (or woken from) a poller; live counts agree.

import { PROC_BLOCKED, PROC_WOKEN } from "./abi";
import { hookEpCallback } from "./hooks";
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
  /** The next entry of the same owner, index + 1. */
  procNext: i32;
  /** The epoll item owning it, index + 1 (0: a process's entry). */
  item: i32;
  /** An EPOLLEXCLUSIVE item's entry (WQ_FLAG_EXCLUSIVE). */
  exclusive: i32;
}

@unmanaged class PollState {
  freeHead: i32;
  live: i32;
  /** While an epoll item registers (pollRedirect): the item (index + 1), whether exclusive,
   * and its chain so far. */
  redirItem: i32;
  redirExclusive: i32;
  redirHead: i32;
}

const S = changetype<PollState>(memory.data(offsetof<PollState>(), 16));
const entries: usize = memory.data(NPOLLENT * offsetof<PollEntry>(), 16);
const buckets: usize = memory.data(NBUCKET * 4, 16);
/** The items a wake calls back, gathered before any callback runs (a callback may wake the
 * pollers of another queue, which changes the buckets): a stack, since a callback's wake of a
 * nested epoll's queue gathers again above the caller's. */
const gathered: usize = memory.data(NPOLLENT * 4, 16);
let gatherTop: i32 = 0;
/** The mask the wake under way passes its queue's entries (__wake_up's key: EPOLLIN for data
 * that arrived, EPOLLOUT for room made; 0, the default, for a wake of everyone): wait.ts
 * wakeOneKeyed sets it, epoll's callback reads it. Always 0 between wakes. */
let wakeKey: i32 = 0;

@inline export function pollWakeKey(): i32 { return wakeKey; }
export function pollWakeKeySet(key: i32): void { wakeKey = key; }

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
  S.redirItem = 0;
  S.redirExclusive = 0;
  S.redirHead = 0;
}

/** Entries in use: wait.ts skips the lookup while there are none. */
@inline export function pollLive(): i32 {
  return S.live;
}

/** A new entry on key chained before `next`: its index + 1, 0 when the pool is exhausted. */
function entryNew(key: usize, pid: i32, item: i32, exclusive: bool, next: i32): i32 {
  const n = S.freeHead;
  if (n == 0) return 0;
  const e = entry(n);
  S.freeHead = e.bucketNext;
  const b = bucketOf(key);
  e.key = key;
  e.pid = pid;
  e.item = item;
  e.exclusive = exclusive ? 1 : 0;
  e.bucketNext = load<i32>(b);
  store<i32>(b, n);
  e.procNext = next;
  S.live++;
  return n;
}

/** __pollwait: p waits on key. False when the pool is exhausted (the caller's ENOMEM).
 * Between pollRedirect and pollRedirectEnd the entry is the epoll item's instead
 * (ep_ptable_queue_proc: the poll table's queue function is epoll's). */
export function pollAdd(p: Proc, key: usize): bool {
  if (S.redirItem != 0) {
    const m = entryNew(key, 0, S.redirItem, S.redirExclusive != 0, S.redirHead);
    if (m == 0) return false;
    S.redirHead = m;
    return true;
  }
  const n = entryNew(key, p.pid, 0, false, p.pollHead);
  if (n == 0) return false;
  p.pollHead = n;
  return true;
}

/** The next pollAdd calls register epoll item `item` (index + 1). */
export function pollRedirect(item: i32, exclusive: bool): void {
  S.redirItem = item;
  S.redirExclusive = exclusive ? 1 : 0;
  S.redirHead = 0;
}

/** The item's chain, its registration over. */
export function pollRedirectEnd(): i32 {
  const head = S.redirHead;
  S.redirItem = 0;
  S.redirExclusive = 0;
  S.redirHead = 0;
  return head;
}

/** poll_freewait: every entry of p goes. */
export function pollDrop(p: Proc): void {
  pollDropChain(p.pollHead);
  p.pollHead = 0;
}

/** Every entry of the chain from head goes (an item's: ep_unregister_pollwait). */
export function pollDropChain(head: i32): void {
  let n = head;
  while (n != 0) {
    const e = entry(n);
    const next = e.procNext;
    unlinkBucket(n, e.key);
    e.key = 0;
    e.pid = 0;
    e.item = 0;
    e.exclusive = 0;
    e.procNext = 0;
    e.bucketNext = S.freeHead;
    S.freeHead = n;
    S.live--;
    n = next;
  }
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
    if (e.key != key || e.item != 0) continue;
    const p = proc(e.pid);
    if (p.state != PROC_BLOCKED) continue;
    pollDrop(p);
    return p.pid;
  }
  return 0;
}

/** The epoll items' callbacks of a wake of key, after its pollers (pollTake): the
 * non-exclusive entries in queue order (the most recent first, as add_wait_queue puts them at
 * the head), then the exclusive ones in add order (at the tail); with `one` (a wake of one
 * exclusive waiter) the walk stops after the first exclusive callback reporting a wake. True
 * when it stopped so: the queue's own exclusive waiters are then not woken. */
export function pollWakeItems(key: usize, one: bool): bool {
  const base = gatherTop;
  let excl = 0;
  for (let n = load<i32>(bucketOf(key)); n != 0; n = entry(n).bucketNext) {
    const e = entry(n);
    if (e.key != key || e.item == 0) continue;
    store<i32>(gathered + <usize>(gatherTop++) * 4, e.exclusive != 0 ? -e.item : e.item);
    if (e.exclusive != 0) excl++;
  }
  const top = gatherTop;
  let stopped = false;
  for (let i = base; i < top; i++) {
    const it = load<i32>(gathered + <usize>i * 4);
    if (it > 0) hookEpCallback(it - 1);
  }
  for (let i = top - 1; i >= base && excl != 0 && !stopped; i--) {
    const it = load<i32>(gathered + <usize>i * 4);
    if (it < 0 && hookEpCallback(-it - 1) && one) stopped = true;
  }
  memory.fill(gathered + <usize>base * 4, 0, <usize>(top - base) * 4); // scratch (poll.ts)
  gatherTop = base;
  return stopped;
}

/** The key of the k-th entry of a chain (0 past its end). */
export function pollChainKey(head: i32, k: i32): usize {
  let i = 0;
  for (let n = head; n != 0; n = entry(n).procNext) if (i++ == k) return entry(n).key;
  return 0;
}

/** Invariant: an item's chain holds live entries of its own; its length. */
export function pollCheckItem(item: i32, head: i32): i32 {
  let n = 0;
  for (let i = head; i != 0; i = entry(i).procNext) {
    assert(entry(i).item == item + 1 && entry(i).key != 0, "poll entry on another item's chain");
    n++;
  }
  return n;
}

/** Invariant: every process's chain holds live entries of its own, and in their buckets. */
export function pollCheckProc(p: Proc, inPoller: bool): i32 {
  let n = 0;
  for (let i = p.pollHead; i != 0; i = entry(i).procNext) {
    const e = entry(i);
    assert(e.pid == p.pid && e.item == 0, "poll entry on another process's chain");
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
