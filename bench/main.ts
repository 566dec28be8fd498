// The benchmark runner: `npm run bench [-- NAME... --json --out FILE --rounds N --scale X]`.
//
// A benchmark is a function returning rows (harness.ts); REGISTRY names them. To add one
// (host bridge, SysV, simulator), write bench/<name>.ts exporting a `Bench` and add a line
// below. Progress goes to stderr; the table (or with --json, the JSON) goes to stdout.

import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { Bench, BenchOptions, Row } from "./harness.js";
import { pipeBench } from "./pipe.js";
import { forkBench } from "./fork.js";
import { replayBench } from "./replay.js";
import { branchingBench } from "./replay-branching.js";
import { hostBench } from "./host.js";
import { sysvBench } from "./sysv.js";
import { posixBench } from "./posix.js";
import { filesBench } from "./files.js";
import { socketBench } from "./socket.js";
import { guestBench } from "./guest.js";
import { shmBench } from "./shm.js";
import { mmapBench } from "./mmap.js";
import { scenariosBench } from "./scenarios.js";
import { exploreWorkersBench } from "./explore-workers.js";
import { verifyBench } from "./verify.js";
import { viewBench } from "./view.js";

/** Every benchmark, by the name the command line uses, with one line saying what it measures. */
const REGISTRY: Record<string, { about: string; run: Bench }> = {
  pipe: { about: "pipe write+read pairs/s through the kernel ABI vs plain TS", run: pipeBench },
  fork: {
    about: "fork+exit+waitpid/s through the kernel ABI vs a native loop on Linux",
    run: forkBench,
  },
  branching: {
    about: "replay peak memory and time against branching depth and kernel size (issue 22)",
    run: branchingBench,
  },
  replay: {
    about: "trace parse + model replay steps/s on a generated 1M-step trace",
    run: replayBench,
  },
  host: { about: "a 10,000-step random trace on real Linux (bridge) vs the model", run: hostBench },
  sysv: {
    about: "msgsnd+msgrcv and semop P+V pairs/s: the model vs native loops on Linux",
    run: sysvBench,
  },
  posix: {
    about: "mq_send+mq_receive pairs, futex wait/wake handoffs and uncontended " +
      "sem_post+sem_wait pairs/s vs Linux",
    run: posixBench,
  },
  files: {
    about: "4 KiB pwrite64+pread64 pairs/s and uncontended flock pairs/s on a tmpfs file vs Linux",
    run: filesBench,
  },
  socket: {
    about: "AF_UNIX stream socketpair send+recv pairs/s (16 B, 4 KiB) vs Linux",
    run: socketBench,
  },
  guest: {
    about: "C guests: getppid round trip, fork of a 1 MiB guest, explore of the C " +
      "2-process 20-call program vs the TypeScript scenario",
    run: guestBench,
  },
  shm: {
    about: "4 KiB store+load MB/s vs host memcpy; 10,000 processes on one segment; " +
      "a 1 GiB segment",
    run: shmBench,
  },
  mmap: {
    about: "1-page mmap+munmap pairs/s at 250, 2,000 and 10,000 live mappings vs Linux",
    run: mmapBench,
  },
  scenarios: {
    about: "bug suite x strategies: executions/s, executions to first failure, shrunk length; " +
      "vs fc.scheduler and C on Linux",
    run: scenariosBench,
  },
  "explore-workers": {
    about: "explore executions/s with 1, 2 and N worker threads, vs 1 worker",
    run: exploreWorkersBench,
  },
  verify: {
    about: "runs naive dfs and dpor need to cover every interleaving (ipcsim verify)",
    run: verifyBench,
  },
  view: {
    about: "the HTML view of a 10,000-step run in headless chromium: open, End, step, jump",
    run: viewBench,
  },
};

const USAGE = `usage: npm run -s bench -- [NAME...] [--json] [--out FILE] [--rounds N] [--scale X]

  NAME        benchmarks to run (default: all): ${Object.keys(REGISTRY).join(", ")}
  --json      print the results as JSON instead of a table (npm -s keeps npm's banner out)
  --out FILE  also write the results as JSON to FILE (the table still prints)
  --rounds N  timed rounds per measurement, best is reported (default 7)
  --scale X   multiply each benchmark's amount of work by X (default 1; 0.1 for a quick look)`;

export async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: "boolean" },
      out: { type: "string" },
      rounds: { type: "string" },
      scale: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const unknown = positionals.filter((n) => !(n in REGISTRY));
  if (unknown.length > 0) {
    console.error(`bench: unknown benchmark ${unknown.join(", ")} ` +
      `(known: ${Object.keys(REGISTRY).join(", ")})`);
    return 2;
  }
  const opts: BenchOptions = {
    rounds: positiveInt(values.rounds ?? "7", "--rounds"),
    scale: positiveNumber(values.scale ?? "1", "--scale"),
    log: (line) => process.stderr.write(line + "\n"),
  };
  const names = positionals.length > 0 ? positionals : Object.keys(REGISTRY);
  const rows: Row[] = [];
  for (const name of names) rows.push(...(await REGISTRY[name].run(opts)));
  const json = JSON.stringify(report(rows, opts), null, 2);
  if (values.out) writeFileSync(values.out, json + "\n");
  console.log(values.json ? json : table(rows));
  return 0;
}

function positiveInt(s: string, flag: string): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`bench: ${flag} takes a positive integer, got "${s}"`);
  }
  return n;
}

function positiveNumber(s: string, flag: string): number {
  const n = Number(s);
  if (!(n > 0)) throw new Error(`bench: ${flag} takes a positive number, got "${s}"`);
  return n;
}

function report(rows: Row[], opts: BenchOptions) {
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform}-${process.arch}`,
    rounds: opts.rounds,
    scale: opts.scale,
    rows,
  };
}

// ---- the table ----

/** 12345678 -> "12.3 M", 4321 -> "4.32 k". */
function si(x: number): string {
  const units: [number, string][] = [[1e9, "G"], [1e6, "M"], [1e3, "k"]];
  for (const [v, u] of units) if (x >= v) return `${(x / v).toPrecision(3)} ${u}`;
  return x.toPrecision(3);
}

function cells(r: Row): string[] {
  const spread = r.rounds > 1
    ? `${si(r.rateWorst)}–${si(r.rate)} (${(r.spread * 100).toFixed(0)}%)`
    : "once";
  const ratio = r.ratio === undefined ? "" : `${r.ratio.toFixed(2)}×`;
  const goal = r.goal === undefined ? "" : `${r.goalMet ? "met" : "MISSED"} (${si(r.goal)})`;
  const best = `${si(r.rate)} ${r.unit}`;
  return [r.bench, r.case, r.what, best, `${r.ms.toFixed(1)}`, spread, ratio, goal];
}

function table(rows: Row[]): string {
  const head = ["bench", "case", "what", "best", "best ms", "worst–best (spread)", "ratio", "goal"];
  const body = rows.map(cells);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i])).join("  ").trimEnd();
  const out = [line(head), widths.map((w) => "-".repeat(w)).join("  ")];
  let last = "";
  for (let i = 0; i < rows.length; i++) {
    const group = `${rows[i].bench}/${rows[i].case}`;
    if (last && group !== last && rows[i].bench !== rows[i - 1].bench) out.push("");
    last = group;
    out.push(line(body[i]));
  }
  const notes = rows.filter((r) => r.note)
    .map((r) => `  ${r.bench} / ${r.case} / ${r.what}: ${r.note}`);
  if (notes.length) out.push("", "notes:", ...notes);
  out.push("", "ratio = this row's best rate / its baseline's best rate (same run); >1 is faster.");
  return out.join("\n");
}
