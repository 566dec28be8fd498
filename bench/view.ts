// The HTML view at 10,000 steps in headless chromium (issue 20's goals: the page opens and is
// interactive in under 2 s; scrubbing to any step in under 100 ms). The run: a parent writes
// 1 byte 5,000 times through a pipe to a child that reads it 5,000 times (every read and its
// data edge drawn), replayed on the model for its outcomes, then written as one page.
//
// Timed in the browser: open (navigation until the inspector shows step 0), ready (until the
// page has walked the run for its snapshots: sim/view/scrub.ts, web/app.ts), End at once (the
// last step selected as soon as step 0 shows, before the snapshots: a replay of the whole run),
// then, the snapshots built, End, a step back (ArrowLeft, the mean of 20), each through
// playwright (its round trips included), and a jump (a click on a box half a run away, timed
// in the page until the next frame is painted, the mean of 10). Each is a rate of actions per
// second against its goal. The page's size is printed first.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { replayTrace, withOutcome } from "../sim/replay.js";
import { viewApp } from "../sim/view/app-bundle.js";
import { parseTrace } from "../sim/trace/parse.js";
import { htmlOf } from "../sim/view/html.js";
import { viewDataOf } from "../sim/view/view-data.js";
import { rowFromTimes, withGoal, type BenchOptions, type Row } from "./harness.js";

const PAIRS = 5000;

function longTrace(pairs: number): string {
  const lines = [
    JSON.stringify({ trace: "ipcsim", version: 1, name: `pipe ${pairs} pairs` }),
    JSON.stringify({ pid: 2, call: "pipe" }), JSON.stringify({ pid: 2, call: "fork" }),
  ];
  for (let i = 0; i < pairs; i++) {
    lines.push(JSON.stringify({ pid: 2, call: "write", fd: 4, data: "x" }));
    lines.push(JSON.stringify({ pid: 3, call: "read", fd: 3, count: 1 }));
  }
  return lines.join("\n") + "\n";
}

/** In the page: click box `to` and time until the frame after the next one is painted (the
 * click's render and its paint), in ms. */
function jumpTo(to: number): Promise<number> {
  const t = performance.now();
  const box = document.querySelector(`g.span[data-step="${to}"] rect`)!;
  box.dispatchEvent(new MouseEvent("click", { bubbles: true }));
  return new Promise((done) => requestAnimationFrame(() =>
    requestAnimationFrame(() => done(performance.now() - t))));
}

type Times = Record<"open" | "ready" | "endAtOnce" | "end" | "back" | "jump", number[]>;

const shows = (p: Page, n: number) =>
  p.locator("section.inspector h2", { hasText: `step ${n}` }).waitFor();

/** In the page: resolves when the page says its snapshots are built (an observer, not
 * playwright's polling: a selector query every frame over 10,000 boxes took a tenth of the
 * page's time while it builds them). */
function built(): Promise<void> {
  return new Promise((done) => {
    const check = () => document.body.dataset.snapshots === "built" && done();
    new MutationObserver(check).observe(document.body, { attributes: true });
    check();
  });
}

/** One round of the page's timings, in seconds, pushed onto `times`. */
async function timeRound(browser: Browser, url: string, last: number, times: Times) {
  let p = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  let t = performance.now();
  await p.goto(url);
  await shows(p, 0);
  times.open.push((performance.now() - t) / 1e3);
  await p.evaluate(built);
  times.ready.push((performance.now() - t) / 1e3);
  t = performance.now();
  await p.keyboard.press("End");
  await shows(p, last);
  times.end.push((performance.now() - t) / 1e3);
  t = performance.now();
  for (let i = 1; i <= 20; i++) await p.keyboard.press("ArrowLeft");
  await shows(p, last - 20);
  times.back.push((performance.now() - t) / 1e3 / 20);
  let jumps = 0;
  for (let i = 0; i < 10; i++) {
    const to = i % 2 === 0 ? Math.floor(last / 2) : last - 1;
    jumps += await p.evaluate(jumpTo, to);
    await shows(p, to);
  }
  times.jump.push(jumps / 1e3 / 10);
  await p.close();
  // A fresh page: End as soon as step 0 shows, a replay of the whole run.
  p = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await p.goto(url);
  await shows(p, 0);
  t = performance.now();
  await p.keyboard.press("End");
  await shows(p, last);
  times.endAtOnce.push((performance.now() - t) / 1e3);
  await p.close();
}

export async function viewBench(opts: BenchOptions): Promise<Row[]> {
  const pairs = Math.max(100, Math.round(PAIRS * opts.scale));
  const trace = parseTrace(longTrace(pairs), "view-bench");
  const replayed = replayTrace(trace, 0);
  const withOutcomes = { ...trace, steps: replayed.steps.map(withOutcome) };
  const dir = mkdtempSync(join(tmpdir(), "ipcsim-view-bench-"));
  const file = join(dir, "view.html");
  const t0 = performance.now();
  const data = viewDataOf(withOutcomes, "ok");
  const page = htmlOf(data, viewApp(), data.name);
  writeFileSync(file, page);
  const ms = (performance.now() - t0).toFixed(0);
  const kb = (Buffer.byteLength(page) / 1024).toFixed(0);
  opts.log(`view: ${trace.steps.length} steps written in ${ms} ms, a page of ${kb} KiB`);
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox"] });
  const times: Times = { open: [], ready: [], endAtOnce: [], end: [], back: [], jump: [] };
  try {
    for (let round = 0; round < opts.rounds; round++) {
      await timeRound(browser, pathToFileURL(file).href, trace.steps.length - 1, times);
    }
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const row = (c: string, what: string, s: number[], goal: number) => withGoal(rowFromTimes(
    { bench: "view", case: `${trace.steps.length} steps: ${c}`, what, unit: "actions/s" },
    1, s), goal);
  return [
    row("open", "navigation until step 0 shows", times.open, 0.5),
    row("ready", "navigation until the snapshots are built", times.ready, 0.5),
    row("End at once", "the last step as step 0 shows (no snapshots yet)", times.endAtOnce, 1),
    row("End", "select the last step", times.end, 10),
    row("step back", "ArrowLeft, mean of 20", times.back, 10),
    row("jump", "click a box half a run away, mean of 10", times.jump, 10),
  ];
}
