// The wait(2) status macros, as glibc defines them (bits/waitstatus.h), for a scenario that
// reads what `os.waitpid` returned as C would: `if (WIFEXITED(st)) WEXITSTATUS(st)`.
//
// Each takes the raw status int (what waitpid stores in C, what a recorded strace shows), a
// WaitStatus (`{ exited: 0 }`, as a trace writes it) or what `os.waitpid` resolves to (a
// WaitResult, its `status` inside). A WaitResult without a status (WNOHANG found no child) is
// no status at all: the W*IF* predicates are false, the value macros throw.
//
//   const r = await os.waitpid(child);
//   if (WIFEXITED(r)) os.log(`exit ${WEXITSTATUS(r)}`);
//   else if (WIFSIGNALED(r)) os.log(`killed by ${WTERMSIG(r)}${WCOREDUMP(r) ? " (core)" : ""}`);

import { signalNumber, type WaitStatus } from "../../wasm/names.js";

/** What the W* helpers take: a raw status int, a WaitStatus, or what `os.waitpid` returns. */
export type WaitStatusLike = number | WaitStatus | { pid: number; status?: WaitStatus };

/** bits/waitstatus.h: __W_CONTINUED and __WCOREFLAG. */
const W_CONTINUED = 0xffff;
const WCOREFLAG = 0x80;
const W_STOPCODE = 0x7f;

function signo(name: string): number {
  const n = signalNumber(name) ?? Number(/^SIG([0-9]+)$/.exec(name)?.[1]);
  if (!Number.isInteger(n) || n <= 0 || n >= 128) throw new RangeError(`no signal ${name}`);
  return n;
}

/** A WaitStatus as the int Linux stores (the inverse of wasm/names.ts decodeWaitStatus):
 * exited `code << 8`, signaled `signo | 0x80 if core`, stopped `signo << 8 | 0x7f`,
 * continued 0xffff.
 * @example waitStatusInt({ exited: 1 }) === 256; waitStatusInt({ signaled: "SIGKILL" }) === 9
 * @throws RangeError for a signal name with no number. */
export function waitStatusInt(s: WaitStatus): number {
  if ("exited" in s) return (s.exited & 0xff) << 8;
  if ("signaled" in s) return signo(s.signaled) | (s.core ? WCOREFLAG : 0);
  if ("stopped" in s) return (signo(s.stopped) << 8) | W_STOPCODE;
  return W_CONTINUED;
}

/** The raw int of any WaitStatusLike; null for a WaitResult without a status. */
function raw(s: WaitStatusLike): number | null {
  if (typeof s === "number") {
    if (!Number.isInteger(s)) throw new TypeError(`a wait status is an integer, got ${s}`);
    return s;
  }
  if ("pid" in s) return s.status === undefined ? null : waitStatusInt(s.status);
  return waitStatusInt(s);
}

function value(s: WaitStatusLike, macro: string): number {
  const r = raw(s);
  if (r === null) throw new TypeError(`${macro}: no status (WNOHANG found no child: pid 0)`);
  return r;
}

/** The child exited normally (by exit or by returning from its main). */
export function WIFEXITED(s: WaitStatusLike): boolean {
  const r = raw(s);
  return r !== null && (r & 0x7f) === 0;
}

/** The exit status (0..255) of a child that exited: meaningful when WIFEXITED. */
export function WEXITSTATUS(s: WaitStatusLike): number {
  return (value(s, "WEXITSTATUS") & 0xff00) >> 8;
}

/** The child was killed by a signal. */
export function WIFSIGNALED(s: WaitStatusLike): boolean {
  const r = raw(s);
  // glibc: ((signed char) (((status) & 0x7f) + 1) >> 1) > 0: not 0 (exited), not 0x7f (stopped).
  return r !== null && ((((r & 0x7f) + 1) << 24) >> 25) > 0;
}

/** The number of the signal that killed the child: meaningful when WIFSIGNALED. */
export function WTERMSIG(s: WaitStatusLike): number {
  return value(s, "WTERMSIG") & 0x7f;
}

/** The killed child dumped core (its signal's default action is core, as SIGSEGV's). */
export function WCOREDUMP(s: WaitStatusLike): boolean {
  const r = raw(s);
  return r !== null && (r & WCOREFLAG) !== 0;
}

/** The child was stopped by a signal (waitpid with WUNTRACED). */
export function WIFSTOPPED(s: WaitStatusLike): boolean {
  const r = raw(s);
  return r !== null && (r & 0xff) === W_STOPCODE;
}

/** The number of the signal that stopped the child: meaningful when WIFSTOPPED. */
export function WSTOPSIG(s: WaitStatusLike): number {
  return (value(s, "WSTOPSIG") & 0xff00) >> 8;
}

/** The stopped child was resumed by SIGCONT (waitpid with WCONTINUED). */
export function WIFCONTINUED(s: WaitStatusLike): boolean {
  return raw(s) === W_CONTINUED;
}

