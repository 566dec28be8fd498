// The library API: `import { ... } from "ipcsim"`.
export { parseTrace, readTraceFile, TraceError } from "./trace/parse.js";
export type { Trace, Step, Outcome, Result, TraceEvent, WaitStatus } from "./trace/types.js";
export { replayTrace, checkTrace, meetsExpectation } from "./replay.js";
export { ModelReplay } from "./model/engine.js";
export { Prng } from "./prng.js";
export { Kernel, KernelPanic } from "../wasm/kernel.js";

// ---- scenarios: run, explore, the process API, schedules for fast-check ----
export {
  run, Runner, type RunOptions, type RunResult, type Scenario, type ScenarioMain,
  type ScenarioModule,
} from "./scenario/run.js";
export { explore, type ExploreOptions, type ExploreResult } from "./scenario/explore.js";
export { ErrnoError, AssertionFailure } from "./scenario/errors.js";
export {
  Os, type ProcessMain, type SignalHandler, type OsResult, type WaitResult, type Message,
  type IpcPermStat, type MsqidStat, type SemidStat, type ShmidStat, type Timespec, type Timeval,
  type Itimerval, type Itimerspec,
} from "./scenario/os.js";
export { encodeDecisions, decodeDecisions, DecisionLog } from "./scenario/decisions.js";
export { makeStrategy, type Strategy } from "./scenario/strategies/index.js";
export type { Verdict } from "./scenario/verdict.js";
export type { EndChecks } from "./scenario/checks.js";
export * from "./scenario/constants.js";
export {
  scheduleArb, runSchedule, Schedule, ScheduleStrategy, type ScheduleArbOptions,
} from "./scenario/arbitrary.js";
