// Handlers that make calls in scenarios (issue 15): fn runs as the frame (its calls are steps
// inside it, with the handler's mask), returning is sigreturn, the interrupted call finishes
// after it; and the bug suite's handler bugs are found by PCT and their fixes pass.

import { describe, expect, it } from "vitest";
import { explore } from "./explore.js";
import { loadScenario } from "./load.js";
import type { Os } from "./os.js";
import { run } from "./run.js";
import { ErrnoError } from "./errors.js";
import {
  SA_NODEFER, SA_ONSTACK, SA_RESTART, SIG_BLOCK, SIGCHLD, SIGUSR1, SIGUSR2, SS_AUTODISARM,
  SS_DISABLE, SS_ONSTACK,
} from "./constants.js";
import type { SigInfo } from "./os-types.js";

describe("a handler's fn runs as its frame", () => {
  it("sees the handler's mask, and the main code's mask is back after sigreturn", async () => {
    const seen: string[][] = [];
    const r = await run(async (os: Os) => {
      await os.sigaction(SIGUSR1, async (_sig, info, h) => {
        seen.push(await h.sigprocmask(SIG_BLOCK, []));
        h.assert(info.signo === SIGUSR1 && info.code === 0, "siginfo: SIGUSR1, SI_USER");
      }, 0, [SIGUSR2]);
      await os.kill(2, SIGUSR1);
      seen.push(await os.sigprocmask(SIG_BLOCK, []));
    }, { replay: "" });
    expect(r.verdict.kind).toBe("ok");
    expect(seen).toEqual([["SIGUSR1", "SIGUSR2"], []]);
    const text = r.text().join("\n");
    expect(text).toMatch(/kill\(2, SIGUSR1\) <unfinished \.\.\.>/);
    expect(text).toMatch(/sigreturn\(\) = 0\n.*<\.\.\. kill resumed> = 0/);
  });

  it("runs an SA_ONSTACK handler on the alternate stack: SS_ONSTACK there, EPERM to change it",
    async () => {
    const seen: unknown[] = [];
    const r = await run(async (os: Os) => {
      seen.push(await os.sigaltstack({ sp: 1 << 20, size: 65536, flags: SS_AUTODISARM }));
      await os.sigaction(SIGUSR1, async (_sig, _info, h) => {
        seen.push(await h.sigaltstack()); // disarmed by the delivery
        await h.sigaltstack({ sp: 1 << 20, size: 65536 });
        seen.push((await h.sigaltstack()).flags);
        await h.sigaltstack({ flags: SS_DISABLE }).catch((e: ErrnoError) => seen.push(e.code));
      }, SA_ONSTACK);
      await os.kill(2, SIGUSR1);
      seen.push(await os.sigaltstack());
    }, { replay: "" });
    expect(r.verdict.kind).toBe("ok");
    expect(seen).toEqual([
      { sp: 0, size: 0, flags: SS_DISABLE },
      { sp: 0, size: 0, flags: SS_DISABLE },
      SS_ONSTACK,
      "EPERM",
      // sigreturn's restore is checked from the handler's stack: EPERM, the change stays.
      { sp: 1 << 20, size: 65536, flags: 0 },
    ]);
  });

  it("nests a second signal's frame inside the first with SA_NODEFER, after it without",
    async () => {
    for (const [flags, order] of [[SA_NODEFER, "in 1, in 2, out 2, out 1"],
      [0, "in 1, out 1, in 2, out 2"]] as const) {
      const log: string[] = [];
      let n = 0;
      const r = await run(async (os: Os) => {
        await os.sigaction(SIGUSR1, async (_sig, _info, h) => {
          const me = ++n;
          log.push(`in ${me}`);
          if (me === 1) await h.kill(2, SIGUSR1);
          log.push(`out ${me}`);
        }, flags);
        await os.kill(2, SIGUSR1);
      }, { replay: "" });
      expect(r.verdict.kind).toBe("ok");
      expect(log.join(", ")).toBe(order);
    }
  });

  it("ends the interrupted read with EINTR at sigreturn, or restarts it (SA_RESTART) to read " +
    "what the handler wrote", async () => {
    for (const flags of [0, SA_RESTART]) {
      let result = "";
      const r = await run(async (os: Os) => {
        const [rd, w] = await os.pipe();
        await os.sigaction(SIGUSR1, async (_sig, _info, h) => {
          await h.write(w, "from the handler");
        }, flags);
        const child = await os.fork(async (c) => c.kill(2, SIGUSR1));
        try {
          result = new TextDecoder().decode(await os.read(rd, 100));
        } catch (e) {
          result = e instanceof ErrnoError ? e.code : String(e);
        }
        await os.waitpid(child);
      }, { replay: "" }); // the parent goes on first: the child kills it asleep in read
      expect(r.verdict.kind).toBe("ok");
      expect(result).toBe(flags === 0 ? "EINTR" : "from the handler");
    }
  });
});

describe("a handler's info is the delivery's siginfo", () => {
  it("a SIGCHLD handler learns the child, its end and status; a kill, its sender", async () => {
    const infos: SigInfo[] = [];
    const r = await run(async (os: Os) => {
      await os.sigaction(SIGCHLD, async (_sig, info) => {
        infos.push(info);
      }, SA_RESTART);
      await os.sigaction(SIGUSR1, async (_sig, info) => {
        infos.push(info);
      }, SA_RESTART);
      const child = await os.fork(async (c) => {
        await c.kill(2, SIGUSR1);
        await c.exit(7);
      });
      await os.waitpid(child);
    }, { replay: "" });
    expect(r.verdict).toMatchObject({ kind: "ok" });
    expect(infos).toEqual([
      { signo: SIGUSR1, code: 0, pid: 3, uid: 0, status: 0 },
      { signo: SIGCHLD, code: 1, pid: 3, uid: 0, status: 7 }, // CLD_EXITED
    ]);
  });
});

describe("os.signal and the thread-directed senders", () => {
  it("signal() installs a function handler with SA_RESTART: the interrupted read restarts",
    async () => {
      const infos: SigInfo[] = [];
      let got = "";
      const r = await run(async (os: Os) => {
        const [rd, w] = await os.pipe();
        expect(await os.signal(SIGUSR1, async (_sig, info, h) => {
          infos.push(info);
          await h.write(w, "x");
        })).toBe(0); // SIG_DFL before
        const child = await os.fork(async (c) => {
          await c.tgkill(2, 2, SIGUSR1);
          await c.rt_tgsigqueueinfo(2, 2, SIGUSR1, -1, 42);
        });
        got = new TextDecoder().decode(await os.read(rd, 10));
        await os.waitpid(child);
      }, { replay: "" });
      expect(r.verdict).toMatchObject({ kind: "ok" });
      expect(got).toBe("xx"); // the child's two sends both ran before the read returned
      expect(infos).toEqual([
        { signo: SIGUSR1, code: -6, pid: 3, uid: 0, status: 0 }, // SI_TKILL
        { signo: SIGUSR1, code: -1, pid: 3, uid: 0, status: 0, value: 42 }, // SI_QUEUE
      ]);
    });
});

describe("issue 15's bug suite: PCT finds each handler bug, each fix passes", () => {
  const BUGS = ["sigchld-waitpid-once", "handler-shared-state", "self-pipe-blocking-write"];
  for (const bug of BUGS) {
    it(`${bug}: found within 1,000 runs at the median of 9 seeds; the fix passes 300`,
      async () => {
        const scenario = await loadScenario(`examples/bugs/${bug}.ts`);
        const firsts: number[] = [];
        for (let seed = 1; seed <= 9; seed++) {
          const e = await explore(scenario, { strategy: "pct", seed, runs: 1000, shrink: false });
          firsts.push(e.ok ? Infinity : e.runs);
        }
        firsts.sort((a, b) => a - b);
        console.log(`${bug}: pct runs to the first failure, 9 seeds: ${firsts.join(" ")}`);
        expect(firsts[4]).toBeLessThanOrEqual(1000);
        const fixed = await loadScenario(`examples/bugs/${bug}.fixed.ts`);
        const f = await explore(fixed, { strategy: "pct", seed: 1, runs: 300 });
        expect(f.ok, f.shrunk?.verdict.kind).toBe(true);
      }, 300_000);
  }
});
