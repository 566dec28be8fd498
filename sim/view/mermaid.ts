// The timeline (timeline.ts) as a Mermaid `sequenceDiagram`, for READMEs and issues: a
// participant per process, each call a note over its process (numbered by its step), each
// causal edge an arrow (fork and wake solid, a signal asynchronous, a reaped exit dashed), a
// sleeping process activated from its blocked call to its wake (to the end, if none came).
//
// Mermaid reads `;` and `#` in text as syntax and drops what looks like HTML, so those
// characters go in as its entity codes (#59; #35; #60; #62;).

import type { Edge, Span, Timeline } from "./timeline.js";

/** A note's longest text: strace's strings are already cut at 32 bytes, flags are not. */
const TEXT_MAX = 90;

const ARROW: Record<Edge["kind"], string> = {
  fork: "->>", wake: "->>", lock: "->>", signal: "-)", exit: "-->>", data: "--)",
};

/** The Mermaid source of a timeline. */
export function mermaidOf(t: Timeline): string {
  const lines = ["sequenceDiagram"];
  for (const pid of t.pids) lines.push(`  participant ${who(pid)} as pid ${pid}`);
  const starts = groupBy(t.spans, (s) => s.start);
  const ends = groupBy(t.spans.filter((s) => s.blocked && s.end !== null), (s) => s.end!);
  // An arrow is drawn where its effect happens (a read, a handler run, a reap); a fork's is
  // its call.
  const edges = groupBy(t.edges, (e) => e.kind === "fork" ? e.from : e.to);
  const marks = groupBy(t.marks, (m) => m.at);
  for (let at = 0; at < t.length; at++) {
    for (const s of starts.get(at) ?? []) lines.push(...callLines(s, edges.get(at) ?? []));
    for (const e of (edges.get(at) ?? []).filter((e) => !isOwnFork(e, starts.get(at)))) {
      lines.push(`  ${who(e.fromPid)}${ARROW[e.kind]}${who(e.toPid)}: ${text(e.label)}`);
    }
    for (const s of ends.get(at) ?? []) {
      lines.push(`  deactivate ${who(s.pid)}`);
      // Its result, unless it never had one (the process died asleep).
      const note = `  Note over ${who(s.pid)}: ${text(`${s.step} ${s.text}`)}`;
      if (s.text !== s.issued) lines.push(note);
    }
    for (const m of marks.get(at) ?? []) lines.push(`  Note over ${who(m.pid)}: ${text(m.text)}`);
  }
  return lines.join("\n") + "\n";
}

/** A call's lines: a fork is its arrow to the child; a blocked call a note and activation. */
function callLines(s: Span, edges: readonly Edge[]): string[] {
  const fork = edges.find((e) => e.kind === "fork" && e.fromPid === s.pid);
  if (fork !== undefined) {
    return [`  ${who(s.pid)}${ARROW.fork}${who(fork.toPid)}: ${text(`${s.step} ${s.issued}`)}`];
  }
  const note = `  Note over ${who(s.pid)}: ${text(`${s.step} ${s.issued}`)}`;
  return s.blocked ? [note, `  activate ${who(s.pid)}`] : [note];
}

/** A fork's edge is drawn as its call's own arrow (callLines). */
function isOwnFork(e: Edge, spans: readonly Span[] | undefined): boolean {
  return e.kind === "fork" && (spans ?? []).some((s) => s.pid === e.fromPid);
}

function who(pid: number): string {
  return `P${pid}`;
}

/** Text Mermaid shows as written. */
function text(s: string): string {
  const cut = s.length > TEXT_MAX ? `${s.slice(0, TEXT_MAX - 3)}...` : s;
  return cut.replace(/[;#<>]/g, (c) => `#${c.charCodeAt(0)};`);
}

function groupBy<T>(items: readonly T[], key: (t: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list === undefined) out.set(k, [item]);
    else list.push(item);
  }
  return out;
}
