// `npm test`: build if needed, run vitest, and end with the one plain line CI reads:
// `N passed, N failed` (vitest's own summary is not recognised by CI). Extra arguments go to
// vitest (`npm test -- sim/trace`).
//
// The whole suite runs in two passes. The host bridge paces a trace's timers in real time
// (100 ms a quantum, docs/host-bridge.md "Time"), and an instant whose steps overrun their
// budget makes the run inconclusive: on a 2-core machine, the C guests' compiles and the other
// files running beside them made that happen (CI runs of 7b4ddfe's predecessors). So the files
// that diff traces with timers against Linux run last, one file at a time, on a machine the
// rest of the suite no longer loads.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const PACED = ["host-bridge/diff.test.ts", "properties/host-diff.test.ts"];

if (!existsSync(join(root, "wasm/build/kernel.wasm"))) {
  const buildScript = join(root, "scripts/build.mjs");
  const b = spawnSync(process.execPath, [buildScript], { stdio: "inherit", cwd: root });
  if (b.status !== 0) process.exit(b.status ?? 2);
}

/** One vitest run with `args`: its exit code and its counts (from its JSON report). */
function vitest(args, name) {
  const report = join(root, `.vitest-report${name}.json`);
  rmSync(report, { force: true });
  const cli = join(root, "node_modules/vitest/vitest.mjs");
  const r = spawnSync(process.execPath, [cli, "run", "--reporter=default", "--reporter=json",
    `--outputFile.json=${report}`, ...args], { stdio: "inherit", cwd: root });
  const out = { code: r.status ?? 1, passed: 0, failed: 0, skipped: 0 };
  if (existsSync(report)) {
    const j = JSON.parse(readFileSync(report, "utf8"));
    out.passed = j.numPassedTests ?? 0;
    out.failed = j.numFailedTests ?? 0;
    // A file that failed to load has no failed test of its own: count the failed suites then.
    if (out.failed === 0) out.failed = j.numFailedTestSuites ?? 0;
    out.skipped = (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
  } else {
    out.failed = 1;
  }
  if (out.code !== 0 && out.failed === 0) out.failed = 1;
  return out;
}

const extra = process.argv.slice(2);
const runs = extra.length > 0 ? [vitest(extra, "")] : [
  vitest(PACED.flatMap((f) => ["--exclude", f]), ""),
  vitest([...PACED, "--no-file-parallelism"], "-paced"),
];
const sum = (k) => runs.reduce((n, r) => n + r[k], 0);
const skipped = sum("skipped");
console.log(`${sum("passed")} passed, ${sum("failed")} failed` +
  (skipped ? `, ${skipped} skipped` : ""));
process.exit(runs.find((r) => r.code !== 0)?.code ?? 0);
