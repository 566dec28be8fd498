// The guest runtime's WASI layer against a reference host: plain WASI programs (no IPC: output,
// exit codes, arguments, the environment, exit's flush of stdio, a long output) give the same
// results under @wasmer/wasi and under ipcsim's own layer (wasi.ts), which serves the same
// imports from the simulated kernel. Both get the program's name as the only argument and an
// empty environment. The overlay's own imports (ipcsim.*), which these programs never reach,
// are stubs under wasmer.

import { describe, expect, it } from "vitest";
import { compileC } from "./cc.js";
import { guestModule } from "./runtime.js";
import { run } from "../scenario/run.js";

const PROGRAMS = ["hello", "status", "args", "exit-flush", "bigout"];

/** Under @wasmer/wasi: stdout and the exit code. */
async function underWasmer(wasm: Uint8Array, name: string): Promise<[string, number]> {
  const { init, WASI } = await import("@wasmer/wasi");
  await init();
  const wasi = new WASI({ args: [name], env: {} });
  const module = await WebAssembly.compile(wasm as Uint8Array<ArrayBuffer>);
  const imports = wasi.getImports(module) as WebAssembly.Imports;
  const stub = () => { throw new Error("an ipcsim import reached under wasmer"); };
  // Every ipcsim import (calls, fork, the shared-memory windows' accesses) but getpid.
  const ipcsim = Object.fromEntries(WebAssembly.Module.imports(module)
    .filter((i) => i.module === "ipcsim").map((i) => [i.name, stub]));
  const inst = new WebAssembly.Instance(module, {
    ...imports, ipcsim: { ...ipcsim, getpid: () => 1 },
  });
  wasi.instantiate(inst);
  const code = wasi.start();
  return [wasi.getStdoutString(), code];
}

/** Under ipcsim: what pid 2 wrote to fd 1 and its exit status. */
async function underIpcsim(wasm: Uint8Array, name: string): Promise<[string, number]> {
  const r = await run(guestModule(wasm, name));
  const lines = r.trace().trim().split("\n").slice(1).map((l) => JSON.parse(l));
  const out = lines.filter((s) => s.call === "write" && s.fd === 1)
    .map((s) => s.expect.ret === s.data.length ? s.data : "?").join("");
  const exit = lines.find((s) => s.call === "exit" && s.pid === 2);
  return [out, exit?.status ?? -1];
}

describe("the WASI layer agrees with @wasmer/wasi on plain WASI programs", () => {
  for (const p of PROGRAMS) {
    it(p, async () => {
      const file = `sim/guest/testdata/wasi/${p}.c`;
      const wasm = await compileC([file]);
      const name = `${p}.c`;
      const [want, wantCode] = await underWasmer(wasm, name);
      const [got, code] = await underIpcsim(wasm, name);
      expect(got).toBe(want);
      expect(code).toBe(wantCode);
      expect(want.length).toBeGreaterThan(0);
    }, 120_000);
  }
});
