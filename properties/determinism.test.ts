// The seed is the bug report: replaying a trace with the same seed gives byte-identical output,
// in the library (replayTrace + report.ts) and through the CLI, on a fresh kernel or a reused
// one, from the trace in memory or from its JSON Lines.

import { test } from "@fast-check/vitest";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { expect } from "vitest";
import { replayTrace } from "../sim/replay.js";
import { replayJson, replayText } from "../sim/report.js";
import { parseTrace } from "../sim/trace/parse.js";
import { canonicalJson, outcomeToJson } from "../sim/trace/serialise.js";
import type { Trace } from "../sim/trace/types.js";
import { traceArb, type GeneratedTrace } from "./arbitraries.js";
import { params, replayPath, sharedKernel, withTrace } from "./support.js";
import "./timeouts.js";

const run = promisify(execFile);
const CLI = resolve("dist/cli.js");

/** The replay's two renderings, text and JSON, as one string. */
function output(trace: Trace, seed: number): string {
  const r = replayTrace(trace, seed);
  return `${replayText(trace, r, seed).join("\n")}\n${replayJson(trace, r, seed)}`;
}

/** "" when equal, else where the first difference is (the outputs can be megabytes long). */
function difference(a: string, b: string, what: string): string {
  if (a === b) return "";
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const line = a.slice(0, i).split("\n").length;
  const around = (s: string) => JSON.stringify(s.slice(Math.max(0, i - 80), i + 80));
  return `${what}: first difference at character ${i} (line ${line}):\n` +
    `  ${around(a)}\n  ${around(b)}`;
}

test.prop([traceArb()], params(25))(
  "replaying a trace twice with the same seed gives byte-identical output " +
    "(the second time read back from its JSON Lines)",
  (g) => {
    withTrace("determinism", g, () => {
      const first = output(g.trace, g.seed);
      const second = output(parseTrace(g.jsonl(), g.trace.file), g.seed);
      if (first === second) return;
      // Tell nondeterminism from a codec round-trip bug: replay the same object again.
      const again = output(g.trace, g.seed);
      expect(difference(first, again, "second replay of the same trace")).toBe("");
      expect(difference(first, second, "replay of the trace read back from JSON Lines")).toBe("");
    });
  },
);

/** Outcomes of a path, as canonical JSON lines. */
function outcomes(g: GeneratedTrace, kernel = sharedKernel()): string {
  const { path } = replayPath(g.trace, g.seed, kernel);
  return path.map((p) => canonicalJson(outcomeToJson(p.outcome, g.steps[p.index]))).join("\n");
}

test.prop([traceArb(), traceArb()], params(25))(
  "a kernel reset after another trace replays a trace exactly as a fresh kernel does",
  (before, g) => {
    withTrace("kernel-reuse", g, () => {
      outcomes(before); // leave the shared kernel in some other state
      const reused = outcomes(g);
      const fresh = replayTrace(g.trace, g.seed).steps
        .map((s) => canonicalJson(outcomeToJson(s.outcome, s.step)))
        .join("\n");
      expect(difference(fresh, reused, "reused kernel vs fresh")).toBe("");
    });
  },
);

const cliMissing = !existsSync(CLI);
/** A CLI bundle older than the kernel or the simulator's sources (`build.mjs kernel` rebuilds
 * the kernel alone) runs older code: it is then only compared with itself. */
const cliStale = !cliMissing && newestSource() > statSync(CLI).mtimeMs;

function newestSource(): number {
  const files = ["wasm/build/kernel.wasm", "wasm/abi.ts", "wasm/kernel.ts"];
  for (const f of readdirSync("sim", { recursive: true }) as string[]) {
    if (f.endsWith(".ts") && !f.endsWith(".test.ts")) files.push(join("sim", f));
  }
  return Math.max(...files.filter((f) => existsSync(f)).map((f) => statSync(f).mtimeMs));
}

(cliMissing ? test.skip : test).prop([traceArb({ stepsMax: 20 })], params(6))(
  "`ipcsim replay FILE --seed N --json` prints the same bytes twice, and what the library prints",
  async (g) => {
    const dir = mkdtempSync(join(tmpdir(), "ipcsim-determinism-"));
    try {
      const file = join(dir, "trace.jsonl");
      writeFileSync(file, g.jsonl());
      const args = [CLI, "replay", file, "--seed", String(g.seed), "--json"];
      const opts = { maxBuffer: 1 << 30 };
      const cli = () => run(process.execPath, args, opts);
      const [a, b] = await Promise.all([cli(), cli()]);
      withTrace("determinism-cli", g, () => {
        expect(difference(a.stdout, b.stdout, "second CLI run")).toBe("");
        if (cliStale) return;
        const trace = parseTrace(g.jsonl(), file);
        const lib = `${replayJson(trace, replayTrace(trace, g.seed), g.seed)}\n`;
        // The CLI adds its envelope (cli/output.ts: version, ok, exit, exitMeaning).
        const { version: _v, ok: _o, exit: _e, exitMeaning: _m, ...doc } = JSON.parse(a.stdout);
        const cliDoc = `${canonicalJson(doc)}\n`;
        expect(difference(`${canonicalJson(JSON.parse(lib))}\n`, cliDoc, "library vs CLI"))
          .toBe("");
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

if (cliMissing) {
  console.warn(`determinism: ${CLI} is missing (node scripts/build.mjs): CLI property skipped`);
} else if (cliStale) {
  console.warn(`determinism: ${CLI} is older than its sources (node scripts/build.mjs): ` +
    "the CLI is not compared with the library");
}
