// POSIX semaphores and process-shared mutexes as glibc's nptl builds them, in the scenario
// library, from the CPU atomics (os.cas, os.xchg, os.fetch_add) and futex(2): every memory
// access the C code makes is a call here, so a run's trace shows the real loads, atomics and
// futex syscalls, and the explorer interleaves them as two threads of C would be.
//
// Algorithm: glibc 2.36, its !__HAVE_64B_ATOMICS variant (the one of 32-bit targets: i386,
// arm); our atomics are 32-bit only. Read side by side with:
// - nptl/sem_init.c, sem_post.c, sem_wait.c (sem_wait, sem_trywait), sem_timedwait.c,
//   sem_getvalue.c, sem_destroy.c, and nptl/sem_waitcommon.c (__new_sem_wait_fast,
//   __new_sem_wait_slow64, __sem_wait_32_finish);
// - nptl/futex-internal.c (__futex_abstimed_wait_common: FUTEX_WAIT_BITSET with
//   FUTEX_CLOCK_REALTIME and FUTEX_BITSET_MATCH_ANY) and sysdeps/nptl/futex-internal.h
//   (futex_wait: FUTEX_WAIT, futex_wake: FUTEX_WAKE);
// - nptl/lowlevellock.c (__lll_lock_wait), sysdeps/nptl/lowlevellock.h (lll_lock, lll_trylock,
//   lll_unlock), nptl/pthread_mutex_lock.c, pthread_mutex_trylock.c, pthread_mutex_unlock.c
//   (PTHREAD_MUTEX_TIMED_NP, "normal", and PTHREAD_MUTEX_ERRORCHECK_NP).
//
// Layouts (little-endian 32-bit words; each struct at an address in shared memory):
//
//   sem_t (struct new_sem, 32-bit variant)     pthread_mutex_t (x86_64 __pthread_mutex_s)
//   +0  value    count << 1 | nwaiters bit     +0  __lock   0 free, 1 held, 2 held + waiters
//   +4  private  FUTEX_PRIVATE_FLAG or 0       +8  __owner  the holder's tid (our pid), or 0
//   +12 nwaiters registered slow-path waiters  +16 __kind   type | PTHREAD_MUTEX_PSHARED_BIT
//
// A process is one thread, so a tid is the pid.
//
// Differences from glibc: a C `lock and`/`lock or` whose old value is needed is a cmpxchg
// loop (as gcc emits it); here every atomic read-modify-write but cas, xchg and fetch_add is
// that loop too (fetchUpdate), one call per attempt. Cancellation points are absent. The
// mutex's __count, __nusers, __spins and __list are not kept (no recursive, adaptive, robust
// or PI types; __nusers only feeds pthread_mutex_destroy's EBUSY). sem_open and sem_unlink are
// posix-shm.ts's.
//
// Errors as glibc reports them: the sem_* functions fail as -1 with errno, here a rejected
// promise with an ErrnoError (its `syscall` the function's name), like every os call; the
// pthread_mutex_* functions resolve to 0 or the error number (errno.EBUSY, ...).

import { FLAGS } from "../../wasm/abi.js";
import type { ErrnoName } from "../../wasm/abi.js";
import { errno } from "./constants.js";
import { ErrnoError } from "./errors.js";
import type { Os } from "./os.js";
import type { TimespecLike } from "./time-args.js";

const { FUTEX_WAIT, FUTEX_WAKE, FUTEX_WAIT_BITSET } = FLAGS.futex;
const { FUTEX_PRIVATE_FLAG, FUTEX_CLOCK_REALTIME } = FLAGS.futexFlags;
/** include/uapi/linux/futex.h: a bitset wait any wake matches. */
const FUTEX_BITSET_MATCH_ANY = 0xffffffff;

// ---- semaphores ----

/** <semaphore.h>: the largest value (INT_MAX). */
export const SEM_VALUE_MAX = 0x7fffffff;
/** sizeof(sem_t) on x86_64: where the next object may start. */
export const SEM_T_BYTES = 32;

// struct new_sem's fields (nptl/internaltypes.h, !__HAVE_64B_ATOMICS).
const SEM_VALUE = 0;
const SEM_PRIVATE = 4;
const SEM_NWAITERS = 12;
/** The value word holds the count above this shift, the nwaiters bit below it. */
const SEM_VALUE_SHIFT = 1;
const SEM_NWAITERS_MASK = 1;
const SEM_ONE = 1 << SEM_VALUE_SHIFT;

/** The word at addr as C's `unsigned int` (os.loadInt reads it signed). */
async function loadU32(os: Os, addr: number): Promise<number> {
  return (await os.loadInt(addr)) >>> 0;
}

/** A C11 atomic read-modify-write the CPU has no one instruction for (fetch_or, fetch_and):
 * cmpxchg until it takes. The first guess is 0, so an attempt on a word that happens to be 0
 * already does the update; a failed one returns the word, the next guess. Returns the word
 * before the update. */
async function fetchUpdate(os: Os, addr: number, f: (v: number) => number): Promise<number> {
  let guess = 0;
  for (;;) {
    const old = await os.cas(addr, guess, f(guess) >>> 0);
    if (old === guess) return old;
    guess = old;
  }
}

function fail(os: Os, code: ErrnoName, fn: string): never {
  throw new ErrnoError(code, errno[code], fn, os.getpid());
}

/** sem_init: value in the count bits, no waiters, the futex flag pshared chooses (a semaphore
 * between processes needs pshared != 0: a private futex is keyed by address space). */
export async function sem_init(os: Os, sem: number, pshared: number, value: number) {
  if (value < 0 || value > SEM_VALUE_MAX) fail(os, "EINVAL", "sem_init");
  await os.storeInt(sem + SEM_VALUE, value * SEM_ONE);
  await os.storeInt(sem + SEM_NWAITERS, 0);
  await os.storeInt(sem + SEM_PRIVATE, pshared !== 0 ? 0 : FUTEX_PRIVATE_FLAG);
  return 0;
}

/** sem_destroy: nothing to free (glibc's does nothing either). */
export function sem_destroy(_os: Os, _sem: number): Promise<number> {
  return Promise.resolve(0);
}

/** sem_getvalue: the count, without the nwaiters bit (one relaxed load). */
export async function sem_getvalue(os: Os, sem: number): Promise<number> {
  return (await loadU32(os, sem + SEM_VALUE)) >>> SEM_VALUE_SHIFT;
}

/** sem_post: add a token by cmpxchg (EOVERFLOW at SEM_VALUE_MAX), then wake one waiter if
 * the bit says there may be one. The token and the check are one atomic step, so a waiter
 * that set the bit before it is seen. */
export async function sem_post(os: Os, sem: number): Promise<number> {
  const word = sem + SEM_VALUE;
  const priv = await os.loadInt(sem + SEM_PRIVATE);
  let v = await loadU32(os, word);
  for (;;) {
    if (v >>> SEM_VALUE_SHIFT === SEM_VALUE_MAX) fail(os, "EOVERFLOW", "sem_post");
    const old = await os.cas(word, v, v + SEM_ONE);
    if (old === v) break;
    v = old;
  }
  if ((v & SEM_NWAITERS_MASK) !== 0) await os.futex(word, FUTEX_WAKE | priv, 1);
  return 0;
}

/** __new_sem_wait_fast: take a token if the count is not 0. `definitive` (sem_trywait) retries
 * a failed cmpxchg; sem_wait's first try gives up on it and takes the slow path. */
async function waitFast(os: Os, sem: number, definitive: boolean): Promise<boolean> {
  const word = sem + SEM_VALUE;
  let v = await loadU32(os, word);
  do {
    if (v >>> SEM_VALUE_SHIFT === 0) return false;
    const old = await os.cas(word, v, v - SEM_ONE);
    if (old === v) return true;
    v = old;
  } while (definitive);
  return false;
}

/** sem_wait: the fast path, then the slow one. */
export async function sem_wait(os: Os, sem: number): Promise<number> {
  if (await waitFast(os, sem, false)) return 0;
  await waitSlow(os, sem, null, "sem_wait");
  return 0;
}

/** sem_trywait: a definitive fast path, or EAGAIN. */
export async function sem_trywait(os: Os, sem: number): Promise<number> {
  if (await waitFast(os, sem, true)) return 0;
  fail(os, "EAGAIN", "sem_trywait");
}

/** sem_timedwait: as sem_wait, giving up with ETIMEDOUT at `abstime` on CLOCK_REALTIME
 * (absolute, as os.clock_gettime(CLOCK_REALTIME) reads it); EINVAL for a bad tv_nsec, checked
 * before any try. */
export async function sem_timedwait(os: Os, sem: number, abstime: TimespecLike) {
  const nsec = abstime.nsec ?? 0;
  if (nsec < 0 || nsec >= 1_000_000_000) fail(os, "EINVAL", "sem_timedwait");
  if (await waitFast(os, sem, false)) return 0;
  await waitSlow(os, sem, { sec: abstime.sec ?? 0, nsec }, "sem_timedwait");
  return 0;
}

/** __futex_abstimed_wait_common on CLOCK_REALTIME: sleep while the word is `expected`.
 * Resolves to 0 (woken, or the word changed: EAGAIN) or the errno that ends the wait. */
async function futexAbstimedWait(
  os: Os, word: number, expected: number, abstime: TimespecLike | null, priv: number,
): Promise<0 | "ETIMEDOUT" | "EINTR"> {
  // The kernel refuses a negative time though it is valid: glibc answers for it.
  if (abstime !== null && (abstime.sec ?? 0) < 0) return "ETIMEDOUT";
  const op = FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME | priv;
  try {
    await os.futex(word, op, expected, { timeout: abstime, val3: FUTEX_BITSET_MATCH_ANY });
  } catch (e) {
    if (!(e instanceof ErrnoError)) throw e;
    if (e.code === "ETIMEDOUT" || e.code === "EINTR") return e.code;
    if (e.code !== "EAGAIN") throw e; // EFAULT, EINVAL: glibc's futex_fatal_error
  }
  return 0;
}

/** __new_sem_wait_slow64, 32-bit variant: register in nwaiters, make sure the nwaiters bit is
 * set before sleeping (so a post wakes us), sleep on the value word while it reads "count 0,
 * bit set", and take a token by cmpxchg once there is one. Rejects with ETIMEDOUT or EINTR. */
async function waitSlow(os: Os, sem: number, abstime: TimespecLike | null, fn: string) {
  const word = sem + SEM_VALUE;
  await os.fetch_add(sem + SEM_NWAITERS, 1);
  let v = await loadU32(os, word);
  let err: 0 | "ETIMEDOUT" | "EINTR" = 0;
  taking: for (;;) {
    do {
      v = await setNwaitersBit(os, word, v);
      if (v >>> SEM_VALUE_SHIFT === 0) {
        const priv = await os.loadInt(sem + SEM_PRIVATE); // sem->private, read where used
        err = await futexAbstimedWait(os, word, SEM_NWAITERS_MASK, abstime, priv);
        if (err !== 0) break taking;
        v = await loadU32(os, word);
      }
    } while (v >>> SEM_VALUE_SHIFT === 0);
    const old = await os.cas(word, v, v - SEM_ONE);
    if (old === v) break;
    v = old;
  }
  await waitFinish(os, sem);
  if (err !== 0) fail(os, err, fn);
}

/** The inner cmpxchg loop of __new_sem_wait_slow64: set the nwaiters bit unless it is set.
 * Returns what C's `v` holds after it: the word the last cmpxchg compared (so after a
 * successful one, the word *without* the bit, and the token cmpxchg that follows fails once
 * and reloads, as in C). */
async function setNwaitersBit(os: Os, word: number, v: number): Promise<number> {
  while ((v & SEM_NWAITERS_MASK) === 0) {
    const old = await os.cas(word, v, (v | SEM_NWAITERS_MASK) >>> 0);
    if (old === v) return v;
    v = old;
  }
  return v;
}

/** __sem_wait_32_finish: stop being a waiter. If we seem to be the last, clear the bit first;
 * if another waiter registered meanwhile (our guess was wrong), set it again and wake as many
 * waiters as there are tokens, the wakes a post skipped while the bit was clear. */
async function waitFinish(os: Os, sem: number): Promise<void> {
  const word = sem + SEM_VALUE;
  const wguess = await loadU32(os, sem + SEM_NWAITERS);
  if (wguess === 1) await fetchUpdate(os, word, (v) => v & ~SEM_NWAITERS_MASK);
  const wfinal = (await os.fetch_add(sem + SEM_NWAITERS, -1)) >>> 0;
  if (wfinal > 1 && wguess === 1) {
    const tokens = (await fetchUpdate(os, word, (v) => v | SEM_NWAITERS_MASK)) >>> SEM_VALUE_SHIFT;
    if (tokens > 0) {
      const priv = await os.loadInt(sem + SEM_PRIVATE);
      await os.futex(word, FUTEX_WAKE | priv, tokens);
    }
  }
}

// ---- process-shared mutexes ----

/** sizeof(pthread_mutex_t) on x86_64. */
export const PTHREAD_MUTEX_T_BYTES = 40;
const MUTEX_LOCK = 0;
const MUTEX_OWNER = 8;
const MUTEX_KIND = 16;
// nptl/pthreadP.h and <pthread.h>: the kinds, and the kind bit of a process-shared mutex.
const PTHREAD_MUTEX_TIMED_NP = 0;
const PTHREAD_MUTEX_ERRORCHECK_NP = 2;
const PTHREAD_MUTEX_KIND_MASK_NP = 3;
const PTHREAD_MUTEX_PSHARED_BIT = 128;

/** pthread_mutex_init's attributes (a pthread_mutexattr_t): the type; always
 * PTHREAD_PROCESS_SHARED. */
export interface MutexAttr {
  /** "normal" (PTHREAD_MUTEX_NORMAL, glibc's default TIMED_NP) or "errorcheck". */
  type?: "normal" | "errorcheck";
}

/** pthread_mutex_init with PTHREAD_PROCESS_SHARED: zero the struct, then store the kind. */
export async function pthread_mutex_init(os: Os, mutex: number, attr: MutexAttr = {}) {
  const type = attr.type === "errorcheck" ? PTHREAD_MUTEX_ERRORCHECK_NP : PTHREAD_MUTEX_TIMED_NP;
  await os.store(mutex, new Uint8Array(PTHREAD_MUTEX_T_BYTES));
  await os.storeInt(mutex + MUTEX_KIND, type | PTHREAD_MUTEX_PSHARED_BIT);
  return 0;
}

/** The mutex's type and the futex flag its pshared bit chooses (PTHREAD_MUTEX_PSHARED). */
async function mutexKind(os: Os, mutex: number): Promise<{ type: number; priv: number }> {
  const kind = await os.loadInt(mutex + MUTEX_KIND);
  const priv = (kind & PTHREAD_MUTEX_PSHARED_BIT) !== 0 ? 0 : FUTEX_PRIVATE_FLAG;
  return { type: kind & PTHREAD_MUTEX_KIND_MASK_NP, priv };
}

/** lll_lock: 0 -> 1 by cmpxchg; held, __lll_lock_wait: mark the lock contended (2) by xchg
 * and sleep while it stays 2, until an xchg finds it free. Whoever takes it through the slow
 * path leaves 2, so its unlock wakes the next sleeper: no wake is lost, some are spare. */
async function lllLock(os: Os, lock: number, priv: number): Promise<void> {
  if ((await os.cas(lock, 0, 1)) === 0) return;
  let sleep = (await os.loadInt(lock)) === 2;
  while (sleep || (await os.xchg(lock, 2)) !== 0) {
    sleep = false;
    await futexWait(os, lock, 2, priv);
  }
}

/** futex_wait: FUTEX_WAIT; EAGAIN (the word moved) and EINTR are a return for the caller's
 * loop to retry, as glibc's futex_wait gives them back. */
async function futexWait(os: Os, word: number, expected: number, priv: number): Promise<void> {
  try {
    await os.futex(word, FUTEX_WAIT | priv, expected);
  } catch (e) {
    if (!(e instanceof ErrnoError) || (e.code !== "EAGAIN" && e.code !== "EINTR")) throw e;
  }
}

/** pthread_mutex_lock: errorcheck refuses a relock by its holder (EDEADLK); then lll_lock,
 * glibc's assertion that nobody owns it, and the owner recorded. Resolves to 0 or EDEADLK. */
export async function pthread_mutex_lock(os: Os, mutex: number): Promise<number> {
  const { type, priv } = await mutexKind(os, mutex);
  const me = os.getpid();
  if (type === PTHREAD_MUTEX_ERRORCHECK_NP && (await os.loadInt(mutex + MUTEX_OWNER)) === me) {
    return errno.EDEADLK;
  }
  await lllLock(os, mutex + MUTEX_LOCK, priv);
  const owner = await os.loadInt(mutex + MUTEX_OWNER);
  os.assert(owner === 0, `pthread_mutex_lock: mutex at ${mutex} taken but owned by ${owner}`);
  await os.storeInt(mutex + MUTEX_OWNER, me);
  return 0;
}

/** pthread_mutex_trylock: lll_trylock (0 -> 1 by cmpxchg) or EBUSY, for both types (glibc's
 * errorcheck trylock says EBUSY, not EDEADLK, to its holder). */
export async function pthread_mutex_trylock(os: Os, mutex: number): Promise<number> {
  await mutexKind(os, mutex);
  if ((await os.cas(mutex + MUTEX_LOCK, 0, 1)) !== 0) return errno.EBUSY;
  await os.storeInt(mutex + MUTEX_OWNER, os.getpid());
  return 0;
}

/** pthread_mutex_unlock: errorcheck refuses a caller that does not hold it (EPERM); then the
 * owner is cleared and lll_unlock: xchg to 0, and FUTEX_WAKE one if it was contended (2). */
export async function pthread_mutex_unlock(os: Os, mutex: number): Promise<number> {
  const { type, priv } = await mutexKind(os, mutex);
  const lock = mutex + MUTEX_LOCK;
  if (type === PTHREAD_MUTEX_ERRORCHECK_NP) {
    const owner = await os.loadInt(mutex + MUTEX_OWNER);
    if (owner !== os.getpid() || (await os.loadInt(lock)) === 0) return errno.EPERM;
  }
  await os.storeInt(mutex + MUTEX_OWNER, 0);
  if ((await os.xchg(lock, 0)) > 1) await os.futex(lock, FUTEX_WAKE | priv, 1);
  return 0;
}

/** pthread_mutex_destroy: glibc's says EBUSY for a mutex still in use by __nusers, which is
 * not kept here; the lock word stands in for it. */
export async function pthread_mutex_destroy(os: Os, mutex: number): Promise<number> {
  return (await os.loadInt(mutex + MUTEX_LOCK)) !== 0 ? errno.EBUSY : 0;
}
