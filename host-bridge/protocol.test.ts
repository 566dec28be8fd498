// The driver's half of the agent protocol, without an agent: command lines and reply decoding.

import { describe, expect, it } from "vitest";
import { TIME } from "../wasm/abi.js";
import { decodeStep } from "../sim/trace/parse.js";
import type { IntArg, Step } from "../sim/trace/types.js";
import { signalMask } from "./calls.js";
import {
  decodeOutcome, decodeResult, encodeInit, encodeStep, errnoName,
} from "./protocol.js";

const steps: Step[] = [];
function step(raw: object): Step {
  const s = decodeStep(raw, steps.length, steps);
  steps.push(s);
  return s;
}
const noRefs = (a: IntArg) => (typeof a === "number" ? a : 0x7f0000000000 + a.offset);

describe("encodeStep writes the agent's command line", () => {
  const cases: [object, string][] = [
    [{ pid: 2, call: "pipe", flags: ["O_NONBLOCK"] }, "293 1 2048 -"],
    [{ pid: 2, call: "write", fd: 4, data: "hi" }, "1 1 4 6869"],
    [{ pid: 2, call: "write", fd: 4, data: "" }, "1 1 4 -"],
    [{ pid: 2, call: "fork" }, "57 0 -"],
    [{ pid: 2, call: "waitpid", target: -1, options: ["WNOHANG"] }, "61 2 -1 1 -"],
    [{ pid: 2, call: "open", path: "f", flags: ["O_WRONLY"] }, "2 2 1 420 66"],
    [{ pid: 2, call: "mkfifo", path: "f" }, "133 1 420 66"],
    [{ pid: 2, call: "msgget", key: "IPC_PRIVATE", flags: ["IPC_CREAT"] }, "68 3 0 512 384 -"],
    [{ pid: 2, call: "msgctl", msqid: 0, cmd: "IPC_STAT" }, "71 6 0 2 - - - - -"],
    [
      {
        pid: 2, call: "msgctl", msqid: 1, cmd: "IPC_SET",
        buf: { msg_perm: { mode: "0644" }, msg_qbytes: 100 },
      },
      "71 6 1 1 - - 420 100 -",
    ],
    [
      {
        pid: 2, call: "semop", semid: 0,
        sops: [{ num: 0, op: -1, flags: ["SEM_UNDO"] }, { num: 1, op: 2 }],
      },
      "65 7 0 0 -1 4096 1 2 0 -",
    ],
    [
      { pid: 2, call: "semtimedop", semid: 0, sops: [{ num: 0, op: -1 }], timeout: { sec: 1 } },
      "220 7 0 1 1 0 0 -1 0 -",
    ],
    [{ pid: 2, call: "semctl", semid: 0, cmd: "SETVAL", arg: 5 }, "66 7 0 0 16 5 - - - -"],
    [{ pid: 2, call: "semctl", semid: 0, cmd: "SETALL", arg: [1, 2] }, "66 9 0 0 17 - - - - 1 2 -"],
    [{ pid: 2, call: "shmat", shmid: 0, shmaddr: 0 }, "30 3 0 0 0 -"],
    [{ pid: 2, call: "kill", target: 3, sig: "SIGUSR1" }, "62 2 3 10 -"],
    [
      {
        pid: 2, call: "sigaction", sig: "SIGUSR1", handler: "catch", flags: ["SA_RESTART"],
        mask: ["SIGRTMAX"],
      },
      "13 4 10 2 268435456 9223372036854775808 -",
    ],
    [{ pid: 2, call: "sigprocmask", how: "SIG_BLOCK", set: ["SIGINT", "SIGUSR1"] }, "14 2 0 514 -"],
    [{ pid: 2, call: "sigpending" }, "127 0 -"],
  ];
  for (const [raw, expected] of cases) {
    it(`encodes ${JSON.stringify(raw)}`, () => {
      const s = step(raw);
      expect(encodeStep(s, noRefs)).toBe(`S ${s.index} 2 ${expected}`);
    });
  }

  it("resolves a ref with the host's own result", () => {
    const s = step({ pid: 2, call: "store", addr: { ref: 0, offset: 16 }, data: "x" });
    expect(encodeStep(s, noRefs)).toBe(`S ${s.index} 2 1000 1 ${0x7f0000000000 + 16} 78`);
  });
});

describe("replies decode into trace-v1 outcomes", () => {
  it("names errno values (signals and wait statuses: wasm/names.test.ts)", () => {
    expect(errnoName(11)).toBe("EAGAIN");
    expect(errnoName(90)).toBe("EMSGSIZE");
    expect(signalMask([1, 64])).toBe(1n | (1n << 63n));
  });

  it("turns a successful shmat into an opaque address, and keeps errors", () => {
    expect(decodeResult("shmat", { ret: 0x7f12345000 })).toEqual({ ret: "address" });
    expect(decodeResult("shmat", { ret: -1, errno: 22 })).toEqual({ ret: -1, errno: "EINVAL" });
    expect(decodeResult("read", { ret: 2, data: "6869" }))
      .toEqual({ ret: 2, data: new Uint8Array([0x68, 0x69]) });
    expect(decodeResult("sigprocmask", { ret: 0, oldset: [10, 2] }))
      .toEqual({ ret: 0, oldset: ["SIGUSR1", "SIGINT"] });
  });

  it("builds an outcome with wake, signal, exit, stop and cont events", () => {
    const s = step({ pid: 2, call: "kill", target: 3, sig: "SIGKILL" });
    const outcome = decodeOutcome(s, {
      step: s.index,
      result: { ret: 0 },
      events: [
        { wake: 4, step: 1, result: { ret: 0, fds: [3, 4] } }, { signal: 17, pid: 2 },
        { exit: 3, status: 9 }, { stop: 5 }, { cont: 5 },
      ],
    }, () => "pipe");
    expect(outcome).toEqual({
      step: s.index, pid: 2, call: "kill", result: { ret: 0 },
      events: [
        { wake: 4, step: 1, result: { ret: 0, fds: [3, 4] } }, { signal: "SIGCHLD", pid: 2 },
        { exit: 3, status: { signaled: "SIGKILL" } }, { stop: 5 }, { cont: 5 },
      ],
    });
  });

  it("writes the realtime start and the header's sysctls on the init line", () => {
    expect(encodeInit({ "kernel.msgmnb": 300, "kernel.sem": [1, 2, 3, 4] }))
      .toBe(`I realtime=${TIME.REALTIME_START_SEC} kernel.msgmnb=300 kernel.sem=1,2,3,4`);
    expect(encodeInit({}, 86400)).toBe("I realtime=86400");
  });

  it("passes the time outputs through (the agent has normalised them)", () => {
    const curr = { interval: { sec: 0, usec: 300000 }, value: { sec: 0, usec: 100000 } };
    expect(decodeResult("getitimer", { ret: 0, curr })).toEqual({ ret: 0, curr });
    expect(decodeResult("nanosleep", { ret: -1, errno: 4, rem: { sec: 3, nsec: 0 } }))
      .toEqual({ ret: -1, errno: "EINTR", rem: { sec: 3, nsec: 0 } });
  });
});
