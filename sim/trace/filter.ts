// strace-like filters for the text views (`ipcsim replay`/`run` with `-e trace=pipe,read` and
// `-p PID`): which steps a view shows. The JSON views and the traces themselves are never
// filtered.

export class FilterError extends Error {
  override name = "FilterError";
}

/** Whether a text view shows a step of this pid making this call. */
export type StepFilter = (pid: number, call: string) => boolean;

/** The filter for `-e trace=EXPR` and `-p PID` (each repeatable); undefined shows every step.
 * Throws FilterError naming a bad expression. (Stub: the views helper fills it in.) */
export function stepFilter(
  _trace: readonly string[] | undefined, _pids: readonly string[] | undefined,
): StepFilter | undefined {
  return undefined;
}
