import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { TIME } from "../../wasm/abi.js";
import { checkTrace } from "../replay.js";
import { parseTrace, readTraceFile } from "../trace/parse.js";
import type { Outcome } from "../trace/types.js";
import { runSteps } from "./run-steps.js";

/** Run a trace given as step lines on the model (invariants checked) and return the outcomes. */
function run(...steps: object[]): Outcome[] {
  return runSteps("sysv.test", steps, (n) => expect(n).toBe(1));
}

const msgget = { pid: 2, call: "msgget", key: "IPC_PRIVATE", flags: [], mode: "0600" };
const semget = (nsems: number) =>
  ({ pid: 2, call: "semget", key: "IPC_PRIVATE", nsems, flags: [] });

describe("SysV calls in the model engine", () => {
  test("msgsnd and msgrcv carry a 64-bit mtype and the text", () => {
    const out = run(
      msgget,
      { pid: 2, call: "msgsnd", msqid: 0, mtype: 2 ** 40, data: "abc", flags: [] },
      { pid: 2, call: "msgrcv", msqid: 0, size: 8, msgtyp: -(2 ** 41), flags: [] },
    );
    const data = new TextEncoder().encode("abc");
    expect(out[2].result).toEqual({ ret: 3, mtype: 2 ** 40, data });
  });

  test("a receiver completed by hand-off reports its message in the wake event", () => {
    const out = run(
      msgget,
      { pid: 2, call: "fork" },
      { pid: 3, call: "msgrcv", msqid: 0, size: 8, msgtyp: 0, flags: [] },
      { pid: 2, call: "msgsnd", msqid: 0, mtype: 7, data: "hi", flags: [] },
    );
    expect(out[2].result).toBe("blocked");
    expect(out[3].events).toEqual([
      { wake: 3, step: 2, result: { ret: 2, mtype: 7, data: new TextEncoder().encode("hi") } },
    ]);
  });

  test("IPC_SET changes only the fields the trace gives, as a C caller after IPC_STAT", () => {
    const out = run(
      msgget,
      { pid: 2, call: "msgctl", msqid: 0, cmd: "IPC_SET", buf: { msg_qbytes: 100 } },
      { pid: 2, call: "msgctl", msqid: 0, cmd: "IPC_SET", buf: { msg_perm: { mode: "0640" } } },
      { pid: 2, call: "msgctl", msqid: 0, cmd: "IPC_STAT" },
    );
    const result = out[3].result as { stat: Record<string, unknown> };
    expect(result.stat.msg_qbytes).toBe(100);
    expect(result.stat.msg_perm)
      .toMatchObject({ mode: 0o640, uid: 0, cuid: 0, __key: 0, __seq: 0 });
  });

  test("GETALL returns sem_nsems values; SETALL pads missing values with 0", () => {
    const out = run(
      semget(3),
      { pid: 2, call: "semctl", semid: 0, cmd: "SETALL", arg: [4] },
      { pid: 2, call: "semop", semid: 0, sops: [{ num: 2, op: 5, flags: [] }] },
      { pid: 2, call: "semctl", semid: 0, cmd: "GETALL" },
      { pid: 2, call: "semctl", semid: 7, cmd: "GETALL" },
    );
    expect(out[3].result).toEqual({ ret: 0, values: [4, 0, 5] });
    expect(out[4].result).toEqual({ ret: -1, errno: "EINVAL" });
  });

  test("IPC_STAT of a set reports sem_perm, its times and sem_nsems", () => {
    const out = run(semget(2), { pid: 2, call: "semctl", semid: 0, cmd: "IPC_STAT" });
    expect(out[1].result).toEqual({
      ret: 0,
      stat: {
        sem_perm: { __key: 0, uid: 0, gid: 0, cuid: 0, cgid: 0, mode: 0o600, __seq: 0 },
        sem_otime: 0, // no semop yet
        sem_ctime: TIME.REALTIME_START_SEC, // created at the trace's start
        sem_nsems: 2,
      },
    });
  });
});

describe("SysV examples", () => {
  const dir = "examples/traces";
  const files = readdirSync(dir).filter((f) => /^(msg|sem)-.*\.jsonl$/.test(f));
  test.each(files)("%s: every expectation is met by the model, kernel_check() on", (f) => {
    const r = checkTrace(readTraceFile(join(dir, f)), { check: true });
    expect(r.divergence).toBeUndefined();
    expect(r.checked).toBe(r.steps);
  });
});
