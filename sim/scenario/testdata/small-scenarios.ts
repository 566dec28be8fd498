// Random small scenarios for checking partial-order reduction against naive search
// (verify.test.ts, footprint.test.ts): 2 or 3 processes, each making 1 to 3 calls on objects
// they share (a non-blocking pipe and a blocking one, a one-semaphore set, a message queue, a
// shared page) or on their own (1 to 2 calls each with 3 processes), signalling a sibling
// (SIGUSR1 is ignored; SIGUSR2 is caught, so it interrupts a call asleep with EINTR), or
// waiting for any child. Small enough that dfs without a bound enumerates every schedule.
// Errors (EAGAIN from a non-blocking call, EINTR, ECHILD) are caught: they are results like
// others.

import { Prng } from "../../prng.js";
import type { Os } from "../os.js";
import { IPC_CREAT, IPC_NOWAIT, IPC_PRIVATE } from "../constants.js";

const MAP_SHARED = 0x01;
const MAP_ANONYMOUS = 0x20;
const PROT_RW = 0x3;
const O_NONBLOCK = 0o4000;
const F_SETFL = 4;
const SIGUSR1 = 10;
const SIGUSR2 = 12;

/** One call a process may make, given the shared objects. */
type Op = (os: Os, s: Shared) => Promise<unknown>;

interface Shared {
  r: number;
  w: number;
  /** A blocking pipe. */
  br: number;
  bw: number;
  sem: number;
  msq: number;
  page: number;
  pids: number[];
}

const OPS: [string, Op][] = [
  ["write", (os, s) => os.write(s.w, "x")],
  ["read-nonblock", (os, s) => os.read(s.r, 1)],
  ["sem-v", (os, s) => os.semop(s.sem, [{ num: 0, op: 1 }])],
  ["sem-p-nowait", (os, s) => os.semop(s.sem, [{ num: 0, op: -1, flags: IPC_NOWAIT }])],
  ["sem-p", (os, s) => os.semop(s.sem, [{ num: 0, op: -1 }])],
  ["msgsnd", (os, s) => os.msgsnd(s.msq, 1, "m", IPC_NOWAIT)],
  ["msgrcv-nowait", (os, s) => os.msgrcv(s.msq, 8, 0, IPC_NOWAIT)],
  ["store", (os, s) => os.store(s.page, "a")],
  ["load", (os, s) => os.load(s.page, 1)],
  ["own-pipe", async (os) => {
    const [, w] = await os.pipe();
    return os.write(w, "y");
  }],
  ["kill-sibling", (os, s) => os.kill(s.pids[s.pids.length - 1] ?? 2, SIGUSR1)],
  ["write-blocking", (os, s) => os.write(s.bw, "z")],
  ["read-blocking", (os, s) => os.read(s.br, 1)],
  ["msgrcv", (os, s) => os.msgrcv(s.msq, 8, 0)],
  ["interrupt-sibling", (os, s) => os.kill(s.pids[s.pids.length - 1] ?? 2, SIGUSR2)],
  ["wait-any", (os) => os.waitpid(-1)],
];

/** A program: per process, the names of its calls. */
type SmallProgram = string[][];

/** The program of `seed`: 2 processes (pid 2 and its child) with 1 to 3 calls each, or 3 with
 * 1 to 2. */
export function smallProgram(seed: number): SmallProgram {
  const prng = new Prng(seed);
  const procs = 2 + prng.below(2);
  const out: SmallProgram = [];
  for (let p = 0; p < procs; p++) {
    const calls: string[] = [];
    const n = 1 + prng.below(procs === 2 ? 3 : 2);
    for (let i = 0; i < n; i++) calls.push(OPS[prng.below(OPS.length)][0]);
    out.push(calls);
  }
  return out;
}

async function attempt(os: Os, s: Shared, name: string): Promise<void> {
  const op = OPS.find(([n]) => n === name)![1];
  try {
    await op(os, s);
  } catch {
    // an errno is a result like any other: the trace records it
  }
}

/** The scenario of a program: pid 2 makes the objects (SIGUSR1 ignored and a SIGUSR2
 * `catch` handler, which only records, so a kill ends nobody), forks the others, makes its own
 * calls, and waits for the children its calls did not reap. */
export function smallScenario(program: SmallProgram): (os: Os) => Promise<void> {
  return async (os: Os) => {
    await os.sigaction(SIGUSR1, "SIG_IGN");
    await os.sigaction(SIGUSR2, "catch");
    const [r, w] = await os.pipe();
    const [br, bw] = await os.pipe();
    await os.fcntl(r, F_SETFL, O_NONBLOCK);
    const sem = await os.semget(IPC_PRIVATE, 1, IPC_CREAT | 0o600);
    const msq = await os.msgget(IPC_PRIVATE, IPC_CREAT | 0o600);
    const page = await os.mmap(0, 4096, PROT_RW, MAP_SHARED | MAP_ANONYMOUS);
    const s: Shared = { r, w, br, bw, sem, msq, page, pids: [] };
    for (const calls of program.slice(1)) {
      const mine = { ...s, pids: [...s.pids] };
      s.pids.push(await os.fork(async (c) => {
        for (const name of calls) await attempt(c, mine, name);
      }));
    }
    for (const name of program[0]) await attempt(os, s, name);
    for (const pid of s.pids) await os.waitpid(pid).catch(() => undefined); // reaped: ECHILD
  };
}
