// `ipcsim run` and `ipcsim explore` as a user calls them (the scenario files are bundled with
// esbuild; "ipcsim" resolves to this package's dist/index.js).

import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main, type Io } from "./cli.js";

/** Every temporary directory this file makes is under one, removed when the file ends. */
const TEST_TMP = mkdtempSync(join(tmpdir(), "ipcsim-run-test-"));
afterAll(() => rmSync(TEST_TMP, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), write: (t) => out.push(t), err: (l) => err.push(l) };
  const code = await main(argv, io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const T = "sim/scenario/testdata";

describe("ipcsim run", () => {
  it("prints the trace, the verdict and the replay command; exit 0 when ok", async () => {
    const r = await cli("run", `${T}/pipe-eof.ts`, "--seed", "4");
    expect(r.code).toBe(0);
    expect(r.out).toContain("[pid 2] pipe(0) = 0 [3, 4]");
    expect(r.out).toContain("verdict: ok");
    expect(r.out).toMatch(/replay: ipcsim run sim\/scenario\/testdata\/pipe-eof\.ts --replay \S+/);
  });

  it("exits 1 on a deadlock, with its explanation", async () => {
    const r = await cli("run", `${T}/pipe-leak.ts`);
    expect(r.code).toBe(1);
    expect(r.out).toContain("verdict: deadlock");
    expect(r.out).toContain("whose only write end is held by pid 3 itself");
  });

  it("replays a decision string, and writes trace-v1 JSON with --json", async () => {
    const a = await cli("run", `${T}/sem-cycle.ts`, "--replay", "01", "--json");
    expect(a.code).toBe(1);
    const j = JSON.parse(a.out);
    expect(j.verdict.kind).toBe("deadlock");
    expect(j.decisions).toBe("01");
    expect(j.trace[0]).toMatchObject({ trace: "ipcsim", version: 1 });
    expect(j.trace[1]).toMatchObject({
      pid: 2, call: "semget", key: 0, nsems: 2, flags: ["IPC_CREAT"], mode: "0600",
    });
  });

  it("writes the trace where --trace-out says", async () => {
    const file = join(mkdtempSync(join(TEST_TMP, "ipcsim-run-")), "t.jsonl");
    const r = await cli("run", `${T}/pipe-eof.ts`, "--trace-out", file);
    expect(r.code).toBe(0);
    expect(readFileSync(file, "utf8")).toMatch(/^\{"trace":"ipcsim","version":1/);
  });

  // Issue 12: failure files were named after the decision string, in one $TMPDIR directory.
  it("saves a failing run's trace in --failures DIR under the scenario's name and a hash",
    async () => {
      const dir = join(mkdtempSync(join(TEST_TMP, "ipcsim-run-")), "failures here");
      const r = await cli("run", `${T}/sem-cycle.ts`, "--replay", "01", "--failures", dir);
      expect(r.code).toBe(1);
      const [file] = readdirSync(dir);
      expect(file).toMatch(/^sem-cycle\.[0-9a-f]{12}\.jsonl$/);
      const path = join(dir, file);
      expect(r.out).toContain(`trace: ${path} (on Linux: ipcsim diff '${path}')`);
      const again = await cli("run", `${T}/sem-cycle.ts`, "--replay", "01", "--failures", dir,
        "--json");
      expect(JSON.parse(again.out).traceFile).toBe(path); // the same run: the same file
      await cli("run", `${T}/sem-cycle.ts`, "--replay", "11", "--failures", dir);
      expect(readdirSync(dir)).toHaveLength(2); // another run: another file
      await cli("run", `${T}/sem-cycle.ts`, "--replay", "11", "--failures", dir, "--check", "all");
      expect(readdirSync(dir)).toHaveLength(3); // other options: another file
    });

  it("exits 2 on bad input, saying what is wrong", async () => {
    const fails = (err: string) => ({ code: 2, err: expect.stringContaining(err) });
    expect(await cli("run", `${T}/nope.ts`)).toMatchObject(fails("no such file"));
    expect(await cli("run", `${T}/pipe-eof.ts`, "--strategy", "magic"))
      .toMatchObject(fails('unknown strategy "magic"'));
    expect(await cli("run", `${T}/pipe-eof.ts`, "--replay", "0!"))
      .toMatchObject(fails("bad character"));
    expect(await cli("run", `${T}/pipe-eof.ts`, "--check", "socks"))
      .toMatchObject(fails('unknown check "socks"'));
  });
});

describe("ipcsim explore", () => {
  it("finds, shrinks and prints a failure with the replay and diff commands; exit 1", async () => {
    const r = await cli("explore", `${T}/sem-cycle.ts`, "--runs", "300", "--seed", "2");
    expect(r.code).toBe(1);
    expect(r.out).toContain("verdict: deadlock");
    expect(r.out).toMatch(/shrunk in \d+ runs to \d+ calls, 1 preemption:/);
    const diff = r.out.match(/on Linux: ipcsim diff (\S+)/);
    expect(diff).not.toBeNull();
    expect(existsSync(diff![1])).toBe(true);
    expect(r.out).toMatch(/replay: ipcsim run \S+ --replay \S+/);
  });

  it("exits 0 when no run fails, and says when the search was exhaustive", async () => {
    const r = await cli("explore", `${T}/pipe-eof.ts`, "--strategy", "dfs:1", "--runs", "5000");
    expect(r.code).toBe(0);
    expect(r.out)
      .toMatch(/ok: no failure in \d+ runs \(every schedule within the bound: exhaustive\)/);
  });

  it("exits 3 when a sometimes condition is never reached", async () => {
    const r = await cli("explore", `${T}/never.ts`, "--runs", "20");
    expect(r.code).toBe(3);
    expect(r.out).toContain('sometimes "impossible": NOT covered');
  });

  it("prints one JSON document with --json", async () => {
    const r = await cli("explore", `${T}/pipe-leak.ts`, "--runs", "10", "--json");
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ ok: false, runs: 1 });
    expect(j.shrunk.verdict.kind).toBe("deadlock");
    expect(j.diff).toMatch(/^ipcsim diff /);
  });

  it("refuses a bad shard and a sharded dfs with exit 2", async () => {
    const r1 = await cli("explore", `${T}/pipe-eof.ts`, "--shard", "3/2");
    expect(r1.code).toBe(2);
    expect(r1.err).toContain("--shard");
    const r2 = await cli("explore", `${T}/pipe-eof.ts`, "--shard", "1/2", "--strategy", "dfs");
    expect(r2.code).toBe(2);
    expect(r2.err).toContain("--shard");
  });
});
