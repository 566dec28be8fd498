// The library API: `import { ... } from "ipcsim"`.
export { parseTrace, readTraceFile, TraceError } from "./trace/parse.js";
export type { Trace, Step, Outcome, Result, TraceEvent, WaitStatus } from "./trace/types.js";
export { replayTrace, checkTrace, meetsExpectation } from "./replay.js";
export { ModelReplay } from "./model/engine.js";
export { Prng } from "./prng.js";
export { Kernel, KernelPanic } from "../wasm/kernel.js";
