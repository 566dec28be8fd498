// `ipcsim verify` (issue 23) as a user runs it: the built CLI (npm run build), its three
// outcomes and their exit codes.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

function ipcsim(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ["dist/cli.js", ...args],
    { encoding: "utf8", timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("ipcsim verify", () => {
  it("exhaustive: every interleaving class passes, exit 0", () => {
    const r = ipcsim("verify", "examples/bugs/sem-order.fixed.ts");
    expect(r.code).toBe(0);
    const line =
      /^exhaustive: \d+ interleaving classes \(\d+ runs, \d+ races reversed\), all pass$/m;
    expect(r.out).toMatch(line);
  });

  it("a failure: shrunk, with its replay command that reproduces it, exit 1", () => {
    const r = ipcsim("verify", "examples/bugs/sem-order.ts");
    expect(r.code).toBe(1);
    expect(r.out).toContain("verdict: deadlock");
    const replay = /^replay: ipcsim (run .*)$/m.exec(r.out)![1].split(" ");
    const again = ipcsim(...replay);
    expect(again.code).toBe(1);
    expect(again.out).toContain("verdict: deadlock");
  });

  it("incomplete when --max-runs or the preemption bound cuts the search, exit 3", () => {
    const runs = ipcsim("verify", "examples/bugs/sem-order.fixed.ts", "--max-runs", "2");
    expect(runs.code).toBe(3);
    expect(runs.out).toMatch(/^incomplete: --max-runs 2 ran out: /m);
    const bound = ipcsim("verify", "examples/bugs/sem-order.fixed.ts", "--preemptions", "0");
    expect(bound.code).toBe(3);
    expect(bound.out).toMatch(/^incomplete: the preemption bound \(0\) was reached: /m);
  });

  it("a trace runs as a program: every order of its processes' steps, states cached", () => {
    const ok = ipcsim("verify", "examples/traces/msg-typed-receive.jsonl");
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(new RegExp("^exhaustive: \\d+ interleaving classes \\(\\d+ runs, " +
      "\\d+ races reversed, [1-9]\\d* runs cut at a state seen before\\), all pass$", "m"));
    // As written the trace hands the lock over; in another order pid 2 takes it twice.
    const bad = ipcsim("verify", "examples/traces/sem-mutex.jsonl");
    expect(bad.code).toBe(1);
    expect(bad.out).toContain("verdict: deadlock");
    const replay = /^replay: ipcsim (run .*)$/m.exec(bad.out)![1].split(" ")
      .map((a) => a === '""' ? "" : a); // the shell's empty decision string
    expect(ipcsim(...replay).out).toContain("verdict: deadlock");
  });

  it("--json: the status and counts", () => {
    const r = ipcsim("verify", "examples/bugs/sem-order.fixed.ts", "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ status: "exhaustive", bounded: false });
    expect(j.classes).toBeGreaterThan(1);
  });
});
