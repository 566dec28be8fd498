// Every command `ipcsim run` and `ipcsim explore` print is run as a user would paste it: through
// `sh -c`, with `ipcsim` on the PATH (the built dist/cli.js), and must reproduce the verdict
// (issue 12: the replay command dropped --check and --max-steps and did not quote paths).
// Failure files go to .ipcsim/failures under the working directory, or --failures DIR, under a
// short name (issue 12: named after the decision string, ENAMETOOLONG after 600 calls).

import { execFile } from "node:child_process";
import {
  chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");
const CLI = join(ROOT, "dist", "cli.js");
const TMP = mkdtempSync(join(tmpdir(), "ipcsim replay commands "));
/** A directory holding an `ipcsim` that runs the built CLI, put first on the PATH. */
const BIN = join(TMP, "bin");
/** Where the commands under test save failures (never the project's own directory). */
const FAILURES = join(TMP, "failures");
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

interface Ran {
  code: number;
  out: string;
  err: string;
}

/** `sh -c command` in `cwd` with `ipcsim` on the PATH. */
async function sh(command: string, cwd = ROOT, env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  const vars: NodeJS.ProcessEnv = { ...process.env, IPCSIM_FAILURES: FAILURES, ...env };
  vars.PATH = `${BIN}:${process.env.PATH}`;
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete vars[k];
  try {
    const r = await promisify(execFile)("sh", ["-c", command], { cwd, env: vars });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    if (typeof x.code !== "number") throw e;
    return { code: x.code, out: x.stdout ?? "", err: x.stderr ?? "" };
  }
}

/** The lines of text output that state the verdict. */
const verdictOf = (out: string) => out.split("\n").filter((l) => l.startsWith("verdict: "));
const linesAfter = (out: string, prefix: string) =>
  out.split("\n").filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length));

/** Run a printed command, in text and as --json, and check both give `verdict`. */
async function reproduces(command: string, verdictLines: string[], json: unknown, exit: number) {
  const text = await sh(command);
  expect(verdictOf(text.out), `${command}\n${text.err}`).toEqual(verdictLines);
  expect(text.code, command).toBe(exit);
  const j = await sh(`${command} --json`);
  expect(JSON.parse(j.out).verdict, command).toEqual(json);
}

/** A scenario that fails only under --check zombies (it never reaps its child), at a path
 * with a space and a quote. */
const ZOMBIE = `import type { Os } from "ipcsim";
export default async function main(os: Os) {
  const [r, w] = await os.pipe();
  await os.fork(async (c) => { await c.write(w, "x"); });
  await os.read(r, 1);
}
`;

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  mkdirSync(BIN);
  writeFileSync(join(BIN, "ipcsim"), `#!/bin/sh\nexec node '${CLI}' "$@"\n`);
  chmodSync(join(BIN, "ipcsim"), 0o755);
});

const BUGS = readdirSync(join(ROOT, "examples", "bugs"))
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".fixed.ts"))
  .map((f) => `examples/bugs/${f}`);
const OPTIONS = "--check all --max-steps 5000";

describe("printed commands reproduce the verdict", () => {
  it.each(BUGS)("every command explore prints for %s, with --check all and --max-steps",
    async (bug) => {
      const explore = `ipcsim explore ${bug} --strategy pct --seed 7 --runs 1000 ${OPTIONS}`;
      const text = await sh(explore);
      expect(text.code, text.err).toBe(1);
      const j = JSON.parse((await sh(`${explore} --json`)).out);
      const [replay] = linesAfter(text.out, "replay: ");
      expect(replay).toContain("--check all");
      expect(replay).toContain("--max-steps 5000");
      expect(j.shrunk.replay).toBe(replay);
      await reproduces(replay, verdictOf(text.out), j.shrunk.verdict, 1);
    });

  it.each(BUGS)("every command run prints for %s, with --check all and --max-steps",
    async (bug) => {
      const run = `ipcsim run ${bug} --strategy pct --seed 7 ${OPTIONS}`;
      const text = await sh(run);
      const j = JSON.parse((await sh(`${run} --json`)).out);
      const header = text.out.split("\n")[0];
      const [replay] = linesAfter(text.out, "replay: ");
      expect(j.replay).toBe(replay);
      for (const command of [header, replay]) {
        await reproduces(command, verdictOf(text.out), j.verdict, text.code);
      }
    });

  it("carries --check: a run that fails only under --check zombies replays as that failure",
    async () => {
      const dir = join(TMP, "it's a scenario dir");
      mkdirSync(dir);
      const file = join(dir, "zombie child.ts");
      writeFileSync(file, ZOMBIE);
      const r = await sh(`ipcsim run "${file}" --check zombies`);
      const failed = /^verdict: end check "zombies" failed/;
      expect(verdictOf(r.out)).toEqual([expect.stringMatching(failed)]);
      const [replay] = linesAfter(r.out, "replay: ");
      expect(replay).toContain("--check zombies");
      await reproduces(replay, verdictOf(r.out), expect.objectContaining({ kind: "check" }), 1);
      const e = await sh(`ipcsim explore "${file}" --check zombies --runs 5`);
      const [again] = linesAfter(e.out, "replay: ");
      await reproduces(again, verdictOf(e.out), expect.objectContaining({ kind: "check" }), 1);
      const diff = linesAfter(e.out, "on Linux: ipcsim diff ")[0];
      expect((await sh(`ls ${diff}`)).code, diff).toBe(0);
    });

  it("carries --max-steps: a step-limit failure replays as a step-limit failure", async () => {
    const r = await sh("ipcsim run examples/bugs/uneven.ts --seed 3 --max-steps 20");
    expect(verdictOf(r.out)).toEqual([expect.stringMatching(/^verdict: step limit/)]);
    const [replay] = linesAfter(r.out, "replay: ");
    expect(replay).toContain("--max-steps 20");
    await reproduces(replay, verdictOf(r.out), expect.objectContaining({ kind: "step-limit" }), 1);
  });
});

describe("failure files", () => {
  it("a failure found after 600 calls is saved under a short name and printed", async () => {
    // The failing decision string is 600-odd zeros and a 1: once the file name.
    const dir = join(TMP, "late race");
    const r = await sh("ipcsim explore sim/scenario/testdata/late-race.ts --strategy dfs:1 " +
      `--failures '${dir}'`);
    expect(r.code, r.err).toBe(1);
    const [replay] = linesAfter(r.out, "replay: ");
    expect(replay).toMatch(/--replay '0\*60\d,1'$/);
    const [file] = readdirSync(dir);
    expect(file).toMatch(/^late-race\.[0-9a-f]{12}\.jsonl$/);
    expect(r.out).toContain(`on Linux: ipcsim diff '${join(dir, file)}'`);
    await reproduces(replay, verdictOf(r.out),
      expect.objectContaining({ kind: "assertion" }), 1);
  });

  it("go to .ipcsim/failures under the working directory by default", async () => {
    const project = mkdtempSync(join(TMP, "project-"));
    const scenario = join(ROOT, "sim/scenario/testdata/pipe-leak.ts");
    const r = await sh(`ipcsim run '${scenario}'`, project, { IPCSIM_FAILURES: undefined });
    expect(r.code).toBe(1);
    const files = readdirSync(join(project, ".ipcsim", "failures"));
    expect(files).toEqual([expect.stringMatching(/^pipe-leak\.[0-9a-f]{12}\.jsonl$/)]);
    const path = join(".ipcsim", "failures", files[0]);
    expect(r.out).toContain(`trace: ${path} (on Linux: ipcsim diff ${path})`);
    expect(basename(path).length).toBeLessThan(40);
  });
});
