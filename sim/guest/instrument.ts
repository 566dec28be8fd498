// The instrumented build (shared.ts): every load and store of the program checks whether its
// address falls in a shared window, and one that does is a step of the trace. Binaryen's
// `instrument-memory` pass wraps each access in calls to env.load_ptr(id, bytes, offset,
// ptr) -> ptr, env.load_val_<t>(id, value) -> value, env.store_ptr(...) -> ptr and
// env.store_val_<t>(id, value) -> value (and memory_grow_pre/post); this module defines those
// functions in wasm, so a private access costs a compare and a branch and never leaves wasm:
//
//   load_ptr:    if (ptr + offset - lo <u hi - lo) ipcsim.shared_load(ptr + offset, bytes)
//   store_ptr:   if (ptr + offset - lo <u hi - lo) ipcsim.shared_store_at(id, ptr + offset, bytes)
//   store_val_t: if (pending) ipcsim.shared_store_t(id, value)
//
// lo, hi and pending are the head of lib/ipcsim.c's __ipcsim_shared (its address is a
// constant of the module). shared_load and shared_store_t unwind (Asyncify: cc.ts lists them
// with the other blocking imports), so the check runs before Asyncify and its own accesses are
// never instrumented.

import type binaryenModule from "binaryen";

type Binaryen = typeof binaryenModule;
type Module = InstanceType<Binaryen["Module"]>;

/** The imports that may unwind (cc.ts adds them to Asyncify's list). */
export const SHARED_ASYNC_IMPORTS = ["shared_load", "shared_store_i32", "shared_store_i64",
  "shared_store_f32", "shared_store_f64"].map((n) => `ipcsim.${n}`);

const VALUE_TYPES = ["i32", "i64", "f32", "f64"] as const;

/** Instrument `m` (a linked guest that exports __ipcsim_shared) in place. */
export function instrumentShared(b: Binaryen, m: Module): void {
  const exp = m.getExport("__ipcsim_shared");
  const global = m.getGlobal(b.getExportInfo(exp).value);
  const init = b.getExpressionInfo(b.getGlobalInfo(global).init) as binaryenModule.ConstInfo;
  const table = { value: init.value as number };
  m.runPasses(["instrument-memory"]);
  const { i32 } = b;
  const at = (offset: number) => m.i32.load(offset, 4, m.i32.const(table.value));
  const local = (i: number, t = i32) => m.local.get(i, t);
  const inWindow = (addr: () => number) =>
    m.i32.lt_u(m.i32.sub(addr(), at(0)), m.i32.sub(at(4), at(0)));
  const addr = () => m.i32.add(local(3), local(2));
  const define = (name: string, params: number[], result: number, body: number) => {
    m.removeFunction(name);
    m.addFunction(name, b.createType(params), result, [], body);
  };
  m.addFunctionImport("ipcsim_shared_load", "ipcsim", "shared_load",
    b.createType([i32, i32]), b.none);
  m.addFunctionImport("ipcsim_shared_store_at", "ipcsim", "shared_store_at",
    b.createType([i32, i32, i32]), b.none);
  define("load_ptr", [i32, i32, i32, i32], i32, m.block(null, [
    m.if(inWindow(addr), m.call("ipcsim_shared_load", [addr(), local(1)], b.none)),
    local(3),
  ], i32));
  define("store_ptr", [i32, i32, i32, i32], i32, m.block(null, [
    m.if(inWindow(addr), m.call("ipcsim_shared_store_at", [local(0), addr(), local(1)], b.none)),
    local(3),
  ], i32));
  for (const t of VALUE_TYPES) {
    const type = b[t];
    m.addFunctionImport(`ipcsim_shared_store_${t}`, "ipcsim", `shared_store_${t}`,
      b.createType([i32, type]), b.none);
    define(`load_val_${t}`, [i32, type], type, local(1, type));
    define(`store_val_${t}`, [i32, type], type, m.block(null, [
      m.if(at(8), m.call(`ipcsim_shared_store_${t}`, [local(0), local(1, type)], b.none)),
      local(1, type),
    ], type));
  }
  define("memory_grow_pre", [i32, i32], i32, local(1));
  define("memory_grow_post", [i32, i32], i32, local(1));
}
