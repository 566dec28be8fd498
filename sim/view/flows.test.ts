// The kernel's flow log is exact: on every recorded case (Linux's outcomes, replayed on the
// model), the bytes each read took, at the stream offsets the log names, are the bytes the
// writes put there; every message received is one that was sent, with its bytes and type.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Kernel } from "../../wasm/kernel.js";
import { parseTrace } from "../trace/parse.js";
import type { Result, Step, Trace } from "../trace/types.js";
import { dataEdges } from "./data-edges.js";
import { flowsOf, type NamedFlow } from "./flows.js";

const CASES = "kernel/test/cases";

type Done = Exclude<Result, "blocked">;

/** Every call's final result: its own, or the one a wake handed it. */
function results(trace: Trace): Map<number, Done> {
  const out = new Map<number, Done>();
  for (const s of trace.steps) {
    if (s.expect !== undefined && s.expect !== "blocked") out.set(s.index, s.expect);
    for (const e of s.expectEvents ?? []) {
      if ("wake" in e && e.result !== "blocked") out.set(e.step, e.result);
    }
  }
  return out;
}

/** The bytes a call put in or took out: a write's argument, a read's or msgrcv's result. */
function callBytes(step: Step, result: Done | undefined): Uint8Array | undefined {
  if (step.call === "write" || step.call === "msgsnd") return step.args.data;
  if (step.call === "read" || step.call === "msgrcv") return result?.data;
  return undefined;
}

interface Tally { bytes: number; messages: number; moves: number }

/** Check one trace's moves against its calls' bytes; returns what was compared. */
function checkMoves(trace: Trace, flows: Map<number, NamedFlow[]>): Tally {
  const res = results(trace);
  const stream = new Map<string, Map<number, number>>();
  const sent = new Map<string, { data?: Uint8Array; mtype: number }>();
  /** Bytes of each call moved so far (a call's moves come in its order). */
  const done = new Map<number, number>();
  const tally: Tally = { bytes: 0, messages: 0, moves: 0 };
  for (const moves of [...flows.entries()].sort((a, b) => a[0] - b[0]).map(([, m]) => m)) {
    for (const f of moves) {
      tally.moves++;
      const step = trace.steps[f.call];
      const data = callBytes(step, res.get(f.call));
      const from = done.get(f.call) ?? 0;
      done.set(f.call, from + f.len);
      const mine = data?.subarray(f.object === "pipe" ? from : 0);
      const key = `${f.object}:${f.id}`;
      if (f.object === "msg") {
        if (f.dir === "in") sent.set(`${key}:${f.at}`, { data: mine, mtype: f.extra });
        else {
          const m = sent.get(`${key}:${f.at}`);
          expect(m, `${trace.file}: step ${f.call} received message ${f.at}, never sent`)
            .toBeDefined();
          // MSG_NOERROR may cut it: what was received is the message's start.
          const want = m!.data?.subarray(0, mine?.length);
          if (want && mine) expect([...mine], `${trace.file} step ${f.call}`).toEqual([...want]);
          const mtype = res.get(f.call)?.mtype;
          if (mtype !== undefined) expect(Number(BigInt.asIntN(32, BigInt(mtype)))).toBe(m!.mtype);
          tally.messages++;
        }
        continue;
      }
      let bytes = stream.get(key);
      if (!bytes) stream.set(key, bytes = new Map());
      for (let i = 0; i < f.len && mine !== undefined && i < mine.length; i++) {
        const at = (f.at + i) | 0;
        if (f.dir === "in") bytes.set(at, mine[i]);
        else if (bytes.has(at)) {
          expect(mine[i], `${trace.file}: step ${f.call}'s byte ${from + i} (stream ${at})`)
            .toBe(bytes.get(at));
          tally.bytes++;
        }
      }
    }
  }
  return tally;
}

describe("the flow log", () => {
  it("names, for every byte read from a pipe and every message received, the bytes written " +
    "or sent there (every recorded case)", () => {
    const total: Tally = { bytes: 0, messages: 0, moves: 0 };
    const kernel = new Kernel();
    for (const name of readdirSync(CASES).filter((n) => n.endsWith(".jsonl"))) {
      const path = join(CASES, name);
      const text = readFileSync(path, "utf8");
      if (!/"(write|msgsnd)"/.test(text)) continue;
      const trace = parseTrace(text, path);
      const t = checkMoves(trace, flowsOf(trace, kernel));
      total.bytes += t.bytes;
      total.messages += t.messages;
      total.moves += t.moves;
    }
    expect(total.bytes).toBeGreaterThan(100_000);
    expect(total.messages).toBeGreaterThan(40);
  });

  it("conserves a pipe's bytes: the edges into reads carry every byte read, the counter " +
    "ends at what is left", () => {
    const path = join(CASES, "pipe-blocking-write-in-pieces.jsonl");
    const trace = parseTrace(readFileSync(path, "utf8"), path);
    const flows = flowsOf(trace);
    const moved = { in: 0, out: 0 };
    for (const f of [...flows.values()].flat()) {
      if (f.object === "pipe") moved[f.dir === "in" ? "in" : "out"] += f.len;
    }
    const { edges, counters } = dataEdges(flows);
    const carried = edges.map((e) => Number(/^(\d+) bytes/.exec(e.label)?.[1] ?? 0));
    expect(carried.reduce((a, b) => a + b, 0)).toBe(moved.out);
    const last = counters.map((c) => c.points.at(-1)!.value).reduce((a, b) => a + b, 0);
    expect(last).toBe(moved.in - moved.out);
  });
});
