// The command line as a user meets it (issue 13, "The CLI"): per-command help and options,
// errors for options that do not apply, one JSON document with an envelope whose `ok` agrees
// with the exit code, a scenario's console kept off stdout, and one-line errors (no stack
// trace) for a user's mistakes. Each test names the defect it pins; all failed before.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cliInProcess } from "./testing.js";

/** Every temporary directory this file makes is under one, removed when the file ends. */
const TEST_TMP = mkdtempSync(join(tmpdir(), "ipcsim-cli-test-"));
afterAll(() => rmSync(TEST_TMP, { recursive: true, force: true }));

const cli = cliInProcess;

const T = "sim/scenario/testdata";
const TRACE = "examples/traces/sem-mutex.jsonl";
const VERSION = (JSON.parse(readFileSync("package.json", "utf8")) as { version: string }).version;
const MEANING: Record<number, string> =
  { 0: "ok", 1: "failure", 2: "bad-input", 3: "inconclusive" };

/** A scratch directory outside any project, holding `files`. */
function scratch(files: Record<string, string>): string {
  const dir = mkdtempSync(join(TEST_TMP, "ipcsim-cli-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const TRACE_HEAD = '{"trace":"ipcsim","version":1}\n';
const files = scratch({
  "divergent.jsonl": `${TRACE_HEAD}{"pid":2,"call":"pipe","expect":{"ret":-1,"errno":"EMFILE"}}\n`,
  "bad-mid.jsonl": `${TRACE_HEAD}{"pid":2,"call":"pipe"}\n{"pid":2,"call":"bogus"}\n`,
  "bad-late.jsonl": TRACE_HEAD + '{"pid":2,"call":"getppid"}\n'.repeat(5000) + '{"pid":2}\n',
  "invalid-mid.jsonl": `${TRACE_HEAD}{"pid":2,"call":"pipe"}\n{"pid":9,"call":"close","fd":3}\n`,
  "known.jsonl": `${TRACE_HEAD}{"pid":2,"call":"open","path":".","flags":["O_TMPFILE","O_RDWR"]}\n`,
  "wide-fd.jsonl": `${TRACE_HEAD}{"pid":2,"call":"close","fd":4294967296}\n`,
  "noisy.mjs": "export default async function main(os) {\n" +
    '  console.log("noise on console"); console.error("more noise"); os.log("a note");\n}\n',
  "throws.mjs": 'throw new Error("boom at import");\n',
  "imports-ipcsim.mjs": 'import { IPC_CREAT } from "ipcsim";\n' +
    "export default async function main(os) { os.log(String(IPC_CREAT)); }\n",
  "pipe.test.ts": 'import { it } from "vitest";\nit("x", () => {});\n',
});

describe("help and version (defect: no --version; help listed every command's options)", () => {
  it("ipcsim --version prints package.json's version", async () => {
    expect(await cli("--version")).toMatchObject({ code: 0, out: `${VERSION}\n` });
  });

  it("`help run` and `run --help` list run's options only, --max-steps/--depth/--preemptions "
    + "among them", async () => {
    for (const argv of [["help", "run"], ["run", "--help"]]) {
      const r = await cli(...argv);
      expect(r.code).toBe(0);
      for (const o of ["--max-steps", "--depth", "--preemptions", "--replay", "-e", "-p"]) {
        expect(r.out).toContain(o);
      }
      expect(r.out).not.toContain("--runs");
      expect(r.out).not.toContain("--shard");
    }
  });

  it("`help replay` says TRACE may be - (stdin); `help check` lists --json, not --seed",
    async () => {
      expect((await cli("help", "replay")).out).toContain("or - for stdin");
      const check = await cli("check", "--help");
      expect(check.out).toContain("--json");
      expect(check.out).not.toContain("--seed");
    });
});

describe("usage errors (defect: mistyped and inapplicable options were ignored)", () => {
  const usage = (err: string) => ({ code: 2, err: expect.stringContaining(err) });

  it("suggests the command or option meant", async () => {
    expect(await cli("rnu", `${T}/pipe-eof.ts`)).toMatchObject(usage("did you mean run?"));
    expect(await cli("help", "explor")).toMatchObject(usage("did you mean explore?"));
    expect(await cli("run", `${T}/pipe-eof.ts`, "--sed", "3"))
      .toMatchObject(usage("did you mean --seed?"));
  });

  it("refuses an option of another command: run --runs, check --seed", async () => {
    expect(await cli("run", `${T}/pipe-eof.ts`, "--runs", "5"))
      .toMatchObject(usage("--runs is an option of explore"));
    expect(await cli("check", TRACE, "--seed", "3"))
      .toMatchObject(usage("unknown option '--seed'"));
  });

  it("refuses options that conflict: --replay is its own strategy; --depth is pct's",
    async () => {
      expect(await cli("run", `${T}/sem-cycle.ts`, "--replay", "01", "--strategy", "pct"))
        .toMatchObject(usage("--replay D replays a decision string"));
      expect(await cli("run", `${T}/pipe-eof.ts`, "--depth", "2"))
        .toMatchObject(usage("--strategy pct only"));
      expect(await cli("run", `${T}/pipe-eof.ts`, "--strategy", "random", "--preemptions", "1"))
        .toMatchObject(usage("--strategy dfs or dpor only"));
    });

  it("refuses --runs 0 and --max-steps 0", async () => {
    expect(await cli("explore", `${T}/pipe-eof.ts`, "--runs", "0")).toMatchObject(usage("--runs"));
    expect(await cli("run", `${T}/pipe-eof.ts`, "--max-steps", "0"))
      .toMatchObject(usage("--max-steps"));
  });

  it("accepts strace's -e trace=EXPR and -p PID for replay and run, text only", async () => {
    expect((await cli("replay", TRACE, "-e", "trace=semop", "-p", "2")).code).toBe(0);
    expect((await cli("run", `${T}/pipe-eof.ts`, "-e", "trace=pipe,read")).code).toBe(0);
    expect(await cli("run", `${T}/pipe-eof.ts`, "-p", "2", "--json"))
      .toMatchObject({ code: 2, out: expect.stringContaining("never filtered") });
  });

  it("-e trace=pipe shows only pipe calls in run's text view", async () => {
    const r = await cli("run", `${T}/pipe-eof.ts`, "-e", "trace=pipe");
    expect(r.out).toContain("pipe(");
    expect(r.out).not.toContain("close(");
  });
});

describe("--json: one document, with the envelope (defect: ok contradicted the exit code)", () => {
  const cases: [string, string[], number][] = [
    ["replay", ["replay", TRACE], 0],
    ["check", ["check", TRACE], 0],
    ["check", ["check", join(files, "divergent.jsonl")], 1],
    ["run", ["run", `${T}/pipe-eof.ts`], 0],
    ["run", ["run", `${T}/pipe-leak.ts`], 1],
    ["explore", ["explore", `${T}/pipe-leak.ts`, "--runs", "10"], 1],
    ["explore", ["explore", `${T}/never.ts`, "--runs", "20"], 3],
    ["run", ["run", join(files, "missing.ts")], 2],
    ["replay", ["replay", join(files, "bad-mid.jsonl")], 2],
    ["run", ["run", `${T}/pipe-eof.ts`, "--runs", "3"], 2],
  ];
  for (const [command, argv, exit] of cases) {
    it(`${argv.join(" ")} --json: exit ${exit}, ok ${exit === 0}`, async () => {
      const r = await cli(...argv, "--json");
      expect(r.code).toBe(exit);
      const j = JSON.parse(r.out) as Record<string, unknown>;
      expect(j).toMatchObject({
        tool: "ipcsim", version: VERSION, command, ok: exit === 0, exit, exitMeaning: MEANING[exit],
      });
      if (exit === 2) expect(j.error).toMatchObject({ message: expect.any(String) });
    });
  }

  it("diff --json at a known difference: exit 0 and ok true", async () => {
    const r = await cli("diff", join(files, "known.jsonl"), "--json");
    const j = JSON.parse(r.out) as { ok: boolean; exit: number; error?: { kind: string } };
    expect(r.code).toBe(0);
    expect(j).toMatchObject({ ok: true, exit: 0, disagreement: { known: "files" } });
  });

  it("a trace that turns invalid on the model part-way closes the streamed replay document " +
    "with the error", async () => {
      const r = await cli("replay", join(files, "invalid-mid.jsonl"), "--json");
      const j = JSON.parse(r.out) as { outcomes: unknown[]; error: { kind: string; file: string } };
      expect(j.outcomes).toHaveLength(1);
      expect(j.error).toMatchObject({ kind: "trace", file: join(files, "invalid-mid.jsonl") });
    });

  it("replay checks every line before the first step runs (issue 22: it printed every step " +
    "before failing on a bad line)", async () => {
      const file = join(files, "bad-late.jsonl");
      const text = await cli("replay", file);
      expect(text.code).toBe(2);
      expect(text.out).not.toContain("getppid");
      expect(text.err).toContain(`${file}:5002:`);
      const json = await cli("replay", file, "--json");
      expect(json.code).toBe(2);
      expect(json.out).not.toContain("getppid");
    });
});

describe("a scenario's console (defect: console.log corrupted --json stdout)", () => {
  const noisy = join(files, "noisy.mjs");

  it("--json: console output and os.log lines go into `logs`, stdout stays one document",
    async () => {
      const r = await cli("run", noisy, "--json");
      const j = JSON.parse(r.out) as { logs: { source: string; text: string }[] };
      expect(j.logs).toEqual([
        { source: "console.log", text: "noise on console" },
        { source: "console.error", text: "more noise" },
        { source: "os.log", pid: 2, step: -1, text: "a note" },
      ]);
      const e = JSON.parse((await cli("explore", noisy, "--runs", "2", "--json")).out);
      expect(e.logs[0]).toEqual({ source: "console.log", text: "noise on console" });
    });

  it("text: console output goes to stderr, not stdout", async () => {
    const r = await cli("run", noisy);
    expect(r.code).toBe(0);
    expect(r.err).toContain("noise on console");
    expect(r.out).not.toContain("noise on console");
  });
});

describe("user mistakes: one line naming the file and the fix, exit 2, no stack trace", () => {
  const oneLine = (r: { code: number; err: string }, ...parts: string[]) => {
    expect(r.code).toBe(2);
    expect(r.err).not.toMatch(/\n\s+at /);
    const first = r.err.split("\n")[0];
    for (const p of parts) expect(first).toContain(p);
  };

  it("a scenario that throws at import", async () => {
    const f = join(files, "throws.mjs");
    oneLine(await cli("run", f), f, "threw while loading", "boom at import", "main(os)");
  });

  it("a .mjs scenario outside any project importing \"ipcsim\" runs (resolved to this copy)",
    async () => {
      const r = await cli("run", join(files, "imports-ipcsim.mjs"));
      expect(r.code).toBe(0);
      expect(r.err).toContain("# os.log (pid 2): 512");
      expect(r.out).not.toContain("os.log");
    });

  it("--strategy pct:0", async () => {
    oneLine(await cli("run", `${T}/pipe-eof.ts`, "--strategy", "pct:0"), "pct:0", ">= 1");
  });

  it("a vitest test file given as a scenario", async () => {
    const f = join(files, "pipe.test.ts");
    oneLine(await cli("run", f), f, "test file", "npx vitest run");
  });

  it("a directory, a missing file, a .json file given to run", async () => {
    const dir = join(files, "a-dir");
    mkdirSync(dir);
    oneLine(await cli("run", dir), dir, "is a directory");
    oneLine(await cli("explore", join(files, "nope.ts")), join(files, "nope.ts"), "no such file");
    const json = join(files, "t.json");
    writeFileSync(json, "{}\n");
    oneLine(await cli("run", json), json, "traces are .jsonl files");
    oneLine(await cli("replay", dir), dir);
  });

  it("a .jsonl trace given to run runs as a program (issue 23: from-trace.ts)", async () => {
    // As a program, examples/traces/sem-mutex.jsonl deadlocks when every decision takes the
    // first candidate: the parent runs on and takes the lock twice.
    const r = await cli("run", TRACE, "--replay", "");
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^verdict: deadlock: every live process is blocked$/m);
    expect(r.out).toContain("[pid 3] semop(0, [{sem_num=0, sem_op=-1, sem_flg=SEM_UNDO}], 1)");
  });

  it("a --json error is a JSON document naming the file", async () => {
    const f = join(files, "throws.mjs");
    const r = await cli("run", f, "--json");
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out)).toMatchObject({
      ok: false, exit: 2, error: { kind: "scenario", file: f },
    });
  });
});

describe("record refuses an argument Linux would read differently (fd 2^32 became 0)", () => {
  it("ipcsim record: one line naming file, line, field and range; exit 2", async () => {
    const f = join(files, "wide-fd.jsonl");
    const r = await cli("record", f);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err.split("\n")[0]).toMatch(/wide-fd\.jsonl:2: field "fd".*int.*4294967296/);
  });
});
