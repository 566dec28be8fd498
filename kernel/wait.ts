// Wait queues: the one blocking primitive (xv6's sleep/wakeup; Linux's wait_queue_head).
//
// A queue is a pair of i32 (head pid, tail pid) embedded in the object that owns it (a pipe's
// rd_wait, a process's child-exit queue). A process sleeps on at most one queue; its links are
// in its process entry. As in Linux (kernel/sched/wait.c):
//   - exclusive waiters are added at the tail, non-exclusive ones at the head
//     (add_wait_queue_exclusive / __add_wait_queue); epoll_wait's exclusive ones at the head
//     (__add_wait_queue_exclusive);
//   - wakeOne (nr_exclusive = 1) walks from the head, waking every non-exclusive waiter it
//     passes and stopping after the first exclusive one (__wake_up_common);
//   - a woken process leaves the queue (autoremove_wake_function) and must retry its call.
// Woken processes join the woken list in wake order. Which of them retries first is not the
// kernel's decision: the scheduler picks (every order is an allowed outcome).

import { BLOCKED, PROC_BLOCKED, PROC_WOKEN } from "./abi";
import { pollLive, pollTake, pollWakeItems, pollWakeKeySet } from "./pollwait";
import { Proc, proc, wokenPush } from "./proc";

@unmanaged class WaitQueue {
  head: i32;
  tail: i32;
}

@inline export function waitQueue(addr: usize): WaitQueue {
  return changetype<WaitQueue>(addr);
}

export function waitInit(q: usize): void {
  waitQueue(q).head = 0;
  waitQueue(q).tail = 0;
}

@inline export function waitEmpty(q: usize): bool {
  return waitQueue(q).head == 0;
}

/** Put the caller to sleep on q and return BLOCKED: the call's result is decided on retry.
 * `atHead`: an exclusive waiter put at the head (__add_wait_queue_exclusive, epoll_wait's:
 * the last to sleep is the first woken). */
export function sleepOn(p: Proc, q: usize, exclusive: bool, atHead: bool = false): i32 {
  assert(p.waitQ == 0, "sleepOn: already on a wait queue");
  const wq = waitQueue(q);
  p.waitQ = q;
  p.waitExclusive = exclusive ? 1 : 0;
  if (exclusive && !atHead) {
    p.waitNext = 0;
    p.waitPrev = wq.tail;
    if (wq.tail != 0) proc(wq.tail).waitNext = p.pid;
    else wq.head = p.pid;
    wq.tail = p.pid;
  } else {
    p.waitPrev = 0;
    p.waitNext = wq.head;
    if (wq.head != 0) proc(wq.head).waitPrev = p.pid;
    else wq.tail = p.pid;
    wq.head = p.pid;
  }
  p.state = PROC_BLOCKED;
  return BLOCKED;
}

/** Take p off its queue (woken, interrupted by a signal, or killed). */
export function unlinkWaiter(p: Proc): void {
  const wq = waitQueue(p.waitQ);
  if (p.waitPrev != 0) proc(p.waitPrev).waitNext = p.waitNext;
  else wq.head = p.waitNext;
  if (p.waitNext != 0) proc(p.waitNext).waitPrev = p.waitPrev;
  else wq.tail = p.waitPrev;
  p.waitQ = 0;
  p.waitNext = 0;
  p.waitPrev = 0;
}

function wake(p: Proc): void {
  unlinkWaiter(p);
  p.state = PROC_WOKEN;
  wokenPush(p);
}

/** Wake one sleeper wherever it sleeps (signal_wake_up): it retries, and a retry that would
 * sleep again with the signal pending is interrupted (syscall.ts). */
export function wakeProc(p: Proc): void {
  assert(p.state == PROC_BLOCKED, "wakeProc: not asleep");
  wake(p);
}

/** Wake the pollers waiting on key (pollwait.ts): a queue's poll table entries, which are
 * non-exclusive and at its head, so every wake-up of the queue reaches them first; then the
 * epoll items' callbacks. A key may also be a queue only pollers wait on (a message queue's
 * info->wait_q, signalfd_wqh). */
@inline export function wakePollers(key: usize): void {
  if (pollLive() != 0) wakePollersOf(key, false);
}

/** True when an exclusive item took a wake of one (`one`). */
function wakePollersOf(key: usize, one: bool): bool {
  for (let pid = pollTake(key); pid != 0; pid = pollTake(key)) wake(proc(pid));
  return pollWakeItems(key, one);
}

/** Wake up to one exclusive waiter (and every non-exclusive one before it). Inline: most
 * calls find the queue empty (every pipe read and write wakes the other side). An exclusive
 * epoll item that took the wake leaves only the non-exclusive waiters to wake: Linux keeps
 * exclusive entries in add order at the tail, and the model puts the items' before the
 * queue's own (docs/differences.md `epoll-exclusive-order`). */
@inline export function wakeOne(q: usize): void {
  const taken = pollLive() != 0 && wakePollersOf(q, true);
  if (waitQueue(q).head != 0) wakeOneOf(q, taken);
}

function wakeOneOf(q: usize, taken: bool): void {
  let pid = waitQueue(q).head;
  while (pid != 0) {
    const p = proc(pid);
    const next = p.waitNext;
    const exclusive = p.waitExclusive != 0;
    if (exclusive && taken) return;
    wake(p);
    if (exclusive) return;
    pid = next;
  }
}

/** wakeOne with a key: the readiness the wake is for (wake_up_interruptible_sync_poll's
 * mask), which an epoll item's callback compares with the events it watches. */
export function wakeOneKeyed(q: usize, key: i32): void {
  pollWakeKeySet(key);
  wakeOne(q);
  pollWakeKeySet(0);
}

export function wakeAll(q: usize): void {
  wakePollers(q);
  while (waitQueue(q).head != 0) wake(proc(waitQueue(q).head));
}

/** Invariant: the queue's links are consistent and every member sleeps on it. */
export function waitCheck(q: usize): i32 {
  const wq = waitQueue(q);
  let prev = 0;
  let n = 0;
  for (let pid = wq.head; pid != 0; pid = proc(pid).waitNext) {
    const p = proc(pid);
    assert(p.waitQ == q, "waiter on a queue it does not name");
    assert(p.waitPrev == prev, "wait queue back link broken");
    assert(p.state == PROC_BLOCKED, "non-blocked process on a wait queue");
    prev = pid;
    n++;
  }
  assert(wq.tail == prev, "wait queue tail is not the last waiter");
  return n;
}
