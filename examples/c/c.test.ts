// The C examples against real Linux (the host bridge): their runs under PCT agree with Linux
// step by step, and a program whose output does not depend on the schedule, compiled natively
// with cc, prints what the model printed (sim/guest/ runs them on the model).

import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { diffText, diffTrace } from "../../host-bridge/diff.js";
import { hostSupport } from "../../host-bridge/host.js";
import { explore } from "../../sim/scenario/explore.js";
import { loadScenario } from "../../sim/scenario/load.js";
import { run, type RunResult } from "../../sim/scenario/run.js";
import { guestOutput } from "../../sim/guest/testdata/output.js";
import { parseTrace } from "../../sim/trace/parse.js";

/** The lines printed, without their pids. */
const output = (r: RunResult) => guestOutput(r).map(([, t]) => t);

const TMP = mkdtempSync(join(tmpdir(), "ipcsim-c-"));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
const load = (f: string) => loadScenario(f);

/** What the processes printed, in order. */

const support = hostSupport();
describe.skipIf(!support.ok)(`C guests against Linux${support.ok ? "" : ` (${support.reason})`}`,
  () => {
    for (const name of [
      "pipe", "msg-typed", "sigchld", "fifo", "shm-rw", "shm-counter", "sem-ring",
    ]) {
      it(`${name}.c: runs under pct seeds 1-3 agree with Linux step by step`, async () => {
        const main = await load(`examples/c/${name}.c`);
        for (let seed = 1; seed <= 3; seed++) {
          const r = await run(main, { seed, strategy: "pct" });
          const trace = parseTrace(r.trace(), `${name}.jsonl`);
          const d = await diffTrace(trace);
          expect(d.disagreement, diffText(trace, d, r.replayCommand).join("\n")).toBeUndefined();
          expect(d.agreed).toBe(trace.steps.length);
        }
      }, 120_000);
    }

    it("sim/guest/testdata/table-calls.c (sockets, epoll, poll, a FIFO, flock, a POSIX " +
      "queue, the clock) agrees with Linux step by step", async () => {
      const r = await run(await load("sim/guest/testdata/table-calls.c"), { seed: 1 });
      const trace = parseTrace(r.trace(), "table-calls.jsonl");
      const d = await diffTrace(trace);
      expect(d.disagreement, diffText(trace, d, r.replayCommand).join("\n")).toBeUndefined();
      expect(d.agreed).toBe(trace.steps.length);
    }, 120_000);

    it("fifo.c compiled natively prints what the model printed (in a directory of its own: " +
      "it makes its FIFO in the working directory)", async () => {
      const exe = join(TMP, "fifo");
      execFileSync("cc", ["-O2", "-o", exe, "examples/c/fifo.c"]);
      const native = spawnSync(exe, [], { encoding: "utf8", cwd: TMP });
      expect(native.status).toBe(0);
      const r = await run(await load("examples/c/fifo.c"), { seed: 2, strategy: "pct" });
      expect(native.stdout.trimEnd().split("\n")).toEqual(output(r));
    }, 120_000);

    for (const name of ["msg-typed", "shm-rw", "shm-counter", "sem-ring"]) {
      it(`${name}.c compiled natively prints what the model printed`, async () => {
        const exe = join(TMP, name);
        execFileSync("cc", ["-O2", "-o", exe, `examples/c/${name}.c`]);
        const native = spawnSync(exe, [], { encoding: "utf8" });
        expect(native.status).toBe(0);
        const r = await run(await load(`examples/c/${name}.c`), { seed: 3 });
        expect(native.stdout.trimEnd().split("\n")).toEqual(output(r));
      }, 120_000);
    }

    it("lost-update.c: the shrunk lost update PCT finds agrees with Linux step by step",
      async () => {
        const r = await explore(await load("examples/c/lost-update.c"),
          { strategy: "pct", seed: 7, runs: 1000 });
        expect(r.ok).toBe(false);
        const trace = parseTrace(r.shrunk!.trace(), "lost-update.jsonl");
        const d = await diffTrace(trace);
        expect(d.disagreement, diffText(trace, d, r.shrunk!.replayCommand).join("\n"))
          .toBeUndefined();
        expect(d.agreed).toBe(trace.steps.length);
      }, 120_000);
  });
