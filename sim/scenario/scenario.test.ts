// The simulator end to end: the os API and ErrnoError, replay, deadlock explanations, end
// checks, sometimes, shrinking, the trace a run records.

import { describe, expect, it } from "vitest";
import {
  F_GETOWN, F_SETFL, F_SETOWN, IPC_CREAT, IPC_NOWAIT, IPC_PRIVATE, IPC_RMID, O_ASYNC, O_NONBLOCK,
  SIGCONT, SIGSTOP, SIGTERM,
} from "./constants.js";
import { ErrnoError } from "./errors.js";
import { explore } from "./explore.js";
import type { Os } from "./os.js";
import { run } from "./run.js";
import { parseTrace } from "../trace/parse.js";
import { checkTrace } from "../replay.js";
import pipeEof from "./testdata/pipe-eof.js";
import pipeLeak from "./testdata/pipe-leak.js";
import semCycle from "./testdata/sem-cycle.js";
import mix from "./testdata/mix.js";
import sigHandler from "./testdata/sig-handler.js";
import shmCounter from "./testdata/shm-counter.js";

describe("the os API", () => {
  it("runs the classic pipe program to completion, returning 0 from main as exit(0)", async () => {
    const r = await run(pipeEof, { seed: 1, kernelCheck: true });
    expect(r.verdict).toEqual({ kind: "ok" });
    expect(r.exec.steps.map((s) => s.call)).toContain("exit");
  });

  it("throws ErrnoError with Linux's errno name, value and the call", async () => {
    const seen: unknown[] = [];
    await run(async (os: Os) => {
      try { await os.read(42, 1); } catch (e) { seen.push(e); }
      const q = await os.msgget(IPC_PRIVATE, IPC_CREAT | 0o600);
      try { await os.msgrcv(q, 8, 0, IPC_NOWAIT); } catch (e) { seen.push(e); }
      const [r] = await os.pipe(O_NONBLOCK);
      try { await os.read(r, 1); } catch (e) { seen.push(e); }
      await os.msgctl(q, IPC_RMID);
    });
    expect(seen.map((e) => e instanceof ErrnoError && [e.code, e.errno, e.syscall])).toEqual([
      ["EBADF", 9, "read"], ["ENOMSG", 42, "msgrcv"], ["EAGAIN", 11, "read"],
    ]);
    expect((seen[0] as Error).message).toBe("EBADF: Bad file descriptor, read (pid 2)");
  });

  it("fails the run on an uncaught ErrnoError, naming it", async () => {
    const r = await run(async (os: Os) => { await os.close(9); });
    expect(r.verdict)
      .toMatchObject({ kind: "exception", pid: 2, message: "uncaught EBADF from close" });
  });

  it("fails the run on a failed os.assert even when the scenario catches it", async () => {
    const r = await run(async (os: Os) => {
      try { os.assert(false, "total is 2"); } catch { /* swallowed */ }
      await os.pipe();
    });
    expect(r.verdict).toEqual({ kind: "assertion", pid: 2, message: "total is 2" });
  });

  it("refuses a second call while the first is pending", async () => {
    const r = await run(async (os: Os) => {
      await Promise.all([os.pipe(), os.pipe()]);
    });
    expect(r.verdict.kind).toBe("exception");
    expect(r.verdict.kind === "exception" && r.verdict.message).toMatch(/still pending/);
  });

});

describe("signals and shared memory", () => {
  it("run a JS handler in the signalled process before its call returns", async () => {
    const texts: string[] = [];
    for (let seed = 1; seed <= 6; seed++) {
      const r = await run(sigHandler, { seed, kernelCheck: true });
      expect(r.verdict).toEqual({ kind: "ok" });
      texts.push(r.exec.logs.join("\n"));
    }
    // Some schedules interrupt the blocked read (EINTR), others deliver before it is made.
    expect(texts.some((t) => t.includes("read EINTR"))).toBe(true);
    expect(texts.some((t) => t.includes("read 1"))).toBe(true);
  });

  it("record shared-memory addresses as refs and find the lost update", async () => {
    const r = await explore(shmCounter, { runs: 200, seed: 1 });
    expect(r.shrunk?.verdict).toMatchObject({ kind: "assertion", message: "total is 1" });
    const lines = r.shrunk!.trace().split("\n").filter((l) => l.includes('"call":"store"'));
    expect(lines[0]).toContain('"addr":{"ref":1,"offset":8}');
  });

  it("end with the verdict unsupported for a call the model cannot pass " +
    "(a 33-bit argument)", async () => {
    const r = await run(async (os: Os) => { await os.close(2 ** 33); });
    expect(r.verdict)
      .toMatchObject({ kind: "unsupported", message: expect.stringContaining("32-bit") });
  });
});

describe("replay", () => {
  it("reproduces a run's trace from its decision string", async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const a = await run(mix, { seed, strategy: "random" });
      const b = await run(mix, { replay: a.decisions });
      expect(b.decisions).toBe(a.decisions);
      expect(b.trace()).toBe(a.trace());
      expect(b.text()).toEqual(a.text());
    }
  });

  it("gives explore's failure, found by runs not recorded, the trace of the same run " +
    "recorded", async () => {
    const found = (await explore(shmCounter, { runs: 200, seed: 1, shrink: false })).failure!;
    expect(found.exec.recorded).toBe(true);
    expect(found.exec.outcomes.length).toBe(found.steps);
    const again = await run(shmCounter, { replay: found.decisions });
    expect(found.trace()).toBe(again.trace());
  });

  it("records a trace the model's checker accepts step by step", async () => {
    const a = await run(mix, { seed: 7, name: "mix" });
    const trace = parseTrace(a.trace(), "mix.jsonl");
    expect(trace.steps.length).toBe(a.steps);
    expect(checkTrace(trace, { check: true }).divergence).toBeUndefined();
  });

  it("records a stopped child continued into a pending fatal signal as its exit only", async () => {
    const a = await run(async (os: Os) => {
      const child = await os.fork(async (c) => { await c.pause(); });
      await os.kill(child, SIGSTOP);
      await os.kill(child, SIGTERM); // pending: a stopped process acts only on KILL and CONT
      await os.kill(child, SIGCONT); // continues, and dies of SIGTERM in the same step
      await os.waitpid(child, 0);
    }, { seed: 1, name: "cont-then-die" });
    const trace = parseTrace(a.trace(), "cont-then-die.jsonl");
    const cont = trace.steps.find((s) => s.call === "kill" && s.args.sig === SIGCONT)!;
    expect(JSON.stringify(cont.expectEvents)).toContain('"exit"');
    expect(JSON.stringify(cont.expectEvents)).not.toContain('"cont"');
    expect(checkTrace(trace, { check: true }).divergence).toBeUndefined();
  });
});

describe("signal-driven I/O", () => {
  // Issue 21: fcntl(F_SETOWN) + O_ASYNC on a pipe answered EINVAL; a write must kill the owner.
  it("a child's write sends SIGIO to the pipe's owner, whose default action kills it", async () => {
    let owner = 0;
    let status: unknown;
    await run(async (os: Os) => {
      const [r, w] = await os.pipe();
      const reader = await os.fork(async (c) => { await c.pause(); });
      await os.fcntl(r, F_SETOWN, -2);
      owner = await os.fcntl(r, F_GETOWN);
      await os.fcntl(r, F_SETOWN, reader);
      await os.fcntl(r, F_SETFL, O_ASYNC);
      await os.write(w, "x");
      status = await os.waitpid(reader, 0);
    }, { seed: 1, kernelCheck: true });
    expect(owner).toBe(-2);
    expect(status).toEqual({ pid: 3, status: { signaled: "SIGIO" } });
  });
});

describe("deadlock explanations", () => {
  it("name the pipe whose only write end the blocked reader holds itself, " +
    "inherited at fork", async () => {
    const r = await run(pipeLeak, { seed: 1 });
    expect(r.verdict.kind).toBe("deadlock");
    const text = r.verdict.kind === "deadlock" ? r.verdict.explanation.join("\n") : "";
    expect(text).toContain("pid 3 blocked in read(3, 64)");
    expect(text).toContain(
      "on pipe #1 (empty), whose only write end is held by pid 3 itself " +
      "(fd 4, write end of pipe() at step 0, inherited at fork)",
    );
    expect(text).toContain("pid 2 blocked in waitpid(3, 0)");
    expect(text).toContain("wait-for cycle: pid 3 -> pid 3");
  });

  it("name the two semaphores of a lock-order cycle and who holds each", async () => {
    const r = await explore(semCycle, { runs: 200, seed: 1 });
    expect(r.ok).toBe(false);
    const v = r.shrunk!.verdict;
    expect(v.kind).toBe("deadlock");
    const text = v.kind === "deadlock" ? v.explanation.join("\n") : "";
    /** `pid` blocked taking sem `num` of set 0, which only `other` can give back. */
    const waits = (pid: number, num: number, other: number) => new RegExp(
      `pid ${pid} blocked in semop\\(0, \\[\\{sem_num=${num}, sem_op=-1, sem_flg=0\\}\\], 1\\) ` +
      `\\(step \\d+\\) waiting on set 0 sem ${num} \\(value 0\\) ` +
      `for a V \\(\\+1\\) that only pid ${other} can do`,
    );
    expect(text).toMatch(waits(2, 1, 3));
    expect(text).toMatch(waits(3, 0, 2));
    expect(text).toContain("wait-for cycle: pid 2 -> pid 3 -> pid 2");
  });
});

describe("end checks and sometimes", () => {
  const leaky = async (os: Os) => {
    const [r, w] = await os.pipe();
    await os.msgget(IPC_PRIVATE, IPC_CREAT | 0o600);
    await os.fork(async () => {});
    await os.write(w, "unread");
    await os.close(r);
    await os.close(w);
  };

  it("find zombies, IPC objects left and undrained pipes, only when asked", async () => {
    expect((await run(leaky, { replay: "" })).verdict).toEqual({ kind: "ok" });
    // The child exits first (replay "1" lets it run at the fork), and pid 2 never reaps it.
    const z = await run(leaky, { replay: "1", checks: { zombies: true } });
    expect(z.verdict).toEqual({
      kind: "check", check: "zombies",
      messages: ["pid 2 exited without reaping its child pid 3 (a zombie until init reaped it)"],
    });
    const ipc = await run(leaky, { checks: { ipcObjects: true } });
    expect(ipc.verdict).toEqual({
      kind: "check", check: "ipcObjects",
      messages: ["1 SysV message queue left (remove with IPC_RMID)"],
    });
    const pipes = await run(leaky, { checks: { pipesDrained: true } });
    expect(pipes.verdict).toEqual({
      kind: "check", check: "pipesDrained",
      messages: ["pipe #1: 6 of 6 bytes written were never read"],
    });
  });

  it("report each sometimes condition as covered or not across explored runs", async () => {
    const racy = async (os: Os) => {
      const [r, w] = await os.pipe(O_NONBLOCK);
      await os.fork(async (c) => { await c.write(w, "x"); });
      let got = false;
      try { got = (await os.read(r, 1)).length === 1; } catch { /* EAGAIN */ }
      os.sometimes(got, "read before the write");
      os.sometimes(!got, "read after the write");
      os.sometimes(false, "never");
      await os.waitpid(-1);
    };
    const r = await explore(racy, { runs: 50, seed: 3 });
    expect(r.ok).toBe(true);
    expect(r.sometimes)
      .toEqual({ "read before the write": true, "read after the write": true, never: false });
  });
});

describe("shrinking", () => {
  /** Fails when pid 3's one write lands before pid 2's nonblocking read, after noise. */
  const needle = async (os: Os) => {
    const [r, w] = await os.pipe(O_NONBLOCK);
    const [nr, nw] = await os.pipe();
    await os.fork(async (c) => {
      for (let i = 0; i < 6; i++) await c.write(nw, "n");
      await c.write(w, "x");
      for (let i = 0; i < 6; i++) await c.write(nw, "n");
    });
    for (let i = 0; i < 6; i++) await os.write(nw, "p");
    let got = 0;
    try { got = (await os.read(r, 1)).length; } catch { /* EAGAIN */ }
    os.assert(got === 0, "read saw the child's byte");
    await os.close(nr);
    await os.waitpid(-1);
  };

  it("produces a shorter failing decision log with no more preemptions", async () => {
    const r = await explore(needle, { runs: 500, seed: 11 });
    expect(r.ok).toBe(false);
    const found = r.failure!;
    const shrunk = r.shrunk!;
    expect(shrunk.verdict).toEqual(found.verdict);
    expect(shrunk.preemptions).toBeLessThanOrEqual(found.preemptions);
    expect(shrunk.decisions.length).toBeLessThanOrEqual(found.decisions.length);
    expect(shrunk.preemptions).toBe(1);
    const again = await run(needle, { replay: shrunk.decisions });
    expect(again.verdict).toEqual(found.verdict);
  });
});
