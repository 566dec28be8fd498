// An exception in scenario code, as its author reads it: the error's type and message, and the
// frames of its stack in their own files and lines.
//
// A TypeScript scenario runs as an esbuild bundle with an inline source map (load.ts keeps
// each bundle's map): a frame in a bundle is mapped back to the scenario's file, line and
// column. Frames in ipcsim itself, in Node's internals and in node_modules are dropped, so
//   exception in pid 3: TypeError: x is not a function
//       at child (examples/foo.ts:12:5)
// Paths are relative to the working directory when they are inside it.

import { isAbsolute, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { ErrnoError } from "./errors.js";
import { bundleOf, packageRoot } from "./load.js";

/** An uncaught error as a verdict's `message` ("TypeError: x is not a function"; "uncaught
 * EBADF from close" for an ErrnoError) and `stack` (the frames in the scenario's files,
 * mapped; absent when there is none). */
export function describeError(e: unknown): { message: string; stack?: string[] } {
  if (e instanceof ErrnoError) return { message: `uncaught ${e.code} from ${e.syscall}` };
  if (!(e instanceof Error)) {
    return { message: `uncaught ${typeof e === "string" ? JSON.stringify(e) : String(e)}` };
  }
  const ctor = (e.constructor as { name?: string } | undefined)?.name;
  const name = e.name === "Error" && ctor && ctor !== "Error" ? ctor : e.name;
  const message = e.message === "" ? name : `${name}: ${e.message}`;
  const stack = userFrames(e.stack);
  return stack.length > 0 ? { message, stack } : { message };
}

const FRAME = /^\s*at (?:(.+?) \()?(.+):(\d+):(\d+)\)?$/;

/** The frames of `stack` in the scenario's own files ("at child (examples/foo.ts:12:5)"). */
function userFrames(stack: string | undefined): string[] {
  const out: string[] = [];
  for (const line of (stack ?? "").split("\n")) {
    const m = FRAME.exec(line);
    if (!m) continue;
    const at = place(m[2], Number(m[3]), Number(m[4]));
    if (at === null) continue;
    out.push(m[1] ? `at ${m[1]} (${at})` : `at ${at}`);
  }
  return out;
}

/** "examples/foo.ts:12:5" for a position in a scenario file (mapped when in a bundle); null
 * for ipcsim's own code, Node's and node_modules'. */
function place(where: string, line: number, column: number): string | null {
  const bundle = bundleOf(where);
  if (bundle) {
    const e = bundle.map.findEntry(line - 1, column - 1) as Partial<SourceMapEntry>;
    if (e.originalSource === undefined || e.originalLine === undefined) return null;
    const file = e.originalSource.startsWith("file:") ? fileURLToPath(e.originalSource)
      : resolve(bundle.dir, e.originalSource);
    return `${shown(file)}:${e.originalLine + 1}:${(e.originalColumn ?? 0) + 1}`;
  }
  if (!where.startsWith("file:") && !isAbsolute(where)) return null; // node:, internal, eval
  const file = where.startsWith("file:") ? fileURLToPath(where) : where;
  if (isLibrary(file)) return null;
  return `${shown(file)}:${line}:${column}`;
}

interface SourceMapEntry {
  originalSource: string;
  originalLine: number;
  originalColumn: number;
}

/** ipcsim's own folders: frames there are the simulator's, not the scenario's (except the
 * scenarios of its tests, in testdata folders). */
const LIBRARY_DIRS = ["sim", "wasm", "cli", "host-bridge", "dist"];
let libraryPrefixes: string[] | null = null;

function isLibrary(file: string): boolean {
  if (file.includes(`${sep}node_modules${sep}`)) return true;
  if (file.includes(`${sep}testdata${sep}`)) return false;
  libraryPrefixes ??= libraryDirs();
  return libraryPrefixes.some((d) => file.startsWith(d));
}

function libraryDirs(): string[] {
  const root = packageRoot();
  return root ? LIBRARY_DIRS.map((d) => `${resolve(root, d)}${sep}`) : [];
}

function shown(file: string): string {
  const r = relative(process.cwd(), file);
  return r !== "" && !r.startsWith("..") && !isAbsolute(r) ? r : file;
}
