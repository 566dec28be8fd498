// The families of families.ts written as traces (JSON Lines), run as programs
// (sim/scenario/from-trace.ts): the same processes and calls, with no JS in them, so that
// verify may cache states (strategies/dpor.ts). bench/verify.ts compares naive dfs, dpor and
// dpor with the state cache on them.

import { parseTrace } from "../../sim/trace/parse.js";
import { traceScenario } from "../../sim/scenario/from-trace.js";
import type { Scenario } from "../../sim/scenario/run.js";

type Line = Record<string, unknown>;

function program(name: string, setup: Line[], n: number, child: (pid: number, i: number) => Line[]):
  Scenario {
  const kids = Array.from({ length: n }, (_, i) => 3 + i);
  const lines: Line[] = [
    { trace: "ipcsim", version: 1, name }, ...setup,
    ...kids.map(() => ({ pid: 2, call: "fork" })),
    ...kids.flatMap((pid, i) => [...child(pid, i), { pid, call: "exit", status: 0 }]),
    ...kids.map((pid) => ({ pid: 2, call: "waitpid", target: pid })),
  ];
  const text = lines.map((l) => JSON.stringify(l)).join("\n") + "\n";
  return traceScenario(parseTrace(text, `${name}.jsonl`));
}

const SEMSET = (nsems: number): Line[] => [
  { pid: 2, call: "semget", key: "IPC_PRIVATE", nsems, flags: ["IPC_CREAT"], mode: "0600" },
  { pid: 2, call: "semctl", semid: 0, semnum: 0, cmd: "SETALL", arg: new Array(nsems).fill(1) },
];
const sop = (pid: number, ...ops: [number, number][]): Line =>
  ({ pid, call: "semop", semid: 0, sops: ops.map(([num, op]) => ({ num, op })) });

/** N children, each writing a byte into a pipe of its own and reading it back. */
export function pairsTrace(n: number): Scenario {
  return program(`${n} pipe pairs`, [], n, (pid) => [
    { pid, call: "pipe" }, { pid, call: "write", fd: 4, data: "x" },
    { pid, call: "read", fd: 3, count: 1 },
  ]);
}

/** N children each take a mutex semaphore and give it back. */
export function semaphoreTrace(n: number): Scenario {
  return program(`${n} semaphore clients`, SEMSET(1), n, (pid) =>
    [sop(pid, [0, -1]), sop(pid, [0, 1])]);
}

/** The dining philosophers, each taking the lower-numbered fork first (families.ts). */
export function philosophersTrace(n: number): Scenario {
  return program(`${n} philosophers`, SEMSET(n), n, (pid, i) => {
    const [a, b] = [i, (i + 1) % n].sort((x, y) => x - y);
    return [sop(pid, [a, -1]), sop(pid, [b, -1]), sop(pid, [a, 1], [b, 1])];
  });
}
