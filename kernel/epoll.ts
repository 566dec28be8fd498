// Epoll instances: the interest list, the ready list and the callback that fills it
// (fs/eventpoll.c). The calls are sys_epoll.ts's.
//
// An epoll file (FILE_EPOLL, `pipe` naming its row here) holds items keyed by (file, fd)
// (ep_find), in insertion order. Adding one registers it on every queue its file's poll names
// (poll.ts fileWait, redirected to the item: pollwait.ts pollRedirect, as ep_ptable_queue_proc
// does), and those entries stay until the item goes (DEL, or the watched file's last close:
// eventpoll_release). A wake of such a queue runs epCallback (ep_poll_callback): the item goes
// to the tail of the ready list (FIFO by callback time, list_add_tail) unless it is on it, one
// waiter of the epoll's wq is woken (epoll_wait sleeps exclusive) and the epoll's own pollers
// (ep->poll_wait: poll, select or an outer epoll on this epoll file). epSendEvents walks the
// ready list as ep_send_events does: each item leaves it and is polled; a ready one is reported
// and, level-triggered, goes back at the tail, EPOLLET only on a new callback, EPOLLONESHOT is
// disabled (its events cut to EP_PRIVATE_BITS) until a MOD; the items maxevents left unwalked
// stay at the head (ep_done_scan's list_splice).
//
// A wake's key (pollwait.ts pollWakeKey: EPOLLIN for data arriving on a pipe or a socket,
// EPOLLOUT for room made; 0 for a wake of everyone) filters the callback as ep_poll_callback's
// `pollflags & epi->event.events` does: an edge-triggered item watching EPOLLIN is not queued
// again by a write-space wake of its socket. Differences: instances and items are bounded
// (NEPOLL: ENOMEM; NEPITEM: ENOSPC, `epoll-limits`).
//
// Invariants (epCheck): each item is on its epoll's list, registered with as many entries as
// its chain holds; ready-list members are live items of that epoll, each once; counts agree.

import {
  EFAULT, ELOOP, ENOMEM, ENOSPC, EPOLLET, EPOLLEXCLUSIVE, EPOLLIN, EPOLLONESHOT, EPOLLOUT,
  EPOLLRDNORM, EPOLLWAKEUP,
} from "./abi";
import {
  FILE_EPOLL, FILE_FIFO, FILE_MQUEUE, FILE_PIPE, FMODE_READ, FMODE_WRITE, file,
} from "./file";
import { mqPollKey } from "./mqueue";
import { pipe, rdWait, wrWait } from "./pipe";
import { filePoll, fileWait } from "./poll";
import {
  pollChainKey, pollCheckItem, pollDropChain, pollRedirect, pollRedirectEnd, pollWakeKey,
  pollWakeKeySet,
} from "./pollwait";
import { Proc } from "./proc";
import { copyToUser } from "./vm";
import { waitCheck, waitEmpty, waitInit, wakeAll, wakeOne, wakePollers } from "./wait";

/** Epoll instances and items system-wide. */
const NEPOLL: i32 = 128;
const NEPITEM: i32 = 1024;
/** include/uapi/linux/eventpoll.h, fs/eventpoll.c: the bits an item keeps when disabled
 * (EPOLLONESHOT), and the ones EPOLLEXCLUSIVE allows beside it. */
const EP_PRIVATE_BITS: i32 = EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE;
/** fs/eventpoll.c EP_MAX_NESTS: how deep epolls may nest (ep_loop_check). */
const EP_MAX_NESTS: i32 = 4;
/** sizeof(struct epoll_event) on x86_64 (packed: u32 events, u64 data). */
export const EPOLL_EVENT_BYTES: u32 = 12;

@unmanaged class Eventpoll {
  /** Its file's index + 1 (0: free; else the next free row + 1 on the free list). */
  file: i32;
  nextFree: i32;
  /** The ready list (rdllist) and the items (insertion order), item index + 1. */
  rdHead: i32;
  rdTail: i32;
  itemHead: i32;
  itemTail: i32;
  /** ep->wq: epoll_wait's sleepers. */
  wqHead: i32;
  wqTail: i32;
  /** ep->poll_wait: an address only pollers wait on. */
  pollKeyA: i32;
  pollKeyB: i32;
}

@unmanaged class Epitem {
  /** Its epoll's row + 1 (0: free). */
  ep: i32;
  file: i32;
  fd: i32;
  events: i32;
  data: u64;
  rdNext: i32;
  rdPrev: i32;
  /** On the ready list (ep_is_linked). */
  ready: i32;
  epNext: i32;
  epPrev: i32;
  /** Its poll entries' chain (pollwait.ts), index + 1. */
  entries: i32;
  nextFree: i32;
}

@unmanaged class EpState {
  epFree: i32;
  itemFree: i32;
  items: i32;
  /** Items ever taken since init, a high-water mark (the fast reset restores below it:
   * kernel/views.ts). */
  itemsTouched: i32;
}

const S = changetype<EpState>(memory.data(offsetof<EpState>(), 16));
const eps: usize = memory.data(NEPOLL * offsetof<Eventpoll>(), 16);
const items: usize = memory.data(NEPITEM * offsetof<Epitem>(), 16);
/** ep_send_events' txlist: the ready list taken whole (item index + 1 each). */
const tx: usize = memory.data(NEPITEM * 4, 16);
const evbuf: usize = memory.data(16, 8);

@inline function ep(e: i32): Eventpoll {
  return changetype<Eventpoll>(eps + <usize>e * offsetof<Eventpoll>());
}
@inline function item(n: i32): Epitem {
  return changetype<Epitem>(items + <usize>n * offsetof<Epitem>());
}
@inline export function epWq(e: i32): usize {
  return changetype<usize>(ep(e)) + offsetof<Eventpoll>("wqHead");
}
@inline export function epPollKey(e: i32): usize {
  return changetype<usize>(ep(e)) + offsetof<Eventpoll>("pollKeyA");
}

export function epInit(): void {
  memory.fill(eps, 0, <usize>NEPOLL * offsetof<Eventpoll>());
  memory.fill(items, 0, <usize>NEPITEM * offsetof<Epitem>());
  for (let e = 0; e < NEPOLL; e++) ep(e).nextFree = e + 2 <= NEPOLL ? e + 2 : 0;
  for (let n = 0; n < NEPITEM; n++) item(n).nextFree = n + 2 <= NEPITEM ? n + 2 : 0;
  S.epFree = 1;
  S.itemFree = 1;
  S.items = 0;
  S.itemsTouched = 0;
}

/** The item table for the fast reset's layout (kernel/views.ts). */
export function epItemsBase(): usize { return items; }
export function epItemBytes(): i32 { return <i32>offsetof<Epitem>(); }
export function epItemsTouched(): i32 { return S.itemsTouched; }
export const EP_ITEMS: i32 = NEPITEM;

/** ep_alloc for description fi: its row, or -ENOMEM. */
export function epAlloc(fi: i32): i32 {
  if (S.epFree == 0) return -ENOMEM;
  const e = S.epFree - 1;
  const x = ep(e);
  S.epFree = x.nextFree;
  memory.fill(changetype<usize>(x), 0, offsetof<Eventpoll>());
  x.file = fi + 1;
  waitInit(epWq(e));
  return e;
}

/** ep_find: the item of (fi, fd) in epoll e, or -1. */
export function epFind(e: i32, fi: i32, fd: i32): i32 {
  for (let n = ep(e).itemHead; n != 0; n = item(n - 1).epNext) {
    const it = item(n - 1);
    if (it.file == fi && it.fd == fd) return n - 1;
  }
  return -1;
}

export function epItemEvents(n: i32): i32 {
  return item(n).events;
}

/** The k-th item of epoll e in insertion order, or -1 (the views: deadlock explanations). */
export function epItemAt(e: i32, k: i32): i32 {
  if (e < 0 || e >= NEPOLL || ep(e).file == 0) return -1;
  let i = 0;
  for (let n = ep(e).itemHead; n != 0; n = item(n - 1).epNext) if (i++ == k) return n - 1;
  return -1;
}

export function epItemFd(n: i32): i32 {
  return item(n).fd;
}

// ---- the ready list ----

function rdAddTail(e: i32, n: i32): void {
  const x = ep(e);
  const it = item(n);
  it.ready = 1;
  it.rdNext = 0;
  it.rdPrev = x.rdTail;
  if (x.rdTail != 0) item(x.rdTail - 1).rdNext = n + 1;
  else x.rdHead = n + 1;
  x.rdTail = n + 1;
}

function rdAddHead(e: i32, n: i32): void {
  const x = ep(e);
  const it = item(n);
  it.ready = 1;
  it.rdPrev = 0;
  it.rdNext = x.rdHead;
  if (x.rdHead != 0) item(x.rdHead - 1).rdPrev = n + 1;
  else x.rdTail = n + 1;
  x.rdHead = n + 1;
}

function rdUnlink(e: i32, n: i32): void {
  const x = ep(e);
  const it = item(n);
  if (it.ready == 0) return;
  if (it.rdPrev != 0) item(it.rdPrev - 1).rdNext = it.rdNext;
  else x.rdHead = it.rdNext;
  if (it.rdNext != 0) item(it.rdNext - 1).rdPrev = it.rdPrev;
  else x.rdTail = it.rdPrev;
  it.ready = 0;
  it.rdNext = 0;
  it.rdPrev = 0;
}

/** ep_events_available. */
@inline export function epEventsAvailable(e: i32): bool {
  return ep(e).rdHead != 0;
}

/** ep_item_poll: the item's file polled by p, masked by its events. */
function itemPoll(p: Proc, n: i32): i32 {
  const it = item(n);
  return filePoll(p, it.file) & it.events;
}

/** An item turned ready outside a callback (ep_insert, ep_modify): queued, and the epoll's
 * waiter and pollers woken. */
function readyNow(e: i32, n: i32): void {
  if (item(n).ready != 0) return;
  rdAddTail(e, n);
  if (!waitEmpty(epWq(e))) wakeOne(epWq(e));
  wakePollers(epPollKey(e));
}

// ---- interest list ----

/** ep_insert: item (fi, fd) with events and data into e, registered on the queues of fi's
 * poll (polled by p, the caller) and queued if ready. 0, -ENOSPC or -ENOMEM. */
export function epInsert(p: Proc, e: i32, fi: i32, fd: i32, events: i32, data: u64): i32 {
  if (S.itemFree == 0) return -ENOSPC; // max_user_watches
  const n = S.itemFree - 1;
  const it = item(n);
  S.itemFree = it.nextFree;
  if (n >= S.itemsTouched) S.itemsTouched = n + 1;
  memory.fill(changetype<usize>(it), 0, offsetof<Epitem>());
  it.ep = e + 1;
  it.file = fi;
  it.fd = fd;
  it.events = events;
  it.data = data;
  const x = ep(e);
  it.epPrev = x.itemTail;
  if (x.itemTail != 0) item(x.itemTail - 1).epNext = n + 1;
  else x.itemHead = n + 1;
  x.itemTail = n + 1;
  S.items++;
  pollRedirect(n + 1, (events & EPOLLEXCLUSIVE) != 0);
  const ok = fileWait(p, fi);
  it.entries = pollRedirectEnd();
  if (!ok) {
    epRemove(n);
    return -ENOMEM; // epi->nwait < 0
  }
  if (itemPoll(p, n) != 0) readyNow(e, n);
  return 0;
}

/** ep_modify: new events and data; queued if now ready. */
export function epModify(p: Proc, n: i32, events: i32, data: u64): void {
  const it = item(n);
  it.events = events;
  it.data = data;
  if (itemPoll(p, n) != 0) readyNow(it.ep - 1, n);
}

/** ep_remove: off its queues, the ready list and its epoll. */
export function epRemove(n: i32): void {
  const it = item(n);
  const e = it.ep - 1;
  const x = ep(e);
  pollDropChain(it.entries);
  rdUnlink(e, n);
  if (it.epPrev != 0) item(it.epPrev - 1).epNext = it.epNext;
  else x.itemHead = it.epNext;
  if (it.epNext != 0) item(it.epNext - 1).epPrev = it.epPrev;
  else x.itemTail = it.epPrev;
  memory.fill(changetype<usize>(it), 0, offsetof<Epitem>());
  it.nextFree = S.itemFree;
  S.itemFree = n + 1;
  S.items--;
}

/** __fput of description fi (file.ts filePut through hooks.ts): eventpoll_release drops
 * every item watching it, then an epoll file's own release frees the instance
 * (ep_clear_and_put, which wakes its pollers). */
export function epFileRelease(fi: i32): void {
  if (S.items != 0) {
    for (let n = 0; n < NEPITEM; n++) if (item(n).ep != 0 && item(n).file == fi) epRemove(n);
  }
  const f = file(fi);
  if (f.kind != FILE_EPOLL) return;
  const e = f.pipe;
  const x = ep(e);
  while (x.itemHead != 0) epRemove(x.itemHead - 1);
  wakePollers(epPollKey(e));
  // A sleeper holds a descriptor of it, so none is left here; should one be, it is woken
  // rather than left on a freed queue (its retry finds its descriptor gone: EBADF).
  wakeAll(epWq(e));
  memory.fill(changetype<usize>(x), 0, offsetof<Eventpoll>());
  x.nextFree = S.epFree;
  S.epFree = e + 1;
}

// ---- nesting ----

/** ep_loop_check_proc: how deep the epolls below e nest, or past EP_MAX_NESTS when `into`
 * is among them (a loop). */
function loopDepth(e: i32, into: i32, depth: i32): i32 {
  let result = 0;
  for (let n = ep(e).itemHead; n != 0; n = item(n - 1).epNext) {
    const f = file(item(n - 1).file);
    if (f.kind != FILE_EPOLL) continue;
    if (f.pipe == into || depth > EP_MAX_NESTS) result = EP_MAX_NESTS + 1;
    else result = max(result, loopDepth(f.pipe, into, depth + 1) + 1);
    if (result > EP_MAX_NESTS) break;
  }
  return result;
}

/** ep_get_upwards_depth_proc: how deep e sits in epolls watching its file. */
function upDepth(e: i32, depth: i32): i32 {
  if (depth > EP_MAX_NESTS) return depth;
  const fi = ep(e).file - 1;
  let result = 0;
  for (let n = 0; n < NEPITEM; n++) {
    const it = item(n);
    if (it.ep != 0 && it.file == fi) result = max(result, upDepth(it.ep - 1, depth + 1) + 1);
  }
  return result;
}

/** ep_loop_check: adding epoll `to` into e makes no loop and no chain deeper than
 * EP_MAX_NESTS: 0 or -ELOOP. */
export function epLoopCheck(e: i32, to: i32): i32 {
  const depth = loopDepth(to, e, 0);
  if (depth > EP_MAX_NESTS) return -ELOOP;
  return depth + 1 + upDepth(e, 0) > EP_MAX_NESTS ? -ELOOP : 0;
}

// ---- wakes and reports ----

/** ep_poll_callback for item n: whether the wake counts as taken (an exclusive item counts
 * only when its epoll had a waiter). */
export function epCallback(n: i32): bool {
  const it = item(n);
  const e = it.ep - 1;
  const excl = (it.events & EPOLLEXCLUSIVE) != 0;
  if ((it.events & ~EP_PRIVATE_BITS) == 0) return !excl; // disabled: EPOLLONESHOT
  const key = pollWakeKey();
  if (key != 0 && (key & it.events) == 0) return !excl; // not what it watches
  if (it.ready == 0) rdAddTail(e, n);
  let ewake = !excl;
  if (!waitEmpty(epWq(e))) {
    // An exclusive item takes the wake only for a direction it watches (or a keyless one).
    const inout = key & (EPOLLIN | EPOLLOUT);
    if (inout == 0 || (inout != (EPOLLIN | EPOLLOUT) && (it.events & inout) != 0)) ewake = true;
    pollWakeKeySet(0);
    wakeOne(epWq(e));
    pollWakeKeySet(key);
  }
  // ep_poll_safewake(&ep->poll_wait): the epoll file is readable (EPOLLIN).
  pollWakeKeySet(EPOLLIN);
  wakePollers(epPollKey(e));
  pollWakeKeySet(key);
  return ewake;
}

/** ep_send_events: up to maxevents ready items of e polled by p and written at va; the count,
 * or -EFAULT when the first could not be written. */
export function epSendEvents(p: Proc, e: i32, va: u32, maxevents: i32): i32 {
  const x = ep(e);
  let count = 0;
  for (let n = x.rdHead; n != 0; n = item(n - 1).rdNext) store<i32>(tx + <usize>(count++) * 4, n);
  x.rdHead = 0;
  x.rdTail = 0;
  for (let k = 0; k < count; k++) {
    const it = item(load<i32>(tx + <usize>k * 4) - 1);
    it.ready = 0;
    it.rdNext = 0;
    it.rdPrev = 0;
  }
  let res = 0;
  let k = 0;
  while (k < count && res < maxevents) {
    const n = load<i32>(tx + <usize>k * 4) - 1;
    const revents = itemPoll(p, n);
    if (revents == 0) {
      k++;
      continue;
    }
    if (!putEvent(p, va + <u32>res * EPOLL_EVENT_BYTES, revents, item(n).data)) {
      if (res == 0) res = -EFAULT;
      break; // the item stays at the txlist's head
    }
    k++;
    res++;
    const it = item(n);
    if ((it.events & EPOLLONESHOT) != 0) it.events &= EP_PRIVATE_BITS;
    else if ((it.events & EPOLLET) == 0) rdAddTail(e, n);
  }
  // ep_done_scan: the items not walked go back at the head, in their order.
  for (let j = count - 1; j >= k; j--) rdAddHead(e, load<i32>(tx + <usize>j * 4) - 1);
  memory.fill(tx, 0, <usize>count * 4); // scratch (poll.ts)
  doneScan(e);
  return res;
}

/** ep_done_scan's last act: a ready list left non-empty wakes one more epoll_wait sleeper
 * (level-triggered items reach every waiter in turn). */
function doneScan(e: i32): void {
  if (ep(e).rdHead != 0 && !waitEmpty(epWq(e))) wakeOne(epWq(e));
}

/** epoll_put_uevent: false on a fault. */
function putEvent(p: Proc, va: u32, revents: i32, data: u64): bool {
  store<i32>(evbuf, revents);
  store<u64>(evbuf, data, 4);
  const ok = copyToUser(p, va, evbuf, EPOLL_EVENT_BYTES) == EPOLL_EVENT_BYTES;
  memory.fill(evbuf, 0, 16);
  return ok;
}

/** ep_eventpoll_poll of epoll e for poller p: readable when an item of its ready list polls
 * ready; the items found not ready leave the list on the way (__ep_eventpoll_poll). */
export function epEventpollPoll(p: Proc, e: i32): i32 {
  let n = ep(e).rdHead;
  let mask = 0;
  while (n != 0) {
    const next = item(n - 1).rdNext;
    if (itemPoll(p, n - 1) != 0) {
      mask = EPOLLIN | EPOLLRDNORM;
      break;
    }
    rdUnlink(e, n - 1);
    n = next;
  }
  doneScan(e);
  return mask;
}

// ---- invariants ----

/** An item waits on the queues its file's poll names (where they do not depend on the state
 * at its insertion or on who added it: a pipe's or FIFO's by its mode, a queue's, an epoll's). */
function checkItemKeys(it: Epitem): void {
  const f = file(it.file);
  assert(f.refs > 0, "an epoll item of a released file");
  if (f.kind == FILE_PIPE || f.kind == FILE_FIFO) {
    const pi = pipe(f.pipe);
    let k = 0;
    if ((f.fmode & FMODE_READ) != 0) {
      assert(hasKey(it.entries, rdWait(pi)), "a pipe item off rd_wait");
      k++;
    }
    if ((f.fmode & FMODE_WRITE) != 0) {
      assert(hasKey(it.entries, wrWait(pi)), "a pipe item off wr_wait");
      k++;
    }
    assert(pollChainKey(it.entries, k) == 0, "a pipe item on another queue");
  } else if (f.kind == FILE_MQUEUE || f.kind == FILE_EPOLL) {
    const key = f.kind == FILE_MQUEUE ? mqPollKey(f.inode) : epPollKey(f.pipe);
    assert(pollChainKey(it.entries, 0) == key && pollChainKey(it.entries, 1) == 0,
      "an item off its file's queue");
  }
}

function hasKey(head: i32, key: usize): bool {
  let k = 0;
  for (let at = pollChainKey(head, 0); at != 0; at = pollChainKey(head, ++k)) {
    if (at == key) return true;
  }
  return false;
}

/** Every live item is on its epoll's list with its entries registered; ready lists hold
 * items of their own epoll; counts agree. The poll entries the items hold. */
export function epCheck(): i32 {
  let entries = 0;
  let live = 0;
  for (let e = 0; e < NEPOLL; e++) {
    const x = ep(e);
    if (x.file == 0) continue;
    assert(file(x.file - 1).kind == FILE_EPOLL && file(x.file - 1).pipe == e, "epoll's file");
    waitCheck(epWq(e));
    let prev = 0;
    for (let n = x.itemHead; n != 0; n = item(n - 1).epNext) {
      const it = item(n - 1);
      assert(it.ep == e + 1 && it.epPrev == prev, "epoll item list broken");
      entries += pollCheckItem(n - 1, it.entries);
      checkItemKeys(it);
      live++;
      prev = n;
    }
    assert(x.itemTail == prev, "epoll item list tail");
    prev = 0;
    for (let n = x.rdHead; n != 0; n = item(n - 1).rdNext) {
      const it = item(n - 1);
      assert(it.ep == e + 1 && it.ready != 0 && it.rdPrev == prev, "epoll ready list broken");
      prev = n;
    }
    assert(x.rdTail == prev, "epoll ready list tail");
  }
  assert(live == S.items, "epoll item count drifted");
  return entries;
}
