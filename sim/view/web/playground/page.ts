// The playground's page: an editor with the scenario (the examples and the bug suite to pick
// from), Run and Explore (in a Web Worker, with progress and Stop), and the run's view
// (components.ts, the same as `ipcsim view`). The address says what is shown, readably:
//   #example=bugs/sem-order&seed=7&strategy=pct&replay=0001
// or, for edited code, #code=<the source, percent-encoded>&seed=... A link opened runs that
// (a replay when it has one).

import { javascript } from "@codemirror/lang-javascript";
import { EditorView, basicSetup } from "codemirror";
import { h, render } from "preact";
import examples from "playground-examples";
import { encodeDecisions } from "../../../scenario/decisions.js";
import { VIEW_STYLE } from "../../html.js";
import { App } from "../components.js";
import type { Choice, Job, Reply, RunView } from "./protocol.js";

interface Example { name: string; source: string }
const EXAMPLES = examples as Example[];
// The view's own style sheet, before the page's (index.html), which adjusts it.
document.head.prepend(Object.assign(document.createElement("style"), { textContent: VIEW_STYLE }));
const STRATEGIES = ["mix", "random", "pct", "urw", "dfs"];

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const picker = $<HTMLSelectElement>("example");
const seedIn = $<HTMLInputElement>("seed");
const strategyIn = $<HTMLSelectElement>("strategy");
const runsIn = $<HTMLInputElement>("runs");
const status = $("status");
const share = $<HTMLAnchorElement>("share");
const log = $("log");

for (const e of EXAMPLES) picker.add(new Option(e.name, e.name));
for (const s of STRATEGIES) strategyIn.add(new Option(s, s));

const editor = new EditorView({
  parent: $("editor"), doc: "",
  extensions: [basicSetup, javascript({ typescript: true })],
});
const source = () => editor.state.doc.toString();
const setSource = (text: string) =>
  editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: text } });

/** The example the editor shows unchanged, or null once it was edited. */
function currentExample(): Example | null {
  return EXAMPLES.find((e) => e.name === picker.value && e.source === source()) ?? null;
}

// ---- the address ----

interface Shown { seed: number; strategy: string; replay?: string }

function linkOf(s: Shown): string {
  const ex = currentExample();
  const p = new URLSearchParams();
  if (ex) p.set("example", ex.name);
  else p.set("code", source());
  p.set("seed", String(s.seed));
  p.set("strategy", s.strategy);
  if (s.replay !== undefined) p.set("replay", s.replay);
  // Characters a fragment may hold as they are, for a link people can read.
  return `#${p.toString().replace(/\+/g, "%20").replace(/%2F/g, "/").replace(/%2C/g, ",")
    .replace(/%3A/g, ":")}`;
}

/** Load what the address names; true when it asks for a run. */
function fromAddress(): boolean {
  const p = new URLSearchParams(location.hash.slice(1));
  const ex = EXAMPLES.find((e) => e.name === (p.get("example") ?? "pipe")) ?? EXAMPLES[0];
  picker.value = ex.name;
  setSource(p.get("code") ?? ex.source);
  seedIn.value = p.get("seed") ?? "1";
  strategyIn.value = STRATEGIES.includes(p.get("strategy") ?? "") ? p.get("strategy")! : "mix";
  return p.has("replay") || p.has("seed");
}

// ---- jobs ----

let worker: Worker | null = null;

function start(kind: Job["kind"], replay?: string): void {
  stop();
  const ex = currentExample();
  const job: Job = {
    kind, source: source(), file: ex ? `examples/${ex.name}.ts` : "scenario.ts",
    seed: Number(seedIn.value) || 0, strategy: strategyIn.value, replay,
    runs: Math.max(1, Number(runsIn.value) || 1000),
  };
  status.textContent = kind === "run" ? "running..." : "exploring...";
  worker = new Worker("worker.js");
  worker.onmessage = (e: MessageEvent<Reply>) => onReply(e.data, job);
  worker.onerror = (e) => finish(`error: ${e.message}`);
  worker.postMessage(job);
}

function stop(): void {
  if (!worker) return;
  worker.terminate();
  worker = null;
  status.textContent = "stopped";
}

function finish(text: string): void {
  worker?.terminate();
  worker = null;
  status.textContent = text;
}

function onReply(r: Reply, job: Job): void {
  if (r.kind === "progress") {
    status.textContent = `exploring: ${r.done} of ${r.total} runs`;
    return;
  }
  if (r.kind === "error") {
    finish("error");
    showError(r.line ? `line ${r.line}${r.column ? `:${r.column}` : ""}: ${r.message}`
      : r.message);
    return;
  }
  if (r.kind === "run") return showRun(r.run, job, r.run.verdict);
  if (!r.shrunk) {
    finish(r.summary);
    log.textContent = r.summary;
    return;
  }
  showRun(r.shrunk, job, `${r.summary}: ${r.shrunk.verdict}`);
}

function showRun(run: RunView, job: Job, what: string): void {
  finish(what);
  const shown = { seed: job.seed, strategy: job.strategy, replay: run.decisions };
  share.href = linkOf(shown);
  history.replaceState(null, "", share.href);
  log.textContent = [...run.text, "", `decisions: ${run.decisions || '""'}`,
    `in a terminal: ${run.replayCommand}`].join("\n");
  showChoices(run, job);
  const { states, stateAt } = run.states;
  const stateOf = (i: number) => (stateAt[i] ?? -1) >= 0 ? states[stateAt[i]] : undefined;
  render(h(App, { data: run.view, stateOf, initial: 0 }), $("view"));
}

/** "You are the scheduler": a row per decision, a button per candidate; pressing one runs
 * the same decisions up to it, then that candidate. */
function showChoices(run: RunView, job: Job): void {
  const list = $("choices");
  list.textContent = "";
  for (const c of run.choices) {
    const li = document.createElement("li");
    li.value = c.index + 1;
    li.append(c.kind === "proc" ? `before step ${c.step}, run: ` : `step ${c.step} wakes first: `);
    c.candidates.forEach((pid, i) => {
      const b = document.createElement("button");
      b.textContent = pid === 0 ? "clock" : `pid ${pid}`;
      b.setAttribute("aria-pressed", String(i === c.chosen));
      b.onclick = () => choose(run, c, i, job);
      li.append(b);
    });
    list.append(li);
  }
}

function choose(run: RunView, c: Choice, i: number, job: Job): void {
  if (i === c.chosen) return;
  strategyIn.value = job.strategy;
  start("run", encodeDecisions([...run.values.slice(0, c.index), i]));
}

function showError(message: string): void {
  render(null, $("view"));
  log.textContent = message;
}

// ---- controls ----

picker.onchange = () => {
  const ex = EXAMPLES.find((e) => e.name === picker.value);
  if (ex) setSource(ex.source);
};
$("run").onclick = () => start("run");
$("explore").onclick = () => start("explore");
$("stop").onclick = stop;
/** Show what the address names, and run it when it names a run. */
function load(): void {
  const replay = new URLSearchParams(location.hash.slice(1)).get("replay") ?? undefined;
  if (fromAddress()) start("run", replay);
}
addEventListener("hashchange", load);
load();
