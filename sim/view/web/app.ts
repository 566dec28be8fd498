// The HTML view's entry (bundled for the browser by esbuild into the page: sim/view/html.ts):
// reads the run's data from the page and renders it, or the error that stopped the run.
// `#step=N` in the address selects step N.
//
// The kernel's states are not in the page: a state cursor (sim/view/scrub.ts) follows the
// page's trace on the kernel wasm (bundled in; its steps decoded as it reaches them) to show
// the selected step's, at once. After the first paint it walks the rest of the trace in slices
// between events, keeping snapshots, so that any later jump replays at most a few hundred
// steps; `data-snapshots="built"` on the body says it is done (the benchmark and the tests
// wait for it).

import { h, render } from "preact";
import { pageTrace, type ViewData } from "../view-data.js";
import { StateCursor } from "../scrub.js";
import { App } from "./components.js";

/** Steps followed per slice of the snapshots' walk (about 5 ms of the page's time). */
const SLICE_STEPS = 100;

const root = document.getElementById("app")!;
const text = document.getElementById("ipcsim-data")?.textContent ?? "null";
const data = JSON.parse(text);
const step = Number(new URLSearchParams(location.hash.slice(1)).get("step") ?? 0);
if (data && data.error) {
  root.textContent = "";
  const pre = document.createElement("pre");
  pre.className = "error";
  pre.textContent = data.error;
  root.append(pre);
} else {
  const view = data as ViewData;
  const cursor = new StateCursor(pageTrace(view), view.followed);
  // A diff's page opens at the disagreement.
  const at = location.hash ? step : view.disagreement?.step ?? 0;
  const stateOf = (i: number) => {
    try {
      return cursor.stateAt(i);
    } catch (e) {
      // A bug in the page's replay or an inspector (Node's replay, without the inspectors,
      // followed this far): the step shows no state, the console says why, the page lives on.
      console.error(`ipcsim: the state after step ${i}:`, e);
      return undefined;
    }
  };
  render(h(App, { data: view, stateOf, initial: Number.isFinite(at) ? at : 0 }), root);
  // A message to itself between slices, not a timeout: nested timeouts wait 4 ms each.
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    if (cursor.build(SLICE_STEPS)) document.body.dataset.snapshots = "built";
    else channel.port2.postMessage(null);
  };
  setTimeout(() => channel.port2.postMessage(null), 0);
}
