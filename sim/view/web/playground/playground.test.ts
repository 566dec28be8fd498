// The playground in a real browser (Debian's chromium driven by playwright-core): the static
// site `npm run build:web` writes, served by a plain file server on loopback as any host would.
// It runs an example and shows its verdict and lanes, explores a bug in the Web Worker and
// shows the shrunk failure, reproduces a known failing decision string by clicking "you are
// the scheduler", opens a shared link to the same run, and names a compile error's line. The
// page requests nothing outside the site. Screenshots go to test-artifacts/.

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, resolve } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = resolve("test-artifacts");
const SITE = resolve("dist/web");
const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript" };
let browser: Browser;
let server: Server;
let base: string;

beforeAll(async () => {
  try {
    execFileSync(CHROMIUM, ["--version"]);
  } catch {
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run installs it)`);
  }
  execFileSync(process.execPath, [resolve("scripts/build-web.mjs")], { stdio: "inherit" });
  server = createServer((req, res) => {
    const path = (req.url ?? "/").split(/[?#]/)[0];
    const file = join(SITE, path === "/" ? "index.html" : path);
    if (!file.startsWith(SITE) || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" })
      .end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  mkdirSync(ARTIFACTS, { recursive: true });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  server?.close();
});

/** A page at `hash`, with every request it makes. */
async function open(hash: string): Promise<{ p: Page; requests: string[] }> {
  const p = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const requests: string[] = [];
  p.on("request", (r) => requests.push(r.url()));
  await p.goto(base + hash);
  return { p, requests };
}

/** The status once no job is running. */
async function settled(p: Page): Promise<string> {
  await p.waitForFunction(() =>
    !/running|exploring/.test(document.getElementById("status")!.textContent ?? ""),
  null, { timeout: 60_000 });
  return (await p.locator("#status").textContent()) ?? "";
}

describe("the playground in chromium", () => {
  it("runs an example from the address, with its lanes, and fetches nothing else", async () => {
    const { p, requests } = await open("#example=pipe&seed=1");
    expect(await settled(p)).toBe("ok");
    expect(await p.locator("g.lane").count()).toBe(2);
    expect(await p.locator("#log").textContent()).toContain('write(4, "hello through the pipe"');
    expect(p.url()).toMatch(/#example=pipe&seed=1&strategy=mix&replay=/);
    expect(requests.every((u) => u.startsWith(base)), requests.join("\n")).toBe(true);
    await p.screenshot({ path: join(ARTIFACTS, "playground-pipe.png") });
    await p.close();
  }, 90_000);

  it("explores a bug in the worker and shows the shrunk failure; its link replays it",
    async () => {
      const { p } = await open("#example=bugs/sem-order&seed=7&strategy=pct");
      await settled(p);
      await p.locator("#explore").click();
      const status = await settled(p);
      expect(status).toMatch(/^failure in run \d+ of 1000; shrunk to 1 preemptions: deadlock/);
      expect(await p.locator("pre.explanation").textContent())
        .toContain("wait-for cycle: pid 3 -> pid 4 -> pid 3");
      const link = p.url();
      expect(link).toMatch(/&replay=[0-9a-z*,]+$/);
      await p.screenshot({ path: join(ARTIFACTS, "playground-sem-order.png") });
      const again = await open(link.slice(base.length));
      expect(await settled(again.p)).toMatch(/^deadlock/);
      await again.p.close();
      await p.close();
    }, 120_000);

  it("you are the scheduler: clicking a candidate reproduces a known failing decision string",
    async () => {
      // sem-order's non-preemptive run passes; "0001" (pid 4 runs at decision 4) deadlocks.
      const { p } = await open("#example=bugs/sem-order&seed=1&replay=");
      expect(await settled(p)).toBe("ok");
      await p.locator("#scheduler summary").click();
      const row = p.locator("#choices li").nth(3);
      expect(await row.locator('button[aria-pressed="true"]').textContent()).toBe("pid 3");
      await row.locator("button", { hasText: "pid 4" }).click();
      expect(await settled(p)).toMatch(/^deadlock/);
      expect(p.url()).toMatch(/&replay=0001$/);
      expect(await p.locator("#log").textContent())
        .toContain("ipcsim run examples/bugs/sem-order.ts --replay 0001");
      await p.close();
    }, 90_000);

  it("a compile error names its line; edited code goes in the link", async () => {
    const { p } = await open("#example=pipe&seed=1");
    await settled(p);
    await p.locator(".cm-content").click();
    await p.keyboard.press("Control+End");
    await p.keyboard.type("\nconst = ;\n");
    await p.locator("#run").click();
    expect(await settled(p)).toBe("error");
    expect(await p.locator("#log").textContent()).toMatch(/^line \d+/);
    await p.close();
    const code = "export default async function main(os) { await os.pipe(); }";
    const shared = await open(`#code=${encodeURIComponent(code)}&seed=1`);
    expect(await settled(shared.p)).toBe("ok");
    expect(await shared.p.locator(".cm-content").textContent()).toContain("await os.pipe()");
    await shared.p.close();
  }, 90_000);
});
