// The HTML view's components (Preact with htm, no build step of their own beyond esbuild): the
// lanes (a process per row, its calls as boxes, blocked spans hatched, arrows for the causal
// edges), and the inspector of the selected step (its call and events, the wait-for graph
// (waitgraph.ts), then the kernel's state after it: processes, pipes, IPC objects and page
// tables (inspectors.ts), object counters). Keyboard: ← → step, Home End. The state after a
// step comes from `stateOf` (the page's state cursor, sim/view/scrub.ts, or the playground's
// states computed in its worker).
//
// Colours are the Okabe–Ito palette (distinct for the common colour-vision deficiencies); every
// edge kind also differs in its dash, so colour is never the only cue.

import { Component, type VNode } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { html } from "htm/preact";
import type { ViewState } from "../flows.js";
import type { Edge, Span, Timeline } from "../timeline.js";
import type { ViewData } from "../view-data.js";
import { Memory, MsgQueues, PosixQueues, ProcBox, SemSets, Slots } from "./inspectors.js";
import { WaitFor } from "./waitgraph.js";

/** Pixels per step, per lane, and the margins for the lane labels and the step ruler. */
const STEP_PX = 28;
const LANE_H = 44;
const LEFT = 64;
const TOP = 24;

const EDGE_STYLE: Record<Edge["kind"], { color: string; dash: string }> = {
  fork: { color: "#009E73", dash: "" },
  wake: { color: "#0072B2", dash: "" },
  lock: { color: "#56B4E9", dash: "10 3" },
  exit: { color: "#CC79A7", dash: "6 3" },
  signal: { color: "#E69F00", dash: "2 3" },
  data: { color: "#D55E00", dash: "8 3 2 3" },
};

const KEYS: Record<string, (sel: number, last: number) => number> = {
  ArrowRight: (sel) => sel + 1, ArrowLeft: (sel) => sel - 1, Home: () => 0, End: (_, last) => last,
};

/** The kernel's state after step i, or undefined where the model cannot follow the trace. */
export type StateOf = (step: number) => ViewState | undefined;

export function App({ data, stateOf, initial = 0 }: {
  data: ViewData; stateOf: StateOf; initial?: number;
}): VNode {
  const last = Math.max(data.steps.length - 1, 0);
  const [sel, setSel] = useState(Math.min(initial, last));
  useEffect(() => {
    // From the state as it is when the key is handled: keys faster than rendering all count.
    const onKey = (e: KeyboardEvent) => {
      const move = KEYS[e.key];
      // Keys typed into a field (the playground's editor, its inputs) are the field's.
      const target = e.target as Element | null;
      if (move === undefined || target?.closest?.("input, select, textarea, .cm-editor")) return;
      e.preventDefault();
      setSel((sel) => Math.max(0, Math.min(last, move(sel, last))));
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, [last]);
  return html`<main>
    <header>
      <h1>${data.name}</h1>
      ${data.verdict ? html`<p class="verdict">${data.verdict}</p>` : ""}
      <${Legend} />
    </header>
    ${data.explanation?.length ? html`<pre class="explanation">${data.explanation.join("\n")}</pre>`
      : data.disagreement ? html`<${Disagreement} d=${data.disagreement} />` : html`<div></div>`}
    <${Lanes} t=${data.timeline} sel=${sel} onSelect=${setSel} cycle=${data.cycle ?? []} />
    <${Inspector} data=${data} sel=${sel} stateOf=${stateOf} />
  </main>`;
}

function Legend(): VNode {
  return html`<ul class="legend" aria-label="edge kinds">
    ${Object.entries(EDGE_STYLE).map(([kind, s]) => html`<li>
      <svg width="28" height="8" aria-hidden="true"><line x1="0" y1="4" x2="28" y2="4"
        stroke=${s.color} stroke-width="2" stroke-dasharray=${s.dash} /></svg>${kind}</li>`)}
    <li><span class="swatch blocked"></span>blocked</li>
  </ul>`;
}

const x = (step: number) => LEFT + step * STEP_PX;
const laneY = (t: Timeline, pid: number) => TOP + t.pids.indexOf(pid) * LANE_H + LANE_H / 2;

function Lanes({ t, sel, onSelect, cycle }: {
  t: Timeline; sel: number; onSelect: (step: number) => void; cycle: readonly number[];
}): VNode {
  const width = x(t.length) + STEP_PX;
  const height = TOP + t.pids.length * LANE_H + 8;
  const span = t.spans.find((s) => s.step === sel);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Keep the selected step in sight as the keyboard moves it.
    const el = box.current;
    const at = x(sel);
    if (el && (at < el.scrollLeft + LEFT || at > el.scrollLeft + el.clientWidth - STEP_PX)) {
      el.scrollLeft = Math.max(0, at - el.clientWidth / 2);
    }
  }, [sel]);
  // The drawing is static (Drawing never re-renders for a new selection): a step moves only
  // the cursor and the outline over the selected box, so a 10,000-step run scrubs fast.
  return html`<div class="lanes" role="region" aria-label="timeline" ref=${box}>
    <svg width=${width} height=${height} role="img">
      <${Drawing} t=${t} width=${width} onSelect=${onSelect} />
      ${cycle.map((pid) => html`<text class="in-cycle" x="4" y=${laneY(t, pid) - 8}
        fill="#D55E00">in cycle</text>`)}
      <line class="cursor" x1=${x(sel) + STEP_PX * 0.4} x2=${x(sel) + STEP_PX * 0.4} y1="0"
        y2=${height} stroke="#000" stroke-width="1" pointer-events="none" />
      ${span ? html`<rect class="selected" data-step=${sel} x=${x(span.start) - 2}
        y=${laneY(t, span.pid) - 11} width=${spanWidth(t, span) + 4} height="22" rx="4"
        fill="none" stroke="#000" stroke-width="2" pointer-events="none" />` : ""}
    </svg>
  </div>`;
}

type DrawingProps = { t: Timeline; width: number; onSelect: (step: number) => void };

/** The lanes, boxes, marks and arrows of a timeline: drawn once per timeline. */
class Drawing extends Component<DrawingProps> {
  override shouldComponentUpdate(next: DrawingProps): boolean {
    return next.t !== this.props.t || next.width !== this.props.width;
  }

  override render({ t, width, onSelect }: DrawingProps): VNode {
    return html`<g>
      <defs>
        <pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse"
          patternTransform="rotate(45)"><rect width="6" height="6" fill="#eee" />
          <line x1="0" y1="0" x2="0" y2="6" stroke="#888" stroke-width="2" /></pattern>
        ${Object.entries(EDGE_STYLE).map(([kind, s]) => html`<marker id=${`arrow-${kind}`}
          viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7"
          orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill=${s.color} /></marker>`)}
      </defs>
      ${t.pids.map((pid) => html`<g class="lane" data-pid=${pid}>
        <line x1=${LEFT} x2=${width} y1=${laneY(t, pid)} y2=${laneY(t, pid)} stroke="#ddd" />
        <text x="4" y=${laneY(t, pid) + 4}>pid ${pid}</text></g>`)}
      ${t.spans.map((s) => html`<${SpanBox} t=${t} s=${s} onSelect=${onSelect} />`)}
      ${t.marks.map((m) => html`<circle class="mark" cx=${x(m.at) + STEP_PX * 0.4}
        cy=${laneY(t, m.pid) - 12} r="3.5" fill="#000"><title>${m.text}</title></circle>`)}
      ${t.edges.map((e) => html`<${EdgePath} t=${t} e=${e} />`)}
    </g>`;
  }
}

const spanWidth = (t: Timeline, s: Span) => ((s.end ?? t.length) - s.start + 0.8) * STEP_PX;

function SpanBox({ t, s, onSelect }: {
  t: Timeline; s: Span; onSelect: (step: number) => void;
}): VNode {
  const cls = `span${s.blocked ? " blocked" : ""}`;
  return html`<g class=${cls} data-step=${s.step} onClick=${() => onSelect(s.step)}>
    <rect x=${x(s.start)} y=${laneY(t, s.pid) - 9} width=${spanWidth(t, s)} height="18" rx="3"
      fill=${s.blocked ? "url(#hatch)" : "#56B4E9"} stroke="#0072B2" />
    <title>${s.step} ${s.text}</title>
  </g>`;
}

function EdgePath({ t, e }: { t: Timeline; e: Edge }): VNode {
  const x1 = x(e.from) + STEP_PX * 0.4;
  const x2 = x(e.to) + STEP_PX * 0.4;
  const y1 = laneY(t, e.fromPid);
  const y2 = laneY(t, e.toPid);
  // A same-lane edge bows above the lane; others curve between the lanes.
  const bow = y1 === y2 ? -LANE_H / 2 : 0;
  const d = `M${x1},${y1} C${x1 + 10},${y1 + bow} ${x2 - 10},${y2 + bow} ${x2},${y2}`;
  const s = EDGE_STYLE[e.kind];
  return html`<path class=${`edge ${e.kind}`} data-from=${e.from} data-to=${e.to} d=${d}
    fill="none" stroke=${s.color} stroke-width="1.6" stroke-dasharray=${s.dash}
    marker-end=${`url(#arrow-${e.kind})`}><title>${e.label}</title></path>`;
}

function Inspector({ data, sel, stateOf }: {
  data: ViewData; sel: number; stateOf: StateOf;
}): VNode {
  const step = data.steps[sel];
  const state = step === undefined ? undefined : stateOf(sel);
  const counters = data.timeline.counters.map((c) => {
    const p = c.points.filter((q) => q.at <= sel).at(-1);
    return { name: c.name, value: p?.value ?? 0 };
  });
  if (step === undefined) return html`<section class="inspector"><p>no steps</p></section>`;
  return html`<section class="inspector" aria-live="polite">
    <h2>step ${step.index}</h2>
    <pre class="call">${[step.text, ...step.events].join("\n")}</pre>
    ${state?.detail.waits ? html`<${WaitFor} g=${state.detail.waits} />` : ""}
    ${state ? html`<${State} state=${state} />`
      : html`<p class="nostate">the model could not follow the trace to this step</p>`}
    ${counters.length ? html`<h3>objects</h3><ul class="counters">
      ${counters.map((c) => html`<li>${c.name}: ${c.value}</li>`)}</ul>` : ""}
  </section>`;
}

function State({ state }: { state: ViewState }): VNode {
  return html`<div class="state">
    <h3>processes</h3>
    <table class="procs"><tr><th>pid</th><th>parent</th><th>state</th><th>in</th></tr>
      ${state.processes.map((p) => html`<tr data-pid=${p.pid}><td>${p.pid}</td><td>${p.parent}</td>
        <td>${p.state}</td><td>${p.blockedIn ? `${p.blockedIn.call} (step ${p.blockedIn.step})`
          : ""}</td></tr>`)}
    </table>
    ${state.detail.processes.map((d) => html`<${ProcBox} d=${d} />`)}
    ${state.pipes.length ? html`<h3>pipes</h3><ul class="pipes">${state.pipes.map((p, i) =>
      html`<li>${pipeText(p)}<${Slots} slots=${state.detail.pipes[i]?.slots ?? []} /></li>`)}
      </ul>` : ""}
    <${MsgQueues} state=${state} />
    <${PosixQueues} d=${state.detail.posixQueues} />
    <${SemSets} state=${state} />
    <${Memory} state=${state} />
  </div>`;
}

function pipeText(p: ViewState["pipes"][number]): string {
  const name = p.fifo ? `FIFO "${p.fifo}"` : `pipe #${p.no}`;
  return `${name}: ${p.readers} readers, ${p.writers} writers, ${p.bytes} bytes in ` +
    `${p.slots}/${p.capacitySlots} slots`;
}

/** A diff's disagreement: Linux's outcome beside each outcome the model allows. */
function Disagreement({ d }: { d: NonNullable<ViewData["disagreement"]> }): VNode {
  return html`<section class="disagreement">
    <h2>${`step ${d.step}: ` +
      (d.known ? "a known difference" : "Linux did what the model does not allow")}</h2>
    ${d.known ? html`<p>${d.known}</p>` : ""}
    <div class="sides"><div><h3>Linux</h3><pre class="linux">${d.linux}</pre></div>
      <div><h3>the model allows</h3>${d.model.map((m) => html`<pre class="model">${m}</pre>`)}
      </div></div>
  </section>`;
}
