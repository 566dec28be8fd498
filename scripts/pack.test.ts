// The package as a new user gets it (issue 13): `npm pack` the built project (`npm run build`
// first: the tarball holds dist/), install the tarball into a fresh temporary project with
// typescript, vitest, @fast-check/vitest and fast-check (the versions in our package-lock, so
// that the npm cache serves them), and use it there: `ipcsim run` on a .ts scenario, `ipcsim
// diff` on a trace (the agent compiled on first use), `tsc --noEmit` of the public API under the
// strictest flags, and a vitest + @fast-check/vitest property over scheduleArb. The temporary
// directory is removed afterwards, failed or not.
import { spawnSync } from "node:child_process";
import {
  cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const built = existsSync(join(root, "dist/cli.js"));
const tmp = mkdtempSync(join(tmpdir(), "ipcsim-pack-"));
const project = join(tmp, "project");
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The environment of the commands: this one, less what npm and vitest set for themselves. */
const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) =>
  !/^(npm_lifecycle_|npm_package_|VITEST|IPCSIM_AGENT$|NODE_OPTIONS$)/.test(k)));

interface Ran { status: number | null; stdout: string; stderr: string }

/** Runs `cmd args` in `cwd`; throws with everything it printed unless it exits 0. */
function sh(cmd: string, args: string[], cwd = project, extraEnv: NodeJS.ProcessEnv = {}): Ran {
  const r = spawnSync(cmd, args, {
    cwd, env: { ...env, ...extraEnv }, encoding: "utf8", timeout: 110_000,
  });
  const ran = { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
  if (r.status !== 0) {
    throw new Error(`\`${cmd} ${args.join(" ")}\` in ${cwd} exited ${r.status ?? r.signal}` +
      `${r.error ? ` (${r.error.message})` : ""}\n${ran.stdout}\n${ran.stderr}`);
  }
  return ran;
}

/** `name@version` as our package-lock has it. */
function locked(name: string): string {
  const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as {
    packages: Record<string, { version: string }>;
  };
  return `${name}@${lock.packages[`node_modules/${name}`]!.version}`;
}

let packed: string[] = [];
let tarball = "";

beforeAll(() => {
  if (!built) throw new Error(`${root}/dist/cli.js is missing: run \`npm run build\` first`);
  const out = sh("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", tmp], root);
  const [info] = JSON.parse(out.stdout) as { filename: string; files: { path: string }[] }[];
  packed = info!.files.map((f) => f.path);
  tarball = join(tmp, info!.filename);
  mkdirSync(project);
  const manifest = { name: "t", private: true, type: "module" };
  writeFileSync(join(project, "package.json"), JSON.stringify(manifest));
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(project, name), text);
  cpSync(join(root, "examples/traces/pipe-eof.jsonl"), join(project, "pipe-eof.jsonl"));
  sh("npm", [
    "install", "--prefer-offline", "--no-audit", "--no-fund", tarball, locked("typescript"),
    locked("vitest"), locked("@fast-check/vitest"), locked("fast-check"),
  ]);
});

describe("the package installed from its tarball into a fresh project", () => {
  it("ships the bundles, the declarations, the agent's C sources and the docs, and no tests, " +
    "CI, kernel sources or benches (defect: 458 files)", () => {
    for (const f of [
      "dist/cli.js", "dist/index.js", "dist/types/sim/index.d.ts", "README.md",
      "host-bridge/agent/agent.c", "host-bridge/agent/agent.h", "host-bridge/agent/calls.gen.h",
      "docs/scenarios.md", "docs/api.md", "docs/trace.schema.json", "LICENSE",
      "sim/guest/sysroot/lib/ipcsim.c", "sim/guest/sysroot/include/sys/wait.h",
    ]) expect(packed).toContain(f);
    const unwanted = packed.filter((f) =>
      /\.test\.ts$|^\.ci\/|^(kernel|bench|properties|examples|sim|wasm|cli)\/|\.cache|\/build\//
        .test(f) && !f.startsWith("sim/guest/sysroot/"));
    expect(unwanted).toEqual([]);
    // 104 on 2026-12-06; 132 on 2026-12-07 (the futex, nptl, mqueue and os-* declarations);
    // 161 with readiness (poll: the agent's calls_poll.c, the os-poll and model declarations);
    // 180 with sockets too (calls_net.c, netns.c, the calls-net, model net and os-net
    // declarations); 213 with the C guests' headers and library (sysroot: 18), the view's
    // scrubbing and the console declarations
    expect(packed.length).toBeLessThan(240);
  });

  it("`ipcsim run` runs a .ts scenario that imports from \"ipcsim\" " +
    "(defect: esbuild was missing at run time)", () => {
    const r = sh("npx", ["--no", "--", "ipcsim", "run", "pipe.ts"]);
    expect(r.stdout).toContain('"hello"');
    expect(r.stdout).toMatch(/verdict: ok/);
  });

  it("`ipcsim run` compiles and runs a C program with the shipped sysroot and binaryen", () => {
    cpSync(join(root, "examples/c/pipe.c"), join(project, "pipe.c"));
    const r = sh("npx", ["--no", "--", "ipcsim", "run", "pipe.c"]);
    expect(r.stdout).toMatch(/verdict: ok/);
    expect(r.stderr).toContain("(pid 3): child 3 read 22: hello through the pipe"); // its output
  });

  it.skipIf(process.platform !== "linux")("`ipcsim diff` compiles the agent on first use into " +
    "$XDG_CACHE_HOME/ipcsim (defect: the agent was missing)", () => {
    const cache = join(tmp, "cache");
    const r = sh("npx", ["--no", "--", "ipcsim", "diff", "pipe-eof.jsonl"], project, {
      XDG_CACHE_HOME: cache,
    });
    expect(r.stdout).toMatch(/agree/);
    const [dir] = readdirSync(join(cache, "ipcsim"));
    expect(readdirSync(join(cache, "ipcsim", dir!))).toEqual(["ipcsim-agent"]);
  });

  it("the public API type-checks under strict, noUncheckedIndexedAccess and " +
    "exactOptionalPropertyTypes with skipLibCheck false (defect: types named the sources)", () => {
    sh(process.execPath, [join(project, "node_modules/typescript/bin/tsc"), "-p", "."]);
  });

  it("a vitest + @fast-check/vitest property runs over scheduleArb(fc)", () => {
    const vitest = join(project, "node_modules/vitest/vitest.mjs");
    const r = sh(process.execPath, [vitest, "run", "schedule.test.ts"]);
    expect(r.stdout + r.stderr).toMatch(/1 passed/);
  });
});

/** The temporary project's files. */
const FILES: Record<string, string> = {
  "pipe.ts": `import { ErrnoError, type Os } from "ipcsim";

export default async function main(os: Os) {
  const [r, w] = await os.pipe();
  const child = await os.fork(async (os) => {
    await os.close(w);
    const text = new TextDecoder().decode(await os.read(r, 64));
    os.assert(text === "hello", \`child read \${text}\`);
  });
  await os.write(w, "hello");
  await os.close(w);
  await os.waitpid(child, 0);
  os.assert(typeof ErrnoError === "function", "ErrnoError is a class");
}
`,
  "api.ts": `import fc from "fast-check";
import {
  run, explore, scheduleArb, runSchedule, replayTrace, checkTrace, parseTrace, Schedule,
  ErrnoError, errno, IPC_CREAT, IPC_PRIVATE, IPC_STAT, O_NONBLOCK, SIGUSR1, WNOHANG,
  type Os, type RunResult, type ExploreResult, type Scenario, type Trace, type Verdict,
} from "ipcsim";
import pipe from "./pipe.js";

const main = async (os: Os): Promise<void> => {
  const [r, w] = await os.pipe(O_NONBLOCK);
  try {
    await os.read(r, 1);
  } catch (e) {
    if (!(e instanceof ErrnoError) || e.errno !== errno.EAGAIN) throw e;
  }
  const q = await os.msgget(IPC_PRIVATE, IPC_CREAT | 0o600);
  await os.msgctl(q, IPC_STAT);
  await os.kill(await os.getpid(), SIGUSR1);
  await os.waitpid(-1, WNOHANG);
  await os.close(w);
};
const scenario: Scenario = { main, name: "api" };
const ran: Promise<RunResult> = run(pipe, { seed: 1 });
const explored: Promise<ExploreResult> = explore(scenario, { runs: 10 });
const arb: fc.Arbitrary<Schedule> = scheduleArb(fc, { maxLength: 8 });
// @ts-expect-error: the arbitrary is the project's own fast-check's, of Schedule
const wrong: fc.Arbitrary<string> = scheduleArb(fc);
void fc.assert(fc.asyncProperty(arb, async (s) => {
  const v: Verdict = (await runSchedule(scenario, s)).verdict;
  void v;
}));
const t: Trace = parseTrace("", "t.jsonl");
void [ran, explored, wrong, t, replayTrace, checkTrace];
`,
  "schedule.test.ts": `import fc from "fast-check";
import { test } from "@fast-check/vitest";
import { expect } from "vitest";
import { runSchedule, scheduleArb, type Os } from "ipcsim";

async function main(os: Os) {
  const [r, w] = await os.pipe();
  const child = await os.fork(async (os) => {
    await os.write(w, "x");
  });
  os.assert((await os.read(r, 1)).length === 1, "read the byte");
  await os.waitpid(child, 0);
}

test.prop([scheduleArb(fc)], { numRuns: 20 })("every schedule reads the byte", async (s) => {
  expect((await runSchedule(main, s)).verdict).toEqual({ kind: "ok" });
});
`,
  "tsconfig.json": JSON.stringify({
    compilerOptions: {
      target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", noEmit: true,
      strict: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true,
      skipLibCheck: false, types: [],
    },
    files: ["api.ts", "pipe.ts"],
  }, null, 2),
};
