// Random small traces run as programs (from-trace.ts), for checking verify's state caching
// against naive search (state-cache.test.ts): pid 2 makes a pipe, a one-semaphore set of value
// 1 and a message queue, forks 1 or 2 children, and each of the 2 or 3 processes makes 1 to 3
// calls on them (a blocking read or write of the pipe, a semaphore taken or given, a message
// sent or taken without waiting, a SIGUSR1 to the parent or to pid 2's last child, which
// ignore it); the children exit and pid 2 waits for them.

import { Prng } from "../../prng.js";

type Line = Record<string, unknown>;

const OPS: ((pid: number, other: number) => Line)[] = [
  (pid) => ({ pid, call: "write", fd: 4, data: "x" }),
  (pid) => ({ pid, call: "read", fd: 3, count: 1 }),
  (pid) => ({ pid, call: "semop", semid: 0, sops: [{ num: 0, op: -1 }] }),
  (pid) => ({ pid, call: "semop", semid: 0, sops: [{ num: 0, op: 1 }] }),
  (pid) => ({ pid, call: "msgsnd", msqid: 0, mtype: 1, data: "m", flags: ["IPC_NOWAIT"] }),
  (pid) => ({ pid, call: "msgrcv", msqid: 0, size: 8, msgtyp: 0, flags: ["IPC_NOWAIT"] }),
  (pid, other) => ({ pid, call: "kill", target: other, sig: "SIGUSR1" }),
];

/** The trace of `seed`, as JSON Lines. */
export function smallTrace(seed: number): string {
  const prng = new Prng(seed);
  const kids = 1 + prng.below(2);
  const lines: Line[] = [
    { trace: "ipcsim", version: 1, name: `small trace ${seed}` },
    { pid: 2, call: "sigaction", sig: "SIGUSR1", handler: "SIG_IGN" },
    { pid: 2, call: "pipe" },
    { pid: 2, call: "semget", key: "IPC_PRIVATE", nsems: 1, flags: ["IPC_CREAT"], mode: "0600" },
    { pid: 2, call: "semctl", semid: 0, semnum: 0, cmd: "SETVAL", arg: 1 },
    { pid: 2, call: "msgget", key: "IPC_PRIVATE", flags: ["IPC_CREAT"], mode: "0600" },
  ];
  for (let i = 0; i < kids; i++) lines.push({ pid: 2, call: "fork" });
  const pids = Array.from({ length: kids + 1 }, (_, i) => 2 + i);
  for (const pid of pids) {
    const n = 1 + prng.below(kids === 1 ? 3 : 2);
    // A process the caller knows in every order: its parent, or pid 2's last child.
    const other = pid === 2 ? 2 + kids : 2;
    for (let i = 0; i < n; i++) lines.push(OPS[prng.below(OPS.length)](pid, other));
    if (pid !== 2) lines.push({ pid, call: "exit", status: 0 });
  }
  for (const pid of pids.slice(1)) lines.push({ pid: 2, call: "waitpid", target: pid });
  return lines.map((l) => JSON.stringify(l)).join("\n") + "\n";
}
