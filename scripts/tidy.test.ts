// The tidy test: the tree has no violation beyond scripts/tidy-baseline.txt, and the baseline
// lists nothing that is fixed. The checks themselves are tested on small made-up files first.

import { describe, expect, test } from "vitest";
import {
  compareWithBaseline, formatViolation, LIMITS, readBaseline, sourceFiles, tidyCheck,
  type Violation,
} from "./tidy.js";

const check = (files: Record<string, string>) => tidyCheck(new Map(Object.entries(files)));
const messages = (files: Record<string, string>) => check(files).map(formatViolation);
const lines = (n: number, line = "x;") => Array.from({ length: n }, () => line).join("\n") + "\n";
/** A function of `n` lines in all, its header and closing brace included. */
const tsFunction = (header: string, n: number) => `${header} {\n${lines(n - 2)}}\n`;

describe("sizes", () => {
  test("a line over 100 columns is reported with its length; 100 is allowed", () => {
    const text = `${"a".repeat(100)}\n${"b".repeat(101)}\n${"é".repeat(100)}\n`;
    expect(messages({ "a.ts": text })).toEqual(["a.ts:2: line is 101 columns (max 100)"]);
  });

  test("a file over 600 lines is reported; 600 is allowed", () => {
    expect(messages({ "a.ts": lines(600) })).toEqual([]);
    expect(messages({ "a.ts": lines(601) })).toEqual(["a.ts:1: file is 601 lines (max 600)"]);
  });

  test("TypeScript functions, methods and arrows over 70 lines are reported by name", () => {
    const text = [
      tsFunction("function ok()", LIMITS.functionLines),
      tsFunction("function long()", 71),
      `class C {\n${tsFunction("  m()", 72)}}`,
      tsFunction("const arrow = () =>", 73),
      `it("does a thing", () => {\n${lines(80)}});`,
    ].join("\n");
    expect(messages({ "a.ts": text }).map((m) => m.replace(/^a\.ts:\d+: /, ""))).toEqual([
      "function long is 71 lines (max 70)",
      "function C.m is 72 lines (max 70)",
      "function arrow is 73 lines (max 70)",
      'function it("does a thing") callback is 82 lines (max 70)',
    ]);
  });

  test("a describe block groups tests and is not itself a function", () => {
    const text = `describe("group", () => {\n${lines(100)}});\n`;
    expect(messages({ "a.test.ts": text })).toEqual([]);
  });

  test("AssemblyScript functions with decorators are measured as TypeScript ones", () => {
    const text = `// kernel\n${tsFunction("@inline export function hot(): i32", 71)}`;
    expect(messages({ "kernel/index.ts": text })).toEqual([
      "kernel/index.ts:2: function hot is 71 lines (max 70)",
    ]);
  });

  test("C: top-level functions by matching braces, not structs, initialisers or comments", () => {
    const body = lines(70, "  x++;");
    const text = [
      "#include <stdio.h>",
      "struct big {", lines(80, "  int a;"), "};",
      "static const int table[] = {", lines(80, "  1,"), "};",
      "/* a comment with { braces */",
      "static int",
      "long_one(int a, const char *s)",
      "{", '  const char *b = "}";', body, "}",
      "int short_one(void) { return '{'; }",
    ].join("\n");
    expect(messages({ "a.c": text })).toEqual([
      "a.c:169: function long_one is 76 lines (max 70)",
    ]);
  });
});

describe("unused exports", () => {
  const base = {
    "sim/a.ts": [
      "export const imported = 1;",
      "export const onlyHere = 2;",
      "export function unused() {}",
      "export type Shape = { n: typeof onlyHere };",
      "export default function main() {}",
    ].join("\n"),
    "sim/b.test.ts": 'import { imported } from "./a.js";\nimported;\n',
  };
  const found = (files: Record<string, string>) =>
    check(files).filter((v) => v.check === "export").map((v) => `${v.path}: ${v.message}`);

  test("an export no other file imports is reported: unused, or used only in its own file", () => {
    expect(found(base)).toEqual([
      "sim/a.ts: export onlyHere is used only in its own file: un-export it",
      "sim/a.ts: export unused is unused",
      "sim/a.ts: export Shape is unused",
    ]);
  });

  test("imports, type imports, re-exports, namespaces and import types count as uses", () => {
    const files = {
      ...base,
      "sim/c.ts": 'export { onlyHere as renamed } from "./a.js";\n',
      "sim/d.ts": 'import * as a from "./a.js";\na.unused();\nimport { renamed } from "./c.js";\n',
      "sim/e.ts": 'let s: import("./a.js").Shape;\n',
    };
    expect(found(files)).toEqual([]);
  });

  test("the public entry points' exports and what they re-export are used", () => {
    const files = {
      "sim/index.ts": 'export { x } from "./x.js";\nexport * from "./star.js";\n',
      "sim/x.ts": "export const x = 1;\nexport const notReexported = 2;\n",
      "sim/star.ts": "export const s = 1;\n",
      "kernel/index.ts": 'import { f } from "./f";\nexport function k_f(): i32 { return f(); }\n',
      "kernel/f.ts": [
        "@inline export function f(): i32 { return 1; }",
        "@inline export function g(): i32 { return 2; }",
      ].join("\n"),
    };
    expect(found(files)).toEqual([
      "kernel/f.ts: export g is unused",
      "sim/x.ts: export notReexported is unused",
    ]);
  });
});

describe("the baseline", () => {
  const v = (key: string): Violation => ({ path: "p", line: 1, check: "line", message: "m", key });

  test("allows up to its count of each key, and reports an entry allowing more than occurs", () => {
    const baseline = new Map([["p: long lines", 2], ["p: function f", 1], ["p: file length", 1]]);
    const violations = ["p: long lines", "p: long lines", "p: function f", "p: function g"].map(v);
    const r = compareWithBaseline(violations, baseline);
    expect(r.unexpected.map((x) => x.key)).toEqual(["p: function g"]);
    expect(r.stale).toEqual(["p: file length"]);
    const more = compareWithBaseline([...violations, v("p: long lines")], baseline);
    expect(more.unexpected.map((x) => x.key)).toEqual([
      "p: long lines", "p: long lines", "p: function g", "p: long lines",
    ]);
    const fewer = compareWithBaseline([v("p: long lines")], baseline);
    expect(fewer.stale).toContain("p: long lines (2, now 1)");
  });
});

test("the tree has no violation beyond scripts/tidy-baseline.txt, which lists none fixed", () => {
  const t0 = performance.now();
  const violations = tidyCheck(sourceFiles());
  const ms = performance.now() - t0;
  const { unexpected, stale } = compareWithBaseline(violations, readBaseline());
  const report = [
    ...unexpected.map(formatViolation),
    ...stale.map((k) => `scripts/tidy-baseline.txt: "${k}" no longer occurs: remove or lower it`),
  ];
  expect(report.join("\n")).toBe("");
  expect(ms).toBeLessThan(30_000); // about 1 s alone; generous for a loaded machine
});
