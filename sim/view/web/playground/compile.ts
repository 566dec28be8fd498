// A scenario's TypeScript source, as the playground runs it: sucrase strips the types and turns
// the module's imports into require calls (a small, well-kept transpiler: the browser has no
// esbuild binary), and `require("ipcsim")` is the same library API a scenario file imports
// under Node (constants, errors, the nptl and POSIX helpers, wait-status macros).

import { transform } from "sucrase";
import type { ScenarioModule } from "../../../scenario/run.js";
import * as api from "./api.js";

/** A compile error with the line and column sucrase names (1-based), for the editor. */
export class CompileError extends Error {
  constructor(message: string, readonly line?: number, readonly column?: number) {
    super(message);
    this.name = "CompileError";
  }
}

/** The module `source` defines: its default export is `main(os)`. Any other import than
 * "ipcsim" is an error naming it. */
export function compileScenario(source: string, file = "scenario.ts"): ScenarioModule {
  let code: string;
  try {
    code = transform(source, { transforms: ["typescript", "imports"], filePath: file }).code;
  } catch (e) {
    const m = /\((\d+):(\d+)\)/.exec(String((e as Error).message));
    throw new CompileError(`${file}: ${(e as Error).message}`, m ? Number(m[1]) : undefined,
      m ? Number(m[2]) + 1 : undefined);
  }
  const require = (name: string): unknown => {
    if (name === "ipcsim") return api;
    throw new CompileError(`${file}: the playground has only "ipcsim" to import, not "${name}"`);
  };
  const module = { exports: {} as Record<string, unknown> };
  // The user's own code, run as a module body: this is what the playground is for.
  new Function("require", "exports", "module", `${code}\n//# sourceURL=${file}`)(
    require, module.exports, module);
  const main = module.exports.default ?? module.exports.main;
  if (typeof main !== "function") {
    throw new CompileError(`${file}: the scenario has no default export async function main(os)`);
  }
  return module.exports as ScenarioModule;
}
