// strace-like filters for the text views (`ipcsim replay`/`run` with `-e trace=pipe,read` and
// `-p PID`): which steps a view shows. The JSON views and the traces themselves are never
// filtered.
//
// `-e trace=EXPR` as strace(1) takes it: a comma list of call names, strace's classes
// (`%ipc`, `%signal`, `%process`, `%desc`, `%memory`, `%file`, `%clock`), `all`, `none`,
// `/REGEX` (the calls it matches) and `?NAME` (no error when NAME is unknown); a leading `!`
// negates the whole list. The names are ipcsim's (the view's: `sigaction`, `waitpid`), and the
// Linux syscall a call is made with is accepted too (`rt_sigaction`, `wait4`, `pipe2`). The
// clock's steps (`--- time passes ---`) are the call `advance`. Unlike strace, where a later
// `-e trace=` replaces an earlier one, repeated values add up (so none is silently dropped).
// `-p PID` (repeatable, or a comma list) shows the steps those processes make.

import { CALL_NAMES, callSpec, type CallName, type Mechanism } from "../../wasm/calls.js";
import { didYouMean } from "../text.js";

export class FilterError extends Error {
  override name = "FilterError";
}

/** Whether a text view shows a step of this pid making this call. pid 0 is the clock (the
 * `advance` steps): only `-e trace=` applies to it. `showsPid` says whether `-p` lets a
 * process's lines through at all (its `os.log` lines, which name no call); absent: all do. */
export type StepFilter = ((pid: number, call: string) => boolean) & {
  readonly showsPid?: (pid: number) => boolean;
};

/** The filter for `-e trace=EXPR` and `-p PID` (each repeatable); undefined shows every step.
 * Throws FilterError naming a bad expression. */
export function stepFilter(
  trace: readonly string[] | undefined, pids: readonly string[] | undefined,
): StepFilter | undefined {
  const calls = trace !== undefined && trace.length > 0 ? callsOf(trace) : undefined;
  const procs = pids !== undefined && pids.length > 0 ? pidsOf(pids) : undefined;
  if (calls === undefined && procs === undefined) return undefined;
  const showsPid = (pid: number) => procs === undefined || pid === 0 || procs.has(pid);
  const filter = (pid: number, call: string) =>
    (calls === undefined || calls.has(call)) && showsPid(pid);
  return Object.assign(filter, { showsPid });
}

const mechanisms = (...m: Mechanism[]): CallName[] =>
  CALL_NAMES.filter((c) => m.includes(callSpec(c).mechanism));

/** strace's classes, derived from the call table's mechanisms (and argument kinds) where
 * strace's grouping follows them. */
export const CLASSES: Readonly<Record<string, readonly CallName[]>> = {
  "%ipc": mechanisms("msg", "sem", "shm"),
  "%signal": mechanisms("signal"),
  // strace: process lifecycle, with kill and rt_sigqueueinfo; getppid is strace's %pure.
  "%process": [...mechanisms("proc").filter((c) => c !== "getppid"), "kill", "sigqueue"],
  // Calls that take or make a descriptor (unlink and mknod take only a path; strace counts
  // every mq_* call but mq_unlink, whose name is no file's).
  "%desc": [
    ...mechanisms("fd", "pipe"), "open", "mmap",
    ...mechanisms("mqueue").filter((c) => c !== "mq_unlink"),
    // and the *at calls (TD|TF: a directory descriptor), openat first.
    ...mechanisms("files").filter((c) => callSpec(c).args.some((a) =>
      a.kind === "fd" || a.name.endsWith("dirfd"))),
  ],
  // Mappings, and the model's loads, stores and atomics through them.
  "%memory": [...mechanisms("mmap"), "shmat", "shmdt", "cas", "xchg", "fetch_add"],
  "%file": CALL_NAMES.filter((c) => callSpec(c).mechanism !== "mqueue" &&
    callSpec(c).args.some((a) => a.kind === "path")),
  "%clock": ["clock_gettime", "clock_getres", "gettimeofday", "time"],
};

/** The Linux syscall names of calls whose C name differs (the host's `sysno`: wait4, ...). */
const ALIASES: ReadonlyMap<string, CallName> = new Map(CALL_NAMES.flatMap((c) => {
  const sysno = callSpec(c).host.sysno;
  const name = sysno?.startsWith("SYS_") ? sysno.slice(4) : undefined;
  return name !== undefined && name !== c ? [[name, c] as const] : [];
}));

function callsOf(values: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const v of values) for (const c of expression(v)) out.add(c);
  return out;
}

/** One `-e` value: `trace=EXPR`, or EXPR alone (strace's default qualifier). */
function expression(value: string): Set<CallName> {
  let s = value.startsWith("trace=") ? value.slice("trace=".length) : value;
  const other = /^([a-z_-]+)=/.exec(s);
  if (other) {
    throw new FilterError(`-e ${other[1]}=: only -e trace=EXPR is supported (got "${value}")`);
  }
  let negate = false;
  while (s.startsWith("!")) {
    negate = !negate;
    s = s.slice(1);
  }
  const set = new Set<CallName>();
  for (const token of s.split(",")) for (const c of namesOf(token, value)) set.add(c);
  return negate ? new Set(CALL_NAMES.filter((c) => !set.has(c))) : set;
}

function namesOf(token: string, value: string): readonly CallName[] {
  if (token === "") throw new FilterError(`-e trace: an empty name in "${value}"`);
  if (token === "all") return CALL_NAMES;
  if (token === "none") return [];
  if (token.startsWith("/")) return matching(token.slice(1), value);
  const optional = token.startsWith("?");
  const name = optional ? token.slice(1) : token;
  if (Object.hasOwn(CLASSES, name)) return CLASSES[name];
  const alias = ALIASES.get(name);
  if (alias !== undefined) return [alias];
  if (isCall(name)) return [name];
  if (optional) return [];
  const hint = didYouMean(name, [...CALL_NAMES, ...ALIASES.keys(), ...Object.keys(CLASSES)]);
  throw new FilterError(
    `-e trace: unknown call "${name}"${hint}; the calls are those of docs/trace-format.md, ` +
    `the classes ${Object.keys(CLASSES).join(" ")}`,
  );
}

function isCall(name: string): name is CallName {
  return (CALL_NAMES as readonly string[]).includes(name);
}

function matching(source: string, value: string): CallName[] {
  let re: RegExp;
  try {
    re = new RegExp(source);
  } catch (e) {
    const why = (e as Error).message;
    throw new FilterError(`-e trace: bad regular expression in "${value}": ${why}`);
  }
  return CALL_NAMES.filter((c) => re.test(c));
}

function pidsOf(values: readonly string[]): Set<number> {
  const out = new Set<number>();
  for (const v of values) {
    for (const p of v.split(/[\s,]+/).filter((x) => x !== "")) {
      if (!/^\d+$/.test(p) || Number(p) < 1 || Number(p) > 0x7fffffff) {
        throw new FilterError(`-p: "${p}" is not a process id (a whole number from 1)`);
      }
      out.add(Number(p));
    }
  }
  if (out.size === 0) throw new FilterError("-p: no process id given");
  return out;
}
