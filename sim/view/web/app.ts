// The HTML view's entry (bundled for the browser by esbuild into the page: sim/view/html.ts):
// reads the run's data from the page and renders it, or the error that stopped the run.
// `#step=N` in the address selects step N.

import { h, render } from "preact";
import { App } from "./components.js";

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
  // A diff's page opens at the disagreement.
  const at = location.hash ? step : data.disagreement?.step ?? 0;
  render(h(App, { data, initial: Number.isFinite(at) ? at : 0 }), root);
}
