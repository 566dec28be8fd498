// Quiescence (host-bridge/agent/quiesce.c): a step ends only when nothing can move any more.
// These cases are where a hasty "the caller replied, so we are done" would report too early or
// in a racy order: chains of wake-ups without replies, hand-offs that depend on the order in
// which processes blocked, and signals reaching processes other than the caller. Each runs
// several times and must give the same outcomes every time. Also: what the bridge refuses.

import { describe, expect } from "vitest";
import { outcomeKey } from "../sim/trace/compare.js";
import type { Outcome, Trace } from "../sim/trace/types.js";
import { HostFault, runOnHost } from "./host.js";
import {
  blocked, caught, check, exited, expecting, fail, hostIt, killed, ok, skipReason, trace, wake,
} from "./testing.js";

const RUNS = 5;

/** Runs `t` RUNS times; every run must give the same outcomes. Returns them. */
async function deterministic(t: Trace): Promise<Outcome[]> {
  const keys = new Set<string>();
  let outcomes: Outcome[] = [];
  for (let i = 0; i < RUNS; i++) {
    outcomes = await runOnHost(t);
    keys.add(outcomes.map(outcomeKey).join("\n"));
  }
  expect(keys.size).toBe(1);
  return outcomes;
}

describe(`host bridge quiescence${skipReason}`, () => {
  hostIt("follows a blocked writer that is woken by every read and blocks again", async () => {
    // 100000 bytes into a 65536-byte pipe: each 4096-byte read lets the writer move 4096 more
    // bytes and sleep again, without a reply; the 9th read lets it finish (65536 + 9 * 4096).
    const data = { fill: "z", count: 4096 };
    const read = { pid: 2, call: "read", fd: 3, count: 4096, ...ok(4096, { data }) };
    await check(trace([
      { pid: 2, call: "pipe" },
      { pid: 2, call: "fork", ...ok(3) },
      { pid: 3, call: "write", fd: 4, data: { fill: "z", count: 100000 }, ...blocked },
      ...Array.from({ length: 8 }, () => read),
      { ...read, expect_events: [{ wake: 3, step: 2, result: { ret: 100000 } }] },
      read,
    ]));
  });

  hostIt("completes semaphore waiters in update_queue order: W1, W2 done, W3 waits", async () => {
    const outcomes = await deterministic(trace([
      { pid: 2, call: "semget", key: "IPC_PRIVATE", nsems: 1 },
      { pid: 2, call: "fork" }, { pid: 2, call: "fork" }, { pid: 2, call: "fork" },
      { pid: 3, call: "semop", semid: 0, sops: [{ num: 0, op: -1 }], ...blocked },
      { pid: 4, call: "semop", semid: 0, sops: [{ num: 0, op: -1 }], ...blocked },
      { pid: 5, call: "semop", semid: 0, sops: [{ num: 0, op: -2 }], ...blocked },
      {
        pid: 2, call: "semop", semid: 0, sops: [{ num: 0, op: 2 }],
        ...expecting({ ret: 0 }, wake(3, 4, { ret: 0 }), wake(4, 5, { ret: 0 })),
      },
      { pid: 2, call: "semctl", semid: 0, cmd: "GETNCNT", ...ok(1) },
    ]));
    expect(outcomes[7].events).toHaveLength(2);
  });

  hostIt("hands a message past a receiver with too small a buffer (E2BIG)", async () => {
    await deterministic(trace([
      { pid: 2, call: "msgget", key: "IPC_PRIVATE" },
      { pid: 2, call: "fork" }, { pid: 2, call: "fork" },
      { pid: 3, call: "msgrcv", msqid: 0, size: 2, ...blocked },
      { pid: 4, call: "msgrcv", msqid: 0, size: 64, ...blocked },
      {
        pid: 2, call: "msgsnd", msqid: 0, mtype: 1, data: "hello",
        ...expecting({ ret: 0 }, wake(3, 3, { ret: -1, errno: "E2BIG" }),
          wake(4, 4, { ret: 5, mtype: 1, data: "hello" })),
      },
    ]));
  });

  hostIt("waits for a SIGCHLD handler in the parent when a child exits or is killed", async () => {
    await deterministic(trace([
      { pid: 2, call: "sigaction", sig: "SIGCHLD", handler: "catch" },
      { pid: 2, call: "fork" },
      { pid: 3, call: "exit", status: 0,
        ...expecting(undefined, exited(3, 0), caught("SIGCHLD", 2)) },
      { pid: 2, call: "fork" },
      {
        pid: 2, call: "kill", target: 4, sig: "SIGKILL",
        ...expecting({ ret: 0 }, killed(4, "SIGKILL"), caught("SIGCHLD", 2)),
      },
    ]));
  });

  hostIt("knows an auto-reaped child's exit status from its exit (SIGCHLD ignored)", async () => {
    await check(trace([
      { pid: 2, call: "sigaction", sig: "SIGCHLD", handler: "SIG_IGN", ...ok(0) },
      { pid: 2, call: "fork", ...ok(3) },
      { pid: 3, call: "exit", status: 5, ...expecting(undefined, exited(3, 5)) },
      { pid: 2, call: "waitpid", target: -1, ...expecting({ ret: -1, errno: "ECHILD" }) },
    ]));
  });

  hostIt("knows an auto-reaped child's status from the step's signal that killed it", async () => {
    await check(trace([
      { pid: 2, call: "sigaction", sig: "SIGCHLD", handler: "SIG_IGN", ...ok(0) },
      { pid: 2, call: "fork", ...ok(3) },
      {
        pid: 2, call: "kill", target: 3, sig: "SIGTERM",
        ...expecting({ ret: 0 }, killed(3, "SIGTERM")),
      },
    ]));
  });

  hostIt("faults when an auto-reaped child dies of its own fault (no status to observe)",
    async () => {
      const t = trace([
        { pid: 2, call: "sigaction", sig: "SIGCHLD", handler: "SIG_IGN" },
        { pid: 2, call: "fork" },
        { pid: 3, call: "mmap", length: 4096, prot: ["PROT_READ"],
          flags: ["MAP_PRIVATE", "MAP_ANONYMOUS"] },
        { pid: 3, call: "store", addr: { ref: 2 }, data: "01" },
      ]);
      await expect(runOnHost(t)).rejects.toThrow(/pid 3 died and was reaped at once/);
    });

  hostIt("faults on a handler that loops on SIGSEGV, at the watchdog", async () => {
    const t = trace([
      { pid: 2, call: "mmap", length: 4096, prot: ["PROT_READ"], flags: ["MAP_PRIVATE",
        "MAP_ANONYMOUS"] },
      { pid: 2, call: "munmap", addr: { ref: 0 }, length: 4096 },
      { pid: 2, call: "sigaction", sig: "SIGSEGV", handler: "catch" },
      { pid: 2, call: "load", addr: { ref: 0 }, count: 1 },
    ]);
    await expect(runOnHost(t, { watchdogMs: 300 })).rejects.toThrow(/no quiescence after 300/);
  });

  hostIt("runs semtimedop's argument checks; with a timeout it sleeps (blocked)", async () => {
    const op = { pid: 2, call: "semtimedop", semid: 0, sops: [{ num: 0, op: -1 }] };
    await check(trace([
      { pid: 2, call: "semget", key: "IPC_PRIVATE", nsems: 1 },
      { ...op, timeout: { sec: 0, nsec: 0 }, expect: { ret: -1, errno: "EAGAIN" } },
      { ...op, timeout: { nsec: 2000000000 }, expect: { ret: -1, errno: "EINVAL" } },
    ]));
    await check(trace([
      { pid: 2, call: "semget", key: "IPC_PRIVATE", nsems: 1 },
      { ...op, timeout: { sec: 5 }, expect: "blocked" },
    ]));
  });

  hostIt("keeps every path inside the run's own tmpfs: absolute, '..' and symlinks", async () => {
    // The traced processes' root is a fresh tmpfs (agent.c, traced.c): "/" is its root
    // (inode 1, mode 01777), and nothing leads out of it.
    const stat = (mode: string, ino?: number) =>
      ({ expect: { ret: 0, stat: { st_mode: mode, ...(ino ? { st_ino: ino } : {}) } } });
    await check(trace([
      { pid: 2, call: "stat", path: "/", ...stat("041777", 1) },
      { pid: 2, call: "stat", path: "/..", ...stat("041777", 1) },
      { pid: 2, call: "open", path: "/etc/passwd", flags: [], ...fail("ENOENT") },
      { pid: 2, call: "open", path: "../../../../etc/passwd", flags: [], ...fail("ENOENT") },
      { pid: 2, call: "symlink", target: "/etc", linkpath: "e", ...ok(0) },
      { pid: 2, call: "stat", path: "e/passwd", ...fail("ENOENT") },
      { pid: 2, call: "symlink", target: "../../../../../../proc", linkpath: "p", ...ok(0) },
      { pid: 2, call: "stat", path: "p/self", ...fail("ENOENT") },
      { pid: 2, call: "chdir", path: "../../..", ...ok(0) },
      { pid: 2, call: "getcwd", count: 100, expect: { ret: 2, data: "/" } },
      { pid: 2, call: "mkdir", path: "/etc", ...ok(0) },
      { pid: 2, call: "open", path: "/etc/passwd", flags: ["O_CREAT", "O_WRONLY"], ...ok(3) },
    ]));
  });

  hostIt("without namespaces, refuses paths that could leave its work directory", async () => {
    const t = (path: string) => trace([{ pid: 2, call: "mkfifo", path }]);
    const unsafe = { unsafeNoNamespaces: true };
    await expect(runOnHost(t("/tmp/x"), unsafe)).rejects.toThrow(/paths must be relative/);
    await expect(runOnHost(t("a/../../x"), unsafe)).rejects.toThrow(/paths must be relative/);
    const link = trace([{ pid: 2, call: "symlink", target: "../x", linkpath: "l" }]);
    await expect(runOnHost(link, unsafe)).rejects.toThrow(/paths must be relative/);
  });

  hostIt("gives the model's fd limit (1024), and hides its control socket (EBADF)", async () => {
    const control = 1040; // FDS_RESERVED_BASE: the first control socket
    await check(trace([
      { pid: 2, call: "dup2", oldfd: 0, newfd: 1023, ...ok(1023) },
      { pid: 2, call: "dup2", oldfd: 0, newfd: 1024, ...fail("EBADF") },
      { pid: 2, call: "fcntl", fd: 0, cmd: "F_DUPFD", arg: 1024, ...fail("EINVAL") },
      { pid: 2, call: "fcntl", fd: 0, cmd: "F_DUPFD", arg: 1023, ...fail("EMFILE") },
      { pid: 2, call: "close", fd: control, ...fail("EBADF") },
      { pid: 2, call: "read", fd: control, count: 1, ...fail("EBADF") },
      { pid: 2, call: "dup", fd: control, ...fail("EBADF") },
      { pid: 2, call: "fork", comment: "the control socket still works", ...ok(3) },
      { pid: 3, call: "close", fd: 1023, ...ok(0) },
    ]));
  });
});
