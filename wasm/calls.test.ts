// Exhaustiveness of the call table (wasm/calls.ts): every call in it has everything a call
// needs elsewhere, so that adding a row and forgetting a part fails here, naming the part.
// (The kernel's dispatch, the codec, the strace view, the host protocol and the docs table are
// generated or derived from the row, and the compiler or their own tests check them.)

import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { CALL_NAMES, CALL_TABLE, callSpec, type CallName } from "./calls.js";
import { Os } from "../sim/scenario/os.js";
import { CALL_TABLE as GENERATOR } from "../properties/call-table.js";

const root = join(import.meta.dirname, "..");
const read = (path: string) => readFileSync(join(root, path), "utf8");

/** The calls the behaviour cases (kernel/test/cases/*.jsonl) make. */
function callsInCases(): Set<string> {
  const dir = join(root, "kernel/test/cases");
  const calls = new Set<string>();
  for (const f of readdirSync(dir).filter((f) => f.endsWith(".jsonl"))) {
    for (const m of readFileSync(join(dir, f), "utf8").matchAll(/"call":\s*"([a-z0-9_]+)"/g)) {
      calls.add(m[1]);
    }
  }
  return calls;
}

/** The syscalls column of kernel/README.md's mechanism table, as one text. */
function readmeSyscalls(): string {
  const rows = read("kernel/README.md").split("\n").filter((l) => l.startsWith("| "));
  const header = rows[0].split("|").map((c) => c.trim());
  const col = header.indexOf("syscalls");
  return rows.slice(2).map((r) => r.split("|")[col] ?? "").join(" , ");
}

const word = (name: string) => new RegExp(`(^|[^A-Za-z0-9_])${name}([^A-Za-z0-9_]|$)`);

describe("every call in the call table has", () => {
  const cases = callsInCases();
  const syscalls = readmeSyscalls();

  test.each(CALL_NAMES)("%s: a behaviour case in kernel/test/cases", (call) => {
    expect(cases.has(call), `no kernel/test/cases/*.jsonl makes a ${call} call`).toBe(true);
  });

  test.each(CALL_NAMES)("%s: a row in kernel/README.md's mechanism table", (call) => {
    expect(syscalls, `kernel/README.md's syscalls column does not name ${call}`)
      .toMatch(word(call));
  });

  // A clock row (advance) is made by no process: a scenario's time passes by the scheduler.
  const processCalls = CALL_NAMES.filter((c) => !callSpec(c).clock);
  test.each(processCalls)("%s: an os method for scenarios", (call) => {
    const method = (Os.prototype as unknown as Record<string, unknown>)[call];
    expect(typeof method, `sim/scenario/os.ts has no method ${call}`).toBe("function");
  });

  test.each(CALL_NAMES)("%s: a trace generator entry", (call) => {
    const entries = GENERATOR.filter((k) => k.name === call || k.name.startsWith(`${call}-`));
    expect(entries.length, `properties/ has no generator entry for ${call}`).toBeGreaterThan(0);
  });

  test.each(CALL_NAMES)("%s: its kernel entry exported by kernel/sys_*.ts", (call) => {
    const { file, fn } = callSpec(call).kernel;
    // A sys_*.ts defines it, or re-exports a mechanism under its name (kernel/README.md,
    // "System call entry").
    const text = read(`kernel/sys_${file}.ts`);
    expect(text).toMatch(new RegExp(`export function ${fn}\\(|as ${fn}[,\\s}]`));
  });
});

describe("the rows", () => {
  test("numbers are unique", () => {
    const nrs = CALL_NAMES.map((c) => CALL_TABLE[c].nr);
    expect(new Set(nrs).size).toBe(nrs.length);
  });

  test("argument names are unique within a call, and a call has at most 6 registers", () => {
    for (const call of CALL_NAMES as CallName[]) {
      const spec = callSpec(call);
      const names = spec.args.map((a) => a.name);
      expect(new Set(names).size, call).toBe(names.length);
      expect(spec.kernel.regs.length, call).toBeLessThanOrEqual(6);
    }
  });

  test("flags and command arguments name their family; others do not", () => {
    for (const call of CALL_NAMES) {
      for (const a of callSpec(call).args) {
        const named = a.kind === "flags" || a.kind === "command";
        expect(a.names !== undefined, `${call}.${a.name}`).toBe(named);
      }
    }
  });
});
