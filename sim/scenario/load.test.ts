// Loading a .ts scenario (issue 12): an exception keeps its type and a stack mapped to the
// scenario's file and line (before: "exception in pid 3: f is not a function", no type, and
// frames in a bundle under node_modules/.cache); `import.meta.url` names the scenario's file;
// a misspelt `expect` export is a load error naming the file.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { loadScenario, ScenarioLoadError } from "./load.js";
import { Prng } from "../prng.js";
import { Runner, run } from "./run.js";
import { DfsStrategy } from "./strategies/dfs.js";

/** Every temporary directory this file makes is under one, removed when the file ends. */
const TEST_TMP = mkdtempSync(join(tmpdir(), "ipcsim-load-test-"));
afterAll(() => rmSync(TEST_TMP, { recursive: true, force: true }));

const THROWS = "sim/scenario/testdata/throws.ts";

describe("loading a TypeScript scenario", () => {
  it("an exception names its type, message, and the scenario's file:line:column " +
    "(issue 12: no type, no file:line)", async () => {
    const r = await run(await loadScenario(THROWS), { name: THROWS });
    expect(r.verdict).toMatchObject({
      kind: "exception", pid: 3, message: "TypeError: f is not a function",
      stack: [`at child (${THROWS}:12:3)`, `at ${THROWS}:19:5`],
    });
    const text = r.text().join("\n");
    expect(text).toContain("verdict: exception in pid 3: TypeError: f is not a function\n" +
      `    at child (${THROWS}:12:3)\n`);
    expect(text).not.toMatch(/node_modules|\.cache|scenario\.mjs/);
    const j = r.json() as { verdict: Record<string, unknown> };
    expect(j.verdict).toEqual({
      kind: "exception", pid: 3, message: "TypeError: f is not a function",
      stack: [`at child (${THROWS}:12:3)`, `at ${THROWS}:19:5`],
    });
  });

  it("import.meta.url in the scenario names its file, not the bundle", async () => {
    const r = await run(await loadScenario(THROWS));
    expect(r.exec.logs[0]).toBe(`[pid 2] ${pathToFileURL(resolve(THROWS)).href}`);
  });

  it("a misspelt `expect` export is a load error naming the file and the known keys",
    async () => {
      const dir = mkdtempSync(join(TEST_TMP, "ipcsim-load-"));
      try {
        const file = join(dir, "bad-expect.ts");
        writeFileSync(file, "export const expect = { exits: 3 };\n" +
          "export default async function main() {}\n");
        const e = await loadScenario(file).catch((x: unknown) => x);
        expect(e).toBeInstanceOf(ScenarioLoadError);
        expect((e as Error).message).toBe(`${file}: export const expect: unknown key "exits" ` +
          "(known: exit, signals)");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

  it("a scenario that declares its exit status runs ok", async () => {
    const dir = mkdtempSync(join(TEST_TMP, "ipcsim-load-"));
    try {
      const file = join(dir, "exit3.ts");
      writeFileSync(file, 'import type { Os } from "ipcsim";\n' +
        "export const expect = { exit: 3 };\n" +
        "export default async function main(os: Os) { await os.exit(3); }\n");
      expect((await run(await loadScenario(file))).verdict).toEqual({ kind: "ok" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("loading a trace as a program (issue 23, from-trace.ts)", () => {
  const dir = mkdtempSync(join(TEST_TMP, "ipcsim-trace-program-"));
  const write = (name: string, lines: object[]): string => {
    const file = join(dir, name);
    const head = { trace: "ipcsim", version: 1 };
    writeFileSync(file, [head, ...lines].map((l) => JSON.stringify(l)).join("\n") + "\n");
    return file;
  };

  it("each process's steps are its program; a kill names the process it named in the trace, " +
    "whatever pid it has in this order", async () => {
    // pid 3 forks 4 and pid 2 forks 5: when pid 2's fork comes first, its child gets pid 4.
    const file = write("kill.jsonl", [
      { pid: 2, call: "fork" }, { pid: 3, call: "fork" }, { pid: 2, call: "fork" },
      { pid: 4, call: "exit", status: 7 }, { pid: 5, call: "pause" },
      { pid: 2, call: "kill", target: 5, sig: "SIGKILL" },
      { pid: 3, call: "waitpid", target: 4 }, { pid: 3, call: "exit", status: 0 },
      { pid: 2, call: "waitpid", target: 3 }, { pid: 2, call: "waitpid", target: 5 },
    ]);
    const mod = await loadScenario(file);
    expect(mod).toMatchObject({ straightLine: true });
    const runner = new Runner(mod);
    const dfs = new DfsStrategy(Infinity);
    const forks = new Set<string>();
    for (let i = 0; ; i++) {
      const e = await runner.execute(dfs, new Prng(0), i);
      if (!e) break;
      expect(e.verdict).toEqual({ kind: "ok" });
      const made = e.outcomes.filter((o) => o.call === "fork").map((o) => [o.pid, o.result]);
      forks.add(JSON.stringify(made.sort()));
      const woke = new Map(e.outcomes.flatMap((o) => o.events)
        .flatMap((v) => "wake" in v ? [[v.step, v.result] as const] : []));
      const statuses = e.outcomes.flatMap((o) => o.call !== "waitpid" ? [] :
        [(o.result === "blocked" ? woke.get(o.step) : o.result) as { status: unknown }])
        .map((r) => JSON.stringify(r.status)).sort();
      expect(statuses).toEqual(['{"exited":0}', '{"exited":7}', '{"signaled":"SIGKILL"}']);
    }
    expect(forks.size).toBeGreaterThan(1); // orders where the pids differ were run
  });

  it("a target no process knows in every order (another's child) is refused with its line",
    async () => {
      const file = write("target.jsonl", [
        { pid: 2, call: "fork" }, { pid: 3, call: "fork" },
        { pid: 2, call: "kill", target: 4, sig: "SIGKILL" },
      ]);
      await expect(loadScenario(file)).rejects.toThrow(new ScenarioLoadError(file,
        "line 4: target 4 names the process pid 3's fork makes (line 3), which in some order " +
        "comes after this step"));
    });

  it("a ref to another process's result that may come later is refused with its line",
    async () => {
      const file = write("ref.jsonl", [
        { pid: 2, call: "fork" },
        { pid: 3, call: "mmap", addr: 0, length: 4096, prot: ["PROT_READ", "PROT_WRITE"],
          flags: ["MAP_SHARED", "MAP_ANONYMOUS"] },
        { pid: 2, call: "store", addr: { ref: 1, offset: 0 }, data: "x" },
      ]);
      await expect(loadScenario(file)).rejects.toThrow(new ScenarioLoadError(file,
        "line 4: ref 1 names a step of a process that is neither this one nor an ancestor " +
        "before its fork: in some order it comes later"));
    });
});
