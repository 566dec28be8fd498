import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { ERRNO, FLAGS } from "../../wasm/abi.js";
import { NAMES } from "./calls.js";
import { parseTrace, readTraceFile } from "./parse.js";
import {
  flagsToString, formatEvent, formatOutcome, formatStep, quoteBytes, STRERROR,
} from "./strace.js";
import type { Step } from "./types.js";

const text = (s: string) => new TextEncoder().encode(s);
const every = readTraceFile(join(import.meta.dirname, "testdata/every-call.jsonl"));

function step(json: string, ...earlier: string[]): Step {
  const t = parseTrace(['{"trace":"ipcsim","version":1}', ...earlier, json].join("\n"), "s.jsonl");
  return t.steps[t.steps.length - 1];
}

describe("call lines", () => {
  test("a completed read shows the data after the return value", () => {
    const read = step('{"pid":3,"call":"read","fd":3,"count":5}');
    expect(formatStep(read, { ret: 5, data: text("hello") })).toBe(
      '[pid 3] read(3, 5) = 5 "hello"',
    );
  });

  test("an error shows the errno and its text", () => {
    const read = step('{"pid":3,"call":"read","fd":3,"count":5}');
    expect(formatStep(read, { ret: -1, errno: "EAGAIN" })).toBe(
      "[pid 3] read(3, 5) = -1 EAGAIN (Resource temporarily unavailable)",
    );
  });

  test("a blocked call is unfinished; a call that did not return is = ?", () => {
    const read = step('{"pid":3,"call":"read","fd":3,"count":5}');
    expect(formatStep(read, "blocked")).toBe("[pid 3] read(3, 5) <unfinished ...>");
    expect(formatStep(step('{"pid":3,"call":"exit","status":2}'), undefined)).toBe(
      "[pid 3] exit(2) = ?",
    );
  });

  // Defect (issue 21): pipe2 and F_SETFL took only the names the call honours, so a trace
  // could not name what Linux refuses (pipe2 with O_APPEND: EINVAL).
  test("open-style flags print any O_ name; two-bit names as one; pipe2's 0 as 0", () => {
    const line = (json: string) => formatStep(step(json), { ret: -1, errno: "EINVAL" });
    expect(line('{"pid":2,"call":"pipe","flags":["O_APPEND","O_NDELAY"]}'))
      .toBe("[pid 2] pipe(O_APPEND|O_NONBLOCK) = -1 EINVAL (Invalid argument)");
    expect(formatStep(step('{"pid":2,"call":"pipe","flags":[]}'), { ret: 0, fds: [3, 4] }))
      .toBe("[pid 2] pipe(0) = 0 [3, 4]");
    expect(line('{"pid":2,"call":"pipe","flags":["O_NOTIFICATION_PIPE","O_RSYNC"]}'))
      .toBe("[pid 2] pipe(O_SYNC|O_NOTIFICATION_PIPE) = -1 EINVAL (Invalid argument)");
    expect(line('{"pid":2,"call":"open","path":"f","flags":["O_RDWR","O_TMPFILE","O_FSYNC"]}'))
      .toBe('[pid 2] open("f", O_RDWR|O_SYNC|O_TMPFILE, 0644) = -1 EINVAL (Invalid argument)');
    expect(line('{"pid":2,"call":"fcntl","fd":3,"cmd":"F_SETFL","arg":["__O_SYNC","FASYNC"]}'))
      .toBe("[pid 2] fcntl(3, F_SETFL, O_ASYNC|__O_SYNC) = -1 EINVAL (Invalid argument)");
    expect(line('{"pid":2,"call":"pipe","flags":2147483648}'))
      .toBe("[pid 2] pipe(0x80000000) = -1 EINVAL (Invalid argument)");
  });

  // Every call of the test file, with strace's conventions for each argument kind.
  test.each([
    ["fork", "fork()"],
    ["exit", "exit(7)"],
    ["waitpid", "waitpid(-1, WNOHANG)"],
    ["pipe", "pipe(O_NONBLOCK|O_CLOEXEC)"],
    ["close", "close(3)"],
    ["dup2", "dup2(4, 9)"],
    ["fcntl", "fcntl(4, F_SETFL, O_NONBLOCK)"],
    ["write", 'write(4, "hello", 5)'],
    ["mkfifo", 'mkfifo("fifo", 0640)'],
    ["open", 'open("fifo", O_RDWR|O_NONBLOCK)'],
    ["unlink", 'unlink("fifo")'],
    ["msgget", "msgget(IPC_PRIVATE, IPC_CREAT|IPC_EXCL|0600)"],
    ["msgsnd", 'msgsnd(0, {1, "\\0\\377"}, 2, IPC_NOWAIT)'],
    ["msgrcv", "msgrcv(0, 64, -5, MSG_NOERROR)"],
    ["msgctl", "msgctl(0, IPC_SET, {msg_perm={mode=0660}, msg_qbytes=100})"],
    ["semget", "semget(0x4d2, 2, IPC_CREAT|0666)"],
    ["semop", "semop(0, [{sem_num=0, sem_op=-1, sem_flg=SEM_UNDO}, " +
      "{sem_num=1, sem_op=1, sem_flg=0}], 2)"],
    ["semtimedop", "semtimedop(0, [{sem_num=0, sem_op=0, sem_flg=IPC_NOWAIT}], 1, " +
      "{tv_sec=1, tv_nsec=500})"],
    ["semctl", "semctl(0, 0, SETALL, [1, 2])"],
    ["shmget", "shmget(0x2a, 4096, IPC_CREAT|0600)"],
    ["shmat", "shmat(0, NULL, SHM_RDONLY)"],
    ["shmdt", "shmdt(ref(22))"],
    ["shmctl", "shmctl(0, IPC_STAT, NULL)"],
    ["mmap", "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, -1, 0)"],
    ["munmap", "munmap(ref(25)+4096, 4096)"],
    ["store", 'store(ref(22)+16, "xxxxxxxxxxxxxxxxxxxx", 20)'],
    ["load", "load(ref(22), 4)"],
    ["kill", "kill(3, SIGUSR1)"],
    ["sigaction", "sigaction(SIGUSR2, {sa_handler=catch, sa_mask=[USR1], " +
      "sa_flags=SA_RESTART|SA_RESETHAND})"],
    ["sigprocmask", "sigprocmask(SIG_BLOCK, [USR1 TERM])"],
    ["sigpending", "sigpending()"],
    ["sigsuspend", "sigsuspend([INT])"],
  ])("%s", (call, line) => {
    const s = every.steps.find((x) => x.call === call) as Step;
    const ret = call === "shmat" || call === "mmap" ? "0x0" : "0"; // addresses print in hex
    expect(formatStep(s, { ret: 0 })).toBe(`[pid ${s.pid}] ${line} = ${ret}`);
  });

  test("outputs: fds, status, stat, values, sets, messages", () => {
    const out = (json: string, r: Parameters<typeof formatStep>[1]) => formatStep(step(json), r);
    expect(out('{"pid":2,"call":"pipe"}', { ret: 0, fds: [3, 4] })).toBe(
      "[pid 2] pipe(0) = 0 [3, 4]",
    );
    expect(out('{"pid":2,"call":"waitpid","target":-1}', { ret: 3, status: { exited: 1 } })).toBe(
      "[pid 2] waitpid(-1, 0) = 3 [{WIFEXITED(s) && WEXITSTATUS(s) == 1}]",
    );
    expect(out('{"pid":2,"call":"waitpid","target":3}',
      { ret: 3, status: { signaled: "SIGSEGV", core: true } })).toBe(
      "[pid 2] waitpid(3, 0) = 3 [{WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV && WCOREDUMP(s)}]",
    );
    expect(out('{"pid":2,"call":"shmctl","shmid":0,"cmd":"IPC_STAT"}',
      { ret: 0, stat: { shm_perm: { mode: 0o600 }, shm_nattch: 1 } })).toBe(
      "[pid 2] shmctl(0, IPC_STAT, NULL) = 0 {shm_perm={mode=0600}, shm_nattch=1}",
    );
    expect(out('{"pid":2,"call":"semctl","semid":0,"cmd":"GETALL"}', { ret: 0, values: [1, 0] }))
      .toBe("[pid 2] semctl(0, 0, GETALL, NULL) = 0 [1, 0]");
    expect(out('{"pid":2,"call":"sigpending"}', { ret: 0, set: ["SIGTERM", "SIGUSR1"] })).toBe(
      "[pid 2] sigpending() = 0 [USR1 TERM]",
    );
    const message = { ret: 2, mtype: 7, data: text("hi") };
    expect(out('{"pid":2,"call":"msgrcv","msqid":0,"size":8}', message)).toBe(
      '[pid 2] msgrcv(0, 8, 0, 0) = 2 {7, "hi"}',
    );
  });

  test("addresses in hex; an opaque expected address as <address>", () => {
    const shmat = step('{"pid":2,"call":"shmat","shmid":0}');
    expect(formatStep(shmat, { ret: 0x7f0000001000 })).toBe(
      "[pid 2] shmat(0, NULL, 0) = 0x7f0000001000",
    );
    expect(formatStep(shmat, { ret: "address" })).toBe("[pid 2] shmat(0, NULL, 0) = <address>");
    const load = step('{"pid":2,"call":"load","addr":{"ref":0,"offset":-8},"count":1}',
      '{"pid":2,"call":"shmat","shmid":0}');
    expect(formatStep(load, "blocked")).toBe("[pid 2] load(ref(0)-8, 1) <unfinished ...>");
  });

  test("fcntl F_GETFL decodes the returned flags, access mode first", () => {
    const getfl = step('{"pid":2,"call":"fcntl","fd":3,"cmd":"F_GETFL"}');
    expect(formatStep(getfl, { ret: 0o4001 })).toBe(
      "[pid 2] fcntl(3, F_GETFL) = 0x801 (flags O_WRONLY|O_NONBLOCK)",
    );
    expect(formatStep(getfl, { ret: 0 })).toBe("[pid 2] fcntl(3, F_GETFL) = 0x0 (flags O_RDONLY)");
  });

  test("kill with signal 0, keys as unsigned hex, unknown commands as numbers", () => {
    expect(formatStep(step('{"pid":2,"call":"kill","target":3,"sig":0}'), { ret: 0 })).toBe(
      "[pid 2] kill(3, 0) = 0",
    );
    expect(formatStep(step('{"pid":2,"call":"msgget","key":-1}'), { ret: 0 })).toBe(
      "[pid 2] msgget(0xffffffff, 0600) = 0",
    );
    expect(formatStep(step('{"pid":2,"call":"msgctl","msqid":0,"cmd":99}'), { ret: 0 })).toBe(
      "[pid 2] msgctl(0, 99, NULL) = 0",
    );
  });
});

describe("events and outcomes", () => {
  const trace = parseTrace(
    [
      '{"trace":"ipcsim","version":1}',
      '{"pid":3,"call":"read","fd":3,"count":5}',
      '{"pid":2,"call":"write","fd":4,"data":"hello"}',
    ].join("\n"),
    "e.jsonl",
  );

  test("a wake names the resumed call when the trace is given", () => {
    const wake = { wake: 3, step: 0, result: { ret: 5, data: text("hello") } };
    expect(formatEvent(wake, trace.steps)).toBe('[pid 3] <... read resumed> = 5 "hello"');
    expect(formatEvent(wake)).toBe('[pid 3] <... step 0 resumed> = 5 "hello"');
    expect(formatEvent({ wake: 3, step: 0, result: { ret: -1, errno: "EINTR" } }, trace.steps))
      .toBe("[pid 3] <... read resumed> = -1 EINTR (Interrupted system call)");
  });

  test("signals, exits, stops", () => {
    expect(formatEvent({ signal: "SIGUSR1", pid: 3 })).toBe("[pid 3] --- SIGUSR1 ---");
    expect(formatEvent({ exit: 3, status: { exited: 0 } })).toBe("[pid 3] +++ exited with 0 +++");
    expect(formatEvent({ exit: 2, status: { signaled: "SIGPIPE" } })).toBe(
      "[pid 2] +++ killed by SIGPIPE +++",
    );
    expect(formatEvent({ exit: 2, status: { signaled: "SIGSEGV", core: true } })).toBe(
      "[pid 2] +++ killed by SIGSEGV (core dumped) +++",
    );
    expect(formatEvent({ stop: 4 })).toBe("[pid 4] --- stopped ---");
    expect(formatEvent({ cont: 4 })).toBe("[pid 4] --- continued ---");
  });

  test("formatOutcome: the call line, then its events in order", () => {
    const lines = formatOutcome(trace.steps[1], {
      step: 1, pid: 2, call: "write", result: { ret: 5 },
      events: [{ wake: 3, step: 0, result: { ret: 5, data: text("hello") } }, { stop: 3 }],
    }, trace.steps);
    expect(lines).toEqual([
      '[pid 2] write(4, "hello", 5) = 5',
      '[pid 3] <... read resumed> = 5 "hello"',
      "[pid 3] --- stopped ---",
    ]);
  });

  test("a write killed by SIGPIPE has no return value", () => {
    const lines = formatOutcome(trace.steps[1], {
      step: 1, pid: 2, call: "write", events: [{ exit: 2, status: { signaled: "SIGPIPE" } }],
    });
    expect(lines).toEqual([
      '[pid 2] write(4, "hello", 5) = ?',
      "[pid 2] +++ killed by SIGPIPE +++",
    ]);
  });
});

describe("strings", () => {
  test("escapes as strace does", () => {
    expect(quoteBytes(text('a"b\\c\n\t\r\v\f'))).toBe('"a\\"b\\\\c\\n\\t\\r\\v\\f"');
    // Octal escapes take three digits only when an octal digit follows.
    expect(quoteBytes(new Uint8Array([0, 0x31, 1, 0x38, 0xff]))).toBe('"\\0001\\18\\377"');
    expect(quoteBytes(text("é"))).toBe('"\\303\\251"');
  });

  test("cuts after 32 bytes with ... after the quote", () => {
    const s = "0123456789abcdefghijklmnopqrstuvwxyz";
    expect(quoteBytes(text(s))).toBe(`"${s.slice(0, 32)}"...`);
    expect(quoteBytes(text(s.slice(0, 32)))).toBe(`"${s.slice(0, 32)}"`);
    expect(quoteBytes(text(s), 4)).toBe('"0123"...');
  });
});

describe("flags and errno texts", () => {
  test("flags by C name joined with |, unknown bits in hex, zero by its name or 0", () => {
    expect(flagsToString(FLAGS.ipc.IPC_CREAT | FLAGS.ipc.IPC_EXCL, NAMES.ipcget)).toBe(
      "IPC_CREAT|IPC_EXCL",
    );
    expect(flagsToString(FLAGS.ipc.IPC_CREAT | 0x1, NAMES.ipcget)).toBe("IPC_CREAT|0x1");
    expect(flagsToString(0, NAMES.prot)).toBe("PROT_NONE");
    expect(flagsToString(0, NAMES.wait)).toBe("0");
    expect(flagsToString(0x80000000, NAMES.sigaction)).toBe("SA_RESETHAND");
  });

  test("every errno has its strerror text", () => {
    for (const name of Object.keys(ERRNO)) {
      expect(STRERROR[name as keyof typeof ERRNO], name).toMatch(/^[A-Z][a-z]/);
    }
    expect(STRERROR.EPIPE).toBe("Broken pipe");
  });
});
