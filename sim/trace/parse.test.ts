import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { FLAGS, HANDLERS, SIGNALS } from "../../wasm/abi.js";
import { CALL_NAMES } from "./calls.js";
import { callSpec, type CallName } from "../../wasm/calls.js";
import { decodeStep, outcomeFromJson, parseTrace, readTraceFile } from "./parse.js";
import { errorOf, failure, FILE, HEADER, oneStep, parse } from "./testdata/parse-helpers.js";

describe("the file", () => {
  test("skips blank lines and # comments and numbers steps by index and file line", () => {
    const t = parseTrace(
      ["# a comment", "", HEADER, "  # indented comment", '{"pid":2,"call":"fork"}', "",
        '{"pid":3,"call":"pause"}\r'].join("\n"),
      "t.jsonl",
    );
    expect(t.file).toBe("t.jsonl");
    expect(t.steps.map((s) => [s.index, s.line, s.pid, s.call])).toEqual([
      [0, 5, 2, "fork"],
      [1, 7, 3, "pause"],
    ]);
  });

  test("keeps each step's JSON as raw", () => {
    const s = oneStep('{"pid": 2, "call": "close", "fd": 3, "comment": "why"}');
    expect(s.raw).toEqual({ pid: 2, call: "close", fd: 3, comment: "why" });
  });

  test("an empty file has no header", () => {
    expect(errorOf(() => parseTrace("# only\n\n", "e.jsonl")).message).toBe(
      'e.jsonl: empty trace: no header line {"trace": "ipcsim", "version": 1}',
    );
  });

  test("invalid JSON names the line", () => {
    expect(failure('{"pid": 2, "call": "fork"')).toMatch(/^traces\/x\.jsonl:2: invalid JSON: /);
  });

  test("a step before the header is reported as such", () => {
    const m = errorOf(() => parseTrace('{"pid": 2, "call": "fork"}', FILE)).message;
    expect(m).toBe(`${FILE}:1: expected the header ${HEADER} first`);
  });

  test("a second header is an error", () => {
    expect(failure(HEADER)).toBe(`${FILE}:2: a second header (only the first line is one)`);
  });
});

describe("the header", () => {
  const header = (h: string) => parseTrace(h, FILE).header;

  test("name, description and params", () => {
    const h = header(
      '{"trace":"ipcsim","version":1,"name":"n","description":"d",' +
        '"params":{"kernel.msgmnb":16384,"kernel.msg_next_id":-1}}',
    );
    expect(h).toEqual({
      trace: "ipcsim", version: 1, name: "n", description: "d",
      params: { "kernel.msgmnb": 16384, "kernel.msg_next_id": -1 },
    });
  });

  test("params default to none", () => {
    expect(header(HEADER).params).toEqual({});
  });

  test("kernel.sem is four numbers, as an array or as Linux prints it", () => {
    const sem = (v: string) =>
      header(`{"trace":"ipcsim","version":1,"params":{"kernel.sem":${v}}}`);
    expect(sem("[1, 2, 3, 4]").params["kernel.sem"]).toEqual([1, 2, 3, 4]);
    expect(sem('"32000 1024000000\\t500  32000"').params["kernel.sem"]).toEqual([
      32000, 1024000000, 500, 32000,
    ]);
    expect(errorOf(() => sem('"1 2 3"')).message).toBe(
      `${FILE}:1: field "params.kernel.sem": expected four integers, [32000, 1024000000, 500, ` +
        `32000] or "32000 1024000000 500 32000", got "1 2 3"`,
    );
    expect(errorOf(() => sem("[1, 2, 3, -4]")).message).toContain("got [1,2,3,-4]");
  });

  test("a misspelt sysctl is named unknown, with the nearest and the known ones", () => {
    const m = errorOf(() => header('{"trace":"ipcsim","version":1,"params":{"kernel.msgmbn":1}}'));
    expect(m.message).toMatch(new RegExp('^traces/x\\.jsonl:1: field "params\\.kernel\\.msgmbn": ' +
      'unknown sysctl \\(did you mean "kernel\\.msgmnb"\\?\\) \\(known: kernel\\.'));
    expect(m.message).toContain("tmpfs.nr_inodes)");
    const bare = errorOf(() => header('{"trace":"ipcsim","version":1,"params":{"msgmnbb":1}}'));
    expect(bare.message).toContain('unknown sysctl (did you mean "kernel.msgmnb"?)');
  });

  test("a sysctl value must be a non-negative integer (next_id may be -1)", () => {
    const h = '{"trace":"ipcsim","version":1,"params":{"kernel.msgmax":-1}}';
    const m = errorOf(() => header(h));
    expect(m.message).toBe(
      `${FILE}:1: field "params.kernel.msgmax": expected an integer >= 0, got -1`,
    );
  });

  test("another version is refused clearly", () => {
    expect(errorOf(() => header('{"trace":"ipcsim","version":2}')).message).toBe(
      `${FILE}:1: field "version": unsupported trace version 2 (this reader: 1)`,
    );
  });

  test("another format is refused clearly", () => {
    expect(errorOf(() => header('{"trace":"strace","version":1}')).message).toBe(
      `${FILE}:1: field "trace": expected "ipcsim" (this is not an ipcsim trace), got "strace"`,
    );
  });

  test("unknown header fields are errors", () => {
    expect(errorOf(() => header('{"trace":"ipcsim","version":1,"parms":{}}')).message).toBe(
      `${FILE}:1: field "parms": unknown field ` +
        "(the header has trace, version, name, description, params, realtime, comment)",
    );
  });
});

describe("every call", () => {
  const t = readTraceFile(join(import.meta.dirname, "testdata/every-call.jsonl"));
  const args = Object.fromEntries(t.steps.map((s) => [s.call, s.args]));
  const { ipc, ipcctl } = FLAGS;

  test("the test file has a step of every argument kind (a call is decoded by its kinds)", () => {
    const kinds = (calls: readonly CallName[]) =>
      new Set(calls.flatMap((c) => callSpec(c).args.map((a) => a.kind)));
    expect([...kinds(t.steps.map((s) => s.call))].sort()).toEqual([...kinds(CALL_NAMES)].sort());
    // One step a call: the file stays a readable catalogue.
    expect(new Set(t.steps.map((s) => s.call)).size).toBe(t.steps.length);
    expect(t.header.params).toEqual({
      "kernel.msgmnb": 16384, "kernel.sem": [250, 32000, 32, 128],
    });
  });

  test("processes and descriptors", () => {
    expect(args.fork).toEqual({});
    expect(args.exit).toEqual({ status: 7 });
    expect(args.waitpid).toEqual({ target: -1, options: FLAGS.wait.WNOHANG });
    expect(args.pipe).toEqual({ flags: FLAGS.open.O_NONBLOCK | FLAGS.open.O_CLOEXEC });
    expect(args.close).toEqual({ fd: 3 });
    expect(args.dup).toEqual({ fd: 4 });
    expect(args.dup2).toEqual({ oldfd: 4, newfd: 9 });
    expect(args.fcntl).toEqual({ fd: 4, cmd: FLAGS.fcntl.F_SETFL, arg: FLAGS.open.O_NONBLOCK });
    expect(args.read).toEqual({ fd: 3, count: 5 });
    expect(args.write).toEqual({ fd: 4, data: new TextEncoder().encode("hello") });
    expect(args.mkfifo).toEqual({ path: "fifo", mode: 0o640 });
    expect(args.open).toEqual({
      path: "fifo", flags: FLAGS.open.O_RDWR | FLAGS.open.O_NONBLOCK, mode: 0o644,
    });
    expect(args.unlink).toEqual({ path: "fifo" });
  });

  test("SysV IPC", () => {
    expect(args.msgget).toEqual({ key: 0, flags: ipc.IPC_CREAT | ipc.IPC_EXCL, mode: 0o600 });
    expect(args.msgsnd).toEqual({
      msqid: 0, mtype: 1, data: new Uint8Array([0, 255]), flags: ipc.IPC_NOWAIT,
    });
    expect(args.msgrcv).toEqual({ msqid: 0, size: 64, msgtyp: -5, flags: ipc.MSG_NOERROR });
    expect(args.msgctl).toEqual({
      msqid: 0, cmd: ipcctl.IPC_SET, buf: { msg_perm: { mode: 0o660 }, msg_qbytes: 100 },
    });
    expect(args.semget).toEqual({ key: 1234, nsems: 2, flags: ipc.IPC_CREAT, mode: 0o666 });
    expect(args.semop).toEqual({
      semid: 0, sops: [{ num: 0, op: -1, flags: ipc.SEM_UNDO }, { num: 1, op: 1, flags: 0 }],
    });
    expect(args.semtimedop).toEqual({
      semid: 0, sops: [{ num: 0, op: 0, flags: ipc.IPC_NOWAIT }], timeout: { sec: 1, nsec: 500 },
    });
    expect(args.semctl).toEqual({ semid: 0, semnum: 0, cmd: ipcctl.SETALL, arg: [1, 2] });
    expect(args.shmget).toEqual({ key: 42, size: 4096, flags: ipc.IPC_CREAT, mode: 0o600 });
    expect(args.shmat).toEqual({ shmid: 0, shmaddr: 0, flags: ipc.SHM_RDONLY });
    expect(args.shmdt).toEqual({ shmaddr: { ref: 22, offset: 0 } });
    expect(args.shmctl).toEqual({ shmid: 0, cmd: ipcctl.IPC_STAT, buf: null });
  });

  test("memory", () => {
    const { prot, mmap } = FLAGS;
    expect(args.mmap).toEqual({
      addr: 0, length: 8192, prot: prot.PROT_READ | prot.PROT_WRITE,
      flags: mmap.MAP_SHARED | mmap.MAP_ANONYMOUS, fd: -1, offset: 0,
    });
    expect(args.munmap).toEqual({ addr: { ref: 25, offset: 4096 }, length: 4096 });
    expect(args.store).toEqual({
      addr: { ref: 22, offset: 16 }, data: new Uint8Array(20).fill(120),
    });
    expect(args.load).toEqual({ addr: { ref: 22, offset: 0 }, count: 4 });
  });

  test("signals", () => {
    expect(args.kill).toEqual({ target: 3, sig: SIGNALS.SIGUSR1 });
    expect(args.sigqueue).toEqual({ target: 3, sig: SIGNALS.SIGRTMIN + 1, value: -7 });
    expect(args.sigaction).toEqual({
      sig: SIGNALS.SIGUSR2, handler: HANDLERS.catch,
      // SA_RESETHAND is bit 31: the mask must stay a positive number.
      flags: FLAGS.sigaction.SA_RESTART + FLAGS.sigaction.SA_RESETHAND,
      mask: [SIGNALS.SIGUSR1],
    });
    expect(args.sigprocmask).toEqual({
      how: FLAGS.sigprocmask.SIG_BLOCK, set: [SIGNALS.SIGUSR1, SIGNALS.SIGTERM],
    });
    expect(args.sigpending).toEqual({});
    // A stack_t's flags are bits; SS_AUTODISARM is bit 31 and stays positive.
    expect(args.sigaltstack).toEqual({ ss: { sp: 4096, size: 65536, flags: 0x80000001 } });
    expect(args.bind).toEqual({ fd: 3, addr: { abstract: "srv" } });
    expect(args.pause).toEqual({});
    expect(args.sigsuspend).toEqual({ mask: [SIGNALS.SIGINT] });
  });
});

describe("defaults", () => {
  const args = (json: string) => oneStep(json).args;

  test.each([
    ['{"pid":2,"call":"exit"}', { status: 0 }],
    ['{"pid":2,"call":"waitpid","target":-1}', { target: -1, options: 0 }],
    ['{"pid":2,"call":"pipe"}', { flags: 0 }],
    ['{"pid":2,"call":"mkfifo","path":"f"}', { path: "f", mode: 0o644 }],
    ['{"pid":2,"call":"open","path":"f"}', { path: "f", flags: 0, mode: 0o644 }],
    ['{"pid":2,"call":"msgget","key":5}', { key: 5, flags: 0, mode: 0o600 }],
    ['{"pid":2,"call":"semget","key":5,"nsems":1}', { key: 5, nsems: 1, flags: 0, mode: 0o600 }],
    ['{"pid":2,"call":"shmget","key":5,"size":1}', { key: 5, size: 1, flags: 0, mode: 0o600 }],
    ['{"pid":2,"call":"msgrcv","msqid":0,"size":8}', { msqid: 0, size: 8, msgtyp: 0, flags: 0 }],
    ['{"pid":2,"call":"msgctl","msqid":0,"cmd":"IPC_RMID"}', { msqid: 0, cmd: 0, buf: null }],
    ['{"pid":2,"call":"semctl","semid":0,"cmd":"GETALL"}',
      { semid: 0, semnum: 0, cmd: 13, arg: null }],
    ['{"pid":2,"call":"shmat","shmid":0}', { shmid: 0, shmaddr: 0, flags: 0 }],
    ['{"pid":2,"call":"shmat","shmid":0,"shmaddr":null}', { shmid: 0, shmaddr: 0, flags: 0 }],
    ['{"pid":2,"call":"fcntl","fd":3,"cmd":"F_GETFL"}', { fd: 3, cmd: 3, arg: 0 }],
    ['{"pid":2,"call":"semtimedop","semid":0,"sops":[]}', { semid: 0, sops: [], timeout: null }],
    ['{"pid":2,"call":"sigprocmask","how":"SIG_SETMASK"}', { how: 2, set: [] }],
    ['{"pid":2,"call":"sigsuspend"}', { mask: [] }],
  ])("%s", (json, expected) => {
    expect(args(json)).toEqual(expected);
  });

  test("mmap defaults to a NULL address, no flags, fd -1 and offset 0; prot is required", () => {
    expect(args('{"pid":2,"call":"mmap","length":4096,"prot":["PROT_NONE"]}')).toEqual({
      addr: 0, length: 4096, prot: 0, flags: 0, fd: -1, offset: 0,
    });
    expect(failure('{"pid":2,"call":"mmap","length":4096}')).toBe(
      `${FILE}:2: field "prot": missing (mmap takes addr, length, prot, flags, fd, offset)`,
    );
  });

  test("sigaction defaults to no flags and an empty mask", () => {
    expect(args('{"pid":2,"call":"sigaction","sig":10,"handler":"SIG_IGN"}')).toEqual({
      sig: 10, handler: HANDLERS.SIG_IGN, flags: 0, mask: [],
    });
  });
});

describe("argument forms", () => {
  const args = (json: string) => oneStep(json).args;

  test("fcntl: F_SETFD takes FD_ flags, F_SETPIPE_SZ a number", () => {
    expect(args('{"pid":2,"call":"fcntl","fd":3,"cmd":"F_SETFD","arg":["FD_CLOEXEC"]}')).toEqual({
      fd: 3, cmd: FLAGS.fcntl.F_SETFD, arg: 1,
    });
    expect(args('{"pid":2,"call":"fcntl","fd":3,"cmd":"F_SETPIPE_SZ","arg":8192}')).toEqual({
      fd: 3, cmd: FLAGS.fcntl.F_SETPIPE_SZ, arg: 8192,
    });
  });

  test("flags may be raw bits, to test how undefined bits are treated", () => {
    expect(args('{"pid":2,"call":"pipe","flags":1}')).toEqual({ flags: 1 });
  });

  test("commands may be raw numbers; MSG_STAT and GETPID are both 11, for different calls", () => {
    expect(args('{"pid":2,"call":"msgctl","msqid":0,"cmd":99}')).toMatchObject({ cmd: 99 });
    expect(args('{"pid":2,"call":"msgctl","msqid":0,"cmd":"MSG_STAT"}')).toMatchObject({
      cmd: 11,
    });
    expect(failure('{"pid":2,"call":"msgctl","msqid":0,"cmd":"GETPID"}')).toMatch(
      /:2: field "cmd": unknown name "GETPID" \(known: IPC_RMID, IPC_SET, IPC_STAT, IPC_INFO, MSG/,
    );
  });

  test("semctl arguments by command", () => {
    expect(args('{"pid":2,"call":"semctl","semid":0,"semnum":1,"cmd":"SETVAL","arg":3}')).toEqual({
      semid: 0, semnum: 1, cmd: FLAGS.ipcctl.SETVAL, arg: 3,
    });
    expect(
      args('{"pid":2,"call":"semctl","semid":0,"cmd":"IPC_SET",' +
        '"arg":{"sem_perm":{"mode":"0600"}}}'),
    ).toMatchObject({ arg: { sem_perm: { mode: 0o600 } } });
    expect(failure('{"pid":2,"call":"semctl","semid":0,"cmd":"SETVAL"}')).toBe(
      `${FILE}:2: field "arg": missing`,
    );
    expect(failure('{"pid":2,"call":"semctl","semid":0,"cmd":"SETALL","arg":[1,"x"]}')).toBe(
      `${FILE}:2: field "arg[1]": expected an integer, got "x"`,
    );
  });

  test("IPC_SET needs a buffer", () => {
    expect(failure('{"pid":2,"call":"shmctl","shmid":0,"cmd":"IPC_SET","buf":null}')).toBe(
      `${FILE}:2: field "buf": missing (IPC_SET needs a buffer)`,
    );
  });

  test("keys: integers, unsigned hex-sized integers and IPC_PRIVATE", () => {
    expect(args('{"pid":2,"call":"msgget","key":3735928559}')).toMatchObject({ key: 3735928559 });
    expect(args('{"pid":2,"call":"msgget","key":-5}')).toMatchObject({ key: -5 });
    expect(failure('{"pid":2,"call":"msgget","key":"private"}')).toBe(
      `${FILE}:2: field "key": expected a 32-bit integer key or "IPC_PRIVATE", got "private"`,
    );
  });

  test("signals by name or number; kill and sigaction take any 32-bit number (EINVAL)", () => {
    expect(args('{"pid":2,"call":"kill","target":3,"sig":0}')).toEqual({ target: 3, sig: 0 });
    expect(args('{"pid":2,"call":"kill","target":-1,"sig":9}')).toEqual({ target: -1, sig: 9 });
    expect(args('{"pid":2,"call":"kill","target":2,"sig":65}')).toEqual({ target: 2, sig: 65 });
    expect(args('{"pid":2,"call":"kill","target":2,"sig":"SIGRTMIN+3"}'))
      .toEqual({ target: 2, sig: 37 });
    expect(args('{"pid":2,"call":"sigaction","sig":0,"handler":"catch"}'))
      .toMatchObject({ sig: 0 });
    expect(failure('{"pid":2,"call":"sigsuspend","mask":[0]}')).toContain(
      'expected a signal name like "SIGUSR1" or a number 1..64, got 0',
    );
    expect(failure('{"pid":2,"call":"kill","target":3,"sig":"SIGFOO"}')).toBe(
      `${FILE}:2: field "sig": expected a signal name like "SIGUSR1" or a number 0..64, ` +
        'got "SIGFOO"',
    );
  });

  test("refs name an earlier step and only sit in address fields", () => {
    const shmat = '{"pid":2,"call":"shmat","shmid":0}';
    expect(failure('{"pid":2,"call":"shmdt","shmaddr":{"ref":1}}', shmat)).toBe(
      `${FILE}:3: field "shmaddr.ref": expected an earlier step 0..0, got 1`,
    );
    expect(failure('{"pid":2,"call":"shmdt","shmaddr":{"ref":0}}')).toBe(
      `${FILE}:2: field "shmaddr.ref": expected an earlier step (this is step 0), got 0`,
    );
    expect(failure('{"pid":2,"call":"load","addr":{"ref":0,"ofset":4},"count":1}', shmat)).toBe(
      `${FILE}:3: field "addr.ofset": unknown field (a ref has "ref" and "offset")`,
    );
    expect(failure('{"pid":2,"call":"close","fd":{"ref":0}}', shmat)).toBe(
      `${FILE}:3: field "fd": a ref is only allowed in an address field, got {"ref":0}`,
    );
  });

  test("negative offsets are allowed (an address below the mapping)", () => {
    const t = parse('{"pid":2,"call":"shmat","shmid":0}',
      '{"pid":2,"call":"load","addr":{"ref":0,"offset":-1},"count":1}');
    expect(t.steps[1].args).toEqual({ addr: { ref: 0, offset: -1 }, count: 1 });
  });
});

describe("errors name the file, the line, the field and the value", () => {
  test.each([
    ['{"pid":2,"call":"close","fd":"three"}', 'field "fd": expected an integer, got "three"'],
    ['{"pid":2,"call":"read","fd":3,"count":1.5}', 'field "count": expected an integer, got 1.5'],
    ['{"pid":0,"call":"fork"}', 'field "pid": expected a positive integer pid, got 0'],
    ['{"pid":"2","call":"fork"}', 'field "pid": expected a positive integer pid, got "2"'],
    ['{"call":"fork"}', 'field "pid": missing'],
    ['{"pid":2}', 'field "call": missing'],
    ['{"pid":2,"call":7}', 'field "call": expected a call name like "fork", got 7'],
    ['[1]', 'expected a step like {"pid": 2, "call": "fork"}, got [1]'],
    ['{"pid":2,"call":"read","fd":3}', 'field "count": missing (read takes fd, count)'],
    ['{"pid":2,"call":"fork","fd":3}', 'field "fd": unknown field (fork takes no arguments)'],
    [
      '{"pid":2,"call":"msgget","key":1,"flgs":["IPC_CREAT"]}',
      'field "flgs": unknown field (msgget takes key, flags, mode)',
    ],
    [
      '{"pid":2,"call":"msgget","key":1,"flags":["IPC_CREAT","O_CREAT"]}',
      'field "flags[1]": unknown name "O_CREAT" (known: IPC_CREAT, IPC_EXCL)',
    ],
    [
      '{"pid":2,"call":"msgrcv","msqid":0,"size":1,"flags":["SEM_UNDO"]}',
      'field "flags[0]": unknown name "SEM_UNDO" (known: IPC_NOWAIT, MSG_NOERROR, MSG_EXCEPT, ' +
        "MSG_COPY)",
    ],
    [
      '{"pid":2,"call":"msgget","key":1,"flags":"IPC_CREAT"}',
      'field "flags": expected an array of flag names like ["IPC_CREAT"], got "IPC_CREAT"',
    ],
    [
      '{"pid":2,"call":"msgget","key":1,"mode":600}',
      'field "mode": expected an octal mode string like "0600" (at most 07777), got 600',
    ],
    [
      '{"pid":2,"call":"mkfifo","path":"f","mode":"0689"}',
      'field "mode": expected an octal mode string like "0600" (at most 07777), got "0689"',
    ],
    [
      '{"pid":2,"call":"write","fd":4,"data":{"hex":"0g"}}',
      'field "data.hex": expected an even number of hex digits, got "0g"',
    ],
    [
      '{"pid":2,"call":"write","fd":4,"data":{"fill":"xy","count":2}}',
      'field "data.fill": expected a one-character ASCII string or a byte value 0..255, got "xy"',
    ],
    [
      '{"pid":2,"call":"write","fd":4,"data":5}',
      'field "data": expected a string, {"hex": "..."} or {"fill": "x", "count": N}, got 5',
    ],
    [
      '{"pid":2,"call":"semop","semid":0,"sops":[{"num":0,"op":-1,"flags":["SEM_UNDOO"]}]}',
      'field "sops[0].flags[0]": unknown name "SEM_UNDOO" (known: IPC_NOWAIT, SEM_UNDO)',
    ],
    [
      '{"pid":2,"call":"semop","semid":0,"sops":[{"num":0}]}',
      'field "sops[0].op": missing',
    ],
    [
      '{"pid":2,"call":"sigprocmask","how":"SIG_BLOK"}',
      'field "how": unknown name "SIG_BLOK" (known: SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK)',
    ],
    [
      '{"pid":2,"call":"sigaction","sig":"SIGUSR1","handler":"ignore"}',
      'field "handler": unknown name "ignore" (known: SIG_DFL, SIG_IGN, catch, calls)',
    ],
    [
      '{"pid":2,"call":"sigsuspend","mask":["SIGUSR1","USR2"]}',
      'field "mask[1]": expected a signal name like "SIGUSR1" or a number 1..64, got "USR2"',
    ],
    ['{"pid":2,"call":"unlink","path":"a\\u0000b"}', 'field "path": expected a path string ' +
      'without NUL, got "a\\u0000b"'],
    ['{"pid":2,"call":"close","fd":3,"comment":5}', 'field "comment": expected a string, got 5'],
    ['{"pid":2,"call":"exit","expect":{"ret":0}}',
      'field "expect": exit never returns; write its exit event in expect_events'],
    ['{"pid":2,"call":"sigprocmask","how":true}', 'field "how": expected a sigprocmask how name ' +
      "(known: SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK) or a number, got true"],
  ])("%s", (json, detail) => {
    expect(failure(json)).toBe(`${FILE}:2: ${detail}`);
  });

  test("an unknown call lists the known ones", () => {
    const m = failure('{"pid": 2, "call": "frobnicate"}');
    expect(m).toBe(`${FILE}:2: unknown call "frobnicate" (known: ${CALL_NAMES.join(", ")})`);
    expect(m).toContain("(known: fork, exit, waitpid, ");
  });

  test("long values are shortened in messages", () => {
    const m = failure(`{"pid":2,"call":"close","fd":"${"x".repeat(100)}"}`);
    expect(m).toBe(`${FILE}:2: field "fd": expected an integer, got "${"x".repeat(56)}...`);
  });

  test("the error is a TraceError carrying file and line", () => {
    const e = errorOf(() => parse('{"pid":2,"call":"fork"}', '{"pid":2,"call":"nope"}'));
    expect(e).toBeInstanceOf(Error);
    expect([e.name, e.file, e.line]).toEqual(["TraceError", FILE, 3]);
  });
});

describe("decodeStep and outcomeFromJson (outside a file)", () => {
  test("decodeStep decodes one step and checks refs against `earlier`", () => {
    const shmat = decodeStep({ pid: 2, call: "shmat", shmid: 0 }, 0);
    const dt = decodeStep({ pid: 2, call: "shmdt", shmaddr: { ref: 0 } }, 1, [shmat]);
    expect(dt).toMatchObject({
      index: 1, line: 0, call: "shmdt", args: { shmaddr: { ref: 0, offset: 0 } },
    });
    const where = { file: "gen", line: 4 };
    expect(errorOf(() => decodeStep({ pid: 2, call: "nope" }, 0, [], where)).message)
      .toMatch(/^gen:4: unknown call "nope"/);
  });

  test("outcomeFromJson reads the spec's outcome form", () => {
    const o = outcomeFromJson({
      step: 5, pid: 2, call: "write", fd: 4, data: "hi", result: { ret: 2 },
      events: [{ wake: 3, step: 4, result: { ret: 2, data: "hi" } }],
    });
    expect(o).toEqual({
      step: 5, pid: 2, call: "write", result: { ret: 2 },
      events: [{ wake: 3, step: 4, result: { ret: 2, data: new TextEncoder().encode("hi") } }],
    });
  });

  test("outcomeFromJson: no result for a call that did not return; events default to none", () => {
    expect(outcomeFromJson({ step: 0, pid: 2, call: "exit", status: 0 })).toEqual({
      step: 0, pid: 2, call: "exit", events: [],
    });
    expect(errorOf(() => outcomeFromJson({ step: 2, pid: 2, call: "fork", reslt: {} })).message)
      .toBe('<outcome>: field "reslt": unknown field (an outcome)');
    expect(errorOf(() => outcomeFromJson(
      { step: 2, pid: 2, call: "fork", events: [{ wake: 3, step: 2, result: { ret: 0 } }] },
    )).message).toBe('<outcome>: field "events[0].step": expected an earlier step 0..1, got 2');
  });
});

describe("readTraceFile", () => {
  const dir = mkdtempSync(join(tmpdir(), "ipcsim-parse-"));
  const root = join(import.meta.dirname, "../..");

  test("reads a file and names it in errors", () => {
    const path = join(dir, "bad.jsonl");
    writeFileSync(path, `${HEADER}\n{"pid":2,"call":"close","fd":"three"}\n`);
    expect(errorOf(() => readTraceFile(path)).message).toBe(
      `${path}:2: field "fd": expected an integer, got "three"`,
    );
  });

  test("a missing file is a TraceError", () => {
    const path = join(dir, "none.jsonl");
    expect(errorOf(() => readTraceFile(path)).message).toMatch(/none\.jsonl: cannot read: ENOENT/);
  });

  test("invalid UTF-8 is refused rather than silently replaced", () => {
    const path = join(dir, "latin1.jsonl");
    writeFileSync(path, Buffer.from([...Buffer.from(`${HEADER}\n# caf`), 0xe9, 0x0a]));
    expect(errorOf(() => readTraceFile(path)).message).toBe(
      `${path}: not valid UTF-8 (a trace is UTF-8 JSON Lines)`,
    );
    rmSync(dir, { recursive: true, force: true });
  });

  test('"-" reads standard input', () => {
    const entry = join(import.meta.dirname, "testdata/read-stdin.ts");
    const run = spawnSync(process.execPath, ["scripts/run-ts.mjs", entry], {
      cwd: root,
      input: `${HEADER}\n{"pid":2,"call":"fork"}\n{"pid":3,"call":"pause"}\n`,
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    expect(run.stdout.trim()).toBe("<stdin> 2 fork,pause");
  });
});

// Issue 13: `ipcsim record` passed an fd of 4294967296 on to Linux, which read it as 0 and
// closed the agent's stdin. Every integer argument must fit the C type Linux reads it as
// (wasm/calls.ts CType); every test here failed before, by accepting the value.
describe("integer arguments fit the C type Linux reads them as (issue 13)", () => {
  test("record, diff, replay and check read a trace that closes fd 4294967296 as an error", () => {
    const dir = mkdtempSync(join(tmpdir(), "ipcsim-ctype-"));
    const path = join(dir, "fd.jsonl");
    writeFileSync(path, `${HEADER}\n{"pid":2,"call":"close","fd":4294967296}\n`);
    expect(errorOf(() => readTraceFile(path)).message).toBe(
      `${path}:2: field "fd": expected an int -2147483648..2147483647 (close's fd as Linux ` +
      "reads it), got 4294967296",
    );
    rmSync(dir, { recursive: true, force: true });
  });

  test.each([
    ['{"pid":2,"call":"kill","target":4294967295,"sig":0}', "target", "an int", "kill's target"],
    ['{"pid":2,"call":"dup2","oldfd":3,"newfd":-2147483649}', "newfd", "an int", "dup2's newfd"],
    ['{"pid":2,"call":"fcntl","fd":3,"cmd":4294967298}', "cmd", "an int", "fcntl's cmd"],
    ['{"pid":2,"call":"semget","key":1,"nsems":2147483648}', "nsems", "an int", "semget's nsems"],
    ['{"pid":2,"call":"alarm","seconds":4294967296}', "seconds", "an unsigned int",
      "alarm's seconds"],
    ['{"pid":2,"call":"sigqueue","target":3,"sig":10,"value":2147483648}', "value", "an int",
      "sigqueue's value"],
    ['{"pid":2,"call":"semop","semid":0,"sops":[{"num":65536,"op":1}]}', "sops[0].num",
      "an unsigned short", "a sembuf's sem_num"],
    ['{"pid":2,"call":"semop","semid":0,"sops":[{"num":0,"op":32768}]}', "sops[0].op",
      "a short", "a sembuf's sem_op"],
    ['{"pid":2,"call":"semctl","semid":0,"cmd":"SETVAL","arg":2147483648}', "arg", "an int",
      "union semun's val"],
    ['{"pid":2,"call":"semctl","semid":0,"cmd":"SETALL","arg":[1,65536]}', "arg[1]",
      "an unsigned short", "a SETALL value"],
    ['{"pid":2,"call":"msgctl","msqid":0,"cmd":"IPC_SET","buf":{"msg_perm":{"uid":4294967296}}}',
      "buf.msg_perm.uid", "an unsigned int", "ipc_perm's uid"],
    ['{"pid":2,"call":"timer_create","clock":0,"sevp":{"value":-2147483649}}', "sevp.value",
      "an int", "sival_int"],
  ])("%s is refused: field %s, %s (%s)", (line, field, type, whose) => {
    expect(failure(line)).toMatch(new RegExp(
      `^traces/x\\.jsonl:2: field "${field.replace(/[[\]]/g, "\\$&")}": expected ${type} ` +
      `-?\\d+\\.\\.\\d+ \\(${whose} as Linux reads it\\), got -?\\d+$`,
    ));
  });

  test("a sembuf's flags are a short's bits", () => {
    expect(failure('{"pid":2,"call":"semop","semid":0,"sops":[{"num":0,"op":1,"flags":65536}]}'))
      .toBe('traces/x.jsonl:2: field "sops[0].flags": expected sem_flg bits 0..0xffff (a ' +
        "short), got 65536");
  });

  test("values that fit are kept: each type's bounds, a negative unsigned as C converts it", () => {
    const t = parse(
      '{"pid":2,"call":"close","fd":2147483647}',
      '{"pid":2,"call":"kill","target":-2147483648,"sig":0}',
      '{"pid":2,"call":"read","fd":3,"count":-1}',
      '{"pid":2,"call":"msgrcv","msqid":0,"size":4294967296,"msgtyp":-1099511627776}',
      '{"pid":2,"call":"msgsnd","msqid":0,"mtype":1099511627776,"data":""}',
      '{"pid":2,"call":"alarm","seconds":4294967295}',
      '{"pid":2,"call":"fcntl","fd":3,"cmd":"F_SETPIPE_SZ","arg":4294967296}',
      '{"pid":2,"call":"semop","semid":0,"sops":[{"num":65535,"op":-32768,"flags":65535}]}',
      '{"pid":2,"call":"semctl","semid":0,"cmd":"SETALL","arg":[-1,65535]}',
    );
    expect(t.steps.map((s) => Object.values(s.args).flat())).toEqual([
      [2147483647], [-2147483648, 0], [3, -1], [0, 4294967296, -1099511627776, 0],
      [0, 1099511627776, new Uint8Array(), 0], [4294967295], [3, FLAGS.fcntl.F_SETPIPE_SZ, 2 ** 32],
      [0, { num: 65535, op: -32768, flags: 65535 }], [0, 0, FLAGS.ipcctl.SETALL, -1, 65535],
    ]);
  });
});
