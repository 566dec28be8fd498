// `npm test`: build if needed, run vitest, and end with the one plain line CI reads:
// `N passed, N failed` (vitest's own summary is not recognised by CI). Extra arguments go to
// vitest (`npm test -- sim/trace`).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const report = join(root, ".vitest-report.json");

if (!existsSync(join(root, "wasm/build/kernel.wasm"))) {
  const buildScript = join(root, "scripts/build.mjs");
  const b = spawnSync(process.execPath, [buildScript], { stdio: "inherit", cwd: root });
  if (b.status !== 0) process.exit(b.status ?? 2);
}
rmSync(report, { force: true });
const vitest = join(root, "node_modules/vitest/vitest.mjs");
const args = [
  "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`,
  ...process.argv.slice(2),
];
const r = spawnSync(process.execPath, [vitest, ...args], { stdio: "inherit", cwd: root });

let passed = 0, failed = 0, skipped = 0;
if (existsSync(report)) {
  const j = JSON.parse(readFileSync(report, "utf8"));
  passed = j.numPassedTests ?? 0;
  failed = j.numFailedTests ?? 0;
  // A file that failed to load has no failed test of its own: count the failed suites then.
  if (failed === 0) failed = j.numFailedTestSuites ?? 0;
  skipped = (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
} else {
  failed = 1;
}
const code = r.status ?? 1;
if (code !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
process.exit(code);
