// The final-state view `replay` prints: processes (and what each is blocked in), zombies,
// open pipes and FIFOs. Read from the kernel through its cold state exports.

import { PROC_STATE } from "../wasm/abi.js";
import type { Kernel } from "../wasm/kernel.js";
import type { Step } from "./trace/types.js";
import { decodeWaitStatus, type WaitStatus } from "../wasm/names.js";

interface ProcView {
  pid: number;
  parent: number;
  state: "idle" | "blocked" | "zombie" | "stopped";
  /** For a blocked process: the call and the step that made it. */
  blockedIn?: { call: string; step: number; line: number };
  status?: WaitStatus;
}

interface PipeView {
  id: number;
  fifo?: string;
  readers: number;
  writers: number;
  bytes: number;
  slots: number;
  capacitySlots: number;
}

/** The kernel's state after a replay, as the text views show it. */
export interface StateView {
  processes: ProcView[];
  pipes: PipeView[];
  fifos: { path: string; open: boolean }[];
}

const NAMES: Record<number, ProcView["state"]> = {
  [PROC_STATE.IDLE]: "idle",
  [PROC_STATE.BLOCKED]: "blocked",
  [PROC_STATE.WOKEN]: "blocked",
  [PROC_STATE.ZOMBIE]: "zombie",
  [PROC_STATE.STOPPED]: "stopped",
};

export function stateView(
  k: Kernel, pending: Map<number, number>, steps: readonly Step[],
): StateView {
  const processes: ProcView[] = [];
  for (let pid = 2; pid < k.x.k_next_pid(); pid++) {
    const s = k.x.k_proc_state(pid);
    if (s === PROC_STATE.UNUSED) continue;
    const v: ProcView = { pid, parent: k.x.k_proc_parent(pid), state: NAMES[s] };
    const at = pending.get(pid);
    if (at !== undefined) v.blockedIn = { call: steps[at].call, step: at, line: steps[at].line };
    if (s === PROC_STATE.ZOMBIE) v.status = decodeWaitStatus(k.x.k_proc_exit_status(pid));
    processes.push(v);
  }
  return { processes, pipes: pipeViews(k), fifos: fifoViews(k) };
}

function inodeName(k: Kernel, i: number): string {
  return new TextDecoder().decode(k.scratch(k.x.k_inode_name(i)));
}

function pipeViews(k: Kernel): PipeView[] {
  const out: PipeView[] = [];
  for (let i = 0; i < k.x.k_npipe(); i++) {
    if (!k.x.k_pipe_in_use(i)) continue;
    const inode = k.x.k_pipe_inode(i);
    const v: PipeView = {
      id: i,
      readers: k.x.k_pipe_readers(i),
      writers: k.x.k_pipe_writers(i),
      bytes: k.x.k_pipe_bytes(i),
      slots: k.x.k_pipe_slots(i),
      capacitySlots: k.x.k_pipe_max_slots(i),
    };
    if (inode >= 0) v.fifo = inodeName(k, inode);
    out.push(v);
  }
  return out;
}

function fifoViews(k: Kernel): { path: string; open: boolean }[] {
  const out: { path: string; open: boolean }[] = [];
  for (let i = 0; i < k.x.k_ninode(); i++) {
    if (!k.x.k_inode_in_use(i) || !k.x.k_inode_linked(i)) continue;
    out.push({ path: inodeName(k, i), open: k.x.k_inode_pipe(i) >= 0 });
  }
  return out;
}

/** The state as text lines, for the terminal. */
export function formatState(v: StateView): string[] {
  const lines: string[] = [];
  for (const p of v.processes) {
    let what: string = p.state;
    const b = p.blockedIn;
    if (b) what = `blocked in ${b.call} (step ${b.step}, line ${b.line})`;
    if (p.status) what = `zombie, ${JSON.stringify(p.status)}`;
    lines.push(`  pid ${p.pid} (parent ${p.parent}): ${what}`);
  }
  for (const p of v.pipes) {
    const name = p.fifo ? `fifo "${p.fifo}"` : `pipe #${p.id}`;
    lines.push(
      `  ${name}: ${p.readers} reader(s), ${p.writers} writer(s), ` +
      `${p.bytes} bytes in ${p.slots}/${p.capacitySlots} slots`,
    );
  }
  for (const f of v.fifos) if (!f.open) lines.push(`  fifo "${f.path}": not open`);
  return lines;
}
