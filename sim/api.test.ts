// The public API (sim/index.ts) as a user's compiler sees it. Issue 13: "typed results for every
// call (msgctl(IPC_STAT) returns MsqidDs, not any)", "Public API documented with TSDoc and a
// docs/api.md". The expectTypeOf lines are checked by `npm run typecheck`; the tests below
// build one TypeScript program over sim/index.ts and docs/api.md's examples under the
// strictest flags a user may have.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { format } from "node:util";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, expectTypeOf, test, vi } from "vitest";
import {
  GETALL, GETPID, GETVAL, IPC_RMID, IPC_SET, IPC_STAT, SETALL, SETVAL, type Bytes, type Message,
  type MsqidDs, type Os, type SemidDs, type ShmidDs, type WaitResult,
} from "./index.js";
// @ts-expect-error scripts/load-ts.mjs is plain JS without declarations
import { importTs } from "../scripts/load-ts.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const INDEX = join(root, "sim/index.ts");
/** Where the examples are written: under node_modules, so that they resolve "fast-check". */
const CACHE = join(root, "node_modules", ".cache");

type Resolved<F extends (...a: never[]) => unknown> = Awaited<ReturnType<F>>;

describe("every os call has a precise result type (issue 13: msgctl(IPC_STAT) was any)", () => {
  test("the ctl calls' results are chosen by the command", () => {
    const os = null as unknown as Os;
    const msgStat = () => os.msgctl(0, IPC_STAT);
    expectTypeOf<Resolved<typeof msgStat>>().toEqualTypeOf<MsqidDs>();
    expectTypeOf<Resolved<typeof msgStat>>().not.toBeAny();
    const shmStat = () => os.shmctl(0, IPC_STAT);
    expectTypeOf<Resolved<typeof shmStat>>().toEqualTypeOf<ShmidDs>();
    const semStat = () => os.semctl(0, 0, IPC_STAT);
    expectTypeOf<Resolved<typeof semStat>>().toEqualTypeOf<SemidDs>();
    const getall = () => os.semctl(0, 0, GETALL);
    expectTypeOf<Resolved<typeof getall>>().toEqualTypeOf<number[]>();
    const getval = () => os.semctl(0, 0, GETVAL);
    expectTypeOf<Resolved<typeof getval>>().toEqualTypeOf<number>();
    const getpid = () => os.semctl(0, 0, GETPID);
    expectTypeOf<Resolved<typeof getpid>>().toEqualTypeOf<number>();
    const setall = () => os.semctl(0, 0, SETALL, [1, 2] as const);
    expectTypeOf<Resolved<typeof setall>>().toEqualTypeOf<number>();
    const rmid = () => os.msgctl(0, IPC_RMID);
    expectTypeOf<Resolved<typeof rmid>>().toEqualTypeOf<number>();
    const set = () => os.msgctl(0, IPC_SET, { msg_qbytes: 100, msg_perm: { mode: 0o600 } });
    expectTypeOf<Resolved<typeof set>>().toEqualTypeOf<number>();
    const any = (cmd: number) => os.msgctl(0, cmd);
    expectTypeOf<Resolved<typeof any>>().toEqualTypeOf<MsqidDs | number>();
    // @ts-expect-error IPC_SET's buffer is a msqid_ds: a misspelt field fails
    void (() => os.msgctl(0, IPC_SET, { msg_qbyte: 100 }));
    // @ts-expect-error SETVAL takes the value
    void (() => os.semctl(0, 0, SETVAL, [1]));
  });

  test("the other calls", () => {
    const os = null as unknown as Os;
    expectTypeOf<Resolved<typeof os.waitpid>>().toEqualTypeOf<WaitResult>();
    expectTypeOf<Resolved<typeof os.msgrcv>>().toEqualTypeOf<Message>();
    expectTypeOf<Resolved<typeof os.pipe>>().toEqualTypeOf<[number, number]>();
    expectTypeOf<Resolved<typeof os.read>>().toEqualTypeOf<Uint8Array>();
    expectTypeOf<Resolved<typeof os.close>>().toEqualTypeOf<number>();
    expectTypeOf<Resolved<typeof os.exit>>().toBeNever();
    expectTypeOf<Os["write"]>().parameter(1).toEqualTypeOf<Bytes>();
  });
});

// ---- one program over the API and the docs' examples, as a user's strict tsc sees them ----

interface Block {
  /** The example's line in docs/api.md. */
  line: number;
  code: string;
}

/** The complete modules of docs/api.md: ```ts blocks that start with an import. */
function docBlocks(): Block[] {
  const text = readFileSync(join(root, "docs/api.md"), "utf8");
  const out: Block[] = [];
  const re = /^```ts\n([\s\S]*?)^```/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const code = m[1];
    if (!code.startsWith("import")) continue;
    out.push({ line: text.slice(0, m.index).split("\n").length + 1, code });
  }
  return out;
}

/** A docs example as a module of its own, importing this checkout instead of "ipcsim". */
function asModule(b: Block): string {
  const index = JSON.stringify(INDEX.replace(/\.ts$/, ".js"));
  return b.code.replaceAll('from "ipcsim"', `from ${index}`);
}

let dir = "";
let program: ts.Program;
let files: { block: Block; path: string }[] = [];

beforeAll(() => {
  mkdirSync(CACHE, { recursive: true });
  dir = mkdtempSync(join(CACHE, "ipcsim-api-"));
  files = docBlocks().map((block, i) => {
    const path = join(dir, `example-${block.line}-${i}.ts`);
    writeFileSync(path, asModule(block));
    return { block, path };
  });
  program = ts.createProgram([INDEX, ...files.map((f) => f.path)], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    skipLibCheck: true,
    noEmit: true,
    types: ["node"],
    typeRoots: [join(root, "node_modules/@types")],
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
  });
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function exportsOfIndex(): ts.Symbol[] {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(INDEX);
  if (!source) throw new Error(`${INDEX} is not in the program`);
  const module = checker.getSymbolAtLocation(source);
  if (!module) throw new Error(`${INDEX} is not a module`);
  return checker.getExportsOfModule(module);
}

function resolved(s: ts.Symbol): ts.Symbol {
  const checker = program.getTypeChecker();
  return s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
}

/** A declaration outside the project (TypeScript's lib, @types, fast-check): not walked. */
function external(s: ts.Symbol | undefined): boolean {
  const file = s?.declarations?.[0]?.getSourceFile().fileName;
  return file !== undefined && (file.includes("/node_modules/") || !file.startsWith(root));
}

/** The paths at which `any` appears in what a user can reach from the export named. */
function anyPaths(name: string, s: ts.Symbol): string[] {
  const checker = program.getTypeChecker();
  const seen = new Set<ts.Type>();
  const found: string[] = [];
  const walkSig = (sig: ts.Signature, at: string) => {
    for (const p of sig.getParameters()) walk(checker.getTypeOfSymbol(p), `${at}(${p.name})`);
    walk(sig.getReturnType(), `${at}()`);
  };
  const walk = (t: ts.Type, at: string): void => {
    if (t.flags & ts.TypeFlags.Any) {
      found.push(at);
      return;
    }
    if (seen.has(t) || found.length > 20) return;
    seen.add(t);
    if (t.isUnionOrIntersection()) t.types.forEach((u, i) => walk(u, `${at}|${i}`));
    const args = checker.getTypeArguments(t as ts.TypeReference);
    if (t.flags & ts.TypeFlags.Object) args.forEach((a, i) => walk(a, `${at}<${i}>`));
    if (external(t.getSymbol()) || external(t.aliasSymbol)) return;
    if (!(t.flags & ts.TypeFlags.Object)) return;
    for (const p of checker.getPropertiesOfType(t)) {
      const decl = p.valueDeclaration;
      const hidden = ts.ModifierFlags.Private | ts.ModifierFlags.Protected;
      if (p.name.startsWith("__") || (decl && ts.getCombinedModifierFlags(decl) & hidden)) continue;
      walk(checker.getTypeOfSymbol(p), `${at}.${p.name}`);
    }
    for (const sig of t.getCallSignatures()) walkSig(sig, at);
    for (const sig of t.getConstructSignatures()) walkSig(sig, `new ${at}`);
  };
  const r = resolved(s);
  if (r.flags & ts.SymbolFlags.Value) walk(checker.getTypeOfSymbol(r), name);
  if (r.flags & (ts.SymbolFlags.Type | ts.SymbolFlags.Class)) {
    walk(checker.getDeclaredTypeOfSymbol(r), name);
  }
  return found;
}

const STRICTEST = "strict, noUncheckedIndexedAccess, exactOptionalPropertyTypes";

describe(`the public API under ${STRICTEST}`, () => {
  test("docs/api.md's examples type-check", () => {
    expect(files.length).toBeGreaterThan(3);
    const problems = files.flatMap(({ block, path }) => {
      const source = program.getSourceFile(path)!;
      return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]
        .map((d) => {
          const at = d.start ?? 0;
          const pos = source.getLineAndCharacterOfPosition(at).line;
          const text = ts.flattenDiagnosticMessageText(d.messageText, "\n");
          return `docs/api.md:${block.line + pos}: ${text}`;
        });
    });
    expect(problems).toEqual([]);
  });

  test("nothing sim/index.ts exports has `any` in what a user reaches", () => {
    const found = exportsOfIndex().flatMap((s) => anyPaths(s.name, s));
    expect(found).toEqual([]);
  });

  test("every export of sim/index.ts has a TSDoc comment", () => {
    const checker = program.getTypeChecker();
    const undocumented = exportsOfIndex().filter((s) => {
      const r = resolved(s);
      const decl = r.declarations?.[0];
      // The C constants are destructured from wasm/abi.ts's tables: their group is documented.
      if (decl && ts.isBindingElement(decl)) return false;
      return r.getDocumentationComment(checker).length === 0 && r.getJsDocTags().length === 0;
    }).map((s) => s.name);
    expect(undocumented).toEqual([]);
  });
});

describe("docs/api.md's examples run and print what they say", () => {
  test.each(docBlocks().filter((b) => b.code.includes("// → ")))(
    "the example at docs/api.md line $line",
    async (block) => {
      const want = block.code.split("\n").flatMap((l) => {
        const m = /\/\/ → (.*)$/.exec(l);
        return m ? [m[1]] : [];
      });
      mkdirSync(CACHE, { recursive: true });
      const d = mkdtempSync(join(CACHE, "ipcsim-api-run-"));
      const printed: string[] = [];
      const spy = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => {
        printed.push(format(...a));
      });
      try {
        const path = join(d, "example.ts");
        writeFileSync(path, asModule(block));
        await importTs(path);
      } finally {
        spy.mockRestore();
        rmSync(d, { recursive: true, force: true });
      }
      expect(printed).toEqual(want);
    },
  );
});
