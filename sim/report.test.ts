// The replay and check views (issue 13, "The text views").

import { describe, expect, test } from "vitest";
import { checkTrace, replayTrace } from "./replay.js";
import { checkText, replayText } from "./report.js";
import { stepFilter } from "./trace/filter.js";
import { parseTrace } from "./trace/parse.js";

const HEAD = '{"trace": "ipcsim", "version": 1}';
const trace = (...lines: string[]) => parseTrace([HEAD, ...lines].join("\n"), "t.jsonl");

const PIPE = trace(
  '{"pid": 2, "call": "pipe"}',
  '{"pid": 2, "call": "fork"}',
  '{"pid": 3, "call": "read", "fd": 3, "count": 5}',
  '{"pid": 2, "call": "write", "fd": 4, "data": "hello"}',
  '{"pid": 2, "call": "close", "fd": 4}',
);

describe("the replay view", () => {
  test("numbers each step with its index, events under it (main printed no numbers)", () => {
    const lines = replayText(PIPE, replayTrace(PIPE, 0), 0);
    expect(lines.slice(1, 7)).toEqual([
      "   0 [pid 2] pipe(0) = 0 [3, 4]",
      "   1 [pid 2] fork() = 3",
      "   2 [pid 3] read(3, 5) <unfinished ...>",
      '   3 [pid 2] write(4, "hello", 5) = 5',
      '     [pid 3] <... read resumed> = 5 "hello"',
      "   4 [pid 2] close(4) = 0",
    ]);
    expect(lines).toContain("  pid 3 (parent 2): idle");
  });

  test("-e trace=read shows read and its resumption, not the write that woke it; the final " +
    "state stays", () => {
    const lines = replayText(PIPE, replayTrace(PIPE, 0), 0, stepFilter(["trace=read"], []));
    expect(lines.slice(1, 3)).toEqual([
      "   2 [pid 3] read(3, 5) <unfinished ...>",
      '     [pid 3] <... read resumed> = 5 "hello"',
    ]);
    expect(lines[3]).toBe("# final state");
    expect(lines.at(-1)).toBe("# 5 steps");
  });

  test("-p 2 hides pid 3's steps and events", () => {
    const lines = replayText(PIPE, replayTrace(PIPE, 0), 0, stepFilter(undefined, ["2"]));
    expect(lines.filter((l) => l.includes("[pid 3]"))).toEqual([]);
    expect(lines.filter((l) => l.includes("[pid 2]")).length).toBe(4);
  });
});

describe("the final state", () => {
  test("lists SysV queues, semaphore sets, segments and each process's mappings as ipcs does " +
    "(main listed only processes, pipes and FIFOs)", () => {
    const t = trace(
      '{"pid": 2, "call": "msgget", "key": 1234, "flags": ["IPC_CREAT"], "mode": "0600"}',
      '{"pid": 2, "call": "msgsnd", "msqid": 0, "mtype": 1, "data": "hello"}',
      '{"pid": 2, "call": "semget", "key": "IPC_PRIVATE", "nsems": 2, "mode": "0640"}',
      '{"pid": 2, "call": "semctl", "semid": 0, "cmd": "SETALL", "arg": [0, 2]}',
      '{"pid": 2, "call": "shmget", "key": 99, "size": 100, "flags": ["IPC_CREAT"], ' +
        '"mode": "0600"}',
      '{"pid": 2, "call": "shmat", "shmid": 0}',
      '{"pid": 2, "call": "shmctl", "shmid": 0, "cmd": "IPC_RMID"}',
      '{"pid": 2, "call": "mmap", "length": 8192, "prot": ["PROT_READ"], ' +
        '"flags": ["MAP_PRIVATE", "MAP_ANONYMOUS"]}',
    );
    const lines = replayText(t, replayTrace(t, 0), 0);
    expect(lines.slice(lines.indexOf("# final state"))).toEqual([
      "# final state",
      "  pid 2 (parent 1): idle",
      "    0x7ffed000-0x7ffef000 r--p",
      "    0x7ffef000-0x7fff0000 rw-s shmid 0",
      "  ------ Message Queues ------",
      "  key        msqid perms used-bytes messages",
      "  0x000004d2 0     600   5          1",
      "  ------ Semaphore Arrays ------",
      "  key        semid perms nsems values",
      "  0x00000000 0     640   2     0 2",
      "  ------ Shared Memory Segments ------",
      "  key        shmid perms bytes nattch status",
      "  0x00000000 0     600   100   1      dest",
      "# 8 steps",
    ]);
  });

  test("pipes are numbered from 1 in creation order (main: the kernel's slot, from 0)", () => {
    const lines = replayText(PIPE, replayTrace(PIPE, 0), 0);
    expect(lines).toContain("  pipe #1: 1 reader, 1 writer, 0 bytes in 0/16 slots");
  });
});

describe("the check view", () => {
  test("a divergence names the differing field with both values (main showed only the " +
    "outcomes)", () => {
    const t = trace(
      '{"pid": 2, "call": "pipe", "expect": {"ret": 0, "fds": [3, 4]}}',
      '{"pid": 2, "call": "write", "fd": 4, "data": "hello", "expect": {"ret": 5}}',
      '{"pid": 2, "call": "read", "fd": 3, "count": 5, "expect": {"ret": 5, "data": "hellO"}}',
    );
    const text = checkText(t, checkTrace(t), "ipcsim check t.jsonl");
    expect(text).toContain('      differs: result.data: expected "hellO", got "hello"');
  });

  test("plurals: 1 step, 1 expectation (main said `1 steps, 1 expectations`)", () => {
    const t = trace('{"pid": 2, "call": "getppid", "expect": {"ret": 1}}');
    expect(checkText(t, checkTrace(t), "")).toEqual([
      "ok: 1 step, 1 expectation met by the model (t.jsonl)",
    ]);
  });
});
