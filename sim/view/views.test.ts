// The timeline and its exports on every recorded case (Linux's outcomes), and on runs whose
// causal edges are known: each Mermaid diagram is one Mermaid's own parser accepts, each
// Perfetto flow starts and ends inside a slice of its process (how the format binds it).

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import mermaid from "mermaid";
import { describe, expect, it } from "vitest";
import { parseTrace } from "../trace/parse.js";
import { mermaidOf } from "./mermaid.js";
import { type ChromeEvent, perfettoOf, STEP_US } from "./perfetto.js";
import { flowsOf } from "./flows.js";
import { type Timeline, timelineOf } from "./timeline.js";

const CASES = "kernel/test/cases";

function caseTimeline(name: string, withFlows = false): Timeline {
  const path = join(CASES, name);
  const trace = parseTrace(readFileSync(path, "utf8"), path);
  return timelineOf(trace, withFlows ? flowsOf(trace) : undefined);
}

/** Every flow end lies inside an "X" slice of its own thread: what the format binds it to. */
function unboundFlows(events: readonly ChromeEvent[]): string[] {
  const slices = events.filter((e) => e.ph === "X");
  const bad: string[] = [];
  for (const e of events.filter((e) => e.ph === "s" || e.ph === "f")) {
    const inside = slices.some((s) => s.tid === e.tid && (s.ts as number) <= (e.ts as number) &&
      (e.ts as number) < (s.ts as number) + (s.dur as number));
    if (!inside) bad.push(`${e.ph} ${e.name} pid ${e.pid} at ${e.ts}`);
  }
  return bad;
}

describe("views of a run", () => {
  it("draws a fork, and the exit that wakes a blocked waitpid, as edges", () => {
    const t = caseTimeline("proc-waitpid-blocks.jsonl");
    expect(t.edges.some((e) => e.kind === "fork")).toBe(true);
    const wake = t.edges.find((e) => e.kind === "wake" && e.label === "wakes waitpid");
    expect(wake).toBeDefined();
    const woken = t.spans.find((s) => s.blocked && s.end === wake!.to && s.pid === wake!.toPid);
    expect(woken?.issued).toContain("<unfinished ...>");
    expect(woken?.text).not.toContain("<unfinished ...>");
  });

  it("draws a signal from its sender's kill to the handler's process", () => {
    const t = caseTimeline("signal-tgkill.jsonl");
    const sig = t.edges.filter((e) => e.kind === "signal");
    expect(sig.length).toBeGreaterThan(0);
    for (const e of sig) {
      expect(e.fromPid).not.toBe(e.toPid);
      expect(e.label).toMatch(/^SIG\w+ from pid \d+$/);
      const sender = t.spans.find((s) => s.pid === e.fromPid && s.start === e.from);
      expect(sender, `edge ${e.label} from step ${e.from}`).toBeDefined();
    }
  });

  it("draws a socket's bytes from each send to the receives that took or peeked at them", () => {
    const t = caseTimeline("unix-stream-io.jsonl", true);
    const data = t.edges.filter((e) => e.kind === "data");
    // Step 1 sends "hello" (5 bytes); step 3 peeks 3 of them, step 4 peeks them all with the
    // next send's, step 5 reads them.
    expect(data.filter((e) => e.from === 1).map((e) => [e.to, e.label])).toEqual([
      [3, "3 bytes through socket #2 from step 1 (peeked)"],
      [4, "5 bytes through socket #2 from step 1 (peeked)"],
      [5, "5 bytes through socket #2 from step 1"],
    ]);
    expect(t.counters.map((c) => c.name)).toContain("socket #2 bytes");
  });

  it("draws each datagram, and each POSIX message, from its send to its receive", () => {
    const dgram = caseTimeline("unix-dgram.jsonl", true).edges.filter((e) => e.kind === "data");
    expect(dgram.find((e) => e.from === 2)?.label).toBe("7 bytes through socket #2 from step 2");
    const mq = caseTimeline("mq-blocking.jsonl", true).edges.filter((e) => e.kind === "data");
    // A sender asleep at step 9 (the queue full) puts its message in when step 10 makes room.
    expect(mq.find((e) => e.to === 11)).toMatchObject({
      from: 10, label: 'priority 0, 4 bytes through mq "/q" from step 9' });
    expect(mq.every((e) => /^priority \d+, \d+ bytes through mq "\/q"/.test(e.label))).toBe(true);
  });

  it("draws a lock hand-off from the unlock to the waiter that got the lock", () => {
    const t = caseTimeline("lock-wake-order.jsonl");
    const locks = t.edges.filter((e) => e.kind === "lock");
    expect(locks.length).toBeGreaterThan(0);
    for (const e of locks) {
      expect(e.label).toBe("hands the lock to fcntl");
      const woken = t.spans.find((s) => s.pid === e.toPid && s.blocked && s.end === e.to);
      expect(woken?.text, `lock edge to pid ${e.toPid}`).toMatch(/F_(OFD_)?SETLKW.* = 0$/);
    }
  });

  it("every recorded case gives a Mermaid diagram Mermaid parses, and bound Perfetto flows",
    async () => {
      const names = readdirSync(CASES).filter((n) => n.endsWith(".jsonl"));
      expect(names.length).toBeGreaterThan(300);
      let edges = 0;
      for (const name of names) {
        const t = caseTimeline(name);
        edges += t.edges.length;
        const diagram = mermaidOf(t);
        await expect(mermaid.parse(diagram), name).resolves.toBeTruthy();
        const trace = perfettoOf(t);
        expect(unboundFlows(trace.traceEvents), name).toEqual([]);
        for (const e of trace.traceEvents.filter((e) => e.ph === "X")) {
          expect(e.dur as number, `${name}: ${e.name}`).toBeGreaterThan(0);
        }
        const ids = trace.traceEvents.filter((e) => e.ph === "s").map((e) => e.id);
        expect(trace.traceEvents.filter((e) => e.ph === "f").map((e) => e.id)).toEqual(ids);
      }
      expect(edges).toBeGreaterThan(500);
    });

  it("gives a blocked call a nested blocked slice up to its wake, and counts the blocked", () => {
    const t = caseTimeline("proc-waitpid-blocks.jsonl");
    const events = perfettoOf(t).traceEvents;
    const woken = t.spans.find((s) => s.blocked && s.end !== null)!;
    const sleep = events.find((e) => e.name === "blocked" && e.tid === woken.pid &&
      (e.args as { step: number }).step === woken.step)!;
    expect((sleep.ts as number) + (sleep.dur as number)).toBe(woken.end! * STEP_US + 800);
    const counts = events.filter((e) => e.ph === "C").map((e) => (e.args as { blocked: number })
      .blocked);
    expect(Math.max(...counts)).toBeGreaterThan(0);
    expect(counts.at(-1)).toBe(t.spans.filter((s) => s.blocked && s.end === null).length);
  });

  it("keeps Mermaid's syntax characters out of the text", async () => {
    const t = caseTimeline("proc-waitpid-blocks.jsonl");
    t.spans[0].issued = "write(4, \"a;b#c<d>\", 7) = 7";
    const diagram = mermaidOf(t);
    expect(diagram).toContain("a#59;b#35;c#60;d#62;");
    await expect(mermaid.parse(diagram)).resolves.toBeTruthy();
  });
});
