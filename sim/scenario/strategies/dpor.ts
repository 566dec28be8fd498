// Source-DPOR with sleep sets (Abdulla, Aronis, Jonsson and Sagonas, "Optimal dynamic partial
// order reduction", POPL'14, Algorithm 1): an exhaustive search that runs one schedule per
// Mazurkiewicz trace (or a few more), where dfs runs every interleaving. Two steps are
// dependent when they are by one process or their footprints conflict (footprint.ts); runs
// that order every pair of dependent steps alike are equivalent, and one of them stands for all.
//
// Stateless, as dfs is: every run replays a prefix of the decision tree and then goes on with
// fresh choices. At the end of a run, every race (two dependent steps of different processes
// with no step ordered between them) asks for its reversal: at the decision that chose the
// first step, some process that can start the reversed order (an *initial* of the steps that
// do not happen after the first, then the second) is added to the backtrack set, unless one is
// there already (a source set). The next run branches at the deepest decision with a backtrack
// entry not yet explored. Sleep sets skip a process whose next step was explored from an
// equivalent state and commutes with everything since; a run in which every candidate sleeps
// is redundant (it is completed, as a scenario cannot stop halfway, but neither counted as a
// class nor analysed past that point).
//
// The kernel's own nondeterminism is explored whole: which woken process retries first (a
// "woken" decision inside a step: every alternative, and the sleep set is cleared), and a
// pending timer firing (the clock, offered at a decision, is always a backtrack entry there).
// An optional preemption bound (as dfs:P and loom's LOOM_MAX_PREEMPTIONS) skips backtrack
// entries that would exceed it and makes the result `bounded` (incomplete).

import { CLOCK, DECISION_PROC, DECISION_WOKEN, type DecisionKind } from "../decisions.js";
import { MARK, conflicts, type Footprint } from "../footprint.js";
import type { ChoicePoint, Strategy } from "./strategy.js";

/** A decision of the tree on the current path. */
interface Node {
  kind: DecisionKind;
  /** Candidate pids (CLOCK: 0) of a "proc" decision; indices 0..n-1 of a "woken" one. */
  candidates: number[];
  /** Whether choosing other than candidate 0 is a preemption. */
  continuable: boolean;
  /** Preemptions on the path before this decision. */
  preemptionsBefore: number;
  chosen: number;
  /** Candidate values (pids, or woken indices) to explore, and those explored. */
  backtrack: Set<number>;
  done: Set<number>;
  /** Processes asleep at this decision, with their next step's footprint. */
  sleep: Map<number, Footprint>;
  /** The footprint of the step each explored pid took here. */
  took: Map<number, Footprint>;
  /** The run's events before this decision; its state key when the state is cached. */
  at: number;
  key?: string;
}

/** A state seen at a decision (state caching): the processes asleep the first time (fewer
 * when explored again), and every step taken below it in the runs that went through it. */
interface Visit {
  sleep: number[];
  below: Event[];
  seen: Set<string>;
}

/** A step of the current run as observed. */
interface Event {
  pid: number;
  fp: Footprint;
  /** The "proc" decision that chose this step, or -1 (a single candidate). */
  decision: number;
}

export class DporStrategy implements Strategy {
  readonly name: string;
  private path: Node[] = [];
  private events: Event[] = [];
  private finished = false;
  /** Where the next run branches (a decision index), or -1 for the first run. */
  private branch = -1;
  private pendingDecision = -1;
  private wokenInStep = false;
  /** The sleep set as the run goes, from the branch point on (null before it). */
  private sleepNow: Map<number, Footprint> | null = null;
  /** The step from which this run is redundant (every candidate slept), or -1. */
  private redundantFrom = -1;
  /** Runs begun, runs that were not redundant (Mazurkiewicz traces), races seen. */
  runs = 0;
  classes = 0;
  races = 0;
  /** A backtrack entry was skipped for the preemption bound: the search is incomplete. */
  bounded = false;
  /** Runs cut at a state explored before (state caching). */
  cached = 0;
  private readonly visited = new Map<string, Visit>();
  /** The visit this run reached again, where it stopped being analysed. */
  private pruned: Visit | null = null;

  /** `cache`: prune states explored before where the run offers state keys (a trace run as a
   * program; not with a preemption bound, whose count a key does not hold). */
  constructor(readonly bound = Infinity, private readonly cache = true) {
    this.name = bound === Infinity ? "dpor" : `dpor:${bound}`;
  }

  get exhausted(): boolean {
    return this.finished;
  }

  /** Whether the last run was redundant (sleep-set blocked). */
  get lastRedundant(): boolean {
    return this.redundantFrom >= 0;
  }

  begin(): boolean {
    if (this.finished) return false;
    this.runs++;
    this.events = [];
    this.pendingDecision = -1;
    this.wokenInStep = false;
    this.redundantFrom = -1;
    this.pruned = null;
    this.sleepNow = this.branch < 0 ? new Map() : null;
    return true;
  }

  choose(cp: ChoicePoint): number {
    const d = cp.index;
    if (cp.kind === DECISION_WOKEN) this.wokenInStep = true;
    else this.pendingDecision = d;
    if (d < this.path.length) return this.replay(d, cp);
    return this.fresh(d, cp);
  }

  /** A decision of the prefix: the choice made before, or the new one at the branch point. */
  private replay(d: number, cp: ChoicePoint): number {
    const node = this.path[d];
    const values = valuesOf(cp);
    if (values.length !== node.candidates.length ||
      values.some((v, i) => v !== node.candidates[i])) {
      throw new Error(`dpor: decision ${d} offered [${values}] where an earlier run had ` +
        `[${node.candidates}]: the scenario is not deterministic (it reads a clock, ` +
        "Math.random or state kept between runs)");
    }
    if (d !== this.branch) return node.chosen;
    // The branch point: asleep are what slept here and the alternatives explored before.
    this.sleepNow = new Map();
    if (node.kind === DECISION_PROC) {
      for (const [pid, fp] of [...node.sleep, ...node.took]) {
        if (pid !== node.candidates[node.chosen]) this.sleepNow.set(pid, fp);
      }
    }
    return node.chosen;
  }

  private fresh(d: number, cp: ChoicePoint): number {
    const values = valuesOf(cp);
    const prev = this.path[d - 1];
    const preemptionsBefore = prev === undefined ? 0 :
      prev.preemptionsBefore + (isPreemption(prev, prev.chosen) ? 1 : 0);
    const sleep = this.sleepNow ?? new Map<number, Footprint>();
    const node: Node = {
      kind: cp.kind, candidates: values, continuable: cp.candidates[0] === cp.last,
      preemptionsBefore, chosen: 0, backtrack: new Set(), done: new Set(),
      sleep: new Map(sleep), took: new Map(), at: this.events.length,
    };
    if (cp.kind === DECISION_WOKEN) {
      for (const v of values) node.backtrack.add(v); // the kernel's choice: all of them
    } else {
      const awake = values.findIndex((pid) => !sleep.has(pid));
      if (awake < 0 && this.redundantFrom < 0) this.redundantFrom = this.events.length;
      node.chosen = awake < 0 ? 0 : awake;
      if (cp.state && this.cache && this.bound === Infinity && this.redundantFrom < 0) {
        this.visit(node, cp.state(), sleep);
      }
    }
    if (this.redundantFrom >= 0) {
      // Past a redundant point nothing is explored: every candidate counts as done.
      for (const v of values) node.done.add(v);
    }
    node.backtrack.add(values[node.chosen]);
    node.done.add(values[node.chosen]);
    this.path.push(node);
    // A timer that may fire here is a choice of the kernel's, like a woken order: explored at
    // every decision that offers it. (Races cannot find it: a timer that a later step cancels
    // never fires in the run, so no race names it.)
    if (cp.kind === DECISION_PROC && values.includes(CLOCK)) this.addEntry(node, CLOCK);
    return node.chosen;
  }

  /** A state explored before with no more processes awake than now is cut here: what can
   * happen from it was explored then, and the steps taken below it stand for this run's
   * continuation when races are sought (end). Else it is explored, and remembered. */
  private visit(node: Node, key: string, sleep: Map<number, Footprint>): void {
    const v = this.visited.get(key);
    if (v && v.sleep.every((pid) => sleep.has(pid))) {
      this.redundantFrom = this.events.length;
      this.pruned = v;
      this.cached++;
      return;
    }
    node.key = key;
    if (v) v.sleep = v.sleep.filter((pid) => sleep.has(pid));
    else this.visited.set(key, { sleep: [...sleep.keys()], below: [], seen: new Set() });
  }

  observe(pid: number, fp: Footprint): void {
    const decision = this.pendingDecision;
    this.pendingDecision = -1;
    this.events.push({ pid, fp, decision });
    if (decision >= 0) this.path[decision].took.set(pid, fp);
    const sleep = this.sleepNow;
    if (sleep === null) return;
    if (this.wokenInStep) sleep.clear();
    for (const [q, qfp] of sleep) if (q === pid || conflicts(qfp, fp)) sleep.delete(q);
    this.wokenInStep = false;
  }

  end(): void {
    if (this.redundantFrom < 0) this.classes++;
    const n = this.redundantFrom < 0 ? this.events.length : this.redundantFrom;
    const events = this.events.slice(0, n);
    const after = this.pruned?.below ?? [];
    const hb = happensBefore(events);
    for (let j = 0; j < n; j++) this.racesOf(events, hb, j);
    // A run cut at a cached state: each step taken below it before may come next.
    for (const e of after) {
      const all = [...events, e];
      this.racesOf(all, withLast(hb, all), n);
    }
    this.remember(events, after);
    this.next();
  }

  /** The races of step j with the steps before it: each adds a backtrack entry where its
   * reversal starts. */
  private racesOf(events: Event[], hb: Hb, j: number): void {
    const reach = new Uint32Array(hb.words);
    for (let i = 0; i < j; i++) if (hb.dep(i, j)) orInto(reach, hb.of[i]);
    for (let i = 0; i < j; i++) {
      if (events[i].pid === events[j].pid || !hb.dep(i, j) || has(reach, i)) continue;
      if (enables(events[i], events[j].pid)) continue;
      this.races++;
      this.reverse(events, hb, i, j);
    }
  }

  /** Every cached state this run went through gets the steps taken below it. */
  private remember(events: Event[], after: Event[]): void {
    const all = [...events, ...after];
    const sigs = all.map((e) => `${e.pid} ${[...e.fp].join(" ")}`);
    for (const node of this.path) {
      const v = node.key === undefined ? undefined : this.visited.get(node.key);
      if (!v) continue;
      for (let i = node.at; i < all.length; i++) {
        if (v.seen.has(sigs[i])) continue;
        v.seen.add(sigs[i]);
        v.below.push({ pid: all[i].pid, fp: all[i].fp, decision: -1 });
      }
    }
  }

  /** The race (i, j): make sure some initial of notdep(i).j is explored at i's decision. */
  private reverse(events: Event[], hb: Hb, i: number, j: number): void {
    const d = events[i].decision;
    if (d < 0) return; // i's process was the only one that could step: no reversal starts here
    const node = this.path[d];
    const v: number[] = [];
    for (let k = i + 1; k < j; k++) if (!has(hb.of[k], i)) v.push(k);
    v.push(j);
    const initials: number[] = [];
    for (let a = 0; a < v.length; a++) {
      const k = v[a];
      let first = true;
      for (let b = 0; b < a && first; b++) if (has(hb.of[k], v[b])) first = false;
      if (first && !initials.includes(events[k].pid)) initials.push(events[k].pid);
    }
    if (initials.some((pid) => node.backtrack.has(pid))) return;
    const enabled = initials.filter((pid) => node.candidates.includes(pid));
    const pick = enabled.includes(events[j].pid) ? [events[j].pid] : enabled.slice(0, 1);
    // No initial could step here (the footprints missed an enabling): all of them, to be safe.
    for (const pid of pick.length > 0 ? pick : node.candidates) this.addEntry(node, pid);
  }

  private addEntry(node: Node, pid: number): void {
    const at = node.candidates.indexOf(pid);
    if (node.preemptionsBefore + (isPreemption(node, at) ? 1 : 0) > this.bound) {
      this.bounded = true;
      return;
    }
    node.backtrack.add(pid);
  }

  /** The deepest decision with an entry to explore becomes the next run's branch point. */
  private next(): void {
    for (let d = this.path.length - 1; d >= 0; d--) {
      const node = this.path[d];
      for (const v of node.backtrack) {
        if (node.done.has(v)) continue;
        node.done.add(v);
        if (node.kind === DECISION_PROC && node.sleep.has(v)) continue;
        node.chosen = node.candidates.indexOf(v);
        node.took.delete(v);
        this.path.length = d + 1;
        this.branch = d;
        return;
      }
    }
    this.finished = true;
  }
}

/** Whether conflicting steps i < j are a join: a waitpid for one given child and that
 * child's exit, in either order (i a waitpid that went to sleep and j the exit that woke it
 * with its result, or i the exit and j a waitpid that reaped it at once), with nothing in
 * between touching what the waitpid touched. Both orders are the same behaviour (the wait
 * returns the same status; nobody saw the waiter sleep), as a join of a running thread is no
 * event in loom or Nidhugg: the two are independent (happensBefore), so the join neither
 * asks for its reversal nor orders the steps around it. Not a wait for any child (which
 * child it reaps is a choice), nor when the waiter catches or blocks SIGCHLD: then the
 * signal's handler runs before the wait in one order and after it in the other. */
function isJoin(events: Event[], i: number, j: number): boolean {
  const [a, b] = [events[i], events[j]];
  let wait: Event;
  let child: Event;
  if (a.fp.has(`${MARK}waitpid`) && a.fp.has(`${MARK}blocked`)) {
    // Woken by the exit of a child it reaps; not by a signal (EINTR).
    if (!b.fp.has(`${MARK}exit`) || !b.fp.has(`${MARK}completes:${a.pid}`)) return false;
    [wait, child] = [a, b];
  } else if (a.fp.has(`${MARK}exit`) && b.fp.has(`${MARK}reaps:${a.pid}`)) {
    [wait, child] = [b, a];
  } else {
    return false;
  }
  // A wait for any child chooses which it reaps: the other order may give it another one.
  if (!wait.fp.has(`${MARK}for:${child.pid}`)) return false;
  if (wait.fp.has(`sigchld:${wait.pid}`)) return false;
  for (let k = i + 1; k < j; k++) {
    // A step that completed the waiter's previous call only let it make this one.
    const e = events[k];
    if (e.pid !== wait.pid && e.fp.has(`${MARK}completes:${wait.pid}`)) continue;
    if (conflicts(e.fp, wait.fp)) return false;
  }
  return true;
}

/** Whether `e` made `pid` able to step: it created it (a fork) or completed the call `pid`
 * was asleep in. Every later step of `pid` happens after `e` in any run, so a conflict between
 * them is no race (no run orders them the other way): as a thread's creation and a lock's
 * release enable the next step in Nidhugg. Another step that could have woken `pid` instead
 * races with `e` on the object `pid` slept on, and that race is reversed. */
function enables(e: Event, pid: number): boolean {
  return e.fp.has(`${MARK}completes:${pid}`) || e.fp.has(`${MARK}starts:${pid}`);
}

function valuesOf(cp: ChoicePoint): number[] {
  return cp.kind === DECISION_WOKEN ? cp.candidates.map((_, i) => i) : [...cp.candidates];
}

function isPreemption(node: Node, index: number): boolean {
  return node.kind === DECISION_PROC && node.continuable && index !== 0;
}

/** Happens-before of a run's steps as bitsets: `of[j]` holds every i < j ordered before j. */
interface Hb {
  words: number;
  of: Uint32Array[];
  dep(i: number, j: number): boolean;
}

function happensBefore(events: Event[]): Hb {
  const n = events.length;
  const words = (n + 31) >>> 5;
  const depCache = new Map<number, boolean>();
  const dep = (i: number, j: number): boolean => {
    const key = i * n + j;
    let d = depCache.get(key);
    if (d === undefined) {
      d = dependent(events, i, j);
      depCache.set(key, d);
    }
    return d;
  };
  const of: Uint32Array[] = [];
  for (let j = 0; j < n; j++) {
    const set = new Uint32Array(words);
    for (let i = 0; i < j; i++) {
      if (!dep(i, j)) continue;
      orInto(set, of[i]);
      set[i >>> 5] |= 1 << (i & 31);
    }
    of.push(set);
  }
  return { words, of, dep };
}

/** Whether steps i < j are ordered: one process's, j's process enabled by i, or footprints
 * that conflict other than as a join. */
function dependent(events: Event[], i: number, j: number): boolean {
  return events[i].pid === events[j].pid || enables(events[i], events[j].pid) ||
    (conflicts(events[i].fp, events[j].fp) && !isJoin(events, i, j));
}

/** `hb` of all but the last of `events`, extended to the last. */
function withLast(hb: Hb, events: Event[]): Hb {
  const n = events.length - 1;
  const words = (n + 32) >>> 5;
  const dep = (i: number, j: number): boolean => j < n ? hb.dep(i, j) : dependent(events, i, j);
  const last = new Uint32Array(words);
  for (let i = 0; i < n; i++) {
    if (!dep(i, n)) continue;
    orInto(last, hb.of[i]);
    last[i >>> 5] |= 1 << (i & 31);
  }
  return { words, of: [...hb.of, last], dep };
}

function orInto(into: Uint32Array, from: Uint32Array): void {
  for (let w = 0; w < from.length; w++) into[w] |= from[w];
}

function has(set: Uint32Array, i: number): boolean {
  return (set[i >>> 5] & (1 << (i & 31))) !== 0;
}
