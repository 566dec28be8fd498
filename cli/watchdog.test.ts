// The built CLI (dist/cli.js, npm run build) under the watchdog, as a user runs it. Issue 12:
// a scenario that spins hung `run` and `explore` forever, with no time budget and no Ctrl-C
// summary; --workers 0 and --time -1 were not refused.
import { spawn, spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const CLI = "dist/cli.js";
const SPIN = "sim/scenario/testdata/spin.ts";

function ipcsim(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("ipcsim under the watchdog", () => {
  it("run: a child that spins ends with the verdict timeout, exit 1", () => {
    const r = ipcsim("run", SPIN, "--run-timeout", "300");
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/verdict: timeout: pids? (2, )?3 ran 300 ms/);
  });

  it("explore: the spinning run is the failure found, exit 1", () => {
    const r = ipcsim("explore", SPIN, "--run-timeout", "300", "--workers", "2");
    expect(r.code).toBe(1);
    expect(r.out).toContain("failure found at run 1");
    expect(r.out).toContain("verdict: timeout");
  });

  it("explore --time: stops with a summary, exit 3 when nothing failed", () => {
    const r = ipcsim("explore", "examples/bugs/sem-order.fixed.ts", "--runs", "100000000",
      "--time", "1s", "--workers", "2");
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/stopped: the time budget \(--time\) ran out after \d+ runs/);
    expect(r.out).toContain("--seed 1 --strategy mix");
  });

  it("explore: a worker that crashes is reported with its run and replay command, exit 1",
    () => {
      const r = ipcsim("explore", "sim/scenario/testdata/crash.ts", "--workers", "1",
        "--runs", "50");
      expect(r.code).toBe(1);
      expect(r.out).toContain("a worker crashed in run 4 (the worker exited (code 7)) after 4 " +
        "runs without a failure; replay: ipcsim run sim/scenario/testdata/crash.ts --replay");
    });

  for (const [flag, value] of [["--workers", "0"], ["--time", "-1"], ["--run-timeout", "0"]]) {
    it(`refuses ${flag} ${value}: exit 2 with the option named`, () => {
      const r = ipcsim("explore", "examples/bugs/sem-order.ts", flag, value);
      expect(r.code).toBe(2);
      expect(r.err).toContain(flag);
    });
  }

  it("Ctrl-C during explore prints the summary and exits 130", async () => {
    const child = spawn(process.execPath, [CLI, "explore", "examples/bugs/sem-order.fixed.ts",
      "--runs", "100000000", "--workers", "2"]);
    let out = "";
    child.stdout.on("data", (d) => { out += d; });
    await new Promise((r) => setTimeout(r, 2500));
    child.kill("SIGINT");
    const code = await new Promise((r) => child.on("exit", (c) => r(c)));
    expect(code).toBe(130);
    expect(out).toMatch(/stopped: interrupted after \d+ runs, no failure found \(seed 0, /);
    expect(out).toContain("to go on with new schedules: ipcsim explore");
  });
});
