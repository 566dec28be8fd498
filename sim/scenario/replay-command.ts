// The command that replays one run, as run, explore (and a merge of explore shards) print it:
//
//   ipcsim run 'my scenarios/race.ts' --replay '0*600,1' --max-steps 500 --check zombies
//
// It carries every option that changes the run and nothing else: the scenario, the decisions
// (run-length compressed, decisions.ts), --max-steps, --check, and any further run-changing
// flags a caller passes (a watchdog's time budget). Not --seed or --strategy: a replay is its
// own strategy and draws nothing from the PRNG. Every word is quoted for POSIX sh.

import type { EndChecks } from "./checks.js";
import { decodeDecisions, encodeDecisions } from "./decisions.js";

/** What replayCommand needs: the scenario as the user named it and the run's options. */
interface ReplayCommandArgs {
  /** The scenario's path as given on the command line (or a name, for the library). */
  scenario: string;
  /** The run's decisions: a decision string (long or short form) or the values. */
  decisions: string | readonly number[];
  /** --max-steps, when the run was given one. */
  maxSteps?: number;
  /** The end checks the run was given beyond the scenario's own (--check). */
  checks?: EndChecks;
  /** Further options that change the run, as words (["--run-timeout", "5s"]); quoted here. */
  flags?: readonly string[];
}

/** `ipcsim run SCENARIO --replay D [--max-steps N] [--check C] [flags...]`, shell-quoted. */
export function replayCommand(a: ReplayCommandArgs): string {
  const values = typeof a.decisions === "string" ? decodeDecisions(a.decisions) : a.decisions;
  const words = ["ipcsim", "run", a.scenario, "--replay", encodeDecisions(values)];
  words.push(...runFlags(a), ...(a.flags ?? []));
  return words.map(shellQuote).join(" ");
}

/** The options of a run that change what it does beyond its schedule, as words. */
export function runFlags(a: { maxSteps?: number; checks?: EndChecks }): string[] {
  const out: string[] = [];
  if (a.maxSteps !== undefined) out.push("--max-steps", String(a.maxSteps));
  const check = checkFlag(a.checks ?? {});
  if (check !== undefined) out.push("--check", check);
  return out;
}

/** The --check value naming these checks ("all" when all three), or undefined for none. */
function checkFlag(c: EndChecks): string | undefined {
  const names = [
    c.zombies ? "zombies" : "", c.ipcObjects ? "ipc" : "", c.pipesDrained ? "pipes" : "",
  ].filter((n) => n !== "");
  if (names.length === 0) return undefined;
  return names.length === 3 ? "all" : names.join(",");
}

/** One word for POSIX sh: as it is when it has no special character, else in single quotes
 * (a ' inside becomes '\''). The empty word is "". */
export function shellQuote(word: string): string {
  if (word === "") return '""';
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
