// The CLI as a user runs it, a process (issue 12, the verdicts): it exits after its verdict
// even when the scenario left a timer pending (before: a never-settling await gave empty
// output and exit 0; a one-hour timer kept it alive for the hour), `exit(3)` fails the run,
// and an exception names its type and the scenario's file and line.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const CLI = resolve("dist/cli.js");
const dir = mkdtempSync(join(tmpdir(), "ipcsim-cli-process-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(name: string, source: string): { status: number | null; out: string } {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  const file = join(dir, name);
  writeFileSync(file, `import type { Os } from "ipcsim";\n${source}`);
  const r = spawnSync(process.execPath, [CLI, "run", file], { encoding: "utf8", timeout: 30_000 });
  return { status: r.status, out: r.stdout };
}

describe("ipcsim run, as a process", () => {
  it("a never-settling await is the verdict stuck, exit 1 (issue 12: empty output, exit 0)",
    () => {
      const r = cli("never.ts", "export default async function main(os: Os) {\n" +
        "  await os.pipe();\n  await new Promise(() => {});\n}\n");
      expect(r.out).toContain("verdict: stuck: pid 2 neither calls os nor returns " +
        "(after its last call, pipe(0) (step 0))");
      expect(r.status).toBe(1);
    });

  it("a scenario that leaves a one-hour timer pending ends with its verdict at once", () => {
    const t0 = Date.now();
    const r = cli("timer.ts", "export default async function main(os: Os) {\n" +
      "  await os.pipe();\n  await new Promise((r) => setTimeout(r, 3_600_000));\n}\n");
    expect(r.out).toContain("verdict: stuck");
    expect(r.status).toBe(1);
    expect(Date.now() - t0).toBeLessThan(25_000);
  });

  it("exit(3) from main is a failure, exit 1 (issue 12: verdict ok, exit 0)", () => {
    const r = cli("exit3.ts", "export default async function main(os: Os) {\n" +
      "  await os.exit(3);\n}\n");
    expect(r.out).toContain("verdict: exit status: the main process (pid 2) exited with 3");
    expect(r.status).toBe(1);
  });

  it("an exception names its type, and the scenario's file and line (issue 12)", () => {
    const r = cli("throws.ts", "export default async function main(os: Os) {\n" +
      "  await os.pipe();\n  (null as unknown as { f(): void }).f();\n}\n");
    expect(r.out).toMatch(/verdict: exception in pid 2: TypeError: Cannot read properties of null/);
    expect(r.out).toContain(`    at main (${join(dir, "throws.ts")}:4:38)`);
    expect(r.out).not.toMatch(/node_modules|\.cache/);
    expect(r.status).toBe(1);
  });
});
