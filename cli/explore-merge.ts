// Exploration across machines: what a shard writes (`ipcsim explore S --shard K/N --json`, or
// `--result FILE`) and `ipcsim explore --merge FILE...`, which reads the N results and reports
// what one unsharded exploration would: the lowest failing run index, its replay command, the
// runs made and the `sometimes` coverage. The machines are any batch system's (a Kubernetes
// Indexed Job, a CI matrix: docs/distributed.md); this file only reads their results.
//
// The fields of explore's JSON document a merge reads (besides the envelope, cli/output.ts):
//
//   scenario, scenarioSha256   the SCENARIO argument and the SHA-256 of the file's bytes
//   strategy, seed, runsTotal  the exploration (runsTotal is --runs, the whole one's budget)
//   maxSteps, checks           --max-steps (null: the default) and --check, as check names
//   shard                      "K/N", or null for an unsharded exploration (merged as 1/1)
//   runsFrom, runsTo           this shard's run indices [from, to) (explore.ts shardRange)
//   runs                       runs this shard made (it stops at its first failure)
//   failed, failure            the failure as found: runIndex (0-based, over the whole
//                              exploration), decisions, steps, preemptions, replay
//   shrunk, shrinkRuns, replay the shrunk failing run, and the command that replays it
//   traceFile, diff            its trace, written on the shard's machine
//   sometimes                  { condition: reached in some run of this shard }
//
// Merging checks that the files are one exploration's: same scenario bytes, strategy, seed,
// runs, shard count, --max-steps and --check; each shard 1..N exactly once. Anything else is
// bad input (exit 2) naming the file. The merge's exit code is explore's: 1 a failure, 3 a
// `sometimes` no shard reached, else 0.

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Json } from "../sim/trace/serialise.js";
import { shardRange } from "../sim/scenario/explore.js";
import { verdictLine, type Verdict } from "../sim/scenario/verdict.js";
import { plural } from "../sim/text.js";
import { document, EXIT, UsageError, type Ctx, type ExitCode } from "./output.js";

/** SHA-256 of a scenario file's bytes (hex): shards of one exploration agree on it. */
export function scenarioSha256(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** A shard result as the merge reads it (the fields above, checked). */
interface ShardResult {
  file: string;
  scenario: string;
  scenarioSha256: string;
  strategy: string;
  seed: number;
  runsTotal: number;
  maxSteps: number | null;
  checks: string[];
  index: number;
  count: number;
  runsFrom: number;
  runsTo: number;
  runs: number;
  failure?: { runIndex: number; decisions: string; steps: number; preemptions: number };
  doc: Record<string, Json>;
  sometimes: Record<string, boolean>;
}

const NOT_A_RESULT = "is not a shard result of `ipcsim explore SCENARIO --shard K/N --json` " +
  "(or --result FILE)";

/** Read and check one result file; a UsageError naming the file for anything else. */
function readResult(file: string): ShardResult {
  let doc: Record<string, Json>;
  try {
    doc = JSON.parse(readFileSync(file, "utf8")) as Record<string, Json>;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code) throw e; // ENOENT and the like: reported with the path
    throw new UsageError(`${file}: not JSON (${err.message}): it ${NOT_A_RESULT}`);
  }
  const bad = (why: string) => new UsageError(`${file} ${NOT_A_RESULT}: ${why}`);
  if (doc === null || typeof doc !== "object" || doc.tool !== "ipcsim") throw bad("no \"tool\"");
  if (doc.command !== "explore") throw bad(`it is ipcsim ${doc.command}'s output`);
  if (doc.schemaVersion !== 1) throw bad(`schemaVersion ${doc.schemaVersion}, want 1`);
  const error = doc.error as { message?: string } | undefined;
  if (error) throw new UsageError(`${file}: that shard ended with an error: ${error.message}`);
  if (Array.isArray(doc.shards)) throw bad("it is a merged result; merge the shards' files");
  const field = (name: string, type: "string" | "number" | "boolean" | "object"): Json => {
    const v = doc[name];
    if (typeof v !== type || v === null) throw bad(`no ${type} "${name}"`);
    return v;
  };
  const [index, count] = shardOf(doc.shard, bad);
  const result: ShardResult = {
    file, doc, index, count,
    scenario: field("scenario", "string") as string,
    scenarioSha256: field("scenarioSha256", "string") as string,
    strategy: field("strategy", "string") as string,
    seed: field("seed", "number") as number,
    runsTotal: field("runsTotal", "number") as number,
    maxSteps: doc.maxSteps === null ? null : field("maxSteps", "number") as number,
    checks: (Array.isArray(doc.checks) ? doc.checks : []).map(String).sort(),
    runsFrom: field("runsFrom", "number") as number,
    runsTo: field("runsTo", "number") as number,
    runs: field("runs", "number") as number,
    sometimes: field("sometimes", "object") as Record<string, boolean>,
  };
  if (field("failed", "boolean") === true) {
    const f = field("failure", "object") as Record<string, Json>;
    if (typeof f.runIndex !== "number" || typeof f.replay !== "string") {
      throw bad("its failure has no runIndex or replay");
    }
    result.failure = f as unknown as ShardResult["failure"];
  }
  const [from, to] = shardRange(result.runsTotal, { index, count });
  if (result.runsFrom !== from || result.runsTo !== to || result.runs > to - from ||
    (result.failure && (result.failure.runIndex < from || result.failure.runIndex >= to))) {
    throw bad(`its runs (${result.runsFrom}..${result.runsTo}, ${result.runs} made) are not ` +
      `shard ${index}/${count}'s of ${result.runsTotal} (${from}..${to})`);
  }
  return result;
}

/** "K/N" as [K, N]; null (an unsharded exploration) as [1, 1]. */
function shardOf(v: Json | undefined, bad: (why: string) => Error): [number, number] {
  if (v === null) return [1, 1];
  const m = typeof v === "string" ? /^(\d+)\/(\d+)$/.exec(v) : null;
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) {
    throw bad(`no "shard" K/N with 1 <= K <= N`);
  }
  return [Number(m[1]), Number(m[2])];
}

/** What every shard of one exploration shares, with the flag that sets it. */
const SAME: { key: keyof ShardResult; flag: string }[] = [
  { key: "scenarioSha256", flag: "the scenario's contents (SHA-256)" },
  { key: "strategy", flag: "--strategy" },
  { key: "seed", flag: "--seed" },
  { key: "runsTotal", flag: "--runs" },
  { key: "count", flag: "the shard count N of --shard K/N" },
  { key: "maxSteps", flag: "--max-steps" },
  { key: "checks", flag: "--check" },
];

/** The results, one per shard 1..N, in shard order; a UsageError when they are not. */
function checkSet(results: ShardResult[]): ShardResult[] {
  const [first] = results;
  for (const r of results.slice(1)) {
    for (const { key, flag } of SAME) {
      const a = JSON.stringify(first[key]);
      const b = JSON.stringify(r[key]);
      if (a !== b) {
        throw new UsageError(`${r.file} is not a shard of the exploration in ${first.file}: ` +
          `${flag} differs (${b} there, ${a} in ${first.file})`);
      }
    }
  }
  const byIndex = new Map<number, ShardResult>();
  for (const r of results) {
    const other = byIndex.get(r.index);
    if (other) {
      throw new UsageError(`shard ${r.index}/${r.count} twice: in ${other.file} and ${r.file}`);
    }
    byIndex.set(r.index, r);
  }
  const missing: string[] = [];
  for (let k = 1; k <= first.count; k++) if (!byIndex.has(k)) missing.push(`${k}/${first.count}`);
  if (missing.length) {
    throw new UsageError(`missing shard ${missing.join(", ")} (${plural(results.length, "file")}` +
      ` given for ${first.count} shards): merge every shard's result`);
  }
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
}

/** The merged exploration: what one unsharded `explore --json` would say, plus the shards. */
function merge(shards: ShardResult[]): { body: Record<string, Json>; exit: ExitCode } {
  const failing = shards.filter((s) => s.failure)
    .sort((a, b) => a.failure!.runIndex - b.failure!.runIndex);
  const lowest = failing[0];
  const sometimes: Record<string, boolean> = {};
  for (const s of shards) {
    for (const [name, hit] of Object.entries(s.sometimes)) sometimes[name] ||= hit === true;
  }
  // Each shard ran its whole slice or stopped at its failure (no shard was cut short), so
  // the lowest failure is the one an unsharded exploration stops at.
  const complete = shards.every((s) => s.failure || s.runs === s.runsTo - s.runsFrom);
  const [first] = shards;
  const body: Record<string, Json> = {
    scenario: first.scenario, scenarioSha256: first.scenarioSha256, strategy: first.strategy,
    seed: first.seed, runsTotal: first.runsTotal, maxSteps: first.maxSteps, checks: first.checks,
    runs: shards.reduce((n, s) => n + s.runs, 0),
    complete, failed: lowest !== undefined, sometimes,
    exhausted: shards.every((s) => s.doc.exhausted === true),
    shards: shards.map((s) => ({
      file: s.file, shard: `${s.index}/${s.count}`, runsFrom: s.runsFrom, runsTo: s.runsTo,
      runs: s.runs, failureRunIndex: s.failure?.runIndex ?? null,
    })),
  };
  if (lowest) {
    const d = lowest.doc;
    body.shard = `${lowest.index}/${lowest.count}`;
    for (const k of ["failure", "shrunk", "shrinkRuns", "replay", "traceFile", "diff"]) {
      if (d[k] !== undefined) body[k] = d[k];
    }
  }
  const exit = lowest ? EXIT.failure
    : Object.values(sometimes).some((hit) => !hit) ? EXIT.inconclusive
    : EXIT.ok;
  return { body, exit };
}

/** `ipcsim explore --merge FILE...`. */
export function mergeCommand(files: string[], ctx: Ctx): ExitCode {
  if (files.length === 0) throw new UsageError("--merge takes the shards' result files");
  const { body, exit } = merge(checkSet(files.map(readResult)));
  if (ctx.json) ctx.io.out(document("explore", exit, body));
  else for (const line of mergeText(body)) ctx.io.out(line);
  return exit;
}

function mergeText(m: Record<string, Json>): string[] {
  const shards = m.shards as Record<string, Json>[];
  const lines = [`ipcsim explore --merge: ${plural(shards.length, "shard")} of ${m.scenario} ` +
    `--runs ${m.runsTotal} --seed ${m.seed} --strategy ${m.strategy}`];
  if (!m.complete) {
    const short = shards.filter((s) => s.failureRunIndex === null &&
      (s.runs as number) < (s.runsTo as number) - (s.runsFrom as number));
    lines.push(`warning: ${short.map((s) => `shard ${s.shard} made ${s.runs} of ` +
      `${(s.runsTo as number) - (s.runsFrom as number)} runs`).join("; ")}: a failure in ` +
      "the runs not made would come first");
  }
  if (!m.failed) {
    lines.push(`ok: no failure in ${plural(m.runs as number, "run")}`);
  } else {
    const f = m.failure as Record<string, Json>;
    const s = m.shrunk as Record<string, Json>;
    const found = `${plural(f.steps as number, "call")}, ` +
      plural(f.preemptions as number, "preemption");
    lines.push(`failure found at run ${(f.runIndex as number) + 1} (shard ${m.shard}; ` +
      `${found}); shrunk in ${plural(m.shrinkRuns as number, "run")} to ` +
      `${plural(s.steps as number, "call")}, ` +
      `${plural(s.preemptions as number, "preemption")}:`);
    const v = s.verdict as unknown as Verdict;
    lines.push(`verdict: ${verdictLine(v) ?? v.kind}`);
    lines.push(`replay: ${m.replay}`);
    lines.push(`on Linux: ${m.diff} (the trace written by shard ${m.shard})`);
  }
  lines.push(`runs: ${m.runs} (${shards.map((s) => `shard ${s.shard}: ${s.runs}`).join(", ")})`);
  for (const [name, hit] of Object.entries(m.sometimes as Record<string, boolean>)) {
    lines.push(`sometimes "${name}": ${hit ? "covered" : "NOT covered"}`);
  }
  return lines;
}
