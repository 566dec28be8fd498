// The nptl library (nptl.ts): glibc's semaphores and process-shared mutexes on the atomics and
// futex(2), checked over explored schedules (bounded DFS, and PCT) and on their error paths.

import { describe, expect, it } from "vitest";
import {
  CLOCK_REALTIME, MAP_ANONYMOUS, MAP_SHARED, PROT_READ, PROT_WRITE, errno,
} from "./constants.js";
import { ErrnoError } from "./errors.js";
import { explore } from "./explore.js";
import {
  SEM_T_BYTES, SEM_VALUE_MAX, pthread_mutex_init, pthread_mutex_lock, pthread_mutex_trylock,
  pthread_mutex_unlock, sem_getvalue, sem_init, sem_post, sem_timedwait, sem_trywait, sem_wait,
} from "./nptl.js";
import type { Os } from "./os.js";
import { run } from "./run.js";

const PAGE = 4096;
const shared = (os: Os) =>
  os.mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS);

/** The errno code a promise rejects with ("resolved" if it does not). */
async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "resolved";
  } catch (e) {
    if (e instanceof ErrnoError) return e.code;
    throw e;
  }
}

/**
 * Two waiters and a poster on one semaphore that starts at 0: waiter A in sem_wait, waiter B
 * in sem_timedwait (its deadline may pass: a timer firing is an event the explorer schedules);
 * the poster posts twice. Beside the semaphore, two counters: `given` (a poster adds one before
 * each post) and `taken` (a waiter adds one after each token). A waiter that finds taken >
 * given took a token nobody posted: the value went below 0. A lost post leaves A asleep with
 * nobody to wake it: a deadlock. At the end the value is posts - taken and nwaiters is 0.
 */
async function semWorkload(os: Os): Promise<void> {
  const base = await shared(os);
  const sem = base;
  const given = base + SEM_T_BYTES;
  const taken = given + 4;
  await sem_init(os, sem, 1, 0);
  const took = async (os: Os) => {
    const t = (await os.fetch_add(taken, 1)) + 1;
    const g = await os.loadInt(given);
    os.assert(t <= g, `${t} tokens taken, only ${g} posted: the value went below 0`);
  };
  const a = await os.fork(async (os) => {
    await sem_wait(os, sem);
    await took(os);
  });
  const b = await os.fork(async (os) => {
    const now = await os.clock_gettime(CLOCK_REALTIME);
    const code = await codeOf(sem_timedwait(os, sem, { sec: now.sec + 1 }));
    os.assert(code === "resolved" || code === "ETIMEDOUT", `sem_timedwait: ${code}`);
    if (code === "resolved") await took(os);
  });
  for (let i = 0; i < 2; i++) {
    await os.fetch_add(given, 1);
    await sem_post(os, sem);
  }
  await os.waitpid(a);
  await os.waitpid(b);
  const left = await sem_getvalue(os, sem);
  const t = await os.loadInt(taken);
  os.assert(left === 2 - t, `value ${left} after 2 posts and ${t} waits`);
  os.assert((await os.loadInt(sem + 12)) === 0, "nwaiters is 0 once every waiter returned");
}

/** Two processes each add one to a shared counter ROUNDS times under a normal mutex. */
const ROUNDS = 2;
async function mutexWorkload(os: Os): Promise<void> {
  const base = await shared(os);
  const mutex = base;
  const counter = base + 64;
  await pthread_mutex_init(os, mutex);
  const worker = async (os: Os) => {
    for (let i = 0; i < ROUNDS; i++) {
      os.assert((await pthread_mutex_lock(os, mutex)) === 0, "lock");
      await os.storeInt(counter, (await os.loadInt(counter)) + 1);
      os.assert((await pthread_mutex_unlock(os, mutex)) === 0, "unlock");
    }
  };
  const a = await os.fork(worker);
  const b = await os.fork(worker);
  await os.waitpid(a);
  await os.waitpid(b);
  const total = await os.loadInt(counter);
  os.assert(total === 2 * ROUNDS, `lost update: counter ${total}, expected ${2 * ROUNDS}`);
  os.assert((await os.loadInt(mutex)) === 0, "the lock word is 0 once both unlocked");
}

describe("POSIX semaphores (glibc's algorithm)", () => {
  it("never let a value go below 0 nor lose a post, in every schedule of dfs:3", async () => {
    const r = await explore(semWorkload, { strategy: "dfs:3", runs: 200_000 });
    expect(r.ok, r.shrunk?.replayCommand).toBe(true);
    expect(r.exhausted).toBe(true);
  }, 60_000);

  it("never let a value go below 0 nor lose a post, in 1,000 PCT schedules", async () => {
    const r = await explore(semWorkload, { strategy: "pct", runs: 1000, seed: 3 });
    expect(r.ok, r.shrunk?.replayCommand).toBe(true);
  }, 60_000);

  it("sleep in FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME on the value word, woken by FUTEX_WAKE",
    async () => {
      const waitThenPost = async (os: Os) => {
        const sem = await shared(os);
        await sem_init(os, sem, 1, 0);
        const child = await os.fork(async (os) => { await sem_wait(os, sem); });
        await sem_post(os, sem);
        await os.waitpid(child);
      };
      let text = "";
      for (let seed = 1; seed <= 20 && !/ = 0\n.*FUTEX_WAKE, 1\) = 1/s.test(text); seed++) {
        text = (await run(waitThenPost, { strategy: "random", seed })).text().join("\n");
      }
      // The waiter sleeps while the word is 1 (count 0, nwaiters bit), as glibc waits (op
      // 265, val3 all ones); the post wakes it.
      const wait =
        "FUTEX_WAIT_BITSET\\|FUTEX_CLOCK_REALTIME, 1, NULL, NULL, FUTEX_BITSET_MATCH_ANY";
      expect(text).toMatch(new RegExp(`futex\\(0x[0-9a-f]+, ${wait}\\)`));
      expect(text).toMatch(/futex\(0x[0-9a-f]+, FUTEX_WAKE, 1\) = 1/);
    });

  it("sem_trywait fails with EAGAIN at 0, sem_timedwait with ETIMEDOUT and EINVAL, " +
    "sem_init with EINVAL above SEM_VALUE_MAX", async () => {
    const codes: string[] = [];
    const r = await run(async (os: Os) => {
      const sem = await shared(os);
      codes.push(await codeOf(sem_init(os, sem, 1, SEM_VALUE_MAX + 1)));
      await sem_init(os, sem, 1, 1);
      codes.push(await codeOf(sem_trywait(os, sem)));
      codes.push(await codeOf(sem_trywait(os, sem)));
      const now = await os.clock_gettime(CLOCK_REALTIME);
      codes.push(await codeOf(sem_timedwait(os, sem, { sec: now.sec, nsec: 1e9 })));
      codes.push(await codeOf(sem_timedwait(os, sem, { sec: now.sec + 2 })));
      codes.push(await codeOf(sem_timedwait(os, sem, { sec: -1 })));
      codes.push(String(await sem_getvalue(os, sem)));
    });
    expect(r.verdict).toEqual({ kind: "ok" });
    expect(codes).toEqual(
      ["EINVAL", "resolved", "EAGAIN", "EINVAL", "ETIMEDOUT", "ETIMEDOUT", "0"],
    );
  });

  it("sem_post fails with EOVERFLOW (errno 75) at SEM_VALUE_MAX", async () => {
    const seen: number[] = [];
    await run(async (os: Os) => {
      const sem = await shared(os);
      await sem_init(os, sem, 1, SEM_VALUE_MAX);
      try {
        await sem_post(os, sem);
      } catch (e) {
        if (e instanceof ErrnoError) seen.push(e.errno);
      }
      seen.push(await sem_getvalue(os, sem));
    });
    expect(seen).toEqual([75, SEM_VALUE_MAX]);
  });
});

describe("process-shared mutexes (glibc's lowlevellock)", () => {
  it("never lose an update of a counter two processes increment under them (dfs:3)",
    async () => {
      const r = await explore(mutexWorkload, { strategy: "dfs:3", runs: 200_000 });
      expect(r.ok, r.shrunk?.replayCommand).toBe(true);
      expect(r.exhausted).toBe(true);
    }, 60_000);

  it("never lose an update of a counter two processes increment under them (PCT)", async () => {
    const r = await explore(mutexWorkload, { strategy: "pct", runs: 1000, seed: 5 });
    expect(r.ok, r.shrunk?.replayCommand).toBe(true);
  }, 60_000);

  it("errorcheck: EDEADLK on a relock by the holder, EPERM on an unlock by another process " +
    "or of a free mutex, EBUSY from trylock", async () => {
    const got: number[] = [];
    const r = await run(async (os: Os) => {
      const m = await shared(os);
      await pthread_mutex_init(os, m, { type: "errorcheck" });
      got.push(await pthread_mutex_lock(os, m));
      got.push(await pthread_mutex_lock(os, m));
      got.push(await pthread_mutex_trylock(os, m));
      const child = await os.fork(async (os) => {
        os.assert(await pthread_mutex_unlock(os, m) === errno.EPERM, "EPERM for a non-owner");
        os.assert(await pthread_mutex_trylock(os, m) === errno.EBUSY, "EBUSY while held");
      });
      await os.waitpid(child);
      got.push(await pthread_mutex_unlock(os, m));
      got.push(await pthread_mutex_unlock(os, m));
    });
    expect(r.verdict).toEqual({ kind: "ok" });
    expect(got).toEqual([0, errno.EDEADLK, errno.EBUSY, 0, errno.EPERM]);
  });

  it("a normal mutex's contended lock sleeps in FUTEX_WAIT (shared) on 2, its unlock wakes " +
    "with FUTEX_WAKE", async () => {
    let text = "";
    for (let seed = 1; seed <= 20 && !/FUTEX_WAIT, 2/.test(text); seed++) {
      text = (await run(mutexWorkload, { strategy: "random", seed })).text().join("\n");
    }
    expect(text).toMatch(/futex\(0x[0-9a-f]+, FUTEX_WAIT, 2, NULL/);
    expect(text).toMatch(/futex\(0x[0-9a-f]+, FUTEX_WAKE, 1/);
  });
});
