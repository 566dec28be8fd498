// Shared memory and mappings on random traces heavy in shmget/shmat/shmdt/shmctl,
// mmap/munmap/mprotect, store/load, fork and exit (weights.ts MEM_HEAVY). Each trace is
// replayed on the model as `ipcsim replay --seed` does, while a shadow (mem-shadow.ts) and a
// ledger (mem-ledger.ts) kept from the outcomes alone say what memory must hold; after every
// step the properties below are checked, some of them straight on the kernel (IPC_STAT by an
// idle process, frame counts).
// A failure saves the trace and prints the command that replays it.

import { test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { hostSupport } from "../host-bridge/host.js";
import { ModelReplay } from "../sim/model/engine.js";
import { Prng } from "../sim/prng.js";
import type { Outcome, Step } from "../sim/trace/types.js";
import { CALLS, FLAGS } from "../wasm/abi.js";
import type { Kernel } from "../wasm/kernel.js";
import { traceArb, type GeneratedTrace } from "./arbitraries.js";
import { modelAllowsWhatLinuxDoes } from "./host-diff.js";
import { MemLedger, attachments, type AccessError } from "./mem-ledger.js";
import { accessFaults, type Mapping } from "./mem-shadow.js";
import { MEM_HEAVY } from "./weights.js";
import { Shadow } from "./shadow.js";
import { params, replayPath, sharedKernel, withSharedKernel, withTrace } from "./support.js";
import "./timeouts.js";

const OPTS = { stepsMax: 40, weights: MEM_HEAVY };
const IDLE = 1;

/** The check a property makes after each step: a message when it fails. */
type Check = (ctx: StepContext) => string | null;

interface StepContext {
  k: Kernel;
  step: Step;
  shadow: Shadow;
  ledger: MemLedger;
  outcome: Outcome;
  accessError: AccessError | null;
  /** The mappings before the step, by pid. */
  before: Map<number, Mapping[]>;
}

function livePids(shadow: Shadow): number[] {
  return [...shadow.procs.values()].filter((p) => p.state === "live").map((p) => p.pid);
}

/** Replay g on the model, following shadow and ledger, running `check` after every step. */
function runChecked(g: GeneratedTrace, check: Check): void {
  withSharedKernel((k) => followChecked(k, g, check));
}

function followChecked(k: Kernel, g: GeneratedTrace, check: Check): void {
  const model = new ModelReplay(g.trace, {}, k);
  const prng = new Prng(g.seed);
  const shadow = new Shadow(true);
  const ledger = new MemLedger(shadow.mem);
  for (const step of g.trace.steps) {
    const outcome = model.chooseSeeded(model.step(step), prng);
    model.settleView();
    const before = new Map<number, Mapping[]>();
    for (const [pid, list] of shadow.mem.maps) {
      before.set(pid, list.map((m) => ({ ...m, prot: [...m.prot] })));
    }
    const accessError = ledger.access(step, outcome.result);
    ledger.lifetimes(step, outcome, before);
    shadow.apply(step, outcome);
    ledger.settle(livePids(shadow).map((pid) => shadow.mem.mapsOf(pid)));
    const err = check({ k, step, shadow, ledger, outcome, accessError, before });
    if (err) throw new Error(`after step ${step.index} (${step.call} by pid ${step.pid}): ${err}`);
  }
}

/** shm_nattch of id by IPC_STAT straight on the kernel, by an idle process; -errno, or null
 * when no process is idle. */
function nattch(k: Kernel, shadow: Shadow, id: number): number | null {
  const pid = livePids(shadow).find((p) => k.x.k_proc_state(p) === IDLE);
  if (pid === undefined) return null;
  const r = k.syscall(pid, CALLS.shmctl, id, FLAGS.ipcctl.IPC_STAT, k.ioBase);
  if (r < 0) return r;
  const b = k.peek(pid, k.ioBase + 88, 8);
  return b ? new DataView(b.buffer).getInt32(0, true) : null;
}

const checkShared: Check = (c) =>
  (c.accessError && !c.accessError.private ? c.accessError.message : null);
const checkPrivate: Check = (c) => (c.accessError?.private ? c.accessError.message : null);

/** A store or load that faulted (SIGSEGV) where the shadow's page protection (mmap's,
 * shmat's, mprotect's) says it may not, and only there. */
const checkFaults: Check = ({ step, outcome, before }) => {
  if (step.call !== "store" && step.call !== "load") return null;
  const a = step.args.addr;
  if (typeof a !== "object") return null;
  const m = (before.get(step.pid) ?? []).find((x) => x.step === a.ref);
  if (!m) return null;
  const write = step.call === "store";
  const want = accessFaults(m, a.offset, write);
  const got = outcome.events.some((e) => "exit" in e && e.exit === step.pid &&
    "signaled" in e.status && e.status.signaled === "SIGSEGV");
  if (got === want) return null;
  return `${step.call} at ${m.object}+${a.offset} ${got ? "faulted" : "did not fault"}, but ` +
    `its page's protection is ${m.prot[Math.floor(a.offset / 4096)]}`;
};

const checkNattch: Check = ({ k, shadow, ledger }) => {
  const live = livePids(shadow);
  for (const id of shadow.mem.segSize.keys()) {
    const got = nattch(k, shadow, id);
    if (got === null) return null;
    const want = attachments(shadow.mem, live, id);
    if (ledger.destroyed.has(id)) {
      if (got >= 0) {
        return `segment ${id} should be gone (removed, nothing attached) but has nattch ${got}`;
      }
    } else if (got !== want) {
      return `segment ${id}: shm_nattch ${got}, but ${want} attachments are live`;
    }
  }
  return null;
};

const checkFrames: Check = ({ k, ledger }) => {
  const shared = k.x.k_shmem_frames();
  if (shared !== ledger.sharedFrames()) {
    return `objects hold ${shared} frames, ` +
      `but ${ledger.sharedFrames()} pages of live objects were touched`;
  }
  const priv = k.x.k_private_frames();
  if (priv !== ledger.privateFrames()) {
    return `private mappings hold ${priv} frames, ` +
      `but copy-on-write of the touched pages gives ${ledger.privateFrames()}`;
  }
  return null;
};

function property(name: string, file: string, runs: number, check: Check, opts = OPTS): void {
  test.prop([traceArb(opts)], params(runs))(name, (g) => {
    withTrace(file, g, () => runChecked(g, check));
  });
}

property(
  "what one process stores into a shared page is what every other attachment loads",
  "shm-shared-bytes", 60, checkShared,
);
property(
  "a private copy-on-write page never leaks stores across fork",
  "shm-private-bytes", 50, checkPrivate,
);
// shm_nattch counts an attachment's VMAs: an mprotect that splits one adds one, and the pieces
// never merge again (shm_open on the split; kernel/test/cases/shm-nattch-split.jsonl, recorded
// on Linux). The shadow counts shmat calls, so this property draws no mprotect.
property("shm_nattch always equals the number of live attachments", "shm-nattch", 50, checkNattch,
  { ...OPTS, weights: { ...MEM_HEAVY, mprotect: 0 } });
property(
  "a store or load faults exactly where mmap's, shmat's and mprotect's protection forbids it",
  "shm-faults", 50, checkFaults,
);
property(
  "frames in use equal the distinct pages touched and still mapped",
  "shm-frames", 50, checkFrames,
);

test.prop([traceArb(OPTS)], params(60))(
  "kernel_check() holds after every step of a random trace heavy in shared memory and mappings",
  (g) => {
    withTrace("shm-kernel-check", g, () => {
      const { path } = replayPath(g.trace, g.seed, sharedKernel(), { check: true });
      expect(path.length).toBe(g.steps.length);
    });
  },
);

const support = hostSupport();
const reason = support.ok ? "" : ` (skipped: ${support.reason})`;
describe.skipIf(!support.ok)(`shared memory against real Linux${reason}`, () => {
  test.prop([traceArb(OPTS)], params(60))(
    "on random traces heavy in shared memory, mappings, fork and exit, " +
      "Linux's outcome of every step is one the model allows",
    modelAllowsWhatLinuxDoes,
  );
});
