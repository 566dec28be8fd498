// The ipcsim command line (commander: one command per verb, each with its own options).
// Exit codes: 0 ok, 1 divergence or failure, 2 bad input or usage (and internal errors),
// 3 inconclusive. With --json, stdout is one JSON document whatever happens (cli/output.ts).

import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { KernelPanic } from "../wasm/kernel.js";
import { ModelError } from "../sim/model/calls.js";
import { checkTrace, replayStream, withOutcome } from "../sim/replay.js";
import {
  checkJson, checkText, replayHeaderText, replayJsonHead, replayJsonStep, replayJsonTail,
  replayStateText, replayStepText,
} from "../sim/report.js";
import { FilterError, stepFilter } from "../sim/trace/filter.js";
import {
  readTraceChecked, readTraceFile, TraceError, type TraceStream,
} from "../sim/trace/parse.js";
import type { Step } from "../sim/trace/types.js";
import { HostFault, InvalidStepError } from "../host-bridge/host.js";
import { diffCommand, HostUnsupported, recordCommand } from "./host-commands.js";
import {
  exploreCommand, runCommand, verifyCommand, type ScenarioFlags, type VerifyFlags,
} from "./scenario-commands.js";
import { mergeCommand } from "./explore-merge.js";
import { viewCommand, type ViewCommandFlags } from "./view-command.js";
import {
  type ViewFlags, viewOptions, wantsViews, writeErrorPage, writeViews,
} from "./views.js";
import {
  document, envelope, errorDocument, errorJson, EXIT, EXIT_MEANING, packageVersion, UsageError,
  type Ctx, type ErrorInfo, type ExitCode, type Io,
} from "./output.js";
import { ScenarioLoadError } from "../sim/scenario/load.js";
import { ccCommand } from "./cc-command.js";
import { DecisionError } from "../sim/scenario/decisions.js";
import { StrategyError } from "../sim/scenario/strategies/index.js";

export type { Io } from "./output.js";

const EXIT_HELP = `Exit codes:
  0  ok
  1  failure: a divergence (check), a disagreement (diff), a failing run (run, explore)
  2  bad input or usage (a bad trace, scenario or option; an internal error)
  3  inconclusive (explore: a \`sometimes\` condition never reached, or --time ran out)
  130  interrupted (explore: Ctrl-C; the summary says how far it got)

--json: stdout is one JSON document, errors included, with "tool", "version", "command",
"ok" (exit 0), "exit" and "exitMeaning" (${Object.values(EXIT_MEANING).join(", ")}).`;

const TRACE_ARG = "a trace file (trace-v1 JSON Lines), or - for stdin";

/** A whole-number option value in [min, max]. */
function whole(flag: string, min: number, max = 0xffffffff) {
  return (s: string): number => {
    if (!/^\d+$/.test(s) || Number(s) < min || Number(s) > max) {
      throw new InvalidArgumentError(`${flag} takes a whole number ${min}..${max}`);
    }
    return Number(s);
  };
}

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

const opt = {
  seed: () => new Option("--seed <N>", "the PRNG seed (default 0)")
    .argParser(whole("--seed", 0)),
  json: () => new Option("--json", "print one JSON document instead of text"),
  strategy: () => new Option("--strategy <S>",
    "mix (default), random, pct[:D], urw, dfs[:P], dpor[:P] (see the notes below)"),
  depth: () => new Option("--depth <D>", "pct's bug depth (default: 1, 2, 3 in turn)")
    .argParser(whole("--depth", 1)),
  preemptions: () => new Option("--preemptions <P>",
    "the preemption bound of dfs (default 2) and dpor (default none)")
    .argParser(whole("--preemptions", 0)),
  maxSteps: () => new Option("--max-steps <N>",
    "calls after which a run fails as a livelock (default 10000)")
    .argParser(whole("--max-steps", 1)),
  check: () => new Option("--check <C>",
    "end checks, comma-separated or repeated: zombies, ipc, pipes, all").argParser(collect),
  traceOut: () => new Option("--trace-out <FILE>", "where to write the (failing) run's trace"),
  failures: () => new Option("--failures <DIR>",
    "where failing runs' traces are saved (default .ipcsim/failures)"),
  trace: () => new Option("-e <trace=EXPR>",
    "show only these calls, as strace -e trace=pipe,read (repeatable)").argParser(collect),
  pid: () => new Option("-p <PID>", "show only this process's steps (repeatable)")
    .argParser(collect),
  runTimeout: () => new Option("--run-timeout <MS>",
    "end a run whose code spins this long (ms) with the verdict timeout (default 5000)")
    .argParser(whole("--run-timeout", 1)),
};

/** `--time 60s`: a duration (ms, s, m, h; a bare number is seconds) > 0, in ms. */
function duration(s: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(s);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m?.[2] ?? "s"]!;
  if (!m || !(Number(m[1]) > 0)) {
    throw new InvalidArgumentError("--time takes a duration > 0: 60s, 500ms, 2m, 1h");
  }
  return Math.ceil(Number(m[1]) * unit);
}

const STRATEGY_HELP = `
Strategies: mix (default: random and pct in turn, run by run); random; pct[:D], probabilistic
concurrency testing with bug depth D (plain pct cycles 1, 2, 3; or --depth D); urw; dfs[:P],
every schedule with at most P preemptions (default 2; or --preemptions P); dpor[:P], one
schedule per interleaving class (partial-order reduction; ipcsim verify runs it to the end).
Checks: zombies, ipc (no SysV object left), pipes (every pipe drained), all.`;

/** The commands, each with its own options (`ipcsim help CMD` lists them). */
function program(ctx: Ctx, done: (exit: ExitCode) => void): Command {
  const p = new Command("ipcsim")
    .description("A simulated Linux IPC kernel: replay traces, run and explore scenarios, " +
      "and compare with real Linux")
    .version(packageVersion(), "-V, --version", "print the version")
    .helpOption("-h, --help", "print help (ipcsim help CMD: one command's)")
    .helpCommand("help [command]", "print help for a command")
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({
      writeOut: (s) => ctx.io.write(s),
      writeErr: (s) => ctx.io.err(s.replace(/\n$/, "")),
      outputError: () => { /* reported by reportError, as text or JSON */ },
    })
    .addHelpText("after", `\n${EXIT_HELP}`)
    .hook("preAction", (_p, action) => {
      ctx.file = action.args[0];
      ctx.html = action.opts().html;
    });
  p.command("replay").argument("<TRACE>", TRACE_ARG)
    .description("run a trace on the model; print every step's outcome and the final state " +
      "(where the model allows several outcomes, the seeded PRNG picks one)")
    .addOption(opt.seed()).addOption(opt.json()).addOption(opt.trace()).addOption(opt.pid())
    .addOption(viewOptions()[0]).addOption(viewOptions()[1]).addOption(viewOptions()[2])
    .addOption(viewOptions()[3])
    .action(async (file: string, o: ReplayFlags) => done(replayCommand(file, o, ctx)));
  p.command("check").argument("<TRACE>", TRACE_ARG)
    .description("verify a trace's expect/expect_events against the outcomes the model " +
      "allows; exit 1 at the first divergence")
    .addOption(opt.json())
    .action(async (file: string) => done(checkCommand(file, ctx)));
  p.command("record").argument("<TRACE>", TRACE_ARG)
    .description("run a trace on real Linux; write it back with expect and expect_events " +
      "filled in from what Linux did")
    .addOption(new Option("-o, --output <OUT>", "the file to write (default: stdout)"))
    .action(async (file: string, o: { output?: string }) =>
      done(await recordCommand(file, o, ctx)));
  p.command("diff").argument("<TRACE>", TRACE_ARG)
    .description("run a trace on the model and on real Linux, step by step; exit 1 at the " +
      "first disagreement (0 at a known difference)")
    .addOption(opt.json())
    .addOption(new Option("--html <FILE>", "write Linux's run up to the disagreement as one " +
      "HTML page, with both outcomes side by side"))
    .action(async (file: string, o: { html?: string }) =>
      done(await diffCommand(file, ctx, o)));
  scenarioCommands(p, ctx, done);
  ccCommand(p, ctx, done);
  p.command("view").argument("<TRACE|SCENARIO>", "a .jsonl trace (replayed on the model " +
    "unless every step has its outcome), or a scenario module (run once)")
    .description("serve the HTML view of a trace or a run on 127.0.0.1 until Ctrl-C " +
      "(docs/views.md)")
    .addOption(new Option("--port <N>", "the port (default: any free one)")
      .argParser(whole("--port", 0)))
    .addOption(opt.seed()).addOption(opt.strategy())
    .addOption(new Option("--replay <D>", "replay a decision string (a scenario's run)"))
    .addOption(opt.maxSteps()).addOption(opt.runTimeout())
    .action(async (file: string, o: ViewCommandFlags) => done(await viewCommand(file, o, ctx)));
  return p;
}

function scenarioCommands(p: Command, ctx: Ctx, done: (exit: ExitCode) => void): void {
  const scenarioArg = "a scenario module (.ts or .js): export default async function main(os)";
  p.command("run").argument("<SCENARIO>", scenarioArg)
    .description("run one schedule of a scenario; print its trace, its verdict and the " +
      "command that replays it")
    .addOption(opt.seed()).addOption(opt.strategy())
    .addOption(new Option("--replay <D>",
      "replay a decision string, long or compressed (0*600,1): a run's replay command"))
    .addOption(opt.depth()).addOption(opt.preemptions()).addOption(opt.maxSteps())
    .addOption(opt.check()).addOption(opt.traceOut()).addOption(opt.failures())
    .addOption(opt.json()).addOption(opt.trace()).addOption(opt.pid())
    .addOption(opt.runTimeout())
    .addOption(new Option("--output-by-pid", "show what each process wrote to its fds 0-2 " +
      "grouped by process, after the run, instead of interleaved with the calls"))
    .addOption(viewOptions()[0]).addOption(viewOptions()[1]).addOption(viewOptions()[2])
    .addOption(viewOptions()[3])
    .addHelpText("after", STRATEGY_HELP)
    .action(async (file: string, o: ScenarioFlags) => done(await runCommand(file, o, ctx)));
  p.command("explore").argument("[SCENARIO]", scenarioArg)
    .description("run many schedules; stop at the first failure, shrink it, print it with " +
      "the replay and the `ipcsim diff` commands (--merge: the shards' results as one)")
    .addOption(new Option("--runs <N>", "how many schedules (default 1000)")
      .argParser(whole("--runs", 1)))
    .addOption(opt.seed()).addOption(opt.strategy())
    .addOption(opt.depth()).addOption(opt.preemptions()).addOption(opt.maxSteps())
    .addOption(opt.check())
    .addOption(new Option("--no-shrink", "print the failure as found, unshrunk"))
    .addOption(new Option("--shard <K/N>", "run the K-th of N slices of the runs"))
    .addOption(new Option("--result <FILE>", "write the JSON result there too (a shard's)"))
    .addOption(new Option("--merge <RESULT...>",
      "report the shards' results as one exploration (no SCENARIO)"))
    .addOption(new Option("--workers <N>", "worker threads (default: every core)")
      .argParser(whole("--workers", 1)))
    .addOption(opt.runTimeout())
    .addOption(new Option("--time <DURATION>",
      "stop after this long (60s, 2m) with a summary; exit 3 if nothing failed")
      .argParser(duration))
    .addOption(opt.traceOut()).addOption(opt.failures()).addOption(opt.json())
    .addOption(viewOptions()[0]).addOption(viewOptions()[1]).addOption(viewOptions()[2])
    .addOption(viewOptions()[3])
    .addHelpText("after", STRATEGY_HELP)
    .action(async (file: string | undefined, o: ExploreFlags) =>
      done(await exploreOrMerge(file, o, ctx)));
  p.command("verify").argument("<SCENARIO>", `${scenarioArg}, or a .jsonl trace run as a ` +
    "program (each process's steps; states seen before are pruned)")
    .description("run one schedule of every interleaving class (partial-order reduction, " +
      "docs/verify.md): exit 0 when all pass, 1 at a failure (shrunk), 3 when a bound or " +
      "--max-runs cut the search")
    .addOption(new Option("--preemptions <P>", "explore only schedules with at most P " +
      "preemptions (default: no bound)").argParser(whole("--preemptions", 0)))
    .addOption(new Option("--max-runs <N>", "stop after N runs (default 1000000)")
      .argParser(whole("--max-runs", 1)))
    .addOption(opt.maxSteps()).addOption(opt.check()).addOption(opt.runTimeout())
    .addOption(opt.traceOut()).addOption(opt.failures()).addOption(opt.json())
    .action(async (file: string, o: VerifyFlags) => done(await verifyCommand(file, o, ctx)));
}

type ExploreFlags = ScenarioFlags & { merge?: string[] };

/** `explore SCENARIO`, or `explore --merge RESULT...` (with --json at most). */
function exploreOrMerge(
  file: string | undefined, o: ExploreFlags, ctx: Ctx,
): Promise<ExitCode> | ExitCode {
  if (o.merge === undefined) {
    if (file === undefined) throw new UsageError("missing argument SCENARIO");
    return exploreCommand(file, o, ctx);
  }
  if (file !== undefined) {
    throw new UsageError(`--merge takes the shards' result files, not a SCENARIO ("${file}"): ` +
      "put --merge last (ipcsim explore --merge results/*.json)");
  }
  const others = Object.entries(o)
    .filter(([k, v]) => !["merge", "json"].includes(k) && !(k === "shrink" && v === true));
  if (others.length) {
    const [key, value] = others[0];
    const flag = key === "shrink" && value === false ? "no-shrink"
      : key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    throw new UsageError(`--merge reads what the shards did: --${flag} does not apply`);
  }
  return mergeCommand(o.merge, ctx);
}

const COMMANDS = ["replay", "check", "record", "diff", "run", "explore", "verify", "view"];

/** Run the command line `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  // `ipcsim help rnu`: as `ipcsim rnu` (unknown command, did you mean run?).
  if (argv[0] === "help" && argv.length === 2 && !COMMANDS.includes(argv[1])) argv = [argv[1]];
  const end = argv.indexOf("--");
  const json = (end < 0 ? argv : argv.slice(0, end)).includes("--json");
  const ctx: Ctx = { io, json };
  const command = argv.find((a) => !a.startsWith("-"));
  const known = command !== undefined && COMMANDS.includes(command) ? command : null;
  let exit: ExitCode = EXIT.ok;
  const p = program(ctx, (e) => { exit = e; });
  try {
    if (argv.length === 0) {
      p.outputHelp({ error: true });
      return EXIT.badInput;
    }
    await p.parseAsync(argv, { from: "user" });
    return exit;
  } catch (e) {
    if (e instanceof CommanderError) return commanderExit(e, p, known, ctx);
    return reportError(e, known, ctx);
  }
}

/** Help and version are exit 0; every other parse error is a usage error. */
function commanderExit(e: CommanderError, p: Command, command: string | null, ctx: Ctx): number {
  if (e.code === "commander.helpDisplayed" || e.code === "commander.version" ||
    e.code === "commander.help") {
    return e.exitCode === 0 ? EXIT.ok : EXIT.badInput;
  }
  let message = e.message.replace(/^error: /, "")
    .replace(/\n\(Did you mean (.*)\)$/, " (did you mean $1)");
  const flag = /^unknown option '([^'=]+)/.exec(message)?.[1];
  if (flag !== undefined && command !== null) {
    const others = p.commands
      .filter((c) => c.options.some((o) => o.long === flag || o.short === flag))
      .map((c) => c.name());
    if (others.length) message += ` (${flag} is an option of ${others.join(", ")}, not ${command})`;
  }
  return reportError(new UsageError(message), command, ctx);
}

interface ReplayFlags extends ViewFlags {
  seed?: number;
  json?: boolean;
  e?: string[];
  p?: string[];
}

function replayCommand(file: string, o: ReplayFlags, ctx: Ctx): ExitCode {
  if (o.json && (o.e !== undefined || o.p !== undefined)) {
    throw new UsageError("-e and -p filter the text view; --json output is never filtered " +
      "(drop -e/-p, or --json)");
  }
  const filter = stepFilter(o.e, o.p);
  // Every line is checked before the first step runs (issue 22); the steps stream after.
  const trace = readTraceChecked(file);
  const seed = o.seed ?? 0;
  const { io } = ctx;
  if (o.json) return replayJsonStreamed(trace, seed, io, o);
  io.out(replayHeaderText(trace, seed));
  let steps = 0;
  // The views need every step's outcome; only then are they kept.
  const kept: Step[] | undefined = wantsViews(o) ? [] : undefined;
  const state = replayStream(trace, seed, (s) => {
    for (const line of replayStepText(s, filter)) io.out(line);
    kept?.push(withOutcome(s));
    steps++;
  });
  for (const line of replayStateText(state, steps)) io.out(line);
  if (kept) for (const line of writeViews({ ...trace, steps: kept }, o)) io.out(line);
  return EXIT.ok;
}

/** One JSON document, written as the replay goes (a long trace is never held in memory). A
 * bad step part-way closes the document with the error instead of the final state. */
function replayJsonStreamed(
  trace: TraceStream, seed: number, io: Io, views: ViewFlags,
): ExitCode {
  const kept: Step[] | undefined = wantsViews(views) ? [] : undefined;
  let first = true;
  const head = replayJsonHead(trace, seed);
  io.write(`{"version":${JSON.stringify(packageVersion())},${head.slice(1)}`);
  const close = (exit: ExitCode, rest: string) => {
    const e = envelope("replay", exit);
    io.out(`${rest},"ok":${e.ok},"exit":${exit},"exitMeaning":"${e.exitMeaning}"}`);
  };
  try {
    const state = replayStream(trace, seed, (s) => {
      io.write((first ? "" : ",") + replayJsonStep(s));
      kept?.push(withOutcome(s));
      first = false;
    });
    if (kept) writeViews({ ...trace, steps: kept }, views);
    close(EXIT.ok, replayJsonTail(state).slice(0, -1));
    return EXIT.ok;
  } catch (e) {
    const info = errorInfo(e, trace.file);
    if (!info || info.kind === "internal") throw e;
    close(EXIT.badInput, `],"error":${JSON.stringify(errorJson(info))}`);
    io.err(`ipcsim: ${info.message}`);
    return EXIT.badInput;
  }
}

function checkCommand(file: string, ctx: Ctx): ExitCode {
  const trace = readTraceFile(file);
  const r = checkTrace(trace);
  const exit = r.divergence ? EXIT.failure : EXIT.ok;
  if (ctx.json) ctx.io.out(document("check", exit, checkJson(trace, r)));
  else for (const line of checkText(trace, r, `ipcsim check ${file}`)) ctx.io.out(line);
  return exit;
}

/** What went wrong, for the user: the kind, one line naming the problem (and the file), the
 * file. Undefined for an error that is not the user's (a bug: reported with its stack). */
function errorInfo(e: unknown, file: string | undefined): ErrorInfo | undefined {
  const named = (message: string) =>
    file === undefined || message.includes(file) || file === "-" ? message : `${file}: ${message}`;
  if (e instanceof UsageError || e instanceof StrategyError || e instanceof DecisionError ||
    e instanceof FilterError) {
    return { kind: "usage", message: e.message };
  }
  if (e instanceof TraceError) return { kind: "trace", message: e.message, file: e.file };
  if (e instanceof ModelError) return { kind: "trace", message: named(e.message), file };
  if (e instanceof ScenarioLoadError) return { kind: "scenario", message: e.message, file: e.file };
  if (e instanceof HostUnsupported) return { kind: "host", message: e.message };
  if (e instanceof HostFault || e instanceof InvalidStepError) {
    return { kind: "host", message: named(e.message), file };
  }
  if (e instanceof KernelPanic) return { kind: "internal", message: `kernel panic: ${e.message}` };
  const err = e as NodeJS.ErrnoException;
  if (err?.code === "ENOENT" || err?.code === "EISDIR" || err?.code === "EACCES") {
    const path = err.path ?? file;
    return { kind: "usage", message: `${path}: ${err.message}`, file: path };
  }
  return undefined;
}

function reportError(e: unknown, command: string | null, ctx: Ctx): ExitCode {
  const info: ErrorInfo = errorInfo(e, ctx.file) ??
    { kind: "internal", message: `internal error: ${(e as Error)?.message ?? String(e)}` };
  const { io } = ctx;
  if (ctx.json) io.out(errorDocument(command, info, ctx.logs));
  if (info.kind === "internal") {
    io.err(`ipcsim: ${e instanceof KernelPanic ? info.message : (e as Error)?.stack ?? e}`);
  } else {
    io.err(`ipcsim: ${info.message}`);
  }
  if (info.kind === "usage" && !ctx.json) {
    io.err(`run \`ipcsim help${command ? ` ${command}` : ""}\` for usage`);
  }
  // A page asked for shows the failure, never nothing (or a stale page from an earlier run).
  if (ctx.html !== undefined) writeErrorPage(ctx.html, info.message, ctx.file ?? "ipcsim");
  return EXIT.badInput;
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
      // Exit once the output is written: a scenario's pending timer or I/O (a run that ended
      // stuck) must not keep the CLI alive after its verdict.
      process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
    },
    (e) => {
      io.flush();
      process.stderr.write(`ipcsim: internal error: ${(e as Error).stack ?? e}\n`);
      process.exitCode = 2;
    },
  );
}
