// Nothing leaks (issue 22): `ipcsim diff`, `ipcsim record` and `npm run fuzz:diff`, interrupted
// at random moments of a host run by SIGINT to their process group (Ctrl-C), SIGTERM to the
// command and SIGKILL to its process group, in namespace mode and in the fallback
// (IPCSIM_UNSAFE_NO_NAMESPACES=1), leave no process, IPC object, namespace, mount or temporary
// directory behind. Before the fix, 20 of 20 interrupted runs left `$TMPDIR/ipcsim-XXXXXX`, and a
// group SIGKILL in the fallback left every blocked traced process and the trace's IPC objects.
//
// How: each run is its own process group with its own $TMPDIR and an environment tag, inside an
// IPC namespace that a holder process keeps alive (so the fallback's "host" objects can be
// counted exactly, whatever else runs on the machine). The moment is drawn from a seeded PRNG
// (sim/prng.ts) after the agent's work directory appears. After the command is gone the test
// waits a little, then counts: processes carrying the tag, IPC objects in the holder's namespace,
// namespaces those processes hold, mounts under $TMPDIR, and entries left in $TMPDIR.
// IPCSIM_INTERRUPT_SEED=S and IPCSIM_INTERRUPT_RUNS=N (per command) repeat or widen a run.

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import {
  existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prng } from "../sim/prng.js";
import { hostSupport } from "./host.js";
import { processesTagged } from "./testing.js";

const CLI = resolve("dist/cli.js");
const RUN_TS = resolve("scripts/run-ts.mjs");
const SEED = Number(process.env.IPCSIM_INTERRUPT_SEED ?? 22);
const RUNS = Number(process.env.IPCSIM_INTERRUPT_RUNS ?? 20);
/** How long after the work directory appears the signal may come (ms). */
const MOMENT_MS_MAX = 250;
/** How long the agent's cleanup may take once the command is gone (ms). */
const SETTLE_MS_MAX = 3000;

type Signal = "SIGINT" | "SIGTERM" | "SIGKILL";
/** SIGINT and SIGKILL go to the process group (Ctrl-C, a supervisor); SIGTERM to the command. */
const HOW: readonly { signal: Signal; group: boolean }[] = [
  { signal: "SIGINT", group: true }, { signal: "SIGTERM", group: false },
  { signal: "SIGKILL", group: true },
];

interface Leaks {
  processes: string[];
  ipc: string[];
  namespaces: string[];
  mounts: string[];
  dirs: string[];
}

const support = hostSupport();
const base = mkdtempSync(join(tmpdir(), "ipcsim-interrupt-"));
let holder: ChildProcess | undefined;
let holderNs = "";

/** A trace that runs for a while with every kind of object alive: a queue, a semaphore set, a
 * segment, a pipe, 30 children blocked in msgrcv, then 400 pipe round trips. */
function longTrace(): string {
  const s = (o: object) => JSON.stringify(o);
  const lines = [s({ trace: "ipcsim", version: 1, name: "interrupted" })];
  lines.push(s({ pid: 2, call: "msgget", key: 0x1c5e, flags: ["IPC_CREAT"] }));
  lines.push(s({ pid: 2, call: "semget", key: "IPC_PRIVATE", nsems: 1, flags: ["IPC_CREAT"] }));
  lines.push(s({ pid: 2, call: "shmget", key: "IPC_PRIVATE", size: 4096, flags: ["IPC_CREAT"] }));
  lines.push(s({ pid: 2, call: "pipe" }));
  for (let i = 0; i < 30; i++) lines.push(s({ pid: 2, call: "fork" }));
  for (let i = 0; i < 30; i++) lines.push(s({ pid: 3 + i, call: "msgrcv", msqid: 0, size: 8 }));
  for (let i = 0; i < 400; i++) {
    lines.push(s({ pid: 2, call: "write", fd: 4, data: "ab" }));
    lines.push(s({ pid: 2, call: "read", fd: 3, count: 2 }));
  }
  return lines.join("\n") + "\n";
}

const TRACE = join(base, "long.jsonl");

/** The command lines under test (the fuzzer's seed is fixed: its traces are the same each run). */
function argv(command: string, run: number): string[] {
  if (command === "diff") return [CLI, "diff", TRACE];
  if (command === "record") return [CLI, "record", TRACE, "-o", join(base, `out-${run}.jsonl`)];
  return [RUN_TS, "properties/fuzz-diff.ts", "--runs", "1000", "--seed", String(run)];
}

/** Pids of live processes of the run tagged `tag`. */
function tagged(tag: string): number[] {
  return processesTagged("IPCSIM_INTERRUPT_TAG", tag);
}

function describeProcess(pid: number): string {
  try {
    const comm = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
    const state = /State:\s+(\S)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return `${pid} ${comm} (${state})`;
  } catch {
    return `${pid} (gone)`;
  }
}

function nsOf(pid: number | "self", kind: string): string {
  try {
    return readlinkSync(`/proc/${pid}/ns/${kind}`);
  } catch {
    return "";
  }
}

/** The SysV objects of the holder's IPC namespace, one line each. */
function holderObjects(): string[] {
  const files = ["msg", "sem", "shm"].map((k) => `/proc/sysvipc/${k}`);
  const r = spawnSync("nsenter", ["-t", String(holder!.pid), "--ipc", "--", "sh", "-c",
    files.map((f) => `tail -n +2 ${f} | sed 's|^|${f.slice(13)} |'`).join("; ")],
  { encoding: "utf8" });
  return r.stdout.split("\n").map((l) => l.trim().replace(/\s+/g, " ")).filter(Boolean);
}

function removeHolderObjects(): void {
  spawnSync("nsenter", ["-t", String(holder!.pid), "--ipc", "--", "ipcrm", "--all"]);
}

/** Everything the run left: the processes are then killed and the rest removed. */
function leaksOf(tag: string, tmp: string): Leaks {
  const pids = tagged(tag);
  const hostNs = ["ipc", "pid", "mnt"].map((k) => nsOf("self", k));
  const namespaces = new Set<string>();
  for (const pid of pids) {
    for (const k of ["ipc", "pid", "mnt"]) {
      const ns = nsOf(pid, k);
      if (ns && !hostNs.includes(ns) && ns !== holderNs) namespaces.add(ns);
    }
  }
  const processes = pids.map(describeProcess);
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone meanwhile
    }
  }
  const ipc = holderObjects();
  if (ipc.length) removeHolderObjects();
  const mounts = readFileSync("/proc/self/mountinfo", "utf8").split("\n")
    .filter((l) => l.includes(tmp));
  const dirs = readdirSync(tmp).filter((n) => n !== "ipcsim-timeline.lock");
  return { processes, ipc, namespaces: [...namespaces], mounts, dirs };
}

/** Waits until `tmp` holds the agent's work directory or the command exited; true if started. */
async function started(tmp: string, exited: () => boolean): Promise<boolean> {
  for (let waited = 0; waited < 60_000; waited += 5) {
    if (readdirSync(tmp).some((n) => n.startsWith("ipcsim-") && n !== "ipcsim-timeline.lock")) {
      return true;
    }
    if (exited()) return false;
    await sleep(5);
  }
  return false;
}

interface Run { what: string; leaks: Leaks; interrupted: boolean }

/** One interrupted run of `command`. */
async function interruptOnce(command: string, run: number, rng: Prng): Promise<Run> {
  const how = HOW[run % HOW.length];
  const fallback = Math.floor(run / HOW.length) % 2 === 1;
  const tag = `${process.pid}-${command}-${run}`;
  const tmp = join(base, `${command}-${run}`);
  mkdirSync(tmp);
  // A trace fuzz:diff fails on is saved on purpose (properties/support.ts failureDir), not
  // leaked: it goes beside tmp (the fallback cannot run every draw, e.g. kill(-2) finds no
  // group there, and a failure may come before the interruption).
  const env: NodeJS.ProcessEnv = {
    ...process.env, TMPDIR: tmp, IPCSIM_INTERRUPT_TAG: tag,
    IPCSIM_FAILURES: join(base, `failures-${command}-${run}`),
  };
  if (fallback) env.IPCSIM_UNSAFE_NO_NAMESPACES = "1";
  else delete env.IPCSIM_UNSAFE_NO_NAMESPACES;
  const child = spawn("nsenter", ["-t", String(holder!.pid), "--ipc", "--", process.execPath,
    ...argv(command, run)], { env, detached: true, stdio: "ignore" });
  let exited = false;
  const gone = new Promise<void>((r) => child.once("exit", () => {
    exited = true;
    r();
  }));
  const moment = rng.below(MOMENT_MS_MAX);
  const interrupted = await started(tmp, () => exited);
  if (interrupted) {
    await sleep(moment);
    try {
      process.kill(how.group ? -child.pid! : child.pid!, how.signal);
    } catch {
      // already gone
    }
  }
  await Promise.race([gone, sleep(20_000)]);
  for (let waited = 0; waited < SETTLE_MS_MAX && tagged(tag).length; waited += 20) await sleep(20);
  const what = `${command} ${how.signal}${how.group ? " to the group" : ""} at +${moment} ms ` +
    `(${fallback ? "fallback" : "namespaces"}, run ${run})`;
  return { what, leaks: leaksOf(tag, tmp), interrupted };
}

/** The runs of `command`; expects no leak, naming the seed that repeats them. */
async function interruptRuns(command: string): Promise<void> {
  const rng = new Prng(SEED ^ command.length);
  const t0 = performance.now();
  const failures: string[] = [];
  let interrupted = 0;
  for (let run = 0; run < RUNS; run++) {
    const r = await interruptOnce(command, run, rng);
    if (r.interrupted) interrupted++;
    const found = Object.entries(r.leaks).filter(([, v]) => v.length)
      .map(([k, v]: [string, string[]]) => `${v.length} ${k} (${v.slice(0, 3).join("; ")})`);
    if (found.length) failures.push(`${r.what}: ${found.join(", ")}`);
  }
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(`interrupt ${command}: ${RUNS} runs (${interrupted} interrupted), ` +
    `${failures.length} leaked, ${seconds} s, seed ${SEED}`);
  expect(failures, `seed ${SEED} (repeat: IPCSIM_INTERRUPT_SEED=${SEED} npx vitest run ` +
    "host-bridge/interrupt.test.ts)").toEqual([]);
}

/** The holder's IPC namespace needs unshare(1) and nsenter(1) with CAP_SYS_ADMIN. */
const tools = support.ok &&
  spawnSync("unshare", ["--ipc", "--", "nsenter", "--version"]).status === 0;
if (support.ok && !tools) {
  console.warn("interrupt tests skipped: unshare --ipc or nsenter unavailable");
}

describe.skipIf(!tools)("nothing leaks when a host run is interrupted (issue 22)", () => {
  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} missing: run \`npm run build\` first`);
    writeFileSync(TRACE, longTrace());
    holder = spawn("unshare", ["--ipc", "--", "sleep", "100000"], { stdio: "ignore" });
    for (let i = 0; i < 500 && nsOf(holder.pid!, "ipc") === nsOf("self", "ipc"); i++) {
      await sleep(10);
    }
    holderNs = nsOf(holder.pid!, "ipc");
  });
  afterAll(() => {
    holder?.kill("SIGKILL");
    rmSync(base, { recursive: true, force: true });
  });

  it("ipcsim diff (issue 22: 20 of 20 runs left $TMPDIR/ipcsim-XXXXXX)", async () => {
    await interruptRuns("diff");
  });

  it("ipcsim record (issue 22: a group SIGKILL in the fallback left blocked processes)",
    async () => {
      await interruptRuns("record");
    });

  it("npm run fuzz:diff", async () => {
    await interruptRuns("fuzz:diff");
  });
});
