// <semaphore.h> for C guests (sysroot/lib/semaphore.c): ipcsim's nptl (sim/scenario/nptl.ts,
// glibc's algorithm on cas/fetch_add and futex) run on the kernel's memory behind the sem_t's
// window (shared.ts), so the trace holds the atomics and futex calls a C program's sem_wait
// and sem_post make on Linux, and `ipcsim diff` checks them. Numbers are ipcsim's own
// (IPCSIM_SEM + k: no Linux call has them). A sem_t outside shared memory, and the named
// semaphores (sem_open, sem_close, sem_unlink), are not modelled for C guests yet.

import { ModelError } from "../model/errors.js";
import {
  sem_destroy, sem_getvalue, sem_init, sem_post, sem_timedwait, sem_trywait, sem_wait,
} from "../scenario/nptl.js";
import type { Guest } from "./runtime.js";
import { kernelAddress } from "./shared.js";

type Call = (g: Guest, os: Guest["os"], a: number[]) => Promise<number>;

/** sysroot/lib/semaphore.c IPCSIM_SEM. */
const IPCSIM_SEM = 0x1000;

/** The kernel address of the sem_t at guest address `at`. */
function semAt(g: Guest, at: number, call: string): number {
  const k = kernelAddress(g, at >>> 0);
  if (k === undefined) {
    throw new ModelError(`${call}: a sem_t outside shared memory (shmat, mmap MAP_SHARED) is ` +
      "not modelled for C guests yet");
  }
  return k;
}

function named(call: string): Call {
  return () => {
    throw new ModelError(`${call}: named semaphores are not modelled for C guests yet`);
  };
}

const ENTRIES: [name: string, call: Call][] = [
  ["sem_init", (g, os, [s, pshared, value]) =>
    sem_init(os, semAt(g, s, "sem_init"), pshared, value >>> 0)],
  ["sem_destroy", (g, os, [s]) => sem_destroy(os, semAt(g, s, "sem_destroy"))],
  ["sem_wait", (g, os, [s]) => sem_wait(os, semAt(g, s, "sem_wait"))],
  ["sem_trywait", (g, os, [s]) => sem_trywait(os, semAt(g, s, "sem_trywait"))],
  ["sem_post", (g, os, [s]) => sem_post(os, semAt(g, s, "sem_post"))],
  ["sem_getvalue", (g, os, [s]) => sem_getvalue(os, semAt(g, s, "sem_getvalue"))],
  ["sem_timedwait", (g, os, [s, sec, nsec]) =>
    sem_timedwait(os, semAt(g, s, "sem_timedwait"), { sec, nsec })],
  ["sem_open", named("sem_open")],
  ["sem_close", named("sem_close")],
  ["sem_unlink", named("sem_unlink")],
];

export const SEM_CALLS: Record<number, [name: string, call: Call]> =
  Object.fromEntries(ENTRIES.map((e, k) => [IPCSIM_SEM + k, e]));
