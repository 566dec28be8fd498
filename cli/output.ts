// What every command prints around its own result: the exit codes and their meanings, the
// JSON envelope (`--json`), errors (as text or as JSON), and the scenario's console output,
// captured so that it never mixes into stdout.
//
// The JSON envelope, first in every `--json` document (success or error):
//
//   { "tool": "ipcsim", "version": "0.1.0", "schemaVersion": 1, "command": "run",
//     "ok": false, "exit": 1, "exitMeaning": "failure", ...the command's fields }
//
// `ok` is `exit === 0`. An error adds `"error": { "kind", "message", "file"? }` (exit 2);
// `run` and `explore` add `"logs"`: the scenario's console output and its os.log lines.

import { format, inspect } from "node:util";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../sim/scenario/load.js";
import { canonicalJson, type Json } from "../sim/trace/serialise.js";

export interface Io {
  /** A line to stdout. */
  out: (line: string) => void;
  /** Text to stdout without a newline (pieces of one long line). */
  write: (text: string) => void;
  err: (line: string) => void;
  /** Progress text on a terminal (stderr), absent when stderr is not a TTY. */
  progress?: (text: string) => void;
  /** Write out what stdout holds now (a line a user waits for: `view`'s address). */
  flush?: () => void;
}

/** A mistake in the command line: exit 2, with a pointer to the command's help. */
export class UsageError extends Error {
  override name = "UsageError";
}

export const EXIT = { ok: 0, failure: 1, badInput: 2, inconclusive: 3, interrupted: 130 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** `exitMeaning` in the JSON envelope, one word per exit code. */
export const EXIT_MEANING: Record<ExitCode, string> = {
  0: "ok",
  1: "failure",
  2: "bad-input",
  3: "inconclusive",
  130: "interrupted",
};

let version: string | undefined;

/** This package's version, from its package.json. */
export function packageVersion(): string {
  if (version === undefined) {
    const root = packageRoot();
    try {
      version = root
        ? (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string })
          .version
        : "unknown";
    } catch {
      version = "unknown";
    }
  }
  return version;
}

/** The envelope's fields for a command that ended with `exit`. */
export function envelope(command: string | null, exit: ExitCode): Record<string, Json> {
  return {
    tool: "ipcsim", version: packageVersion(), schemaVersion: 1, command,
    ok: exit === EXIT.ok, exit, exitMeaning: EXIT_MEANING[exit],
  };
}

/** A command's JSON document: its own fields, then the envelope's (which win: a body's `ok`
 * of its own, say a diff with a known disagreement, must not contradict the exit code). */
export function document(command: string, exit: ExitCode, body: Json): string {
  return canonicalJson({ ...(body as Record<string, Json>), ...envelope(command, exit) });
}

type ErrorKind = "usage" | "trace" | "scenario" | "host" | "internal";

export interface ErrorInfo {
  kind: ErrorKind;
  message: string;
  /** The file the error is about, when there is one. */
  file?: string;
}

export function errorJson(e: ErrorInfo): Json {
  const out: Record<string, Json> = { kind: e.kind, message: e.message };
  if (e.file !== undefined) out.file = e.file;
  return out;
}

/** The JSON document of a command that failed with an error (exit 2). */
export function errorDocument(command: string | null, e: ErrorInfo, logs?: Logs): string {
  const body: Record<string, Json> = { ...envelope(command, EXIT.badInput), error: errorJson(e) };
  if (logs) body.logs = logs.json();
  return canonicalJson(body);
}

/** At most this many log entries in a JSON document; the rest are counted. */
const LOGS_MAX = 1000;

/** What a scenario wrote (console.* while it ran, os.log in the reported run), for `logs`. */
export class Logs {
  private readonly entries: Json[] = [];
  private dropped = 0;

  add(entry: Record<string, Json>): void {
    if (this.entries.length < LOGS_MAX) this.entries.push(entry);
    else this.dropped++;
  }

  /** A run's os.log lines (`[pid N] text`, after step `at`; -1: before the first step) and
   * console lines (`[pid N fd F] text`: source "output", with the fd). */
  addOsLogs(lines: readonly string[], at: readonly number[]): void {
    lines.forEach((line, i) => {
      const m = /^\[pid (\d+)(?: fd (\d+))?\] ([^]*)$/.exec(line);
      if (m && m[2] !== undefined) {
        const fd = Number(m[2]);
        this.add({ source: "output", pid: Number(m[1]), fd, step: at[i], text: m[3] });
      } else {
        this.add(m
          ? { source: "os.log", pid: Number(m[1]), step: at[i], text: m[3] }
          : { source: "os.log", pid: null, step: at[i], text: line });
      }
    });
  }

  json(): Json {
    if (this.dropped === 0) return this.entries;
    return [...this.entries, { source: "ipcsim", text: `${this.dropped} more entries dropped` }];
  }
}

const CONSOLE_METHODS = ["log", "info", "debug", "warn", "error", "trace", "dir"] as const;

/** Run `f` with console.* sent to `sink` (a scenario's console.log must not reach stdout,
 * where the views and the JSON documents go). */
async function withConsole<T>(
  sink: (method: string, text: string) => void, f: () => Promise<T>,
): Promise<T> {
  const c = console as unknown as Record<string, (...args: unknown[]) => void>;
  const saved = CONSOLE_METHODS.map((m) => c[m]);
  for (const m of CONSOLE_METHODS) {
    c[m] = m === "dir"
      ? (v: unknown) => sink(m, inspect(v))
      : (...args: unknown[]) => sink(m, format(...args));
  }
  try {
    return await f();
  } finally {
    CONSOLE_METHODS.forEach((m, i) => { c[m] = saved[i]; });
  }
}

/** What a command needs besides its arguments. */
export interface Ctx {
  io: Io;
  /** `--json` was given: stdout is one JSON document, errors included. */
  json: boolean;
  /** The TRACE or SCENARIO argument, once the command has started. */
  file?: string;
  /** The scenario's logs so far (run, explore), for an error document. */
  logs?: Logs;
  /** --html FILE: where a failed command writes its error page too (cli/views.ts). */
  html?: string;
}

/** Run scenario code (loading it, running it) with its console output kept off stdout: on
 * stderr in text mode, in `ctx.logs` in JSON mode. */
export function scenarioConsole<T>(ctx: Ctx, f: () => Promise<T>): Promise<T> {
  const logs = ctx.logs ??= new Logs();
  return withConsole((method, text) => {
    if (ctx.json) logs.add({ source: `console.${method}`, text });
    else ctx.io.err(text);
  }, f);
}
