// --perfetto and --mermaid as a user passes them to replay, run and explore: the files are
// written, hold the run's calls and edges, and the text output names them.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main, type Io } from "./cli.js";

const TEST_TMP = mkdtempSync(join(tmpdir(), "ipcsim-views-test-"));
afterAll(() => rmSync(TEST_TMP, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const io: Io = { out: (l) => out.push(l), write: (t) => out.push(t), err: () => {} };
  const code = await main(argv, io);
  return { code, out: out.join("\n") };
}

type Ev = { ph: string; name: string; cat?: string; pid: number };

describe("--perfetto and --mermaid", () => {
  it("run writes both: a track per process, the fork and the wake", async () => {
    const p = join(TEST_TMP, "run.json");
    const m = join(TEST_TMP, "run.mmd");
    const r = await cli("run", "examples/pipe.ts", "--perfetto", p, "--mermaid", m);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`perfetto: ${p}`);
    expect(r.out).toContain(`mermaid: ${m}`);
    const events = JSON.parse(readFileSync(p, "utf8")).traceEvents as Ev[];
    const names = events.filter((e) => e.name === "process_name").map((e) => e.pid);
    expect(names).toEqual([0, 2, 3]);
    expect(events.filter((e) => e.ph === "s").map((e) => e.cat)).toEqual(["fork", "wake", "data"]);
    const data = events.find((e) => e.ph === "s" && e.cat === "data")!;
    expect(data.name).toBe("22 bytes through pipe #1 from step 3");
    const level = events.filter((e) => e.ph === "C" && e.name === "pipe #1 bytes")
      .map((e) => (e as unknown as { args: { bytes: number } }).args.bytes);
    expect(level).toEqual([22, 0]);
    expect(events.some((e) => e.ph === "X" && e.name === "read" && e.pid === 3)).toBe(true);
    const diagram = readFileSync(m, "utf8");
    expect(diagram).toMatch(/^sequenceDiagram\n/);
    expect(diagram).toContain("P2->>P3: 1 fork() = 3");
    expect(diagram).toContain("P3->>P2: wakes waitpid");
    expect(diagram).toContain("P2--)P3: 22 bytes through pipe #35;1 from step 3");
  });

  it("replay writes the model's outcomes, also with --json", async () => {
    const m = join(TEST_TMP, "replay.mmd");
    const trace = "kernel/test/cases/proc-waitpid-blocks.jsonl";
    const r = await cli("replay", trace, "--mermaid", m);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`mermaid: ${m}`);
    expect(readFileSync(m, "utf8")).toContain("P4->>P2: wakes waitpid");
    const m2 = join(TEST_TMP, "replay-json.mmd");
    const j = await cli("replay", trace, "--json", "--mermaid", m2);
    expect(JSON.parse(j.out).ok).toBe(true);
    expect(readFileSync(m2, "utf8")).toBe(readFileSync(m, "utf8"));
  });

  it("a command that fails writes a page with its error, file and line", async () => {
    const bad = join(TEST_TMP, "bad.jsonl");
    writeFileSync(bad, '{"trace":"ipcsim","version":1}\n{"pid":2,"call":"read","fd":"x"}\n');
    const page = join(TEST_TMP, "bad.html");
    const r = await cli("replay", bad, "--html", page);
    expect(r.code).toBe(2);
    const json = /<script id="ipcsim-data" type="application\/json">(.*?)<\/script>/s
      .exec(readFileSync(page, "utf8"))![1];
    expect(JSON.parse(json).error).toBe(`${bad}:2: field "fd": expected an integer, got "x"`);
  });

  it("diff --html draws Linux's run to the disagreement, both outcomes side by side", async () => {
    const trace = join(TEST_TMP, "known.jsonl");
    writeFileSync(trace, '{"trace":"ipcsim","version":1}\n{"pid":2,"call":"pipe"}\n' +
      '{"pid":2,"call":"open","path":".","flags":["O_TMPFILE","O_RDWR"]}\n');
    const page = join(TEST_TMP, "diff.html");
    const r = await cli("diff", trace, "--html", page);
    expect(r.code).toBe(0); // a known difference
    expect(r.out).toContain(`html: ${page}`);
    const json = /<script id="ipcsim-data" type="application\/json">(.*?)<\/script>/s
      .exec(readFileSync(page, "utf8"))![1];
    const d = JSON.parse(json);
    expect(d.verdict).toBe('known difference "files" at step 1');
    expect(d.steps).toHaveLength(2);
    expect(d.steps[0].text).toBe("[pid 2] pipe(0) = 0 [3, 4]");
    expect(d.disagreement).toMatchObject({ step: 1, known: expect.any(String) });
    expect(d.disagreement.linux).toMatch(/^result \{"ret":\d+\}/);
    expect(d.disagreement.model[0]).toContain("EOPNOTSUPP");
    // The model's state stops before the step it disagrees on: it would not be Linux's (the
    // page follows the trace that far, sim/view/scrub.ts).
    expect(d.followed).toBe(1);
  }, 60_000);

  it("explore writes the shrunk failure", async () => {
    const m = join(TEST_TMP, "explore.mmd");
    const r = await cli("explore", "sim/scenario/testdata/pipe-leak.ts", "--runs", "5",
      "--workers", "1", "--mermaid", m, "--failures", TEST_TMP);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`mermaid: ${m}`);
    expect(readFileSync(m, "utf8")).toContain("activate");
  });
});
