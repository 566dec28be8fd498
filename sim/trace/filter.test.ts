// The text views' strace-like filters (issue 13, "The text views": `-e trace=pipe,read` and
// `-p PID` filters like strace; on main stepFilter was a stub that filtered nothing).

import { describe, expect, test } from "vitest";
import { CALL_NAMES } from "../../wasm/calls.js";
import { CLASSES, FilterError, stepFilter } from "./filter.js";

const shown = (trace: string[] | undefined, pids: string[] | undefined, pid: number) =>
  CALL_NAMES.filter((c) => stepFilter(trace, pids)!(pid, c));

describe("stepFilter (-e trace=, -p)", () => {
  test("no option filters nothing", () => {
    expect(stepFilter(undefined, undefined)).toBeUndefined();
    expect(stepFilter([], [])).toBeUndefined();
  });

  test("-e trace=pipe,read shows exactly those calls, with or without trace=", () => {
    expect(shown(["trace=pipe,read"], undefined, 2)).toEqual(["pipe", "read"]);
    expect(shown(["pipe,read"], undefined, 2)).toEqual(["pipe", "read"]);
  });

  test("! negates the whole list; repeated -e values add up", () => {
    const all = shown(["trace=!read,write"], undefined, 2);
    expect(all).not.toContain("read");
    expect(all).not.toContain("write");
    expect(all).toContain("pipe");
    expect(shown(["trace=pipe", "trace=read"], undefined, 2)).toEqual(["pipe", "read"]);
    expect(shown(["trace=none"], undefined, 2)).toEqual([]);
    expect(shown(["trace=all"], undefined, 2)).toEqual(CALL_NAMES);
  });

  test("strace's classes, derived from the call table", () => {
    expect(shown(["trace=%ipc"], undefined, 2)).toEqual([
      "msgget", "msgsnd", "msgrcv", "msgctl", "semget", "semop", "semtimedop", "semctl",
      "shmget", "shmat", "shmdt", "shmctl",
    ]);
    expect(CLASSES["%process"]).toEqual(["fork", "exit", "waitpid", "kill", "sigqueue"]);
    expect(CLASSES["%signal"]).toContain("sigaction");
    expect(CLASSES["%desc"]).toEqual(
      expect.arrayContaining(["read", "write", "close", "pipe", "open", "dup", "fcntl", "mmap"]));
    expect(CLASSES["%memory"]).toEqual(expect.arrayContaining(["mmap", "munmap", "shmat"]));
    expect(CLASSES["%file"]).toEqual([
      "mkfifo", "open", "unlink", "openat", "mkdir", "mkdirat", "rmdir", "unlinkat", "chdir",
      "rename", "renameat", "renameat2", "link", "linkat", "symlink", "symlinkat", "readlink",
      "readlinkat", "stat", "lstat", "newfstatat", "chmod", "fchmodat", "access", "faccessat",
      "faccessat2", "truncate",
    ]);
    expect(CLASSES["%desc"]).toEqual(expect.arrayContaining(
      ["openat", "fchdir", "fstat", "getdents64", "lseek", "pread64", "ftruncate", "mkdirat",
        "renameat2", "newfstatat", "faccessat2"]));
  });

  test("Linux's syscall names, regular expressions and ?NAME are accepted", () => {
    expect(shown(["trace=rt_sigaction,wait4"], undefined, 2)).toEqual(["waitpid", "sigaction"]);
    expect(shown(["trace=/^sem"], undefined, 2))
      .toEqual(["semget", "semop", "semtimedop", "semctl"]);
    expect(shown(["trace=?nosuchcall,read"], undefined, 2)).toEqual(["read"]);
  });

  test("an unknown name is a FilterError naming it and the nearest known name", () => {
    expect(() => stepFilter(["trace=pipe,reed"], undefined)).toThrow(FilterError);
    expect(() => stepFilter(["trace=pipe,reed"], undefined)).toThrow(
      /unknown call "reed" \(did you mean "read"\?\)/);
    expect(() => stepFilter(["trace=%icp"], undefined)).toThrow(/did you mean "%ipc"/);
    expect(() => stepFilter(["trace=toString"], undefined)).toThrow(/unknown call "toString"/);
    expect(() => stepFilter(["signal=SIGUSR1"], undefined)).toThrow(/only -e trace=EXPR/);
    expect(() => stepFilter(["trace=read,"], undefined)).toThrow(/empty name/);
  });

  test("-p shows the steps of those processes (repeated or a comma list); the clock passes", () => {
    const f = stepFilter(undefined, ["3", "5,6"])!;
    expect([2, 3, 4, 5, 6].filter((p) => f(p, "read"))).toEqual([3, 5, 6]);
    expect(f(0, "advance")).toBe(true);
    expect(f.showsPid?.(2)).toBe(false);
    const g = stepFilter(["trace=read"], ["3"])!;
    expect([g(3, "read"), g(3, "write"), g(2, "read")]).toEqual([true, false, false]);
    expect(() => stepFilter(undefined, ["x"])).toThrow(/-p: "x" is not a process id/);
    expect(() => stepFilter(undefined, ["0"])).toThrow(FilterError);
  });
});
