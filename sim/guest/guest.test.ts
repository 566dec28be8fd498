// C programs as guests (issue 19): compiled with clang for wasm32-wasi, each simulated process
// an instance, every call a scheduling point through the scenario `os`. The examples in
// examples/c run, their output is what Linux prints, an unflushed printf before fork prints
// twice, the C lock-order deadlock is found by PCT and explained, and bad programs get a clear
// verdict (a compile error, an unsupported call, abort()). Against Linux: examples/c/c.test.ts.

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { explore } from "../scenario/explore.js";
import { loadScenario, ScenarioLoadError } from "../scenario/load.js";
import { outputByPid, run, type RunResult } from "../scenario/run.js";
import { guestOutput as output } from "./testdata/output.js";

const TMP = mkdtempSync(join(tmpdir(), "ipcsim-guest-"));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const load = (f: string) => loadScenario(f);

describe("C guests on the model", () => {
  it("pipe.c: the child reads the parent's line; the unflushed printf is printed twice",
    async () => {
      const r = await run(await load("examples/c/pipe.c"), { seed: 1, strategy: "pct" });
      expect(r.verdict).toEqual({ kind: "ok" });
      const out = output(r);
      expect(out.filter(([, t]) => t === "before fork").map(([pid]) => pid).sort())
        .toEqual([2, 3]);
      expect(out).toContainEqual([3, "child 3 read 22: hello through the pipe"]);
      expect(out).toContainEqual([2, "parent reaped 3 status 0"]);
    }, 120_000);

  it("msg-typed.c: typed receives in every schedule of random and pct", async () => {
    const main = await load("examples/c/msg-typed.c");
    for (const strategy of ["random", "pct"]) {
      for (let seed = 1; seed <= 5; seed++) {
        const r = await run(main, { seed, strategy, checks: { ipcObjects: true } });
        expect(r.verdict, r.replayCommand).toEqual({ kind: "ok" });
        expect(output(r).map(([, t]) => t)).toEqual(["child got type 2: two",
          "child got type 1: one", "child got type 3: three"]);
      }
    }
  }, 120_000);

  it("sem-order.c: explore --strategy pct finds the lock-order deadlock and its cycle",
    async () => {
      const main = await load("examples/c/sem-order.c");
      const r = await explore(main, { strategy: "pct", seed: 7, runs: 1000 });
      expect(r.ok).toBe(false);
      expect(r.shrunk!.verdict.kind).toBe("deadlock");
      expect(r.shrunk!.preemptions).toBe(1);
      expect(r.shrunk!.text().join("\n")).toContain("wait-for cycle: pid 3 -> pid 4 -> pid 3");
    }, 120_000);

  it("instances reused across runs and forks leave no trace: a seed gives the same run",
    async () => {
      const main = await load("examples/c/pipe.c");
      const first = await run(main, { seed: 5, strategy: "random" });
      for (let i = 0; i < 20; i++) {
        await run(main, { seed: i, strategy: "pct" }); // dirty the kept instances
        const again = await run(main, { seed: 5, strategy: "random" });
        expect(again.trace()).toBe(first.trace());
      }
    }, 120_000);

  it("sigchld.c: a C handler reaps both children (its waitpid calls are steps inside it), " +
    "in every schedule of random and pct", async () => {
    const main = await load("examples/c/sigchld.c");
    for (const strategy of ["random", "pct"]) {
      for (let seed = 1; seed <= 5; seed++) {
        const r = await run(main, { seed, strategy, checks: { zombies: true } });
        expect(r.verdict, r.replayCommand).toEqual({ kind: "ok" });
        expect(output(r)).toEqual([[2, "reaped 2 children"]]);
        expect(r.text().join("\n")).toMatch(/--- SIGCHLD .*handler runs/);
      }
    }
  }, 120_000);

  it("the calls made from the table reach C: sockets, epoll, poll, FIFOs, flock, POSIX " +
    "queues, the clock", async () => {
    const r = await run(await load("sim/guest/testdata/table-calls.c"), { seed: 1 });
    expect(r.verdict).toEqual({ kind: "ok" });
    expect(output(r).map(([, t]) => t)).toEqual([
      "epoll_wait 1 fd 4 events 1", "poll 1 revents 1", "recv 2 hi", "fifo fd 6 fl 8802",
      "flock 0", "mq 7 got 3 prio 5", "bind 0 listen 0", "mono 0",
    ]);
  }, 120_000);

  it("console output is shown in the order it was written, with its pid and stream, after " +
    "its write step; --output-by-pid groups it by process", async () => {
    const main = await load("sim/guest/testdata/output-order.c");
    for (let seed = 1; seed <= 3; seed++) {
      const r = await run(main, { seed, strategy: "pct" });
      expect(output(r)).toEqual([[2, "parent first"], [3, "child second"],
        [3, "child on stderr"], [2, "parent last"]]);
      const text = r.text();
      const at = (s: string) => text.findIndex((l) => l.includes(s));
      expect(text[at("# stderr (pid 3): child on stderr") - 1]).toMatch(/write\(2, "child on/);
      // Without a newline, the last line is shown when the run ends.
      expect(text[at("# stdout (pid 2): parent last") - 1]).toMatch(/pid 2\] \+\+\+ exited/);
      expect(outputByPid(text).output).toEqual(["pid 2:", "  parent first", "  parent last",
        "pid 3:", "  child second", "  child on stderr"]);
      expect(outputByPid(text).rest.some((l) => l.includes("# std"))).toBe(false);
    }
  }, 120_000);

  it("errno reaches the guest in wasi-libc's numbering (strerror, ECHILD)", async () => {
    const r = await run(await load("sim/guest/testdata/errno.c"));
    expect(output(r).map(([, t]) => t))
      .toEqual(["dup2: -1 Bad file descriptor", "waitpid: -1 ECHILD"]);
  }, 120_000);

  it("abort() kills the process with SIGABRT; its parent sees it and goes on", async () => {
    const r = await run(await load("sim/guest/testdata/abort.c"));
    expect(r.verdict.kind).toBe("exit-status");
    expect(output(r)).toContainEqual([2, "child signaled 1 sig 6"]);
  }, 120_000);

  it("a call not modelled for C is an unsupported verdict naming it", async () => {
    const r = await run(await load("sim/guest/testdata/unsupported.c"));
    expect(r.verdict).toEqual({ kind: "unsupported",
      message: "msgctl command 2 is not modelled for C guests yet" });
  }, 120_000);

  it("an SA_SIGINFO handler gets its siginfo (signo, SI_USER, the sender); exec is an " +
    "unsupported verdict", async () => {
    const r = await run(await load("sim/guest/testdata/siginfo.c"));
    expect(output(r)).toEqual([[2, "signo SIGUSR1, code 0, from itself"]]);
    expect(r.verdict).toMatchObject({ kind: "unsupported" });
    expect((r.verdict as { message: string }).message).toMatch(/^execve: exec is not modelled/);
  }, 120_000);

  it("a program that does not compile is a load error with the compiler's message", async () => {
    const bad = join(TMP, "bad.c");
    execFileSync("sh", ["-c", `echo 'int main(void) { return x; }' > ${bad}`]);
    await expect(load(bad)).rejects.toThrow(ScenarioLoadError);
    await expect(load(bad)).rejects.toThrow(/undeclared identifier 'x'/);
  }, 60_000);

  it("a missing toolchain is one message naming the packages", async () => {
    const saved = process.env.IPCSIM_CLANG;
    process.env.IPCSIM_CLANG = "/nonexistent/clang";
    try {
      await expect(load("examples/c/pipe.c")).rejects.toThrow(
        /apt-get install clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32/);
    } finally {
      if (saved === undefined) delete process.env.IPCSIM_CLANG;
      else process.env.IPCSIM_CLANG = saved;
    }
  });
});
