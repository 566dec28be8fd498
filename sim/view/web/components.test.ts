// The HTML view's components rendered to markup (preact-render-to-string): what a browser
// would first paint, checked against the run's timeline and states (the page's state cursor,
// sim/view/scrub.ts, run here in Node).

import { readFileSync } from "node:fs";
import { h } from "preact";
import { renderToString } from "preact-render-to-string";
import { describe, expect, it } from "vitest";
import { parseTrace } from "../../trace/parse.js";
import { htmlOf } from "../html.js";
import { StateCursor } from "../scrub.js";
import { eagerStates, pageTrace, type ViewData, viewDataOf } from "../view-data.js";
import { App, type StateOf } from "./components.js";

const CASE = "kernel/test/cases/proc-waitpid-blocks.jsonl";

/** A trace's view data, with its states as the page gets them: from the data's own trace. */
function view(path: string, verdict?: string): ViewData & { stateOf: StateOf } {
  const d = viewDataOf(parseTrace(readFileSync(path, "utf8"), path), verdict);
  const cursor = new StateCursor(pageTrace(d), d.followed);
  return { ...d, stateOf: (i) => cursor.stateAt(i) };
}

function data() {
  return view(CASE, "ok");
}

function app(d: ViewData & { stateOf: StateOf }, initial?: number) {
  return renderToString(h(App, { data: d, stateOf: d.stateOf, initial }));
}

describe("the HTML view", () => {
  it("draws a lane per process, a box per call, an arrow per edge", () => {
    const d = data();
    const html = app(d);
    expect(html.match(/class="lane"/g)?.length).toBe(d.timeline.pids.length);
    expect(html.match(/<g class="span/g)?.length).toBe(d.timeline.spans.length);
    expect(html.match(/class="edge /g)?.length).toBe(d.timeline.edges.length);
    expect(html).toContain('class="edge wake"');
    expect(html).toContain('class="edge fork"');
    expect(html.match(/class="span blocked/g)?.length)
      .toBe(d.timeline.spans.filter((s) => s.blocked).length);
  });

  it("inspects the selected step: its call, its events, the processes after it", () => {
    const d = data();
    const woke = d.steps.find((s) => s.events.some((e) => e.includes("resumed")))!;
    const html = app(d, woke.index);
    expect(html).toContain(`step ${woke.index}</h2>`);
    expect(html).toContain("waitpid resumed");
    const state = d.stateOf(woke.index)!;
    // The child reaped by the wait is gone; the others are listed with their states.
    expect(state.processes.map((p) => p.pid)).not.toContain(4);
    for (const p of state.processes) {
      expect(html).toMatch(new RegExp(`data-pid="${p.pid}"><td>${p.pid}</td><td>${p.parent}</td>` +
        `\\s*<td>${p.state}</td>`));
    }
  });

  it("inspects in the kernel's terms: descriptors, signals, a pipe's slots and pages", () => {
    const path = "kernel/test/cases/pipe-1-byte-writes-merge.jsonl";
    const d = view(path);
    // After the fifth 1-byte write: one slot, 5 bytes from offset 0, merged into one page.
    const html = app(d, 5);
    expect(html).toMatch(/<li title="page \d+">\s*bytes 0-5 of page \d+, a write may merge<\/li>/);
    expect(html).toContain("<li>fd 3: pipe #1 read end</li>");
    expect(html).toContain("<li>fd 4: pipe #1 write end</li>");
    const state = d.stateOf(5)!;
    expect(state.detail.pipes[0].slots).toHaveLength(1);
    expect(state.detail.processes[0].fds.map((f) => f.fd)).toEqual([0, 1, 2, 3, 4]);
  });

  it("lists a process's caught, blocked and pending signals", () => {
    const path = "kernel/test/cases/signal-frames-mask.jsonl";
    const d = view(path);
    const states = d.steps.map((s) => d.stateOf(s.index)!);
    const seen = new Set(states.flatMap((s) => s.detail.processes.flatMap((p) =>
      [...p.caught.map((c) => `caught ${c}`), ...p.blocked.map((b) => `blocked ${b}`),
        ...p.pending.map((b) => `pending ${b}`)])));
    expect([...seen].some((x) => x.startsWith("caught "))).toBe(true);
    expect([...seen].some((x) => x.startsWith("blocked "))).toBe(true);
  });

  it("draws the inspectors and the wait-for graph of a deadlock from the view data", () => {
    const path = "sim/view/testdata/inspectors.jsonl";
    const d = view(path);
    const last = d.steps.length - 1;
    const state = d.stateOf(last)!;
    const html = app(d, last);
    const g = state.detail.waits!;
    expect(g.cycle).toEqual([2, 3, 2]);
    expect(html.match(/class="wait cycle"/g)?.length).toBe(2);
    expect(html.match(/class="node in-cycle blocked"/g)?.length).toBe(2);
    expect(html).toContain("wait-for cycle: pid 2 -> pid 3 -> pid 2");
    for (const m of state.detail.msgQueues[0].messages) {
      expect(html).toContain(`mtype ${m.type}, ${m.size} bytes: ${m.text.replace(/"/g, "&quot;")}`);
    }
    expect(html).toContain("waiting to receive: pid 2 (msgtyp 5)");
    expect(html).toMatch(/<tr data-num="0"><td>0<\/td><td>0<\/td>\s*<td>pid 3 \{0, -1, 0\}<\/td>/);
    expect(html).toContain("<th>pid 2 semadj</th>");
    // Each frame both processes map: a row for each, the same tint, naming the other.
    const row = /<tr data-pid="(\d)" data-frame="(\d+)" class="shared"\s*style="([^"]*)"/g;
    const rows = [...html.matchAll(row)];
    const shared = state.detail.processes[0].pages.filter((p) => p.refs > 1);
    expect(rows.length).toBe(2 * shared.length);
    for (const page of shared) {
      const same = rows.filter((r) => Number(r[2]) === page.frame);
      expect(same.map((r) => r[1])).toEqual(["2", "3"]);
      expect(same[0][3]).toBe(same[1][3]);
    }
  });

  it("draws no wait-for graph where no process is blocked", () => {
    const html = app(data(), 0);
    expect(html).not.toContain("wait-for graph");
  });

  it("the playground's states: each distinct one stored once", () => {
    const d = eagerStates(parseTrace(readFileSync(CASE, "utf8"), CASE));
    expect(d.stateAt).toHaveLength(data().steps.length);
    expect(new Set(d.states.map((s) => JSON.stringify(s))).size).toBe(d.states.length);
    expect(Math.max(...d.stateAt)).toBe(d.states.length - 1);
  });

  it("writes one self-contained page: the data inert in its script, nothing fetched", () => {
    const page = htmlOf(data(), "console.log('</script>')", "a<b");
    expect(page).toContain("<title>a&#60;b - ipcsim</title>");
    expect(page).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/i);
    const json = /<script id="ipcsim-data" type="application\/json">(.*?)<\/script>/s
      .exec(page)![1];
    expect(JSON.parse(json).steps.length).toBeGreaterThan(0);
    expect(page).toContain("console.log('<\\/script>')");
  });
});
