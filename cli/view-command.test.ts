// `ipcsim view` as a user runs it (the built CLI in a child process): it prints a loopback
// address, serves the page there (and nothing else), and Ctrl-C ends it with exit 0.

import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";

/** Start `ipcsim view ARGS`, wait for its address line; stop() sends SIGINT. */
async function startView(...args: string[]) {
  const child = spawn(process.execPath, ["dist/cli.js", "view", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const url = await new Promise<string>((found, fail) => {
    child.stdout.on("data", (d) => {
      out += d;
      const m = /ipcsim view: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) found(m[1]);
    });
    child.on("exit", (code) => fail(new Error(`view exited ${code}: ${out}`)));
  });
  const exited = new Promise<number | null>((done) => child.on("exit", done));
  return { url, out: () => out, stop: () => { child.kill("SIGINT"); return exited; } };
}

function data(page: string): { steps: unknown[]; verdict?: string } {
  return JSON.parse(/<script id="ipcsim-data" type="application\/json">(.*?)<\/script>/s
    .exec(page)![1]);
}

describe("ipcsim view", () => {
  it("serves a trace's page on loopback, 404 elsewhere, and stops on Ctrl-C", async () => {
    const v = await startView("kernel/test/cases/proc-waitpid-blocks.jsonl");
    const page = await (await fetch(v.url)).text();
    expect(data(page).steps).toHaveLength(10);
    expect((await fetch(`${v.url}other`)).status).toBe(404);
    expect(await v.stop()).toBe(0);
  }, 60_000);

  it("runs a scenario once and serves its run with its verdict", async () => {
    const v = await startView("examples/pipe.ts", "--seed", "3");
    const d = data(await (await fetch(v.url)).text());
    expect(d.verdict).toBe("ok");
    expect(d.steps.length).toBeGreaterThan(10);
    expect(v.out()).toMatch(/\d+ steps; Ctrl-C stops/);
    expect(await v.stop()).toBe(0);
  }, 60_000);
});
