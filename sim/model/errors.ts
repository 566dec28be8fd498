// The error the model raises for a step it cannot run (an invalid or unsupported step), in its
// own module so that the call modules (calls.ts, sysv.ts, mem.ts) share it without an import
// cycle.

/** A step the model cannot run: invalid (its process cannot make a call, a `ref` to a step
 * without a return) or beyond what the model passes faithfully. */
export class ModelError extends Error {
  override name = "ModelError";
}
