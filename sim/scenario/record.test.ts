import { expect, test } from "vitest";
import { decodeStep } from "../trace/parse.js";
import { stepJson } from "./record.js";

const STEPS = [
  { pid: 2, call: "fcntl", fd: 3, cmd: "F_SETFL", arg: ["O_NONBLOCK"] },
  { pid: 2, call: "fcntl", fd: 3, cmd: "F_SETFD", arg: ["FD_CLOEXEC"] },
  { pid: 2, call: "msgget", key: "IPC_PRIVATE", flags: ["IPC_CREAT"], mode: "0640" },
  { pid: 2, call: "msgctl", msqid: 0, cmd: "IPC_SET", buf: { msg_qbytes: 10 } },
  { pid: 2, call: "kill", target: 3, sig: 0 },
  {
    pid: 2, call: "sigaction", sig: "SIGUSR1", handler: "catch", flags: ["SA_RESTART"],
    mask: ["SIGUSR2"],
  },
  {
    pid: 2, call: "semtimedop", semid: 0, sops: [{ num: 0, op: -1, flags: ["SEM_UNDO"] }],
    timeout: { sec: 1, nsec: 0 },
  },
  { pid: 2, call: "semctl", semid: 0, semnum: 0, cmd: "SETALL", arg: [1, 2] },
  { pid: 2, call: "write", fd: 4, data: "hi" },
  {
    pid: 2, call: "mmap", addr: 0, length: 4096, prot: ["PROT_READ"],
    flags: ["MAP_SHARED", "MAP_ANONYMOUS"],
  },
];

test("the recorder writes each argument by its kind, as the parser reads it back", () => {
  for (const raw of STEPS) {
    const step = decodeStep(raw, 0);
    const again = decodeStep(stepJson(step, null), 0);
    expect(again.args, JSON.stringify(raw)).toEqual(step.args);
  }
  expect(stepJson(decodeStep(STEPS[0], 0), null)).toEqual({ ...STEPS[0] });
  expect(stepJson(decodeStep(STEPS[2], 0), null)).toEqual({ ...STEPS[2], key: 0 });
});
