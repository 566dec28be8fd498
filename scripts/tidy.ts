// The tidy checks (scripts/tidy.test.ts runs them on the whole tree; `node scripts/run-ts.mjs
// scripts/tidy.ts` prints them, `--write-baseline` rewrites scripts/tidy-baseline.txt):
//   - lines at most 100 columns, files at most 600 lines, functions at most 70 lines
//     (TypeScript/AssemblyScript through the TypeScript parser, C by matching braces);
//   - no unused exports: an export of a .ts/.mjs file that no other file imports or re-exports,
//     unless its file is a public entry point (sim/index.ts, the library; kernel/index.ts, the
//     wasm exports) or ALLOWED below says why it is public.
// Scope: the project's own sources tracked by git (*.ts, *.mjs, *.c, *.h), without the generated
// ones (first line says GENERATED). The sizes are STYLE.md's.

import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, posix } from "node:path";
import ts from "typescript";

export const LIMITS = { lineColumns: 100, fileLines: 600, functionLines: 70 };

/** A file whose exports all count as used: the public API. */
const ENTRY_POINTS = [
  "sim/index.ts", // the library: package.json "exports"
  "kernel/index.ts", // the wasm exports (asconfig.json "entries")
];

/** Exports used from outside the TypeScript import graph, each with the reason. */
const ALLOWED: { path: string; name: string; why: string }[] = [
  { path: "wasm/abi.ts", name: "*", why: "scripts/build.mjs makes kernel/abi.ts from its tables" },
  { path: "sim/view/app-bundle.ts", name: "viewAppOptions",
    why: "scripts/build.mjs bundles dist/view-app.js with it (importTs)" },
];

/** Exports a loader calls by name in a file it is given by path: `default` (a scenario module:
 * `ipcsim run FILE`; vitest.config.ts) and `main` (`node scripts/run-ts.mjs FILE.ts`). */
const LOADED = new Set(["default", "main"]);

type Check = "line" | "file" | "function" | "export";

export interface Violation {
  path: string;
  line: number;
  check: Check;
  /** What is wrong, for a human: `function foo is 85 lines (max 70)`. */
  message: string;
  /** What the baseline names it by: `path: function foo`, `path: long lines` (one per file). */
  key: string;
}

/** The checkout the current directory is in (run-ts.mjs bundles this file elsewhere). */
const root = execFileSync("git", ["rev-parse", "--show-toplevel"], { encoding: "utf8" }).trim();
const BASELINE = join(root, "scripts/tidy-baseline.txt");
const SOURCE = /\.(ts|mjs|c|h)$/;

/** A generated file's first line says so: it is not checked, but its imports count as uses. */
const isGenerated = (text: string) => /GENERATED/.test(text.slice(0, text.indexOf("\n") >>> 0));

/** The project's own source files, relative to the root: tracked and present. */
export function sourceFiles(dir = root): Map<string, string> {
  const git = ["ls-files", "-z", "--cached"];
  const listed = execFileSync("git", git, { cwd: dir, encoding: "utf8" });
  const files = new Map<string, string>();
  for (const path of listed.split("\0")) {
    if (!SOURCE.test(path) || path.endsWith(".d.ts") || !existsSync(join(dir, path))) continue;
    files.set(path, readFileSync(join(dir, path), "utf8"));
  }
  return files;
}

/** Every violation in `files` (path → text), sorted by path and line. */
export function tidyCheck(files: Map<string, string>): Violation[] {
  const out: Violation[] = [];
  const parsed = new Map<string, ts.SourceFile>();
  for (const [path, text] of files) {
    const generated = isGenerated(text);
    if (!generated) out.push(...checkLines(path, text));
    if (path.endsWith(".c") || path.endsWith(".h")) {
      if (!generated) out.push(...cFunctions(path, text));
    } else {
      const kind = path.endsWith(".mjs") ? ts.ScriptKind.JS : ts.ScriptKind.TS;
      const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind);
      parsed.set(path, sf);
      if (!generated) out.push(...tsFunctions(path, sf));
    }
  }
  out.push(...unusedExports(parsed).filter((v) => !isGenerated(files.get(v.path) ?? "")));
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));
}

// ---- lines and files ----

function checkLines(path: string, text: string): Violation[] {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const out: Violation[] = [];
  const max = LIMITS.lineColumns;
  lines.forEach((line, i) => {
    const columns = line.length <= max ? line.length : [...line].length;
    if (columns <= max) return;
    const message = `line is ${columns} columns (max ${max})`;
    out.push({ path, line: i + 1, check: "line", message, key: `${path}: long lines` });
  });
  if (lines.length > LIMITS.fileLines) {
    const message = `file is ${lines.length} lines (max ${LIMITS.fileLines})`;
    out.push({ path, line: 1, check: "file", message, key: `${path}: file length` });
  }
  return out;
}

function functionViolation(path: string, name: string, line: number, lines: number): Violation {
  const message = `function ${name} is ${lines} lines (max ${LIMITS.functionLines})`;
  return { path, line, check: "function", message, key: `${path}: function ${name}` };
}

// ---- TypeScript and AssemblyScript functions ----

function tsFunctions(path: string, sf: ts.SourceFile): Violation[] {
  const out: Violation[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && "body" in node && node.body && !isDescribeBlock(node)) {
      const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      if (end - start + 1 > LIMITS.functionLines) {
        out.push(functionViolation(path, functionName(node, sf), start + 1, end - start + 1));
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** A test file's `describe(name, () => {...})` groups tests as a module section does: its body
 * is not one function (the tests in it are). */
function isDescribeBlock(node: ts.Node): boolean {
  const call = node.parent;
  if (!ts.isCallExpression(call)) return false;
  let callee: ts.Expression = call.expression;
  while (ts.isCallExpression(callee) || ts.isPropertyAccessExpression(callee)) {
    callee = callee.expression; // describe.skipIf(c)(...), describe.each(t)(...)
  }
  return ts.isIdentifier(callee) && callee.text === "describe";
}

/** A name a reader can find: `foo`, `Class.method`, `describe("x") callback`. */
function functionName(node: ts.Node, sf: ts.SourceFile): string {
  const named = node as ts.Node & { name?: ts.Node };
  const own = named.name ? named.name.getText(sf) : undefined;
  if (ts.isConstructorDeclaration(node)) return `${className(node.parent)}.constructor`;
  if (own && ts.isClassLike(node.parent)) return `${className(node.parent)}.${own}`;
  if (own) return own;
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) {
    return parent.name.getText(sf);
  }
  if (ts.isPropertyDeclaration(parent)) {
    return `${className(parent.parent)}.${parent.name.getText(sf)}`;
  }
  if (ts.isCallExpression(parent)) {
    const callee = parent.expression.getText(sf).replace(/\s+/g, "");
    const first = parent.arguments[0];
    const label = first && ts.isStringLiteralLike(first) ? `(${JSON.stringify(first.text)})` : "";
    return `${callee}${label} callback`;
  }
  return "(anonymous)";
}

function className(node: ts.Node): string {
  const name = (node as ts.ClassLikeDeclaration).name;
  return name ? name.text : "(class)";
}

// ---- C functions ----

/** Top-level function definitions in C, found by matching braces outside comments and strings. */
function cFunctions(path: string, text: string): Violation[] {
  const code = blankCComments(text);
  const out: Violation[] = [];
  let depth = 0;
  let headerStart = -1; // where the current top-level declaration began
  let line = 1;
  let startLine = 0;
  let header = "";
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === "\n") line++;
    if (depth === 0) {
      if (headerStart < 0 && !/\s/.test(c)) {
        headerStart = i;
        startLine = line;
      }
      if (c === ";") headerStart = -1;
    }
    if (c === "{") {
      if (depth === 0) header = headerStart >= 0 ? code.slice(headerStart, i) : "";
      depth++;
    } else if (c === "}") {
      depth--;
      if (depth !== 0) continue;
      const name = /([A-Za-z_]\w*)\s*\([^;]*\)\s*$/.exec(header);
      const isFunction = name && !/[=]|\b(struct|union|enum|typedef)\b\s*\w*\s*$/.test(header);
      if (isFunction && line - startLine + 1 > LIMITS.functionLines) {
        out.push(functionViolation(path, name[1], startLine, line - startLine + 1));
      }
      // a struct or an initialiser goes on to its `;`; a function ends here
      if (isFunction) headerStart = -1;
    }
  }
  return out;
}

/** The C source with comments, strings, characters and preprocessor lines blanked (newlines
 * kept). */
function blankCComments(text: string): string {
  const blank = (s: string) => s.replace(/[^\n]/g, " ");
  return text.replace(
    /\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|^[ \t]*#(?:\\\n|[^\n])*/gm,
    blank,
  );
}

// ---- unused exports ----

interface Exported {
  name: string;
  line: number;
  /** Times the name occurs in its own file besides the export (used there: un-export it). */
  localUses: number;
}

interface ModuleFacts {
  exports: Exported[];
  /** `export * from` targets. */
  stars: string[];
}

function unusedExports(parsed: Map<string, ts.SourceFile>): Violation[] {
  const facts = new Map<string, ModuleFacts>();
  const used = new Map<string, Set<string>>(); // path → names imported by other files
  const use = (path: string, name: string): void => {
    let set = used.get(path);
    if (!set) used.set(path, (set = new Set()));
    set.add(name);
  };
  for (const [path, sf] of parsed) {
    facts.set(path, moduleFacts(sf, parsed));
    for (const [target, names] of importsOf(path, sf, parsed)) {
      for (const name of names) use(target, name);
    }
  }
  for (const entry of ENTRY_POINTS) use(entry, "*");
  for (const a of ALLOWED) use(a.path, a.name);
  propagateStars(facts, used);

  const out: Violation[] = [];
  for (const [path, f] of facts) {
    const names = used.get(path);
    if (names?.has("*")) continue;
    for (const e of f.exports) {
      if (names?.has(e.name) || LOADED.has(e.name)) continue;
      const what = e.localUses > 0 ? "is used only in its own file: un-export it" : "is unused";
      const message = `export ${e.name} ${what}`;
      out.push({ path, line: e.line, check: "export", message, key: `${path}: export ${e.name}` });
    }
  }
  return out;
}

/** A name used through a file's `export * from` is used in the file it comes from. */
function propagateStars(facts: Map<string, ModuleFacts>, used: Map<string, Set<string>>): void {
  let changed = true;
  while (changed) {
    changed = false;
    for (const [path, f] of facts) {
      const names = used.get(path);
      if (!names) continue;
      for (const target of f.stars) {
        let set = used.get(target);
        if (!set) used.set(target, (set = new Set()));
        for (const n of names) {
          if (!set.has(n)) {
            set.add(n);
            changed = true;
          }
        }
      }
    }
  }
}

function moduleFacts(sf: ts.SourceFile, known: Map<string, unknown>): ModuleFacts {
  const exports: { name: string; node: ts.Node }[] = [];
  const stars: string[] = [];
  for (const st of sf.statements) {
    if (ts.isExportDeclaration(st)) {
      if (!st.exportClause && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)) {
        const target = resolve(sf.fileName, st.moduleSpecifier.text, known);
        if (target) stars.push(target);
      } else if (st.exportClause && ts.isNamedExports(st.exportClause)) {
        for (const el of st.exportClause.elements) exports.push({ name: el.name.text, node: el });
      }
      continue;
    }
    if (ts.isExportAssignment(st)) {
      exports.push({ name: "default", node: st });
      continue;
    }
    const mods = ts.canHaveModifiers(st) ? ts.getModifiers(st) : undefined;
    if (!mods?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    if (mods.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) {
      exports.push({ name: "default", node: st });
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        if (ts.isIdentifier(d.name)) exports.push({ name: d.name.text, node: d });
      }
    } else {
      const name = (st as ts.DeclarationStatement).name;
      if (name && ts.isIdentifier(name)) exports.push({ name: name.text, node: st });
    }
  }
  const counts = identifierCounts(sf);
  return {
    stars,
    exports: exports.map(({ name, node }) => ({
      name,
      line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1,
      localUses: (counts.get(name) ?? 0) - 1,
    })),
  };
}

function identifierCounts(sf: ts.SourceFile): Map<string, number> {
  const counts = new Map<string, number>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) counts.set(node.text, (counts.get(node.text) ?? 0) + 1);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return counts;
}

/** The names `sf` takes from other project files, by target path ("*" for all of them). */
function importsOf(
  path: string,
  sf: ts.SourceFile,
  known: Map<string, unknown>,
): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (spec: string, names: Iterable<string>): void => {
    const target = resolve(path, spec, known);
    if (!target || target === path) return;
    let set = out.get(target);
    if (!set) out.set(target, (set = new Set()));
    for (const n of names) set.add(n);
  };
  const namespaces = new Map<string, string>(); // local namespace name → specifier
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const spec = st.moduleSpecifier.text;
      const clause = st.importClause;
      if (!clause) continue;
      if (clause.name) add(spec, ["default"]);
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) namespaces.set(bindings.name.text, spec);
      if (bindings && ts.isNamedImports(bindings)) {
        add(spec, bindings.elements.map((el) => (el.propertyName ?? el.name).text));
      }
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier) {
      const spec = (st.moduleSpecifier as ts.StringLiteral).text;
      const clause = st.exportClause;
      if (clause && ts.isNamedExports(clause)) {
        add(spec, clause.elements.map((el) => (el.propertyName ?? el.name).text));
      } else if (clause) {
        add(spec, ["*"]); // export * as ns from
      }
    }
  }
  const visit = (node: ts.Node): void => {
    if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const lit = node.argument.literal;
      const q = node.qualifier;
      if (ts.isStringLiteral(lit)) add(lit.text, [q && ts.isIdentifier(q) ? q.text : "*"]);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      if (arg && ts.isStringLiteralLike(arg)) add(arg.text, ["*"]);
    } else if (ts.isIdentifier(node) && namespaces.has(node.text)) {
      const spec = namespaces.get(node.text)!;
      const parent = node.parent;
      if (ts.isPropertyAccessExpression(parent) && parent.expression === node) {
        add(spec, [parent.name.text]);
      } else if (ts.isQualifiedName(parent) && parent.left === node) add(spec, [parent.right.text]);
      else if (!ts.isNamespaceImport(parent)) add(spec, ["*"]);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** The project path a relative specifier names (`./x.js` is `dir/x.ts`), if it is a source
 * file. */
function resolve(from: string, spec: string, known: Map<string, unknown>): string | undefined {
  if (!spec.startsWith(".")) return undefined;
  const base = posix.normalize(posix.join(posix.dirname(from), spec));
  const stem = base.replace(/\.(js|ts|mjs)$/, "");
  return [base, `${stem}.ts`, `${stem}.mjs`, `${base}/index.ts`].find((c) => known.has(c));
}

// ---- the baseline ----

/** The baseline: how many violations each key may have (`path: key` or `path: key (N)`). */
export function readBaseline(path = BASELINE): Map<string, number> {
  const out = new Map<string, number>();
  if (!existsSync(path)) return out;
  for (const raw of readFileSync(path, "utf8").split("\n")) {
    const line = raw.replace(/#.*/, "").trim();
    if (line === "") continue;
    const m = /^(.*?)\s+\((\d+)\)$/.exec(line);
    const key = m ? m[1]! : line;
    out.set(key, (out.get(key) ?? 0) + (m ? Number(m[2]) : 1));
  }
  return out;
}

/** Violations beyond what the baseline allows (all of their key's, so a reader sees where they
 * are), and baseline entries that allow more than now occurs (the baseline must shrink). */
export function compareWithBaseline(
  violations: Violation[],
  baseline: Map<string, number>,
): { unexpected: Violation[]; stale: string[] } {
  const counts = countByKey(violations);
  const unexpected = violations.filter((v) => counts.get(v.key)! > (baseline.get(v.key) ?? 0));
  const stale: string[] = [];
  for (const [key, allowed] of baseline) {
    const n = counts.get(key) ?? 0;
    if (n < allowed) stale.push(allowed === 1 ? key : `${key} (${allowed}, now ${n})`);
  }
  return { unexpected, stale };
}

function countByKey(violations: Violation[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of violations) counts.set(v.key, (counts.get(v.key) ?? 0) + 1);
  return counts;
}

export function formatViolation(v: Violation): string {
  return `${v.path}:${v.line}: ${v.message}`;
}

function baselineText(violations: Violation[]): string {
  const head =
    "# Known tidy violations (scripts/tidy.ts): `path: what`, `(N)` when there are N of them.\n" +
    "# It may only shrink: the test fails on a violation beyond this list and on an entry\n" +
    "# that allows more than now occurs. Rewrite it with\n" +
    "#   node scripts/run-ts.mjs scripts/tidy.ts --write-baseline\n";
  const lines = [...countByKey(violations)].map(([k, n]) => (n === 1 ? k : `${k} (${n})`));
  return head + lines.join("\n") + "\n";
}

/** `node scripts/run-ts.mjs scripts/tidy.ts [--write-baseline]`: print every violation. */
export function main(args: string[]): number {
  const t0 = performance.now();
  const violations = tidyCheck(sourceFiles());
  for (const v of violations) console.log(formatViolation(v));
  const ms = Math.round(performance.now() - t0);
  console.error(`${violations.length} violations in ${ms} ms`);
  if (args.includes("--write-baseline")) {
    writeFileSync(BASELINE, baselineText(violations));
    console.error(`wrote ${BASELINE}`);
  }
  return 0;
}
