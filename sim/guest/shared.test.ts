// Shared memory from C guests (issue 19, shared.ts): the windows of shmat and mmap(MAP_SHARED)
// see other processes' stores in both builds, instrumented (each access a step, the default)
// and copied (copies around each call); a data race in C is found by explore. Against Linux:
// examples/c/c.test.ts.

import { describe, expect, it } from "vitest";
import { compileC } from "./cc.js";
import { guestModule } from "./runtime.js";
import { explore } from "../scenario/explore.js";
import { loadScenario } from "../scenario/load.js";
import { run, type RunResult } from "../scenario/run.js";
import { guestOutput } from "./testdata/output.js";

/** The lines printed, without their pids. */
const output = (r: RunResult) => guestOutput(r).map(([, t]) => t);

const build = async (file: string, sharedMemory: "instrumented" | "copied") =>
  guestModule(await compileC([file], { sharedMemory }), file);

describe("shared memory in C guests", () => {
  for (const mode of ["instrumented", "copied"] as const) {
    it(`shm-rw.c (${mode}): the child reads what the parent wrote; IPC_STAT`, async () => {
      const main = await build("examples/c/shm-rw.c", mode);
      for (let seed = 1; seed <= 3; seed++) {
        const r = await run(main, { seed, strategy: "pct", checks: { ipcObjects: true } });
        expect(r.verdict, r.replayCommand).toEqual({ kind: "ok" });
        expect(output(r)).toEqual(["child read: hello through shared memory",
          "segment: 4096 bytes, 2 attached", "parent done"]);
      }
    }, 120_000);

    it(`shm-counter.c (${mode}): the semaphore keeps every update`, async () => {
      const main = await build("examples/c/shm-counter.c", mode);
      for (let seed = 1; seed <= 3; seed++) {
        const r = await run(main, { seed, strategy: "pct" });
        expect(r.verdict, r.replayCommand).toEqual({ kind: "ok" });
        expect(output(r)).toEqual(["counter = 9 (expected 9)"]);
      }
    }, 120_000);
  }

  it("lost-update.c: explore --strategy pct finds the lost update; the shrunk run replays it",
    async () => {
      const main = await loadScenario("examples/c/lost-update.c");
      const r = await explore(main, { strategy: "pct", seed: 7, runs: 1000 });
      expect(r.ok).toBe(false);
      const shrunk = r.shrunk!;
      expect(shrunk.verdict.kind).toBe("exit-status");
      expect(output(shrunk)).toEqual(["counter = 1"]);
      // Both children load 0 before either stores: the loads and stores are steps.
      const text = shrunk.text().join("\n");
      expect(text.match(/\] load\(0x[0-9a-f]+, 4\) = 4 "\\0\\0\\0\\0"/g)).toHaveLength(2);
      const again = await run(main, { replay: shrunk.decisions });
      expect(again.verdict.kind).toBe("exit-status");
    }, 120_000);

  it("a guest with no shared mapping makes no extra steps in either build", async () => {
    for (const mode of ["instrumented", "copied"] as const) {
      const r = await run(await build("examples/c/pipe.c", mode), { seed: 1 });
      expect(r.text().join("\n")).not.toMatch(/\] (load|store)\(/);
    }
  }, 120_000);
});
