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
import { type Timeline, timelineOf } from "./timeline.js";

const CASES = "kernel/test/cases";

function caseTimeline(name: string): Timeline {
  const path = join(CASES, name);
  return timelineOf(parseTrace(readFileSync(path, "utf8"), path));
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
