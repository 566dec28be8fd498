// The kernel's flow log is exact: on every recorded case (Linux's outcomes, replayed on the
// model), the bytes each read took, at the stream offsets the log names, are the bytes the
// writes put there; every message received (SysV, POSIX) is one that was sent, with its bytes
// and type or priority; every socket receive's bytes are those of the buffers it names.

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

const PUTS = new Set(["write", "msgsnd", "sendto", "mq_timedsend"]);
const TAKES = new Set(["read", "msgrcv", "recvfrom", "mq_timedreceive"]);

/** The bytes a call put in or took out: a write's or send's argument, a read's or receive's
 * result. */
function callBytes(step: Step, result: Done | undefined): Uint8Array | undefined {
  if (PUTS.has(step.call)) return (step.args as { data?: Uint8Array }).data;
  if (TAKES.has(step.call)) return result?.data;
  return undefined;
}

interface Tally { bytes: number; messages: number; moves: number; sockets: number }

/** A socket buffer's bytes as sent, and how many a stream read has taken. */
interface Buffer { data?: Uint8Array; consumed: number }

/** Check one trace's moves against its calls' bytes; returns what was compared. */
function checkMoves(trace: Trace, flows: Map<number, NamedFlow[]>): Tally {
  const res = results(trace);
  const stream = new Map<string, Map<number, number>>();
  const sent = new Map<string, { data?: Uint8Array; mtype: number }>();
  const buffers = new Map<string, Buffer>();
  /** Bytes of each call moved so far (a call's moves come in its order). */
  const done = new Map<number, number>();
  const tally: Tally = { bytes: 0, messages: 0, moves: 0, sockets: 0 };
  for (const moves of [...flows.entries()].sort((a, b) => a[0] - b[0]).map(([, m]) => m)) {
    for (const f of moves) {
      tally.moves++;
      const step = trace.steps[f.call];
      const data = callBytes(step, res.get(f.call));
      const from = done.get(f.call) ?? 0;
      done.set(f.call, from + f.len);
      const mine = data?.subarray(f.object === "pipe" || f.object === "sock" ? from : 0);
      const key = `${f.object}:${f.id}`;
      if (f.object === "sock") {
        tally.sockets += sockMove(trace, f, mine, buffers.get(`${key}:${f.at}`));
        if (f.dir === "in") buffers.set(`${key}:${f.at}`, { data: mine, consumed: 0 });
        continue;
      }
      if (f.object === "msg" || f.object === "mq") {
        if (f.dir === "in") sent.set(`${key}:${f.at}`, { data: mine, mtype: f.extra });
        else {
          const m = sent.get(`${key}:${f.at}`);
          expect(m, `${trace.file}: step ${f.call} received message ${f.at}, never sent`)
            .toBeDefined();
          // MSG_NOERROR may cut it: what was received is the message's start.
          const want = m!.data?.subarray(0, mine?.length);
          if (want && mine) expect([...mine], `${trace.file} step ${f.call}`).toEqual([...want]);
          const r = res.get(f.call);
          const kind = f.object === "msg" ? r?.mtype : r?.prio;
          if (kind !== undefined) expect(Number(BigInt.asIntN(32, BigInt(kind)))).toBe(m!.mtype);
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

/** A socket receive's (or peek's) bytes against the buffer it names, from where a stream read
 * left off in it; the bytes compared. */
function sockMove(trace: Trace, f: NamedFlow, mine: Uint8Array | undefined,
  b: Buffer | undefined): number {
  if (f.dir === "in") return 0;
  expect(b, `${trace.file}: step ${f.call} took from buffer ${f.at}, never sent`).toBeDefined();
  const want = b!.data?.subarray(b!.consumed, b!.consumed + f.len);
  if (f.dir === "out") b!.consumed += f.len;
  if (!want || !mine) return 0;
  // A datagram read into a shorter buffer takes its start.
  const n = Math.min(want.length, mine.length, f.len);
  expect([...mine.subarray(0, n)], `${trace.file} step ${f.call}`)
    .toEqual([...want.subarray(0, n)]);
  return n;
}

describe("the flow log", () => {
  it("names, for every byte read from a pipe or a socket and every message received, the " +
    "bytes written or sent there (every recorded case)", () => {
    const total: Tally = { bytes: 0, messages: 0, moves: 0, sockets: 0 };
    const kernel = new Kernel();
    for (const name of readdirSync(CASES).filter((n) => n.endsWith(".jsonl"))) {
      const path = join(CASES, name);
      const text = readFileSync(path, "utf8");
      if (!/"(write|msgsnd|sendto|mq_timedsend)"/.test(text)) continue;
      const trace = parseTrace(text, path);
      const t = checkMoves(trace, flowsOf(trace, kernel));
      total.bytes += t.bytes;
      total.messages += t.messages;
      total.moves += t.moves;
      total.sockets += t.sockets;
    }
    expect(total.bytes).toBeGreaterThan(100_000);
    expect(total.messages).toBeGreaterThan(60);
    expect(total.sockets).toBeGreaterThan(500_000);
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
