// The error the model raises for a step it cannot run (an invalid or unsupported step), in its
// own module so that the call modules (calls.ts, sysv.ts, mem.ts) share it without an import
// cycle.

export class ModelError extends Error {
  override name = "ModelError";
}
