// Running out of the kernel's memory on a page fault (issue 22: "running out of the kernel's
// memory kills the toucher with SIGSEGV ... and with a SIGSEGV handler installed the model
// reports an infinite loop"). Linux runs the OOM killer (mm/oom_kill.c): the process with the
// most pages gets SIGKILL, and the toucher's access is retried (kernel/fault.ts).
//
// The pool is capped (k_mem_limit) at what it holds after init, so a few hundred touched pages
// exhaust it.

import { describe, expect, test } from "vitest";
import { ModelReplay } from "../../sim/model/engine.js";
import { parseTrace } from "../../sim/trace/parse.js";
import type { Outcome } from "../../sim/trace/types.js";

const MAP_PAGES = 65536; // 256 MiB: more than the capped pool holds
const PAGE = 4096;
const CHUNK_PAGES = 1024; // kernel/param.ts (one refcount header page a chunk)

const header = `{"trace":"ipcsim","version":1,"name":"oom"}`;
const mmap = (pid: number) => `{"pid":${pid},"call":"mmap","length":${MAP_PAGES * PAGE},` +
  `"prot":["PROT_READ","PROT_WRITE"],"flags":["MAP_PRIVATE","MAP_ANONYMOUS"]}`;
const store = (pid: number, ref: number, page: number) =>
  `{"pid":${pid},"call":"store","addr":{"ref":${ref},"offset":${page * PAGE}},"data":"x"}`;

/** A replay of `lines` on a kernel whose pool cannot grow; `free` is the pages it has left. */
function capped(lines: string[]) {
  const trace = parseTrace([header, ...lines].join("\n") + "\n", "oom");
  const model = new ModelReplay(trace, {});
  const x = model.kernel.x;
  x.k_mem_limit(x.k_pool_pages());
  const usable = x.k_pool_pages() - x.k_pool_pages() / CHUNK_PAGES;
  return { trace, model, free: usable - x.k_pages_used() };
}

function only(model: ModelReplay, step: Parameters<ModelReplay["step"]>[0]): Outcome {
  const allowed = model.step(step);
  expect(allowed).toHaveLength(1);
  model.choose(() => true);
  return allowed[0];
}

function exits(o: Outcome): unknown[] {
  return o.events.filter((e) => "exit" in e);
}

describe("the OOM killer on a page fault", () => {
  for (const handler of [false, true]) {
    const what = handler ? "with a SIGSEGV handler installed" : "without a handler";
    test(`the toucher with the most pages is SIGKILLed (${what}), never SIGSEGV or a loop`, () => {
      const pre = handler ?
        [`{"pid":2,"call":"sigaction","sig":"SIGSEGV","handler":"catch","flags":[],"mask":[]}`] :
        [];
      const ref = pre.length;
      const stores = Array.from({ length: MAP_PAGES }, (_, i) => store(2, ref, i));
      const { trace, model, free } = capped([...pre, mmap(2), ...stores]);
      let killedAt = -1;
      for (const step of trace.steps) {
        const o = only(model, step);
        if (exits(o).length === 0) continue;
        expect(exits(o)).toEqual([{ exit: 2, status: { signaled: "SIGKILL" } }]);
        killedAt = step.index - ref - 1;
        break;
      }
      // Every free page but the page tables' went to the stores before the kill.
      expect(killedAt).toBeGreaterThan(free - 20);
      expect(killedAt).toBeLessThanOrEqual(free);
      model.kernel.check();
    }, 120_000);
  }

  test("a bigger process is the victim: the toucher's store then succeeds", () => {
    const { free } = capped([]);
    const big = Math.floor(free * 0.6);
    const lines = [`{"pid":2,"call":"fork"}`, mmap(3), mmap(2)];
    for (let i = 0; i < big; i++) lines.push(store(3, 1, i));
    for (let i = 0; i < free; i++) lines.push(store(2, 2, i));
    const { trace, model } = capped(lines);
    const killed: number[] = [];
    for (const step of trace.steps) {
      const o = only(model, step);
      for (const e of exits(o)) {
        expect(e).toMatchObject({ status: { signaled: "SIGKILL" } });
        killed.push((e as { exit: number }).exit);
        // The victim was pid 3: pid 2's store went on and wrote its byte.
        if (step.pid === 2 && killed.length === 1) expect(o.result?.ret).toBe(1);
      }
      if (killed.includes(2)) break;
    }
    expect(killed).toEqual([3, 2]);
    model.kernel.check();
  }, 120_000);
});
