// `ipcsim cc FILE.c... -o OUT.wasm [-I DIR] [-D NAME[=VALUE]]`: compile C to a guest module
// (sim/guest/cc.ts) without running it; `ipcsim run OUT.wasm` runs it. A compile error is the
// compiler's own text; a missing toolchain names the Debian packages; both exit 2.

import { writeFileSync } from "node:fs";
import { Command, Option } from "commander";
import { CcError, compileC, ToolchainError } from "../sim/guest/cc.js";
import { EXIT, UsageError, type Ctx, type ExitCode } from "./output.js";

const collect = (v: string, all: string[] = []) => [...all, v];

interface CcFlags {
  output: string;
  include?: string[];
  define?: string[];
}

export function ccCommand(p: Command, ctx: Ctx, done: (exit: ExitCode) => void): void {
  p.command("cc").argument("<FILES...>", "C source files (.c)")
    .description("compile C for the simulated kernel (wasm32-wasi with Asyncify): the module " +
      "`ipcsim run` and `explore` take (docs/c-guests.md)")
    .requiredOption("-o, --output <FILE>", "the module to write (.wasm)")
    .addOption(new Option("-I, --include <DIR>", "an include directory (repeatable)")
      .argParser(collect))
    .addOption(new Option("-D, --define <NAME[=VALUE]>", "a macro (repeatable)")
      .argParser(collect))
    .action(async (files: string[], o: CcFlags) => done(await cc(files, o, ctx)));
}

async function cc(files: string[], o: CcFlags, ctx: Ctx): Promise<ExitCode> {
  const notC = files.find((f) => !f.endsWith(".c"));
  if (notC) throw new UsageError(`${notC}: ipcsim cc compiles .c files`);
  let wasm: Uint8Array;
  try {
    wasm = await compileC(files, { includes: o.include, defines: o.define });
  } catch (e) {
    if (!(e instanceof CcError || e instanceof ToolchainError)) throw e;
    ctx.io.err(`ipcsim: ${e.message}`);
    return EXIT.badInput;
  }
  writeFileSync(o.output, wasm);
  ctx.io.out(`wrote ${o.output} (${wasm.length} bytes)`);
  return EXIT.ok;
}
