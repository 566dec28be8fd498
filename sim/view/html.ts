// The HTML view as one self-contained file: the data (view-data.ts: the timeline and the trace)
// and the app (web/app.ts, bundled with Preact, the engine and the kernel wasm, which compute
// the states in the page: scrub.ts) inline, no network request, opens from disk.

import type { ViewData } from "./view-data.js";

/** The view's style sheet (the playground's page includes it too). */
export const VIEW_STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #111; background: #fff; }
main { display: grid; grid-template-rows: auto auto auto 1fr; height: 100vh;
  grid-template-columns: minmax(0, 1fr); }
header { display: flex; flex-wrap: wrap; gap: 1em; align-items: baseline; padding: 6px 12px; }
h1 { font-size: 16px; margin: 0; } h2 { font-size: 15px; margin: 4px 0; }
h3 { font-size: 13px; margin: 8px 0 2px; }
.verdict { margin: 0; font-weight: 600; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 12px; list-style: none; margin: 0; padding: 0;
  font-size: 12px; }
.legend li { display: flex; align-items: center; gap: 4px; }
.swatch.blocked { display: inline-block; width: 18px; height: 10px; border: 1px solid #888;
  background: repeating-linear-gradient(45deg, #eee 0 3px, #888 3px 5px); }
.lanes { overflow: auto; border-top: 1px solid #ccc; border-bottom: 1px solid #ccc; }
.lanes text { font: 12px monospace; }
.span { cursor: pointer; } .edge { pointer-events: stroke; }
.inspector { overflow: auto; padding: 6px 12px; }
pre.call { background: #f4f4f4; padding: 6px; white-space: pre-wrap; }
table.procs { border-collapse: collapse; font: 12px monospace; }
table.procs td, table.procs th { border: 1px solid #ccc; padding: 1px 6px; text-align: left; }
table.sems, table.pages { border-collapse: collapse; font: 12px monospace; margin: 4px 0;
  display: block; overflow-x: auto; max-width: 100%; }
table.sems td, table.sems th, table.pages td, table.pages th { border: 1px solid #ccc;
  padding: 1px 6px; text-align: left; }
table.sems caption { text-align: left; font-weight: 600; }
ol.messages, ol.slots { margin: 2px 0; font: 12px monospace; }
meter { width: 120px; vertical-align: middle; margin-left: 6px; }
.waitgraph text.pid { font: bold 13px sans-serif; }
.waits-body { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
pre.waits-text { white-space: pre-wrap; background: #f4f4f4; padding: 6px; margin: 2px 0;
  flex: 1 1 300px; min-width: 0; }
pre.error { color: #a00; padding: 12px; white-space: pre-wrap; }
pre.explanation { margin: 0 12px 6px; padding: 6px; background: #fff4e5; white-space: pre-wrap;
  border-left: 3px solid #D55E00; }
text.in-cycle { font: bold 10px sans-serif; }
.disagreement { margin: 0 12px 6px; padding: 0 6px; border-left: 3px solid #D55E00; }
.disagreement .sides { display: flex; flex-wrap: wrap; gap: 12px; }
.disagreement .sides > div { flex: 1 1 300px; min-width: 0; }
.disagreement pre { white-space: pre-wrap; background: #f4f4f4; padding: 4px; margin: 2px 0; }
@media (max-width: 600px) { header { font-size: 12px; } }
`;

/** The page: `data` (or an error to show instead) and the bundled app. */
export function htmlOf(data: ViewData | { error: string }, appJs: string, title: string): string {
  // Inside <script>, "</script" would end it: JSON's "<" as \u003c keeps the data inert.
  const json = JSON.stringify(data).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} - ipcsim</title>
<style>${VIEW_STYLE}</style></head>
<body><div id="app"></div>
<script id="ipcsim-data" type="application/json">${json}</script>
<script>${appJs.replace(/<\/script/gi, "<\\/script")}</script>
</body></html>
`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
