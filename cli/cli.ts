// The ipcsim command line. Exit codes: 0 ok, 1 divergence or violation, 2 bad input or usage
// (and internal errors), 3 budget exhausted without a verdict.

import { parseArgs } from "node:util";
import { KernelPanic } from "../wasm/kernel.js";
import { ModelError } from "../sim/model/calls.js";
import { checkTrace, replayStream } from "../sim/replay.js";
import {
  checkJson, checkText, replayHeaderText, replayJsonHead, replayJsonStep, replayJsonTail,
  replayStateText, replayStepText,
} from "../sim/report.js";
import { readTraceFile, readTraceStream, TraceError } from "../sim/trace/parse.js";
import { canonicalJson } from "../sim/trace/serialise.js";
import { hostCommands } from "./host-commands.js";
import {
  exploreCommand, runCommand, ScenarioUsageError, type ScenarioFlags,
} from "./scenario-commands.js";
import { ScenarioLoadError } from "../sim/scenario/load.js";
import { DecisionError } from "../sim/scenario/decisions.js";
import { StrategyError } from "../sim/scenario/strategies/index.js";

const USAGE = `usage: ipcsim <command> [options]

commands:
  replay TRACE [--seed N] [--json]   run a trace on the model; print every step's outcome
                                     and the final state
  check TRACE [--json]               verify a trace's expect/expect_events against the
                                     outcomes the model allows; exit 1 at the first divergence
  record TRACE [-o OUT]              run a trace on real Linux; write it back with expect and
                                     expect_events filled in from what Linux did
  diff TRACE [--json]                run a trace on the model and on real Linux, step by step;
                                     exit 1 at the first disagreement
  run SCENARIO [--seed N] [--strategy S] [--replay D] [--json] [--check C] [--trace-out F]
                                     run one schedule of a scenario (.ts/.js, default export
                                     async function main(os)); print its trace, verdict and
                                     the replay command
  explore SCENARIO [--strategy S] [--runs N] [--seed N] [--json] [--no-shrink] [--check C]
          [--shard K/N]
                                     run many schedules; stop at the first failure, shrink it,
                                     print it with the replay and the \`ipcsim diff\` commands
    strategies: random (default), pct[:D] (depth D; plain pct cycles 1, 2, 3), urw,
    dfs[:P] (preemption bound P, default 2), replay (with --replay D);
    checks: zombies, ipc, pipes, all
  help                               this text

exit codes: 0 ok, 1 divergence or failure, 2 bad input or usage, 3 inconclusive (explore: a
sometimes condition never reached)`;

class UsageError extends Error {}

export interface Io {
  /** A line to stdout. */
  out: (line: string) => void;
  /** Text to stdout without a newline (pieces of one long line). */
  write: (text: string) => void;
  err: (line: string) => void;
  /** Progress text on a terminal (stderr), absent when stderr is not a TTY. */
  progress?: (text: string) => void;
}

const OPTIONS = {
  seed: { type: "string" },
  json: { type: "boolean" },
  output: { type: "string", short: "o" },
  help: { type: "boolean", short: "h" },
  strategy: { type: "string" },
  replay: { type: "string" },
  runs: { type: "string" },
  shard: { type: "string" },
  depth: { type: "string" },
  preemptions: { type: "string" },
  "max-steps": { type: "string" },
  check: { type: "string", multiple: true },
  "no-shrink": { type: "boolean" },
  "trace-out": { type: "string" },
} as const;

function parseSeed(s: string | undefined): number {
  if (s === undefined) return 0;
  if (!/^\d+$/.test(s) || Number(s) > 0xffffffff) {
    throw new UsageError(`--seed takes an integer 0..4294967295, got "${s}"`);
  }
  return Number(s);
}

export async function main(argv: string[], io: Io): Promise<number> {
  try {
    const { values, positionals } =
      parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
    const [command, ...rest] = positionals;
    if (values.help || command === undefined || command === "help") {
      io.out(USAGE);
      return command === undefined && !values.help ? 2 : 0;
    }
    const file = one(rest, command);
    switch (command) {
      case "replay": return replayCommand(file, parseSeed(values.seed), values.json ?? false, io);
      case "check": return checkCommand(file, values.json ?? false, io);
      case "record":
      case "diff": {
        const flags = { json: values.json ?? false, output: values.output };
        return await hostCommands(command, file, flags, io);
      }
      case "run": return await runCommand(file, values as ScenarioFlags, io);
      case "explore": return await exploreCommand(file, values as ScenarioFlags, io);
      default: throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    return reportError(e, io);
  }
}

function one(rest: string[], command: string): string {
  if (rest.length !== 1) {
    const what = command === "run" || command === "explore"
      ? "one SCENARIO file"
      : "one TRACE file (or - for stdin)";
    throw new UsageError(`${command} takes ${what}`);
  }
  return rest[0];
}

function replayCommand(file: string, seed: number, json: boolean, io: Io): number {
  const trace = readTraceStream(file);
  if (json) {
    // One JSON document, written as the replay goes (a long trace is never held in memory).
    let first = true;
    io.write(replayJsonHead(trace, seed));
    const state = replayStream(trace, seed, (s) => {
      io.write((first ? "" : ",") + replayJsonStep(s));
      first = false;
    });
    io.out(replayJsonTail(state));
    return 0;
  }
  io.out(replayHeaderText(trace, seed));
  let steps = 0;
  const state = replayStream(trace, seed, (s) => {
    for (const line of replayStepText(s)) io.out(line);
    steps++;
  });
  for (const line of replayStateText(state, steps)) io.out(line);
  return 0;
}

function checkCommand(file: string, json: boolean, io: Io): number {
  const trace = readTraceFile(file);
  const r = checkTrace(trace);
  if (json) io.out(canonicalJson(checkJson(trace, r)));
  else for (const line of checkText(trace, r, `ipcsim check ${file}`)) io.out(line);
  return r.divergence ? 1 : 0;
}

function reportError(e: unknown, io: Io): number {
  if (e instanceof UsageError || e instanceof ScenarioUsageError || e instanceof StrategyError ||
    e instanceof DecisionError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
    io.err(`ipcsim: ${(e as Error).message}`);
    io.err("run `ipcsim help` for usage");
    return 2;
  }
  if (e instanceof TraceError || e instanceof ModelError || e instanceof ScenarioLoadError) {
    io.err(`ipcsim: ${e.message}`);
    return 2;
  }
  if (e instanceof KernelPanic) {
    io.err(`ipcsim: internal error: ${e.message}`);
    return 2;
  }
  const code = (e as { code?: string }).code;
  if (code === "ENOENT" || code === "EISDIR" || code === "EACCES") {
    io.err(`ipcsim: ${(e as Error).message}`);
    return 2;
  }
  throw e;
}

/** stdout through a 64 KiB buffer (one write per line is slow for a million-step replay).
 * The rest is flushed when the command ends, never from an exit handler: a write made there to
 * a pipe that is momentarily full is dropped. */
function bufferedIo(): Io & { flush(): void } {
  let buf: string[] = [];
  let size = 0;
  const flush = () => {
    if (buf.length) process.stdout.write(buf.join(""));
    buf = [];
    size = 0;
  };
  const put = (t: string) => {
    buf.push(t);
    size += t.length;
    if (size > 65536) flush();
  };
  return {
    out: (l) => put(l + "\n"),
    write: put,
    err: (l) => {
      flush();
      process.stderr.write(l + "\n");
    },
    flush,
    progress: process.stderr.isTTY ? (t) => process.stderr.write(t) : undefined,
  };
}

// Run when executed as the bundled CLI (dist/cli.js), not when imported by tests.
const isMain = typeof process !== "undefined" && process.argv[1] !== undefined &&
  /(?:^|[\\/])(?:cli\.(?:js|ts)|ipcsim)$/.test(process.argv[1]);
if (isMain) {
  // A reader that stops early (`ipcsim replay T | head`) is not an error.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
  const io = bufferedIo();
  main(process.argv.slice(2), io).then(
    (code) => {
      io.flush();
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`ipcsim: internal error: ${(e as Error).stack ?? e}\n`);
      process.exitCode = 2;
    },
  );
}
