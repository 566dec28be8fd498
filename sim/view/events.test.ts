// The event log (events.ts): a record per step in the trace's outcome form plus the kernel's
// moves and sleepers, and the views as its projections: every timeline edge is an event or a
// pair of moves of the log, and a trace the model cannot follow ends the log with a record
// saying where.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseTrace } from "../trace/parse.js";
import { eventLog } from "./events.js";
import { flowsOf } from "./flows.js";
import { timelineOf } from "./timeline.js";

const load = (f: string) => parseTrace(readFileSync(f, "utf8"), f);

interface Rec {
  step: number;
  pid: number;
  call: string;
  result?: unknown;
  events: { wake?: number; step?: number }[];
  moves: {
    object: string; dir: string; bytes: number; pid: number; call: number; serial?: number;
    mtype?: number;
  }[];
  asleep: { pid: number; call: string; step: number }[];
}

describe("the event log", () => {
  const trace = load("kernel/test/cases/poll-wake.jsonl");
  const [head, ...recs] = eventLog(trace, "ok").map((l) => JSON.parse(l));
  const records = recs as Rec[];

  it("is a header and a record per step, in the trace's outcome form", () => {
    expect(head).toMatchObject({ events: "ipcsim", version: 1, name: "poll-wake", verdict: "ok" });
    expect(records.map((r) => r.step)).toEqual(trace.steps.map((s) => s.index));
    expect(records[4]).toMatchObject({
      pid: 2, call: "write", fd: 6, data: "hi", result: { ret: 2 },
      events: [{ wake: 3, step: 3 }],
      moves: [{ object: "pipe #2", dir: "in", bytes: 2, pid: 2, call: 4 }],
    });
    expect(records[3].asleep).toEqual([{ pid: 3, call: "poll", step: 3 }]);
    expect(records[4].asleep).toEqual([]);
  });

  it("is what the timeline projects: each wake edge an event, each data edge two moves", () => {
    const t = timelineOf(trace, flowsOf(trace));
    for (const e of t.edges) {
      if (e.kind === "wake") {
        expect(records[e.from].events).toContainEqual(expect.objectContaining({ wake: e.toPid }));
      }
      if (e.kind === "data") {
        const into = records[e.from].moves.find((m) => m.dir === "in" && m.pid === e.fromPid);
        const outOf = records[e.to].moves.find((m) => m.dir === "out" && m.pid === e.toPid);
        expect(into && outOf && into.object === outOf.object, `${e.label}`).toBe(true);
      }
    }
    expect(t.edges.some((e) => e.kind === "data")).toBe(true);
  });

  it("names a message, and a socket's buffer, by one serial from its send to its receive", () => {
    for (const [file, object] of [["msg-rcv-typed.jsonl", /^msg queue/],
      ["unix-stream-io.jsonl", /^socket #/], ["mq-blocking.jsonl", /^mq "/]] as const) {
      const log = eventLog(load(`kernel/test/cases/${file}`)).slice(1).map((l) => JSON.parse(l));
      const moves = (log as Rec[]).flatMap((r) => r.moves).filter((m) => object.test(m.object));
      const sent = new Set(moves.filter((m) => m.dir === "in").map((m) => m.serial ?? -1));
      const taken = moves.filter((m) => m.dir !== "in");
      expect(taken.length, file).toBeGreaterThan(1);
      for (const m of taken) {
        expect(sent.has(m.serial ?? -2), `${file}: ${JSON.stringify(m)}`).toBe(true);
      }
      // Serials count up from 1 in the order the kernel made them.
      expect(Math.min(...sent), file).toBe(1);
    }
  });

  it("ends where the model cannot follow, saying so", () => {
    const bad = parseTrace([
      '{"trace":"ipcsim","version":1,"name":"bad"}',
      '{"pid":2,"call":"pipe","expect":{"ret":0,"fds":[3,4]}}',
      '{"pid":2,"call":"close","fd":3,"expect":{"ret":-1,"errno":"EBADF"}}',
      '{"pid":2,"call":"close","fd":4,"expect":{"ret":0}}',
    ].join("\n"), "bad.jsonl");
    const lines = eventLog(bad).map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatchObject({ ends: 1 });
  });
});
