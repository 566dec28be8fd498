// The simulator's benchmark (issue 7): for each bug of the suite (examples/bugs/) and each
// strategy, executions per second, executions to the first failure over at least 20 seeds
// (median and p90, capped) and the shrunk failing run's length; the same bug under fast-check's
// fc.scheduler (bench/fc-baseline/) and as a C program stress-looped on real Linux
// (bench/native/); and the 2-process 20-call throughput scenario against fc.scheduler.
// `npm run bench -- scenarios`. Besides the rows, a time-to-bug table in Markdown goes to the
// log (stderr), as bench/README.md shows it.

import type { BenchOptions, Row } from "./harness.js";
import { compare } from "./harness.js";
import { fcRow, fcTimeToBug } from "./scenarios/fc.js";
import { nativeRow } from "./scenarios/native-rows.js";
import { loadBug, simRow } from "./scenarios/sim-rows.js";
import { count } from "./scenarios/stats.js";
import { throughputRows } from "./scenarios/throughput-rows.js";

const BUGS = [
  "leaked-write-end", "sem-order", "shm-lost-update", "eintr-as-success", "sigchld-coalesce",
  "msg-full-queues", "uneven", "late-race",
];
/** mix is the default (random and pct in turn, run by run); pct cycles through depths 1, 2, 3;
 * pct:1 and pct:3 fix the depth. */
const STRATEGIES = ["mix", "random", "pct", "pct:1", "pct:3", "urw", "dfs"];
const SEEDS = 20;
/** Issue goals: PCT's median within 1,000 executions; the uneven bug within 10. */
const PCT_GOAL = 1000;
const UNEVEN_GOAL = 10;

type TtbRow = Row & {
  timeToBug?: { median: number; p90: number; found: number; seeds: number; cap: number };
};

export async function scenariosBench(opts: BenchOptions): Promise<Row[]> {
  const cap = Math.max(100, Math.round(10_000 * opts.scale));
  const nativeCap = Math.max(1, 10 * opts.scale);
  const rows: Row[] = [];
  opts.log(`scenarios: throughput (${opts.rounds} rounds)`);
  rows.push(...(await throughputRows(opts)));
  const native = process.platform === "linux";
  for (const bug of BUGS) {
    opts.log(`scenarios: ${bug}: fast-check, ${STRATEGIES.join(", ")}${native ? ", native" : ""}`);
    const fc = fcRow(bug, await fcTimeToBug(bug, SEEDS, cap));
    const m = await loadBug(bug);
    for (const strategy of STRATEGIES) {
      const r = await simRow(bug, m, strategy, SEEDS, cap);
      rows.push(r.unsupported ? r : goals(bug, strategy, compare(r, fc) as TtbRow));
    }
    rows.push(fc);
    if (native) rows.push(nativeRow(bug, nativeCap));
  }
  opts.log(markdown(rows as TtbRow[]));
  return rows;
}

function goals(bug: string, strategy: string, r: TtbRow): Row {
  const t = r.timeToBug!;
  if (strategy === "pct") {
    r.note += `; goal median <= ${PCT_GOAL}: ${t.median <= PCT_GOAL ? "met" : "MISSED"}`;
  }
  if (bug === "uneven" && strategy !== "random") {
    const met = t.median <= UNEVEN_GOAL ? "met" : "missed";
    r.note += `; uneven goal median <= ${UNEVEN_GOAL}: ${met}`;
  }
  return r;
}

/** A row as the table reads it: the model's shrink result, or the native loops' outcome. */
type MarkdownRow = TtbRow & {
  shrunk?: { steps: number; fromSteps: number };
  native?: { found: boolean; seconds: number; iterations: number };
  capSeconds?: number;
  loops?: (number | undefined)[];
};

/** The time-to-bug table: one line per bug and contender. */
function markdown(rows: TtbRow[]): string {
  const out = [
    "| bug | contender | executions/s | first failure: median | p90 | found (seeds) " +
      "| shrunk calls (from) |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const r of rows) {
    if (r.case.startsWith("throughput")) continue;
    const t = r.timeToBug;
    const x = r as MarkdownRow;
    const who = r.what.replace(/^model: explore --strategy /, "").replace(/^baseline: /, "");
    if (x.native) {
      const n = x.native;
      const found = n.found
        ? `${n.seconds.toFixed(2)} s (${n.iterations} iterations)`
        : `not found within ${x.capSeconds} s (${n.iterations} iterations)`;
      const loops = `${x.loops!.filter((l) => l !== undefined).length}/${x.loops!.length} loops`;
      out.push(`| ${r.case} | ${who} | ${Math.round(r.rate)} it/s | ${found} | | ${loops} | |`);
    } else if (t) {
      const sh = x.shrunk ? `${x.shrunk.steps} (${x.shrunk.fromSteps})` : "";
      const rate = r.rate > 0 ? String(Math.round(r.rate)) : "not run";
      out.push(`| ${r.case} | ${who} | ${rate} | ${count(t.median, t.cap)} | ` +
        `${count(t.p90, t.cap)} | ${t.found}/${t.seeds} | ${sh} |`);
    }
  }
  return out.join("\n");
}
