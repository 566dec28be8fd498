// The decision log: every choice a run makes, in order, as small integers, and its string form
// (the replay string `ipcsim run SCENARIO --replay S` takes).
//
// A decision is an index into an ordered candidate list:
//   - "proc": which process with a pending call makes the next call. Candidates: the process
//     that made the previous call first (when it has a call pending), then the others by
//     ascending pid. So 0 is "no preemption" and any other value is a preemption when the
//     previous process could have continued.
//     When a timer is pending, the clock is a candidate too, numbered 0 (no process has pid
//     0), after the pids: choosing it fires the next timer (an `advance` step). So a schedule
//     says when each timer fired relative to the other steps, and 0s never fire one early.
//   - "woken": which of several processes woken at once retries first (where Linux races).
//     Candidates in wake order, so 0 is the kernel's wake order.
// A point with a single candidate is not a decision and is not logged.
//
// String form: one character per decision, 0-9 then a-z for 0..35; a value of 36 or more is
// written in decimal between parentheses ("(40)"). A value followed by "*N" stands for N of it
// (N decimal, 1 or more); "," ends a count, so "0*600,1" is 600 zeros then a 1 (without the
// comma the 1 would belong to the count). Whitespace, ".", "-" and "," are otherwise ignored,
// so a long string may be grouped. Strings without "*" read as they always did. A replay that
// runs out of decisions continues with 0 (no preemption, wake order), so trailing zeros may be
// dropped: "" is the non-preemptive run. Written strings drop trailing zeros and compress each
// run of RUN_MIN or more equal values (docs/scenarios.md, "Decision strings").

export const DECISION_PROC = 0;
/** The clock's candidate number in a "proc" decision. */
export const CLOCK = 0;
export const DECISION_WOKEN = 1;
export type DecisionKind = typeof DECISION_PROC | typeof DECISION_WOKEN;

/** Digits for values 0..35. */
const DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz";

/** A decision string that does not decode (a character outside 0-9, a-z, `(N)`). */
export class DecisionError extends Error {
  override name = "DecisionError";
}

/** The choices of one run with what each chose among (for search and shrinking). */
export class DecisionLog {
  readonly values: number[] = [];
  /** How many candidates each decision had. */
  readonly arities: number[] = [];
  readonly kinds: DecisionKind[] = [];
  /** Whether value 0 at this decision meant "the previous process continues". */
  readonly continuable: boolean[] = [];

  push(kind: DecisionKind, arity: number, value: number, continuable: boolean): void {
    this.values.push(value);
    this.arities.push(arity);
    this.kinds.push(kind);
    this.continuable.push(continuable);
  }

  get length(): number {
    return this.values.length;
  }

  /** Decisions that switched away from a process that could have continued. */
  preemptions(): number {
    let n = 0;
    for (let i = 0; i < this.values.length; i++) {
      if (this.kinds[i] === DECISION_PROC && this.continuable[i] && this.values[i] !== 0) n++;
    }
    return n;
  }

  toString(): string {
    return encodeDecisions(this.values);
  }
}

/** Equal values in a row from which encodeDecisions writes "v*N," instead. */
export const RUN_MIN = 8;
/** Most decisions a string may decode to (a limit on "0*N"). */
const DECISIONS_MAX = 10_000_000;

function digit(v: number, i: number): string {
  if (!Number.isInteger(v) || v < 0) throw new DecisionError(`bad decision ${v} at ${i}`);
  return v < 36 ? DIGITS[v] : `(${v})`;
}

/** The string form of a decision list: trailing zeros dropped, long runs compressed. */
export function encodeDecisions(values: readonly number[]): string {
  let end = values.length;
  while (end > 0 && values[end - 1] === 0) end--;
  let out = "";
  for (let i = 0; i < end;) {
    let j = i + 1;
    while (j < end && values[j] === values[i]) j++;
    const d = digit(values[i], i);
    if (j - i >= RUN_MIN) out += `${d}*${j - i}${j < end ? "," : ""}`;
    else out += d.repeat(j - i);
    i = j;
  }
  return out;
}

const COUNT = /\d+/y;

/** Parse a decision string, long or compressed (see the file comment). Throws DecisionError
 * naming the bad character. */
export function decodeDecisions(s: string): number[] {
  const out: number[] = [];
  let repeatable = false; // the last character ended a value: "*N" may follow
  for (let i = 0; i < s.length; i++) {
    const c = s[i].toLowerCase();
    const after = repeatable;
    repeatable = false;
    if (" .-,\n\t".includes(c)) continue;
    if (c === "*") {
      COUNT.lastIndex = i + 1;
      const count = COUNT.exec(s)?.[0];
      if (!after || count === undefined || Number(count) === 0) {
        throw new DecisionError(`decision string: "*" at ${i} must follow a value and ` +
          `be followed by a count of 1 or more ("0*600,1")`);
      }
      if (out.length + Number(count) - 1 > DECISIONS_MAX) {
        throw new DecisionError(`decision string: more than ${DECISIONS_MAX} decisions`);
      }
      const v = out[out.length - 1];
      for (let n = 1; n < Number(count); n++) out.push(v);
      i += count.length;
      continue;
    }
    if (c === "(") {
      const close = s.indexOf(")", i);
      const text = close < 0 ? "" : s.slice(i + 1, close);
      if (!/^\d{1,9}$/.test(text)) {
        throw new DecisionError(
          `decision string: "(" at ${i} must be followed by a number and ")"`,
        );
      }
      out.push(Number(text));
      i = close;
      repeatable = true;
      continue;
    }
    const v = DIGITS.indexOf(c);
    if (v < 0) {
      throw new DecisionError(
        `decision string: bad character "${s[i]}" at ${i} (use 0-9, a-z, (N), *N)`,
      );
    }
    out.push(v);
    repeatable = true;
  }
  return out;
}
