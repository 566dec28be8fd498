// `ipcsim explore --shard K/N` on separate processes of the built CLI (dist/cli.js), then
// `ipcsim explore --merge`: the merge reports what one unsharded exploration does (issue 12,
// "Exploration ... across machines"; before, shards had nothing to merge with: no --merge, and
// no run index, scenario hash or --runs in their JSON). Then the merge's bad input: exit 2.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliInProcess, spawnCommand } from "./testing.js";

/** Every temporary directory this file makes is under one, removed when the file ends. */
const TEST_TMP = mkdtempSync(join(tmpdir(), "ipcsim-merge-test-"));
afterAll(() => rmSync(TEST_TMP, { recursive: true, force: true }));

const CLI = resolve("dist/cli.js");

/** The built CLI as its own process (as on another machine), from the repository's root. */
const ipcsim = (...argv: string[]) => spawnCommand([process.execPath, CLI, ...argv]);

/** The CLI in this process (for the quick bad-input cases). */
const cli = cliInProcess;

/** Shards 1..n of `explore scenario ...args` at once, each its own process; odd shards print
 * their result on stdout (`--json > file`), even ones write it with --result. */
async function shards(dir: string, n: number, scenario: string, ...args: string[]) {
  const files: string[] = [];
  const codes = await Promise.all(Array.from({ length: n }, async (_, i) => {
    const file = join(dir, `shard-${i + 1}.json`);
    files.push(file);
    const shard = ["--shard", `${i + 1}/${n}`];
    if (i % 2 === 1) {
      return (await ipcsim("explore", scenario, ...args, ...shard, "--result", file)).code;
    }
    const r = await ipcsim("explore", scenario, ...args, ...shard, "--json");
    writeFileSync(file, r.out);
    return r.code;
  }));
  return { files: files.sort(), codes };
}

const scratch = () => mkdtempSync(join(TEST_TMP, "ipcsim-merge-"));

describe("explore --merge of shards run as separate processes", () => {
  it("bug suite: the lowest failing run across shards is the unsharded one, same replay",
    async () => {
      const S = "examples/bugs/msg-full-queues.ts";
      const opts = ["--runs", "60", "--seed", "0", "--strategy", "random"];
      const [whole, wholeText, sharded] = await Promise.all([
        ipcsim("explore", S, ...opts, "--json"), ipcsim("explore", S, ...opts),
        shards(scratch(), 8, S, ...opts),
      ]);
      const w = JSON.parse(whole.out);
      expect(w.failure.runIndex).toBe(28); // run 29: in shard 4 of 8, and shard 6 fails too
      expect(sharded.codes).toEqual([0, 0, 0, 1, 0, 1, 0, 0]);
      const m = await ipcsim("explore", "--merge", ...sharded.files, "--json");
      expect(m.code).toBe(1);
      const j = JSON.parse(m.out);
      expect(j).toMatchObject({
        command: "explore", ok: false, exit: 1, exitMeaning: "failure", failed: true,
        complete: true, shard: "4/8", runsTotal: 60, scenario: S, strategy: "random", seed: 0,
        replay: w.replay, failure: w.failure, sometimes: w.sometimes,
      });
      expect(j.shrunk.decisions).toBe(w.shrunk.decisions);
      expect(j.runIndex).toBeUndefined();
      const perShard = sharded.files.map((f) => JSON.parse(readFileSync(f, "utf8")).runs);
      expect(j.runs).toBe(perShard.reduce((a: number, b: number) => a + b));
      const text = await ipcsim("explore", "--merge", ...sharded.files);
      expect(text.code).toBe(1);
      expect(text.out).toContain("failure found at run 29 (shard 4/8;");
      const replay = (s: string) => s.split("\n").find((l) => l.startsWith("replay: "));
      expect(replay(text.out)).toBe(replay(wholeText.out));
      expect(replay(text.out)).toBe(`replay: ${w.replay}`);
    });

  it("a passing bug-suite fix: exit 0, every run made once, the total the unsharded one's",
    async () => {
      const S = "examples/bugs/sem-order.fixed.ts";
      const [whole, sharded] = await Promise.all([
        ipcsim("explore", S, "--runs", "50", "--json"), shards(scratch(), 3, S, "--runs", "50"),
      ]);
      expect(sharded.codes).toEqual([0, 0, 0]);
      const m = await ipcsim("explore", "--merge", ...sharded.files, "--json");
      expect(m.code).toBe(0);
      const j = JSON.parse(m.out);
      expect(j).toMatchObject({ ok: true, failed: false, complete: true, runs: 50 });
      expect(j.runs).toBe(JSON.parse(whole.out).runs);
      expect(j.shards.map((s: { runs: number }) => s.runs)).toEqual([16, 17, 17]);
      const text = await ipcsim("explore", "--merge", ...sharded.files);
      expect(text.out).toContain("ok: no failure in 50 runs");
    });

  it("coverage: a `sometimes` reached by any shard is covered; by none, exit 3", async () => {
    const dir = scratch();
    writeFileSync(join(dir, "race.mjs"), `export default async function main(os) {
  const [r, w] = await os.pipe();
  const a = await os.fork(async (c) => { await c.write(w, "a"); });
  const b = await os.fork(async (c) => { await c.write(w, "b"); });
  await os.close(w);
  const first = await os.readText(r, 1);
  os.sometimes(first === "a", "a first");
  os.sometimes(first === "b", "b first");
  os.sometimes(first === "c", "c first");
  await os.waitpid(a);
  await os.waitpid(b);
}\n`);
    const S = join(dir, "race.mjs");
    const [whole, sharded] = await Promise.all([
      ipcsim("explore", S, "--runs", "12", "--json"), shards(dir, 12, S, "--runs", "12"),
    ]);
    const each = sharded.files.map((f) => JSON.parse(readFileSync(f, "utf8")).sometimes);
    expect(each.some((s) => !s["a first"]) && each.some((s) => !s["b first"])).toBe(true);
    const m = await ipcsim("explore", "--merge", ...sharded.files, "--json");
    expect(m.code).toBe(3);
    const j = JSON.parse(m.out);
    expect(j.sometimes).toEqual({ "a first": true, "b first": true, "c first": false });
    expect(j.sometimes).toEqual(JSON.parse(whole.out).sometimes);
    const text = await ipcsim("explore", "--merge", ...sharded.files);
    expect(text.out).toContain('sometimes "c first": NOT covered');
  });
});

describe("explore --merge: bad input is exit 2 naming the file", () => {
  const S = "sim/scenario/testdata/sem-cycle.ts";
  let dir = "";
  const base: Record<string, unknown>[] = [];
  /** Result files: the shards of `base`, with `edit` applied to shard `at` (0-based). */
  const files = (edit: (d: Record<string, unknown>) => void = () => {}, at = 1): string[] =>
    base.map((d, i) => {
      const doc = structuredClone(d);
      if (i === at) edit(doc);
      const file = join(dir, `case-${Math.random().toString(36).slice(2)}-${i + 1}.json`);
      writeFileSync(file, JSON.stringify(doc));
      return file;
    });
  beforeAll(async () => {
    dir = scratch();
    for (let k = 1; k <= 3; k++) {
      const file = join(dir, `base-${k}.json`);
      const r = await cli("explore", S, "--runs", "9", "--shard", `${k}/3`, "--result", file);
      expect(r.code).toBeLessThan(2);
      base.push(JSON.parse(readFileSync(file, "utf8")));
    }
  });
  const refused = async (argv: string[], message: string) => {
    const r = await cli("explore", "--merge", ...argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    const j = JSON.parse((await cli("explore", "--merge", ...argv, "--json")).out);
    expect(j).toMatchObject({ ok: false, exit: 2, error: { kind: "usage" } });
  };

  it("the untouched shards merge (the cases below differ from them in one thing)", async () => {
    expect((await cli("explore", "--merge", ...files())).code).toBeLessThan(2);
  });

  it("a shard cut short before its slice's end: not complete, and the text says so",
    async () => {
      const all = files((d) => { d.runs = 2; }, 0); // shard 1/3 passes its 3 runs
      const j = JSON.parse((await cli("explore", "--merge", ...all, "--json")).out);
      expect(j).toMatchObject({ complete: false, failed: true, shard: "2/3" });
      const text = await cli("explore", "--merge", ...all);
      expect(text.out).toContain("warning: shard 1/3 made 2 of 3 runs");
    });

  it("another scenario's, strategy's, seed's or run total's result", async () => {
    await refused(files((d) => { d.scenarioSha256 = "0".repeat(64); }), "scenario's contents");
    await refused(files((d) => { d.strategy = "urw"; }), "--strategy differs");
    await refused(files((d) => { d.seed = 7; }), "--seed differs");
    await refused(files((d) => { d.runsTotal = 10; }), "--runs differs");
    await refused(files((d) => { d.checks = ["zombies"]; }), "--check differs");
  });

  it("a missing shard, a duplicate shard, a shard count that differs", async () => {
    const all = files();
    await refused([all[0], all[2]], "missing shard 2/3");
    await refused([all[0], all[1], all[1], all[2]], "shard 2/3 twice");
    await refused(files((d) => { d.shard = "1/1"; d.runsTo = 9; }, 0), "shard count");
  });

  it("a file that is not a shard result", async () => {
    const junk = join(dir, "junk.json");
    writeFileSync(junk, "not json\n");
    await refused([junk], `${junk}: not JSON`);
    const run = join(dir, "run.json");
    writeFileSync(run, (await cli("run", S, "--json")).out);
    await refused([run], "it is ipcsim run's output");
    await refused(files((d) => { delete d.runsTotal; }), 'no number "runsTotal"');
    await refused(files((d) => { d.runsFrom = 0; }), "are not shard 2/3's");
    await refused(files((d) => { d.error = { kind: "scenario", message: "boom" }; }),
      "that shard ended with an error: boom");
    const merged = join(dir, "merged.json");
    writeFileSync(merged, (await cli("explore", "--merge", ...files(), "--json")).out);
    await refused([merged], "it is a merged result");
    await refused([join(dir, "nope.json")], "no such file");
  });

  it("--merge with a SCENARIO or an exploration option; explore with neither", async () => {
    const all = files();
    await refused([...all, "--runs", "5"], "--runs does not apply");
    expect(await cli("explore", S, "--merge", ...all))
      .toMatchObject({ code: 2, err: expect.stringContaining("not a SCENARIO") });
    expect(await cli("explore"))
      .toMatchObject({ code: 2, err: expect.stringContaining("missing argument SCENARIO") });
  });
});
