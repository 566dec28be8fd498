// The confirmed facts of docs/linux-semantics.md (sections 0, 1 and 2) as outcomes of the
// real kernel through the host bridge. Each case is a trace with expectations; the host's
// outcome of every step must match them (sim/trace/compare.ts). Skipped, with the reason in the
// test name, off Linux or when the agent is not built.

import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { describe, expect } from "vitest";
import { parseTrace } from "../sim/trace/parse.js";
import { HostFault, HostSession, InvalidStepError, runOnHost } from "./host.js";
import { recordToJsonl } from "./record.js";
import {
  blocked, caught, check, exited, expecting, fail, hostIt, killed, ok, skipReason, trace, wake,
} from "./testing.js";

const PIPE_EOF = new URL("../sim/trace/testdata/pipe-eof.jsonl", import.meta.url);

describe(`host bridge: pipes and FIFOs${skipReason}`, () => {
  hostIt("gives the first pipe fds [3, 4]", async () => {
    await check(trace([{ pid: 2, call: "pipe", ...ok(0, { fds: [3, 4] }) }]));
  });

  hostIt("takes 16 non-blocking 4096-byte writes, then EAGAIN", async () => {
    const write = { pid: 2, call: "write", fd: 4, data: { fill: "x", count: 4096 } };
    await check(trace([
      { pid: 2, call: "pipe", flags: ["O_NONBLOCK"], ...ok(0, { fds: [3, 4] }) },
      ...Array.from({ length: 16 }, () => ({ ...write, ...ok(4096) })),
      { ...write, ...fail("EAGAIN") },
    ]));
  });

  hostIt("takes 640 non-blocking 100-byte writes (not 655), then EAGAIN", async () => {
    const write = { pid: 2, call: "write", fd: 4, data: { fill: "y", count: 100 } };
    await check(trace([
      { pid: 2, call: "pipe", flags: ["O_NONBLOCK"] },
      ...Array.from({ length: 640 }, () => ({ ...write, ...ok(100) })),
      { ...write, ...fail("EAGAIN") },
      { pid: 2, call: "fcntl", fd: 4, cmd: "F_GETPIPE_SZ", ...ok(65536) },
    ]));
  });

  hostIt("wakes a blocked reader with the data written (pipe-eof example)", async () => {
    await check(parseTrace(readFileSync(PIPE_EOF, "utf8"), "pipe-eof.jsonl"));
  });

  hostIt("gives EOF only once the last write end is closed, in parent and child", async () => {
    await check(trace([
      { pid: 2, call: "pipe" },
      { pid: 2, call: "fork", ...ok(3) },
      { pid: 2, call: "close", fd: 4, ...ok(0) },
      { pid: 2, call: "read", fd: 3, count: 10, comment: "pid 3 holds a write end", ...blocked },
      { pid: 3, call: "close", fd: 4, ...expecting({ ret: 0 }, wake(2, 3, { ret: 0, data: "" })) },
    ]));
  });

  hostIt("kills a writer without readers with SIGPIPE, or gives EPIPE if ignored", async () => {
    await check(trace([
      { pid: 2, call: "pipe" },
      { pid: 2, call: "fork", ...ok(3) },
      { pid: 3, call: "close", fd: 3, ...ok(0) },
      { pid: 2, call: "close", fd: 3, ...ok(0) },
      { pid: 3, call: "write", fd: 4, data: "x", ...expecting(undefined, killed(3, "SIGPIPE")) },
      { pid: 2, call: "waitpid", target: 3, ...ok(3, { status: { signaled: "SIGPIPE" } }) },
      { pid: 2, call: "sigaction", sig: "SIGPIPE", handler: "SIG_IGN", ...ok(0) },
      { pid: 2, call: "write", fd: 4, data: "x", ...fail("EPIPE") },
      { pid: 2, call: "write", fd: 4, data: "", comment: "0 bytes: no EPIPE", ...ok(0) },
    ]));
  });

  hostIt("blocks a FIFO open until the other side opens (and the O_NONBLOCK rules)", async () => {
    const ok3 = { ret: 3 };
    await check(trace([
      { pid: 2, call: "mkfifo", path: "f", mode: "0600", ...ok(0) },
      { pid: 2, call: "mkfifo", path: "f", ...fail("EEXIST") },
      { pid: 2, call: "open", path: "f", flags: ["O_WRONLY", "O_NONBLOCK"], ...fail("ENXIO") },
      { pid: 2, call: "fork", ...ok(3) },
      { pid: 3, call: "open", path: "f", flags: ["O_RDONLY"], ...blocked },
      { pid: 2, call: "open", path: "f", flags: ["O_WRONLY"], ...expecting(ok3, wake(3, 4, ok3)) },
      { pid: 2, call: "open", path: "f", flags: ["O_RDWR"], comment: "never blocks", ...ok(4) },
      { pid: 2, call: "unlink", path: "f", ...ok(0) },
    ]));
  });
});

describe(`host bridge: SysV IPC${skipReason}`, () => {
  hostIt("numbers message queues 0, 1, 2 in a fresh namespace, then 3 after an RMID", async () => {
    const get = { pid: 2, call: "msgget", key: "IPC_PRIVATE" };
    await check(trace([
      { ...get, ...ok(0) }, { ...get, ...ok(1) }, { ...get, ...ok(2) },
      { pid: 2, call: "msgctl", msqid: 0, cmd: "IPC_RMID", ...ok(0) },
      { ...get, ...ok(3) },
      { pid: 2, call: "msgsnd", msqid: 0, mtype: 1, data: "x", ...fail("EINVAL") },
    ]));
  });

  hostIt("hands a message to a blocked receiver: it never shows in msg_qnum", async () => {
    const stat = {
      msg_qnum: 0, msg_cbytes: 0, msg_lspid: 2, msg_lrpid: 3, msg_qbytes: 16384,
      msg_perm: { key: 1234, mode: "0600", __seq: 0 },
    };
    await check(trace([
      { pid: 2, call: "msgget", key: 1234, flags: ["IPC_CREAT"], ...ok(0) },
      { pid: 2, call: "fork", ...ok(3) },
      { pid: 3, call: "msgrcv", msqid: 0, size: 64, ...blocked },
      {
        pid: 2, call: "msgsnd", msqid: 0, mtype: 7, data: "hello",
        ...expecting({ ret: 0 }, wake(3, 2, { ret: 5, mtype: 7, data: "hello" })),
      },
      { pid: 2, call: "msgctl", msqid: 0, cmd: "IPC_STAT", ...ok(0, { stat }) },
      { pid: 3, call: "msgrcv", msqid: 0, size: 64, flags: ["IPC_NOWAIT"], ...fail("ENOMSG") },
    ]));
  });

  hostIt("completes a blocked semop when another process adds 1", async () => {
    const op = (n: number) => ({ pid: 2, call: "semop", semid: 0, sops: [{ num: 0, op: n }] });
    await check(trace([
      { pid: 2, call: "semget", key: "IPC_PRIVATE", nsems: 1, ...ok(0) },
      { pid: 2, call: "fork", ...ok(3) },
      { ...op(-1), pid: 3, ...blocked },
      { pid: 2, call: "semctl", semid: 0, cmd: "GETNCNT", ...ok(1) },
      { ...op(1), ...expecting({ ret: 0 }, wake(3, 2, { ret: 0 })) },
      { pid: 2, call: "semctl", semid: 0, cmd: "GETVAL", ...ok(0) },
      { pid: 2, call: "semctl", semid: 0, cmd: "GETPID", ...ok(3) },
      { pid: 2, call: "semctl", semid: 0, cmd: "SETALL", arg: [5], ...ok(0) },
      { pid: 2, call: "semctl", semid: 0, cmd: "GETALL", ...ok(0, { values: [5] }) },
      { pid: 2, call: "semctl", semid: 0, cmd: "SETVAL", arg: -1, ...fail("ERANGE") },
    ]));
  });

  hostIt("shares a segment: shmat's address by ref, one process stores, one loads", async () => {
    const stat = (s: object) => ({
      pid: 2, call: "shmctl", shmid: 0, cmd: "IPC_STAT", ...ok(0, { stat: s }),
    });
    await check(trace([
      { pid: 2, call: "shmget", key: "IPC_PRIVATE", size: 100, ...ok(0) },
      { pid: 2, call: "shmat", shmid: 0, ...ok(0, { ret: "address" }) },
      { pid: 2, call: "fork", ...ok(3) },
      { pid: 3, call: "store", addr: { ref: 1, offset: 16 }, data: "hello", ...ok(5) },
      { pid: 2, call: "load", addr: { ref: 1, offset: 16 }, count: 5, ...ok(5, { data: "hello" }) },
      stat({ shm_segsz: 100, shm_nattch: 2, shm_cpid: 2, shm_lpid: 2 }),
      { pid: 3, call: "shmdt", shmaddr: { ref: 1 }, ...ok(0) },
      { pid: 2, call: "shmctl", shmid: 0, cmd: "IPC_RMID", ...ok(0) },
      stat({ shm_nattch: 1, shm_lpid: 3, shm_perm: { mode: "01600", key: 0 } }),
      { pid: 3, call: "load", addr: { ref: 1 }, count: 1,
        ...expecting(undefined, killed(3, "SIGSEGV")) },
    ]));
  });

  hostIt("sets the header's sysctls in the fresh IPC namespace", async () => {
    const params = '{"kernel.msgmnb": 300, "kernel.sem_next_id": 5}';
    await check(trace([
      { pid: 2, call: "msgget", key: "IPC_PRIVATE", ...ok(0) },
      { pid: 2, call: "msgctl", msqid: 0, cmd: "IPC_STAT",
        ...ok(0, { stat: { msg_qbytes: 300 } }) },
      { pid: 2, call: "semget", key: "IPC_PRIVATE", nsems: 1, ...ok(5) },
    ], `{"trace": "ipcsim", "version": 1, "params": ${params}}`));
  });
});

describe(`host bridge: signals and processes${skipReason}`, () => {
  hostIt("records a caught SIGUSR1 as a signal event, and wakes pause with EINTR", async () => {
    const usr1 = { pid: 2, call: "kill", target: 3, sig: "SIGUSR1" };
    const eintr = { ret: -1, errno: "EINTR" };
    const mask = (how: string) => ({ pid: 3, call: "sigprocmask", how, set: ["SIGUSR1"] });
    await check(trace([
      { pid: 2, call: "sigaction", sig: "SIGUSR1", handler: "catch", ...ok(0) },
      { pid: 2, call: "fork", ...ok(3) },
      { ...usr1, ...expecting({ ret: 0 }, caught("SIGUSR1", 3)) },
      { pid: 3, call: "pause", ...blocked },
      { ...usr1, ...expecting({ ret: 0 }, caught("SIGUSR1", 3), wake(3, 3, eintr)) },
      { ...mask("SIG_BLOCK"), ...ok(0, { oldset: [] }) },
      { ...usr1, ...ok(0) },
      { pid: 3, call: "sigpending", ...ok(0, { set: ["SIGUSR1"] }) },
      {
        ...mask("SIG_UNBLOCK"), 
        ...expecting({ ret: 0, oldset: ["SIGUSR1"]
      }, caught("SIGUSR1", 3))
      },
    ]));
  });

  hostIt("lets kill reach a zombie (0), and gives ESRCH once it is reaped", async () => {
    await check(trace([
      { pid: 2, call: "fork", ...ok(3) },
      { pid: 3, call: "exit", status: 259, ...expecting(undefined, exited(3, 3)) },
      { pid: 2, call: "kill", target: 3, sig: 0, ...ok(0) },
      { pid: 2, call: "kill", target: 3, sig: "SIGKILL", ...ok(0) },
      { pid: 2, call: "waitpid", target: 3, ...ok(3, { status: { exited: 3 } }) },
      { pid: 2, call: "kill", target: 3, sig: 0, ...fail("ESRCH") },
    ]));
  });

  hostIt("reaps the oldest child first with waitpid(-1), then ECHILD", async () => {
    await check(trace([
      { pid: 2, call: "fork", ...ok(3) },
      { pid: 2, call: "fork", ...ok(4) },
      { pid: 4, call: "exit", status: 4, ...expecting(undefined, exited(4, 4)) },
      { pid: 3, call: "exit", status: 3, ...expecting(undefined, exited(3, 3)) },
      { pid: 2, call: "waitpid", target: -1, ...ok(3, { status: { exited: 3 } }) },
      { pid: 2, call: "waitpid", target: -1, ...ok(4, { status: { exited: 4 } }) },
      { pid: 2, call: "waitpid", target: -1, ...fail("ECHILD") },
      { pid: 2, call: "waitpid", target: -1, options: ["WNOHANG"], ...fail("ECHILD") },
    ]));
  });

  hostIt("wakes a waitpid on the child's stop and exit, and reports stop and cont", async () => {
    await check(trace([
      { pid: 2, call: "fork", ...ok(3) },
      { pid: 2, call: "waitpid", target: 3, options: ["WUNTRACED"], ...blocked },
      {
        pid: 3, call: "kill", target: 3, sig: "SIGSTOP",
        comment: "the caller stops inside its own kill: its result comes when it continues",
        ...expecting("blocked", { stop: 3 },
          wake(2, 1, { ret: 3, status: { stopped: "SIGSTOP" } })),
      },
      {
        pid: 2, call: "kill", target: 3, sig: "SIGCONT",
        ...expecting({ ret: 0 }, { cont: 3 }, wake(3, 2, { ret: 0 })),
      },
      { pid: 2, call: "waitpid", target: 3, ...blocked },
      {
        pid: 3, call: "exit", status: 0,
        ...expecting(undefined, exited(3, 0), wake(2, 4, { ret: 3, status: { exited: 0 } })),
      },
    ]));
  });

  hostIt("has init (pid 1) reap pid 2 and orphans at once", async () => {
    const probe = (target: number) => ({ pid: 4, call: "kill", target, sig: 0 });
    await check(trace([
      { pid: 2, call: "fork", ...ok(3) },
      { pid: 3, call: "fork", ...ok(4) },
      { pid: 3, call: "exit", status: 0, ...expecting(undefined, exited(3, 0)) },
      { pid: 2, call: "kill", target: 3, sig: 0, comment: "a zombie until pid 2 waits", ...ok(0) },
      { pid: 2, call: "exit", status: 1, ...expecting(undefined, exited(2, 1)) },
      { ...probe(2), ...fail("ESRCH") },
      { ...probe(3), comment: "orphaned, then reaped by init", ...fail("ESRCH") },
      { pid: 4, call: "kill", target: 1, sig: "SIGKILL", comment: "init ignores it", ...ok(0) },
      { pid: 4, call: "kill", target: 4, sig: "SIGTERM",
        ...expecting(undefined, killed(4, "SIGTERM")) },
    ]));
  });
});

describe(`host bridge: driver${skipReason}`, () => {
  hostIt("refuses a step whose caller is blocked, naming the line", async () => {
    const t = trace([
      { pid: 2, call: "pipe" },
      { pid: 2, call: "read", fd: 3, count: 1 },
      { pid: 2, call: "close", fd: 3 },
    ]);
    const error = await runOnHost(t).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidStepError);
    expect(String(error)).toMatch(/<test>:4: step 2 .*pid 2 is blocked in step 1 \(read\)/);
    expect((error as InvalidStepError).outcomes).toHaveLength(2);
  });

  hostIt("turns a step that never settles into a watchdog fault, not a pass", async () => {
    const host = await HostSession.start(trace([]).header, { watchdogMs: 200, testCalls: true });
    try {
      const t0 = Date.now();
      await expect(host.testSpin(0, 2, 3000))
        .rejects.toThrow(/host fault: no quiescence after 200 ms; pid 2 running/);
      expect(Date.now() - t0).toBeLessThan(2000);
      const next = trace([{ pid: 2, call: "pipe" }]).steps[0];
      await expect(host.step(next)).rejects.toBeInstanceOf(HostFault);
    } finally {
      await host.close();
    }
  });

  hostIt("falls back without namespaces: model numbering, IPC objects removed", async () => {
    const before = readFileSync("/proc/sysvipc/msg", "utf8");
    const stderr: string[] = [];
    const stat = { stat: { msg_lspid: 3, msg_qnum: 1 } };
    await check(trace([
      { pid: 2, call: "msgget", key: "IPC_PRIVATE", ...ok(0) },
      { pid: 2, call: "msgget", key: "IPC_PRIVATE", ...ok(1) },
      { pid: 2, call: "fork", ...ok(3) },
      { pid: 3, call: "msgsnd", msqid: 1, mtype: 1, data: "a", ...ok(0) },
      { pid: 2, call: "msgctl", msqid: 1, cmd: "IPC_STAT", ...ok(0, stat) },
      { pid: 2, call: "msgctl", msqid: 0, cmd: "IPC_RMID", ...ok(0) },
      { pid: 2, call: "msgget", key: "IPC_PRIVATE", ...ok(2) },
      { pid: 3, call: "exit", ...expecting(undefined, exited(3, 0)) },
      { pid: 2, call: "waitpid", target: -1, ...ok(3, { status: { exited: 0 } }) },
    ]), { unsafeNoNamespaces: true, onStderr: (line) => stderr.push(line) });
    expect(stderr.join("\n")).toMatch(/running without PID\/IPC namespaces/);
    expect(readFileSync("/proc/sysvipc/msg", "utf8")).toBe(before);
  });

  hostIt("leaves no process behind when the driver kills the agent", async () => {
    const t = trace([
      { pid: 2, call: "fork" }, { pid: 3, call: "pause" }, { pid: 2, call: "msgget", key: 0 },
    ]);
    const host = await HostSession.start(t.header);
    for (const s of t.steps) await host.step(s);
    const inWorkdir = () => readdirSync("/proc").filter((pid) => {
      try {
        return /^\d+$/.test(pid) && readlinkSync(`/proc/${pid}/cwd`) === host.workdir;
      } catch {
        return false;
      }
    });
    expect(inWorkdir()).toHaveLength(3); // pid 1 (the agent), 2 and 3
    host.abort();
    await host.close();
    for (let i = 0; i < 100 && inWorkdir().length > 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(inWorkdir()).toEqual([]);
    expect(existsSync(host.workdir)).toBe(false);
  });

  hostIt("records a trace: the expectations written back are what the kernel did", async () => {
    const text = readFileSync(PIPE_EOF, "utf8");
    const bare = text.split("\n").map((line) => line.replace(/, "expect.*\}$/, "}")).join("\n");
    const recorded = parseTrace(await recordToJsonl(parseTrace(bare, "bare.jsonl")), "out.jsonl");
    const original = parseTrace(text, "pipe-eof.jsonl");
    expect(recorded.steps.map((s) => [s.expect, s.expectEvents]))
      .toEqual(original.steps.map((s) => [s.expect, s.expectEvents]));
  });

  hostIt("notes a sysctl it cannot set in a namespace, and leaves the host's alone", async () => {
    const header = { ...trace([]).header, params: { "fs.pipe-max-size": 4096 } };
    const host = await HostSession.start(header);
    try {
      const note = /pipe-max-size=4096 not set: it is not namespaced/;
      expect(host.notes).toEqual([expect.stringMatching(note)]);
    } finally {
      await host.close();
    }
    expect(readFileSync("/proc/sys/fs/pipe-max-size", "utf8").trim()).not.toBe("4096");
  });
});
