// The agent from an installed package (issue 13: `ipcsim diff` failed with "agent
// .../dist/build/ipcsim-agent is missing (build it: node scripts/build.mjs)": the C sources were
// not shipped, and the hint named a path that does not exist). These compile the real sources.
import { execFileSync, spawn } from "node:child_process";
import {
  appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import {
  AGENT_CFLAGS, agentCcArgs, cacheDir, cachedAgent, findAgent, sourceHash,
} from "./agent-build.js";
import { hostSupport } from "./host.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const SOURCES = join(root, "host-bridge/agent");
const tmp = mkdtempSync(join(tmpdir(), "ipcsim-agent-build-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const linux = process.platform === "linux";

describe("the agent compiled on first use", () => {
  it.skipIf(!linux)("is compiled from the shipped sources into the cache once, then reused " +
    "(defect: an installed package had no agent)", () => {
    const cache = join(tmp, "once");
    const places = { built: [join(tmp, "no/ipcsim-agent")], sources: [SOURCES], cacheDir: cache };
    const first = findAgent(places);
    expect(first).toEqual({
      ok: true, path: join(cache, `agent-${sourceHash(SOURCES, "cc")}`, "ipcsim-agent"),
    });
    const path = (first as { path: string }).path;
    expect(execFileSync(path, ["--print-calls"], { encoding: "utf8" })).toMatch(/"name":"pipe"/);
    expect(readdirSync(dirname(path))).toEqual(["ipcsim-agent"]); // no temporary file left
    const built = statSync(path).mtimeMs;
    expect(cachedAgent(SOURCES, cache, "cc")).toEqual(first);
    expect(statSync(path).mtimeMs).toBe(built);
  });

  it.skipIf(!linux)("two first uses at once both get a whole agent", async () => {
    const cache = join(tmp, "race");
    const loader = join(root, "scripts/load-ts.mjs");
    const script = [
      `const { importTs } = await import(${JSON.stringify(loader)});`,
      `const m = await importTs(${JSON.stringify(join(root, "host-bridge/agent-build.ts"))});`,
      `const r = m.cachedAgent(${JSON.stringify(SOURCES)}, ${JSON.stringify(cache)}, "cc");`,
      "console.log(JSON.stringify(r));",
    ].join("\n");
    const once = () => new Promise<string>((done, fail) => {
      const child = spawn(process.execPath, ["--input-type=module", "-e", script]);
      let out = "";
      child.stdout.on("data", (b: Buffer) => (out += b.toString()));
      child.on("error", fail);
      child.on("close", () => done(out));
    });
    const results = (await Promise.all([once(), once()])).map((o) => JSON.parse(o) as unknown);
    const path = join(cache, `agent-${sourceHash(SOURCES, "cc")}`, "ipcsim-agent");
    expect(results).toEqual([{ ok: true, path }, { ok: true, path }]);
    expect(readdirSync(dirname(path))).toEqual(["ipcsim-agent"]);
    expect(execFileSync(path, ["--print-calls"], { encoding: "utf8" })).toMatch(/"name":"pipe"/);
  });

  it("a missing compiler is named, with the Debian package that brings it", () => {
    const r = cachedAgent(SOURCES, join(tmp, "nocc"), "/nonexistent/cc");
    expect(r.ok).toBe(false);
    const reason = (r as { reason: string }).reason;
    expect(reason).toContain("`/nonexistent/cc` was not found");
    expect(reason).toContain("apt-get install gcc");
    expect(reason).not.toMatch(/is missing \(build it/);
  });

  it("a cache that cannot be written says so and what to set", () => {
    const file = join(tmp, "a-file");
    appendFileSync(file, "");
    const r = cachedAgent(SOURCES, join(file, "ipcsim"), "cc");
    expect((r as { reason: string }).reason).toMatch(/cannot be written.*XDG_CACHE_HOME/);
  });

  it("the cache directory is keyed by the sources: an edited source is another agent", () => {
    const copy = join(tmp, "src");
    cpSync(SOURCES, copy, { recursive: true });
    const before = sourceHash(copy, "cc");
    expect(before).toBe(sourceHash(SOURCES, "cc"));
    appendFileSync(join(copy, "wire.c"), "\n");
    expect(sourceHash(copy, "cc")).not.toBe(before);
    expect(sourceHash(SOURCES, "gcc")).not.toBe(before);
  });

  it("$IPCSIM_AGENT is used as it is, and named when it does not exist", () => {
    const places = { built: [], sources: [SOURCES], cacheDir: join(tmp, "never") };
    const bin = "/bin/true";
    expect(findAgent({ ...places, override: bin })).toEqual({ ok: true, path: bin });
    expect(findAgent({ ...places, override: "/nonexistent/agent" })).toEqual({
      ok: false, reason: "$IPCSIM_AGENT names /nonexistent/agent, which does not exist",
    });
    expect(existsSync(join(tmp, "never"))).toBe(false);
  });

  it("neither a built agent nor its sources: says where it looked and what to do", () => {
    const r = findAgent({ built: ["/x/build/ipcsim-agent"], sources: ["/x/agent"], cacheDir: tmp });
    expect((r as { reason: string }).reason).toMatch(
      /looked for \/x\/build\/ipcsim-agent, \/x\/agent\): run `npm run build`/);
  });

  it("the cache is $XDG_CACHE_HOME/ipcsim, else ~/.cache/ipcsim; cc gets the build's flags", () => {
    expect(cacheDir({ XDG_CACHE_HOME: "/c" })).toBe("/c/ipcsim");
    expect(cacheDir({ XDG_CACHE_HOME: "relative" })).toMatch(/\/\.cache\/ipcsim$/);
    expect(cacheDir({})).toMatch(/\/\.cache\/ipcsim$/);
    expect(agentCcArgs("/s", "/o")).toEqual([...AGENT_CFLAGS, "-o", "/o", "/s/agent.c"]);
  });

  it.skipIf(!linux || !!process.env.IPCSIM_AGENT || !existsSync(join(root,
    "host-bridge/build/ipcsim-agent")))("in the repository, the build's agent is used", () => {
    const agent = join(root, "host-bridge/build/ipcsim-agent");
    expect(hostSupport()).toEqual({ ok: true, agent });
  });
});
