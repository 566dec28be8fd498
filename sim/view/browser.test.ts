// The HTML view in a real browser: Debian's chromium driven by playwright-core (no browser
// download). It opens a run's page from disk, fetches nothing, draws the lanes and arrows the
// timeline has, moves the selection by click and by keyboard, shows the inspectors and the
// wait-for graph as the page's states say (Node's followTrace of the page's own trace: the page
// computes them, sim/view/scrub.ts), jumps back and forth across a long run, and shows a run's
// error page.
// Screenshots go to test-artifacts/ (docs/views.md shows them).

import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { viewApp } from "./app-bundle.js";
import { replayTrace, withOutcome } from "../replay.js";
import { parseTrace } from "../trace/parse.js";
import type { Trace } from "../trace/types.js";
import { followTrace, type ViewState } from "./flows.js";
import { htmlOf } from "./html.js";
import { pageTrace, type ViewData, viewDataOf } from "./view-data.js";
import { readFileSync } from "node:fs";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = resolve("test-artifacts");
const TMP = mkdtempSync(join(tmpdir(), "ipcsim-view-"));
let browser: Browser;

beforeAll(async () => {
  try {
    execFileSync(CHROMIUM, ["--version"]);
  } catch {
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run installs it)`);
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  mkdirSync(ARTIFACTS, { recursive: true });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  rmSync(TMP, { recursive: true, force: true });
});

function page(name: string, trace: string | Trace, verdict = "ok"): {
  url: string; data: ViewData; states: ViewState[];
} {
  const t = typeof trace === "string" ? parseTrace(readFileSync(trace, "utf8"), trace) : trace;
  const data = viewDataOf(t, verdict);
  const file = join(TMP, `${name}.html`);
  writeFileSync(file, htmlOf(data, viewApp(), data.name));
  return { url: pathToFileURL(file).href, data, states: statesOf(data) };
}

/** The states after each step, as Node's followTrace gives them for the page's trace. */
function statesOf(data: ViewData): ViewState[] {
  const t = pageTrace(data);
  return followTrace({ ...t, steps: [...t.steps] }, undefined, true).states;
}

const edges = (d: ViewData, kind: string) => d.timeline.edges.filter((e) => e.kind === kind);

/** Wait until the app has drawn and run its effects (Preact runs them after the next frame, in
 * a timeout: the key listener is one), so that a key pressed now is handled. */
async function settled(p: Page): Promise<void> {
  await p.locator("section.inspector h2").waitFor();
  await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
}

describe("the HTML view in chromium", () => {
  it("opens from disk without a request, with the timeline's lanes, boxes and arrows", async () => {
    const { url, data } = page("waitpid", "kernel/test/cases/proc-waitpid-blocks.jsonl");
    const p = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const requests: string[] = [];
    p.on("request", (r) => requests.push(r.url()));
    await p.goto(url);
    expect(requests).toEqual([url]);
    expect(await p.locator("g.lane").count()).toBe(data.timeline.pids.length);
    expect(await p.locator("path.edge.wake").count()).toBe(edges(data, "wake").length);
    expect(await p.locator("path.edge.fork").count()).toBe(3);
    expect(await p.locator("g.span").count()).toBe(data.timeline.spans.length);
    expect(await p.locator("section.inspector h2").textContent()).toBe("step 0");
    await p.locator('g.span[data-step="2"]').click();
    expect(await p.locator("section.inspector h2").textContent()).toBe("step 2");
    await p.keyboard.press("ArrowRight");
    expect(await p.locator("section.inspector h2").textContent()).toBe("step 3");
    expect(await p.locator("pre.call").textContent()).toContain("waitpid resumed");
    await p.keyboard.press("End");
    const last = await p.locator("section.inspector h2").textContent();
    expect(last).toMatch(/^step \d+$/);
    await p.screenshot({ path: join(ARTIFACTS, "view-waitpid.png"), fullPage: true });
    await p.close();
  }, 60_000);

  it("shows the data a pipe carried as an arrow, and the pipe in the inspector", async () => {
    const { url, data: d } = page("pipe", "kernel/test/cases/pipe-blocked-reader-woken.jsonl");
    const p = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await p.goto(url);
    const data = p.locator("path.edge.data");
    expect(await data.count()).toBe(edges(d, "data").length);
    expect(edges(d, "data").length).toBeGreaterThan(0);
    expect(await data.first().locator("title").textContent()).toMatch(/bytes through pipe #1/);
    await p.screenshot({ path: join(ARTIFACTS, "view-pipe-phone.png"), fullPage: true });
    // A phone's viewport: the box is under the lanes' horizontal scroll (no actionability
    // wait: the click lands on it all the same).
    await p.locator('g.span[data-step="1"] rect').click({ force: true });
    expect(await p.locator("ul.pipes li").first().textContent()).toMatch(/^pipe #1: /);
    await p.screenshot({ path: join(ARTIFACTS, "view-pipe-phone.png"), fullPage: true });
    await p.close();
  }, 60_000);

  it("shows a deadlock's explanation and marks the lanes of its wait-for cycle", async () => {
    const file = join(TMP, "deadlock.html");
    // The built CLI, as a user runs it: a run that deadlocks, written with --html.
    const run = spawnSync(process.execPath, ["dist/cli.js", "run",
      "sim/scenario/testdata/sem-cycle.ts", "--replay", "01", "--html", file, "--failures", TMP]);
    expect(run.status).toBe(1);
    const p = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await p.goto(pathToFileURL(file).href);
    expect(await p.locator(".verdict").textContent()).toMatch(/^deadlock: /);
    expect(await p.locator("pre.explanation").textContent())
      .toContain("wait-for cycle: pid 2 -> pid 3 -> pid 2");
    expect(await p.locator("text.in-cycle").count()).toBe(2);
    await p.keyboard.press("End");
    expect(await p.locator("table.procs").textContent()).toContain("semop (step 6)");
    await p.screenshot({ path: join(ARTIFACTS, "view-deadlock.png") });
    await p.close();
  }, 60_000);

  it("draws a bug-suite deadlock's wait-for graph and queues as the page's data says", async () => {
    const file = join(TMP, "msg-deadlock.html");
    const run = spawnSync(process.execPath, ["dist/cli.js", "run",
      "examples/bugs/msg-full-queues.ts", "--replay", "000001", "--html", file,
      "--failures", TMP]);
    expect(run.status).toBe(1);
    const p = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await p.goto(pathToFileURL(file).href);
    const data: ViewData = JSON.parse(await p.locator("#ipcsim-data").textContent() ?? "");
    await settled(p);
    await p.keyboard.press("End");
    await p.locator(`section.inspector h2:text-is("step ${data.steps.length - 1}")`).waitFor();
    const state = statesOf(data)[data.steps.length - 1];
    const g = state.detail.waits!;
    expect(g.cycle).toEqual([2, 3, 2]);
    expect(data.explanation).toContain("wait-for cycle: pid 2 -> pid 3 -> pid 2");
    expect(await p.locator("svg.waitgraph path.wait.cycle").count()).toBe(2);
    expect(await p.locator("svg.waitgraph g.node.in-cycle").count()).toBe(2);
    expect(await p.locator("pre.waits-text").textContent()).toBe([...g.lines,
      "wait-for cycle: pid 2 -> pid 3 -> pid 2"].join("\n"));
    // Each queue full with two 8 KiB messages, its sender asleep.
    for (const q of state.detail.msgQueues) {
      const li = p.locator(`ul.queues > li[data-id="${q.id}"]`);
      expect(await li.locator("ol.messages li").allTextContents()).toEqual(q.messages
        .map((m) => `mtype ${m.type}, ${m.size} bytes: ${m.text}`));
      expect(await li.locator("meter").getAttribute("value")).toBe(String(q.cbytes));
      expect(q.cbytes).toBe(q.qbytes);
      expect(await li.locator("p.senders").textContent()).toBe("waiting to send: " +
        q.senders.map((s) => `pid ${s.pid} (mtype ${s.type}, ${s.size} bytes)`).join(", "));
    }
    await p.close();
  }, 60_000);

  it("inspects semaphores, undo, page tables and the graph at each step", async () => {
    const { url, data, states } = page("inspectors", "sim/view/testdata/inspectors.jsonl", "");
    const p = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await p.goto(url);
    await settled(p);
    const at = (i: number) => states[i];
    /** Press a key and wait until the inspector shows step n. */
    const press = async (key: string, n: number) => {
      await p.keyboard.press(key);
      await p.locator(`section.inspector h2:text-is("step ${n}")`).waitFor();
    };
    await press("End", 14);
    const last = at(data.steps.length - 1);
    expect(await p.locator("svg.waitgraph path.wait.cycle").count()).toBe(2);
    const sem = last.detail.semSets[0];
    const row = p.locator('table.sems tr[data-num="0"] td');
    expect(await row.allTextContents()).toEqual(["0", String(sem.values[0]),
      `pid ${sem.waiters[0].pid} {0, -1, 0}`, "", "1"]);
    const pages = last.detail.processes.flatMap((d) => d.pages.map((g) => [d.pid, g]));
    expect(await p.locator("table.pages tr[data-frame]").count()).toBe(pages.length);
    const frames = await p.locator("table.pages tr.shared").evaluateAll((rows) =>
      rows.map((r) => [(r as HTMLElement).dataset.frame, (r as HTMLElement).style.background]));
    for (const [frame, tint] of frames) {
      expect(frames.filter(([f]) => f === frame).every(([, t]) => t === tint)).toBe(true);
    }
    await p.screenshot({ path: join(ARTIFACTS, "view-inspectors-720.png") });
    // Tall enough for every inspector of the step (docs/views.md shows it).
    await p.setViewportSize({ width: 1280, height: 1000 });
    await p.screenshot({ path: join(ARTIFACTS, "view-inspectors.png") });
    // Back one step: only pid 3 asleep, waiting for pid 2, no cycle.
    await press("ArrowLeft", 13);
    expect(at(13).detail.waits!.edges).toEqual([[3, 2]]);
    expect(await p.locator("svg.waitgraph path.wait").count()).toBe(1);
    expect(await p.locator("svg.waitgraph path.wait.cycle").count()).toBe(0);
    expect(await p.locator("pre.waits-text").textContent()).toMatch(/\nno cycle$/);
    await press("ArrowLeft", 12);
    expect(await p.locator("section.waits").count()).toBe(0);
    await p.setViewportSize({ width: 390, height: 844 });
    await press("End", 14);
    await p.screenshot({ path: join(ARTIFACTS, "view-inspectors-phone.png"), fullPage: true });
    await p.close();
  }, 60_000);

  it("lists a POSIX queue's messages in the order a receive takes them", async () => {
    const { url, states } = page("mq", "kernel/test/cases/mq-basics.jsonl");
    const p = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await p.goto(`${url}#step=15`);
    await p.locator('section.inspector h2:text-is("step 15")').waitFor();
    const [q] = states[15].detail.posixQueues;
    expect(q.messages.map((m) => m.prio)).toEqual([7, 1, 1]);
    expect(await p.locator("ul.mqueues > li").first().textContent())
      .toContain(`/${q.name}: ${q.curmsgs} of mq_maxmsg ${q.maxmsg} messages`);
    expect(await p.locator("ul.mqueues ol.messages li").allTextContents()).toEqual(q.messages
      .map((m) => `priority ${m.prio}, ${m.size} bytes: ${m.text}`));
    await p.close();
  }, 60_000);

  it("opens a diff's page at the disagreement, Linux's outcome beside the model's", async () => {
    const trace = join(TMP, "known.jsonl");
    writeFileSync(trace, '{"trace":"ipcsim","version":1}\n{"pid":2,"call":"pipe"}\n' +
      '{"pid":2,"call":"open","path":".","flags":["O_TMPFILE","O_RDWR"]}\n');
    const file = join(TMP, "diff.html");
    const run = spawnSync(process.execPath, ["dist/cli.js", "diff", trace, "--html", file]);
    expect(run.status).toBe(0);
    const p = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await p.goto(pathToFileURL(file).href);
    expect(await p.locator("section.inspector h2").textContent()).toBe("step 1");
    expect(await p.locator(".disagreement pre.linux").textContent()).toMatch(/"ret":\d/);
    expect(await p.locator(".disagreement pre.model").first().textContent())
      .toContain("EOPNOTSUPP");
    await p.screenshot({ path: join(ARTIFACTS, "view-diff.png") });
    await p.close();
  }, 60_000);

  it("shows each step's state jumping back and forth across a 3,002-step run", async () => {
    // A pipe that fills by a byte a pair of steps: every step's state differs.
    const lines = ['{"trace":"ipcsim","version":1,"name":"filling pipe"}',
      '{"pid":2,"call":"pipe"}', '{"pid":2,"call":"fork"}'];
    for (let i = 0; i < 1500; i++) {
      lines.push('{"pid":2,"call":"write","fd":4,"data":"ab"}',
        '{"pid":3,"call":"read","fd":3,"count":1}');
    }
    const trace = parseTrace(lines.join("\n") + "\n", "filling.jsonl");
    const run = { ...trace, steps: replayTrace(trace, 0).steps.map(withOutcome) };
    const { url, data, states } = page("filling", run);
    const p = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await p.goto(url);
    await settled(p);
    const pipe = (i: number) => `${states[i].pipes[0].bytes} bytes in ` +
      `${states[i].pipes[0].slots}/${states[i].pipes[0].capacitySlots} slots`;
    /** Select step n (a click on its box, or a key) and check the inspector against Node. */
    const check = async (n: number, key?: string) => {
      if (key) await p.keyboard.press(key);
      else {
        await p.evaluate((n) => document.querySelector(`g.span[data-step="${n}"] rect`)!
          .dispatchEvent(new MouseEvent("click", { bubbles: true })), n);
      }
      await p.locator(`section.inspector h2:text-is("step ${n}")`).waitFor();
      expect(await p.locator("ul.pipes li").first().textContent(), `step ${n}`)
        .toContain(pipe(n));
      for (const q of states[n].processes) {
        const row = [q.pid, q.parent, q.state,
          q.blockedIn ? `${q.blockedIn.call} (step ${q.blockedIn.step})` : ""].join("");
        expect(await p.locator(`table.procs tr[data-pid="${q.pid}"]`).textContent(), `step ${n}`)
          .toBe(row);
      }
    };
    const last = data.steps.length - 1;
    // Before the snapshots are built: far ahead, then back.
    await check(last, "End");
    await check(1500);
    await check(1499, "ArrowLeft");
    await p.locator("body[data-snapshots=built]").waitFor();
    for (const n of [2999, 7, 2400, 2401, 2399, 301, 300, 299, 1777, 0, 3001, 1200]) await check(n);
    await check(1199, "ArrowLeft");
    await check(0, "Home");
    await p.close();
  }, 120_000);

  it("shows an error page, not a blank one", async () => {
    const file = join(TMP, "error.html");
    writeFileSync(file, htmlOf({ error: "t.jsonl:3: step 1: bad fd" }, viewApp(), "t"));
    const p = await browser.newPage();
    await p.goto(pathToFileURL(file).href);
    expect(await p.locator("pre.error").textContent()).toBe("t.jsonl:3: step 1: bad fd");
    await p.close();
  }, 60_000);
});
