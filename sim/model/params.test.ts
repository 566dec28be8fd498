// A scenario's sysctls (issue 13, "The text views": a misspelt sysctl is named as unknown with
// the known ones, not "not modelled").

import { expect, test } from "vitest";
import { Kernel } from "../../wasm/kernel.js";
import { applyParams } from "./params.js";

const header = (params: Record<string, number>) =>
  ({ file: "s.ts", header: { trace: "ipcsim" as const, version: 1 as const, params } });

test("a misspelt sysctl is unknown, with the nearest and the known ones (main: not modelled)",
  () => {
    const k = new Kernel();
    expect(() => applyParams(k, header({ "kernel.msgmnx": 5 }))).toThrow(
      's.ts: params: unknown sysctl "kernel.msgmnx" (did you mean "kernel.msgmax"?); ' +
      "the known ones: fs.pipe-max-size, kernel.msgmax,");
    expect(() => applyParams(k, header({ "fs.pipe-user-pages-soft": 5 }))).toThrow(
      /"fs.pipe-user-pages-soft" is not modelled \(the model sets fs.pipe-max-size, /);
    applyParams(k, header({ "kernel.msgmax": 100 }));
  });
