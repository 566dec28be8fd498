/**
 * The library: `import { run, explore, replayTrace, checkTrace, diffTrace } from "ipcsim"`.
 *
 * The five verbs of the CLI, as functions (docs/api.md says what each takes and returns):
 * - {@link run}: one schedule of a scenario; {@link explore}: many, shrinking a failure;
 * - {@link replayTrace} (`ipcsim replay`): a trace on the model, one outcome per step;
 * - {@link checkTrace} (`ipcsim check`): a trace's expectations against what the model allows;
 * - {@link diffTrace} (`ipcsim diff`): a trace on the model and on real Linux, step by step.
 *
 * A scenario programs against {@link Os} (one per simulated process, every call a system
 * call; a failed call rejects with {@link ErrnoError}), with the C constants (`IPC_CREAT`,
 * `SIGUSR1`, ...) and the wait-status macros (`WIFEXITED`, ...) exported here.
 * {@link scheduleArb} and {@link runSchedule} are the fast-check integration.
 *
 * @packageDocumentation
 */

import type { CheckResult } from "./replay.js";
import type { diffTrace } from "../host-bridge/diff.js";

// ---- traces: parse, replay, check ----
export { parseTrace, readTraceFile, TraceError } from "./trace/parse.js";
export type { Trace, Step, Outcome, Result, TraceEvent, WaitStatus } from "./trace/types.js";
export {
  replayTrace, checkTrace, meetsExpectation, type ReplayResult, type ReplayedStep,
  type CheckResult,
} from "./replay.js";
export type { StateView } from "./state.js";
export { ModelReplay, type ReplayOptions } from "./model/engine.js";
export { ModelError } from "./model/errors.js";
export { Prng } from "./prng.js";
export { Kernel, KernelPanic } from "../wasm/kernel.js";

// ---- diff: a trace on real Linux (the host bridge) ----
export { diffTrace } from "../host-bridge/diff.js";
export {
  hostSupport, HostFault, HostInconclusive, InvalidStepError, QuantumError, type HostOptions,
} from "../host-bridge/host.js";
export type { KnownDifference } from "../host-bridge/differences.js";

// ---- scenarios: run, explore, the process API, schedules for fast-check ----
export {
  run, Runner, type RunOptions, type RunResult, type Scenario, type ScenarioMain,
  type ScenarioModule,
} from "./scenario/run.js";
export { explore, type ExploreOptions, type ExploreResult } from "./scenario/explore.js";
export { ErrnoError, AssertionFailure } from "./scenario/errors.js";
export {
  Os, type ProcessMain, type SignalHandler, type OsResult, type WaitResult, type Message,
  type IpcPerm, type MsqidDs, type SemidDs, type ShmidDs, type Bytes, type SembufLike,
  type Timespec, type Timeval, type Itimerval, type Itimerspec,
} from "./scenario/os.js";
export type {
  IpcSetBuf, MsqidDsSet, SemidDsSet, ShmidDsSet, SemArg, IpcPermStat, MsqidStat, SemidStat,
  ShmidStat, SigInfo,
} from "./scenario/os-types.js";
export type {
  TimespecLike, ItimervalLike, ItimerspecLike, SigeventLike,
} from "./scenario/time-args.js";
export type { SignalName, ErrnoName } from "../wasm/abi.js";
export {
  WIFEXITED, WEXITSTATUS, WIFSIGNALED, WTERMSIG, WCOREDUMP, WIFSTOPPED, WSTOPSIG, WIFCONTINUED,
  waitStatusInt, type WaitStatusLike,
} from "./scenario/wait-status.js";
export {
  encodeDecisions, decodeDecisions, DecisionLog, DecisionError,
} from "./scenario/decisions.js";
export {
  makeStrategy, StrategyError, type Strategy, type StrategyOptions,
} from "./scenario/strategies/index.js";
export type { ChoicePoint } from "./scenario/strategies/strategy.js";
export type { Verdict } from "./scenario/verdict.js";
export type { EndChecks } from "./scenario/checks.js";
export * from "./scenario/constants.js";
export {
  sem_init, sem_destroy, sem_getvalue, sem_post, sem_wait, sem_trywait, sem_timedwait,
  SEM_VALUE_MAX, SEM_T_BYTES, pthread_mutex_init, pthread_mutex_lock, pthread_mutex_trylock,
  pthread_mutex_unlock, pthread_mutex_destroy, PTHREAD_MUTEX_T_BYTES, type MutexAttr,
} from "./scenario/nptl.js";
export {
  shm_open, shm_unlink, sem_open, sem_close, sem_unlink,
} from "./scenario/posix-shm.js";
export {
  scheduleArb, runSchedule, Schedule, ScheduleStrategy, type ScheduleArbOptions,
} from "./scenario/arbitrary.js";

/** Where {@link checkTrace} stopped: the first step whose expectation no allowed outcome
 * meets, the outcomes the model allowed there, and the last step that agreed. */
export type Divergence = NonNullable<CheckResult["divergence"]>;
/** What {@link diffTrace} resolves to: how many steps agreed with Linux, and the first
 * disagreement if there is one. */
export type DiffResult = Awaited<ReturnType<typeof diffTrace>>;
/** The first step where Linux's outcome is none the model allowed (DiffResult's). */
export type Disagreement = NonNullable<DiffResult["disagreement"]>;
