// Loading a .ts scenario (issue 12): an exception keeps its type and a stack mapped to the
// scenario's file and line (before: "exception in pid 3: f is not a function", no type, and
// frames in a bundle under node_modules/.cache); `import.meta.url` names the scenario's file;
// a misspelt `expect` export is a load error naming the file.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { loadScenario, ScenarioLoadError } from "./load.js";
import { run } from "./run.js";

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
      const dir = mkdtempSync(join(tmpdir(), "ipcsim-load-"));
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
    const dir = mkdtempSync(join(tmpdir(), "ipcsim-load-"));
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
