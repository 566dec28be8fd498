// The wait-for graph of the selected step as inline SVG (sim/view/waits.ts computes it): a
// node per live process on a circle, an arrow from each blocked process to each process that
// could end its wait, and the cycle, when there is one, drawn thick, solid and vermilion while
// the other arrows are thin, dashed and grey (colour is never the only cue), its nodes ringed
// twice. The explanation's lines are under it.

import type { VNode } from "preact";
import { html } from "htm/preact";
import type { WaitGraph } from "../waits.js";

const R = 18;
const CYCLE = "#D55E00";
const OTHER = "#666";

/** Where each node sits: one in the middle, two side by side, more on a circle (clockwise
 * from the top). */
function layout(n: number): { w: number; h: number; at: (i: number) => [number, number] } {
  const ring = n <= 1 ? 0 : Math.max(60, (n * (2 * R + 28)) / (2 * Math.PI));
  const w = 2 * (ring + R + 24);
  const h = n === 2 ? 2 * (R + 40) : 2 * (ring + R + 24);
  const start = n === 2 ? Math.PI : -Math.PI / 2;
  return {
    w, h, at: (i) => {
      const a = start + (2 * Math.PI * i) / Math.max(n, 1);
      return [w / 2 + ring * Math.cos(a), h / 2 + ring * Math.sin(a)];
    },
  };
}

/** Whether A -> B is an edge of the cycle (listed with its first pid again at the end). */
function inCycle(cycle: readonly number[], a: number, b: number): boolean {
  for (let i = 0; i + 1 < cycle.length; i++) if (cycle[i] === a && cycle[i + 1] === b) return true;
  return false;
}

export function WaitFor({ g }: { g: WaitGraph }): VNode {
  const { w, h, at } = layout(g.nodes.length);
  const pos = new Map(g.nodes.map((n, i) => [n.pid, at(i)]));
  const cycleText = g.cycle.length
    ? `wait-for cycle: ${g.cycle.map((p) => `pid ${p}`).join(" -> ")}` : "no cycle";
  return html`<section class="waits" aria-label="wait-for graph">
    <h3>wait-for graph</h3><div class="waits-body">
    <svg class="waitgraph" width=${w} height=${h} viewBox=${`0 0 ${w} ${h}`} role="img"
      aria-label=${cycleText}>
      <defs>${[["wf-cycle", CYCLE], ["wf-other", OTHER]].map(([id, c]) => html`<marker
        id=${id} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7"
        orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill=${c} /></marker>`)}</defs>
      ${g.edges.map(([a, b]) => html`<${Arrow} from=${pos.get(a)!} to=${pos.get(b) ?? pos.get(a)!}
        a=${a} b=${b} cycle=${inCycle(g.cycle, a, b)} />`)}
      ${g.nodes.map((n) => {
        const [x, y] = pos.get(n.pid)!;
        const ringed = g.cycle.includes(n.pid);
        return html`<g class=${`node${ringed ? " in-cycle" : ""}${n.blocked ? " blocked" : ""}`}
          data-pid=${n.pid}>
          ${ringed ? html`<circle cx=${x} cy=${y} r=${R + 4} fill="none" stroke=${CYCLE}
            stroke-width="2" />` : ""}
          <circle cx=${x} cy=${y} r=${R} fill=${n.blocked ? "url(#hatch)" : "#56B4E9"}
            stroke="#0072B2" stroke-width="1.5" />
          <text x=${x} y=${y + 4} text-anchor="middle" class="pid">${n.pid}</text>
          <title>${`pid ${n.pid}${n.blocked ? ", blocked" : ""}`}</title></g>`;
      })}
    </svg>
    <pre class="waits-text">${[...g.lines, cycleText].join("\n")}</pre></div>
  </section>`;
}

/** A → B, bent to one side (so A → B and B → A both show), or a loop for a self-wait. */
function Arrow({ from, to, a, b, cycle }: {
  from: [number, number]; to: [number, number]; a: number; b: number; cycle: boolean;
}): VNode {
  const [x1, y1] = from;
  const [x2, y2] = to;
  let d: string;
  if (a === b) {
    d = `M${x1 - 8},${y1 - R} C${x1 - 30},${y1 - R - 40} ${x1 + 30},${y1 - R - 40} ` +
      `${x1 + 8},${y1 - R}`;
  } else {
    const len = Math.hypot(x2 - x1, y2 - y1) || 1;
    const [ux, uy] = [(x2 - x1) / len, (y2 - y1) / len];
    // The control point sits off the middle, to the left of the direction of travel.
    const [mx, my] = [(x1 + x2) / 2 - uy * 26, (y1 + y2) / 2 + ux * 26];
    const [sx, sy] = [x1 + ux * R, y1 + uy * R];
    const [ex, ey] = [x2 - ux * (R + 2), y2 - uy * (R + 2)];
    d = `M${sx},${sy} Q${mx},${my} ${ex},${ey}`;
  }
  return html`<path class=${`wait${cycle ? " cycle" : ""}`} data-from=${a} data-to=${b} d=${d}
    fill="none" stroke=${cycle ? CYCLE : OTHER} stroke-width=${cycle ? 3 : 1.4}
    stroke-dasharray=${cycle ? "" : "5 3"} marker-end=${`url(#wf-${cycle ? "cycle" : "other"})`}>
    <title>${`pid ${a} waits for pid ${b}`}</title></path>`;
}
