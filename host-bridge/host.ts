// The host bridge's driver: runs trace steps against the real Linux kernel through the C agent
// (host-bridge/agent/), and returns `Outcome`s in the same shape as the model's, so that the two
// compare with sim/trace/compare.ts.
//
//   const host = await HostSession.start(trace.header);
//   for (const step of trace.steps) outcomes.push(await host.step(step));
//   await host.close();
//
// or `await runOnHost(trace)`. One session is one agent: fresh PID and IPC namespaces (pid 2 is
// the first traced process, SysV ids start at 0). Where the kernel refuses namespaces the start
// fails with one clear error, unless the fallback that maps pids and ids by order of creation
// was asked for (`unsafeNoNamespaces`, or IPCSIM_UNSAFE_NO_NAMESPACES=1 in the environment;
// `namespaces` is then false, and the agent says why in one line on stderr). Every process and
// IPC object of a session is gone after `close()` and after a fault: the driver never kills an
// agent before it has had CLEANUP_WAIT_MS to clean up (docs/reliability.md).

import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { setPriority, tmpdir } from "node:os";
import { basename, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { FLAGS, type CallName } from "../wasm/abi.js";
import { callSpec } from "../wasm/calls.js";
import type { Header, IntArg, Outcome, Step, Trace } from "../sim/trace/types.js";
import { futexCommand } from "../sim/trace/calls.js";
import { QUANTUM_RULE, quantumProblems, stepQuantumProblems } from "./pace.js";
import { cacheDir, findAgent, type AgentFound, type AgentPlaces } from "./agent-build.js";
import { lockTimeline, type Unlock } from "./timeline-lock.js";
import {
  decodeOutcome, encodeInit, encodeRawSyscall, encodeSpin, encodeStep, type AgentReady,
  type AgentReply,
} from "./protocol.js";

/** Options of diffTrace and the host bridge. */
export interface HostOptions {
  /** The agent binary (default: $IPCSIM_AGENT, else host-bridge/build/ipcsim-agent, else one
   * compiled on first use: agent-build.ts). */
  agent?: string;
  /** Per-step watchdog in the agent: a step that neither completes nor sleeps in this time is a
   * host fault. Default 2000. */
  watchdogMs?: number;
  /** true runs the fallback without namespaces (`--unsafe-no-namespaces`): the traced
   * processes share the host's PID and IPC namespaces (docs/host-bridge.md "Without
   * namespaces"). */
  unsafeNoNamespaces?: boolean;
  /** The trace's file, for error messages (`file:line`). */
  file?: string;
  /** Enables the agent's test-only calls (`testSpin`). */
  testCalls?: boolean;
  /** Where the agent's stderr lines go (default: this process's stderr). */
  onStderr?: (line: string) => void;
}

/** The host could not judge a step (watchdog, host limit, agent failure). Never a pass. */
export class HostFault extends Error {
  override name = "HostFault";
  /** Outcomes of the steps run before the fault (set by runOnHost). */
  outcomes: Outcome[] = [];
}

/** The host fell behind the trace's time (an instant's steps ended past its budget, so a timer
 * may have raced them): the run can be judged neither a pass nor a failure. */
export class HostInconclusive extends HostFault {
  override name = "HostInconclusive";
}

/** Runs `run` again when the host fell behind a trace's time (HostInconclusive: no verdict,
 * docs/host-bridge.md "Time"), at most `tries` times in all; then the last one is thrown.
 * `onRetry` hears of each inconclusive run that is tried again (so a count can say so). */
export async function retryInconclusive<T>(run: () => Promise<T>, tries = 3,
  onRetry?: (e: HostInconclusive) => void): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await run();
    } catch (e) {
      if (!(e instanceof HostInconclusive) || i >= tries) throw e;
      onRetry?.(e);
      // The host fell behind: the load that slowed it (CI runs test files side by side) is
      // usually gone a moment later; an immediate retry meets it again.
      await new Promise((ok) => setTimeout(ok, 300 * i));
    }
  }
}

/** The trace is invalid at this step (its caller is not alive, idle and running). */
export class InvalidStepError extends Error {
  override name = "InvalidStepError";
  outcomes: Outcome[] = [];
}

/** The trace's times are not whole quanta (host-bridge/pace.ts): the host cannot replay it
 * without racing its own deadlines. Thrown before the step (or the run) starts. */
export class QuantumError extends InvalidStepError {
  override name = "QuantumError";
}

/** Throws QuantumError naming every field (file, line, field) that breaks the quantum rule. */
export function checkQuantum(trace: Trace): void {
  const problems = quantumProblems(trace);
  if (problems.length) throw new QuantumError(`${problems.join("\n")}\n${QUANTUM_RULE}`);
}

/** Extra time the driver gives the agent beyond its own watchdog before killing it. */
const DRIVER_GRACE_MS = 5000;
/** How long an agent told to stop (end of input, SIGTERM) has to clean up before SIGKILL: its
 * fallback cleanup reaps for at most 2 s (agent.c fallback_cleanup), then removes its IPC
 * objects and work directory. */
const CLEANUP_WAIT_MS = 5000;
/** How long close() waits for the agent to finish on end of input before stop(). */
const CLOSE_WAIT_MS = 3000;

/** Where the agent is (agent-build.ts): $IPCSIM_AGENT; else the repository's build beside this
 * module (host-bridge/ or dist/), or under the working directory (bundled copies of this module
 * live in temporary directories); else the shipped C sources (an installed package), compiled
 * on first use into the per-user cache. */
function agentPlaces(): AgentPlaces {
  const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
  return {
    override: process.env.IPCSIM_AGENT,
    built: [
      here("./build/ipcsim-agent"), here("../host-bridge/build/ipcsim-agent"),
      resolve("host-bridge/build/ipcsim-agent"),
    ],
    sources: [here("./agent/"), here("../host-bridge/agent/")],
    cacheDir: cacheDir(),
  };
}

/** The default agent, found (or compiled) once per process. */
let defaultAgent: AgentFound | undefined;

/** The agent binary `agent` (when given), else the default one. */
function locateAgent(agent: string | undefined): AgentFound {
  if (agent !== undefined) {
    return existsSync(agent) ? { ok: true, path: agent } : {
      ok: false, reason: `agent ${agent} is missing`,
    };
  }
  defaultAgent ??= findAgent(agentPlaces());
  return defaultAgent;
}

type Support = { ok: true; agent: string } | { ok: false; reason: string };

/** Whether this machine can run the host bridge with `agent` (default: the default agent,
 * compiled on first use: agent-build.ts), and which binary that is; if not, why (for skipping
 * tests). */
export function hostSupport(agent?: string): Support {
  if (process.platform !== "linux") {
    return { ok: false, reason: `the host bridge needs Linux (this is ${process.platform})` };
  }
  const found = locateAgent(agent);
  return found.ok ? { ok: true, agent: found.path } : found;
}

/** Agents alive in this process, killed if it exits without closing them. */
const live = new Set<ChildProcessWithoutNullStreams>();
process.on("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

export class HostSession {
  private ready: AgentReady = {
    ready: true, namespaces: true, workdir: "", pgid: 0, data_bytes_max: 0, reason: "", notes: [],
  };
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly file: string;
  private readonly waitMs: number;
  private readonly lines: string[] = [];
  private waiter: ((line: string | null) => void) | undefined;
  private exited = false;
  private stopping = false;
  private stderrTail: string[] = [];
  private ended: string | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** Raw `ret` of each step and the call it made (for refs and wake results). */
  private readonly rets = new Map<number, number>();
  private readonly calls = new Map<number, CallName>();
  private lateMax = -1;
  /** Held from the first step that uses time until the session closes (timeline-lock.ts). */
  private unlockTimeline: Unlock | undefined;

  private constructor(child: ChildProcessWithoutNullStreams, opts: HostOptions) {
    this.child = child;
    this.file = opts.file ?? "<trace>";
    this.waitMs = (opts.watchdogMs ?? 2000) + DRIVER_GRACE_MS;
    const onStderr = opts.onStderr ?? ((line: string) => process.stderr.write(`${line}\n`));
    // An agent that exits at once (a refused start) closes its stdin: the exit says why.
    child.stdin.on("error", () => undefined);
    splitLines(child.stdout, (line) => this.push(line));
    splitLines(child.stderr, (line) => {
      this.stderrTail = [...this.stderrTail.slice(-9), line];
      onStderr(line);
    });
    child.on("close", () => {
      this.exited = true;
      live.delete(child);
      this.push(null);
    });
    child.on("error", (e) => {
      this.stderrTail.push(String(e));
      this.exited = true;
      this.push(null);
    });
    live.add(child);
  }

  /** Starts an agent and sets the header's sysctls. */
  static async start(header: Header, opts: HostOptions = {}): Promise<HostSession> {
    const support = hostSupport(opts.agent);
    if (!support.ok) throw new HostFault(support.reason);
    const args = ["--watchdog-ms", String(opts.watchdogMs ?? 2000)];
    if (opts.unsafeNoNamespaces) args.push("--unsafe-no-namespaces");
    if (opts.testCalls) args.push("--test-calls");
    const child = spawn(support.agent, args, { stdio: ["pipe", "pipe", "pipe"] });
    const session = new HostSession(child, opts);
    const reply = await session.request(encodeInit(header.params, header.realtime), "start");
    if (!("ready" in reply)) {
      await session.close();
      const why = reply.fault ?? JSON.stringify(reply);
      throw new HostFault(`${session.file}: host fault at start: ${why}`);
    }
    session.ready = reply as AgentReady;
    return session;
  }

  /** false when running in the no-namespace fallback. */
  get namespaces(): boolean {
    return this.ready.namespaces;
  }

  /** Why there are no namespaces ("" when there are). */
  get reason(): string {
    return this.ready.reason;
  }

  /** What the agent could not do as asked (e.g. a sysctl that is not namespaced). */
  get notes(): readonly string[] {
    return this.ready.notes;
  }

  /** The largest lateness (ns) at the end of a step so far: how long after its instant's
   * ideal real time it ended (docs/host-bridge.md "Time"); -1 before time is first paced. */
  get worstLateNs(): number {
    return this.lateMax;
  }

  /** The private directory that trace paths are relative to. */
  get workdir(): string {
    return this.ready.workdir;
  }

  /** Runs one step to quiescence and returns its outcome. Steps run one at a time, in call
   * order. Throws InvalidStepError (the session goes on) or HostFault (the session is over). */
  step(step: Step): Promise<Outcome> {
    return this.serial(async () => {
      const problems = stepQuantumProblems(step, this.file);
      if (problems.length) throw new QuantumError(`${problems.join("\n")}\n${QUANTUM_RULE}`);
      if (usesTimeline(step)) {
        paceDriver();
        this.unlockTimeline ??= await lockTimeline();
      }
      const line = encodeStep(step, (arg) => this.address(step, arg));
      this.calls.set(step.index, step.call);
      const reply = (await this.request(line, this.where(step))) as AgentReply;
      this.check(reply, step);
      if (reply.late_ns !== undefined) this.lateMax = Math.max(this.lateMax, reply.late_ns);
      const outcome = decodeOutcome(step, reply, (k) => this.calls.get(k) ?? step.call);
      this.remember(step.index, reply.result);
      for (const e of reply.events ?? []) if ("wake" in e) this.remember(e.step, e.result);
      return outcome;
    });
  }

  /** Test only (session started with testCalls): `pid` runs on the CPU for `ms` without
   * sleeping, so the step cannot settle: with a shorter watchdog this is a HostFault. */
  testSpin(index: number, pid: number, ms: number): Promise<AgentReply> {
    return this.testCall(encodeSpin(index, pid, ms), index, "spin");
  }

  /** Test only (session started with testCalls): `pid` makes host syscall `nr` (seccomp
   * tests). The reply's result has the raw ret and errno. */
  testRawSyscall(index: number, pid: number, nr: number, args: number[] = []): Promise<AgentReply> {
    return this.testCall(encodeRawSyscall(index, pid, nr, args), index, "raw syscall");
  }

  private testCall(line: string, index: number, what: string): Promise<AgentReply> {
    return this.serial(async () => {
      const reply = (await this.request(line, `${what} at ${index}`)) as AgentReply;
      if (reply.fault !== undefined) {
        throw this.fail(`${this.file}: step ${index}: host fault: ${reply.fault}`);
      }
      if (reply.inconclusive !== undefined) {
        const message = `${this.file}: step ${index}: inconclusive: ${reply.inconclusive}`;
        this.fail(message);
        throw new HostInconclusive(message);
      }
      return reply;
    });
  }

  /** Stops the agent (stop()): with namespaces its pid 1 dies with it (parent-death signal),
   * and with pid 1 every traced process and IPC object; without, it removes them itself. Then
   * close() as usual (it waits for the agent's exit). */
  abort(): void {
    this.fail("the session was aborted");
  }

  /** Ends the session: the agent exits, and with it every traced process and IPC object. */
  async close(): Promise<void> {
    if (!this.exited) {
      // End of input is the normal end; an agent still inside a step gets stop()'s SIGTERM.
      this.child.stdin.end();
      const timer = setTimeout(() => this.stop(), CLOSE_WAIT_MS);
      this.child.once("close", () => clearTimeout(timer));
      await new Promise<void>((resolve) => {
        if (this.exited) resolve();
        else this.child.once("close", () => resolve());
      });
    }
    this.ended ??= "the session is closed";
    this.unlockTimeline?.();
    // The agent removes its work directory; if it was killed, remove it here.
    const dir = this.workdir;
    if (dir && dirname(dir) === tmpdirOf() && basename(dir).startsWith("ipcsim-")) {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  private where(step: Step): string {
    return `${this.file}:${step.line}: step ${step.index} (pid ${step.pid} ${step.call})`;
  }

  private check(reply: AgentReply, step: Step): void {
    if (reply.invalid !== undefined) {
      throw new InvalidStepError(`${this.where(step)}: invalid trace: ${reply.invalid}`);
    }
    if (reply.fault !== undefined) {
      const raw = JSON.stringify(step.raw);
      throw this.fail(`${this.where(step)}: host fault: ${reply.fault}\n  step: ${raw}`);
    }
    if (reply.inconclusive !== undefined) {
      const message = `${this.where(step)}: inconclusive: ${reply.inconclusive}`;
      this.fail(message);
      throw new HostInconclusive(message);
    }
    if (reply.step !== step.index) {
      throw this.fail(`${this.where(step)}: agent replied for step ${reply.step}`);
    }
  }

  private fail(message: string): HostFault {
    this.ended = message;
    this.stop();
    return new HostFault(message);
  }

  /** Asks the agent to stop (end of input, then SIGTERM: agent.c cleans up and exits) and kills
   * it only if it has not exited CLEANUP_WAIT_MS later: an agent that reported a fault is
   * removing its processes and IPC objects, and a SIGKILL then would leak them. */
  private stop(): void {
    if (this.exited || this.stopping) return;
    this.stopping = true;
    this.child.stdin.end();
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), CLEANUP_WAIT_MS);
    this.child.once("close", () => clearTimeout(timer));
  }

  private address(step: Step, arg: IntArg): number {
    if (typeof arg === "number") return arg;
    const ret = this.rets.get(arg.ref);
    if (ret === undefined) {
      throw new InvalidStepError(`${this.where(step)}: invalid trace: ref ${arg.ref} names a ` +
        "step without a result on the host");
    }
    return ret + arg.offset;
  }

  private remember(index: number, result: AgentReply["result"]): void {
    if (result !== undefined && result !== "blocked") this.rets.set(index, result.ret);
  }

  private serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Sends one line and waits for the agent's answer line. */
  private async request(line: string, what: string): Promise<AgentReply | AgentReady> {
    if (this.ended !== undefined) throw new HostFault(`${what}: ${this.ended}`);
    if (this.exited) throw this.fail(`${what}: the agent has exited${this.stderrNote()}`);
    this.child.stdin.write(`${line}\n`);
    const answer = await this.nextLine(what);
    try {
      return JSON.parse(answer) as AgentReply | AgentReady;
    } catch {
      throw this.fail(`${what}: the agent wrote a line that is not JSON: ${answer.slice(0, 200)}`);
    }
  }

  private nextLine(what: string): Promise<string> {
    const ready = this.lines.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(this.fail(`${what}: the agent did not answer in ${this.waitMs} ms (killed)`));
      }, this.waitMs);
      this.waiter = (line) => {
        clearTimeout(timer);
        this.waiter = undefined;
        if (line === null) reject(this.fail(`${what}: the agent exited${this.stderrNote()}`));
        else resolve(line);
      };
    });
  }

  private push(line: string | null): void {
    if (this.waiter) this.waiter(line);
    else if (line !== null) this.lines.push(line);
  }

  private stderrNote(): string {
    return this.stderrTail.length ? `; its stderr: ${this.stderrTail.join(" | ")}` : "";
  }
}

/** A step the agent paces (agent/time.c time_needs_anchor): a time call, a semtimedop with a
 * timeout, or a futex wait, an mq_timedsend/mq_timedreceive, a sigtimedwait, a ppoll or a
 * pselect6 with a valid timeout above 0 (0 expires at once anywhere), a poll or a select with
 * a timeout above 0. */
export function usesTimeline(step: Step): boolean {
  if (step.call === "futex") {
    const cmd = futexCommand(step.args.op);
    return (cmd === FUTEX_WAIT || cmd === FUTEX_WAIT_BITSET) && laterThanZero(step.args.timeout);
  }
  if (step.call === "poll") return step.args.timeout > 0;
  if (step.call === "select") {
    const t = step.args.timeout;
    return t !== null && t.usec >= 0 && (t.sec > 0 || t.usec > 0);
  }
  if (step.call === "pselect6") return laterThanZero(step.args.timeout);
  if (step.call === "mq_timedsend" || step.call === "mq_timedreceive" ||
    step.call === "sigtimedwait" || step.call === "ppoll") {
    return laterThanZero(step.args.timeout);
  }
  return callSpec(step.call).mechanism === "time" ||
    (step.call === "semtimedop" && step.args.timeout !== null);
}

/** A valid timeout above 0: one that can expire later than now (0, or an absolute 0, has
 * expired at once wherever the host is, and an invalid one is EINVAL). */
function laterThanZero(t: { sec: number; nsec: number } | null): boolean {
  return t !== null && t.sec >= 0 && t.nsec >= 0 && t.nsec < 1e9 && (t.sec > 0 || t.nsec > 0);
}

const { FUTEX_WAIT, FUTEX_WAIT_BITSET } = FLAGS.futex;

/** Once a trace uses time, the driver is part of the paced loop (an instant's steps, round
 * trips included, must fit its budget): it runs at nice -20 like the agent, if allowed. */
let paced = false;
function paceDriver(): void {
  if (paced) return;
  paced = true;
  try {
    setPriority(-20);
  } catch {
    // Not allowed: the budget may be missed under load (the run is then inconclusive).
  }
}

function tmpdirOf(): string {
  return process.env.TMPDIR || tmpdir();
}

function splitLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let rest = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    const parts = (rest + chunk).split("\n");
    rest = parts.pop() ?? "";
    for (const part of parts) onLine(part);
  });
}

/** Runs a whole trace on the host and returns one outcome per step. A trace whose times are not
 * whole quanta is refused before it runs (QuantumError). On an invalid step, a host fault or an
 * inconclusive run (HostInconclusive, a HostFault), throws it with the outcomes so far in its
 * `outcomes`. */
export async function runOnHost(trace: Trace, opts: HostOptions = {}): Promise<Outcome[]> {
  checkQuantum(trace);
  const session = await HostSession.start(trace.header, { file: trace.file, ...opts });
  const outcomes: Outcome[] = [];
  try {
    for (const step of trace.steps) outcomes.push(await session.step(step));
    return outcomes;
  } catch (e) {
    if (e instanceof HostFault || e instanceof InvalidStepError) e.outcomes = outcomes;
    throw e;
  } finally {
    await session.close();
  }
}
