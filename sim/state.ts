// The final-state view `replay` and `run` print: processes (what each is blocked in, its
// mappings), zombies, open pipes and FIFOs, and the SysV objects as ipcs(1) lists them. Read
// from the kernel through its cold state exports (kernel/index.ts, kernel/views.ts).
//
//   pid 2 (parent 1): blocked in msgrcv (step 5, line 7)
//     0x7fff0000-0x7fff1000 rw-s shmid 0
//   pipe #1: 1 reader, 0 writers, 5 bytes in 1/16 slots
//   ------ Message Queues ------
//   key        msqid perms used-bytes messages
//   0x000004d2 0     600   5          1
//
// Pipes are named by the kernel's serial (#1 the first made), as deadlock explanations name
// them; steps by their index, as the strace view numbers them.

import { FLAGS, PROC_STATE } from "../wasm/abi.js";
import type { Kernel } from "../wasm/kernel.js";
import type { Step } from "./trace/types.js";
import { decodeWaitStatus, type WaitStatus } from "../wasm/names.js";
import { plural } from "./text.js";

/** A region of a process's address space, as /proc/PID/maps shows it. */
interface MappingView {
  start: number;
  end: number;
  /** "rw-s": read, write, execute, shared or private. */
  perms: string;
  /** The SysV segment it maps, if any. */
  shmid?: number;
}

interface ProcView {
  pid: number;
  parent: number;
  state: "idle" | "blocked" | "zombie" | "stopped";
  /** For a blocked process: the call and the step that made it. */
  blockedIn?: { call: string; step: number; line: number };
  status?: WaitStatus;
  mappings: MappingView[];
}

interface PipeView {
  /** The kernel's serial: "pipe #no". */
  no: number;
  fifo?: string;
  readers: number;
  writers: number;
  bytes: number;
  slots: number;
  capacitySlots: number;
}

/** What ipcs(1) lists of each SysV object. */
interface IpcView {
  key: number;
  id: number;
  /** Permission bits. */
  mode: number;
}
interface QueueView extends IpcView { messages: number; bytes: number }
interface SemSetView extends IpcView { nsems: number; values: number[] }
interface SegmentView extends IpcView {
  bytes: number;
  nattch: number;
  /** Removed (IPC_RMID) while attached: it goes at the last detach. */
  dest: boolean;
}

/** The kernel's state after a replay, as the text views show it. */
export interface StateView {
  processes: ProcView[];
  pipes: PipeView[];
  fifos: { path: string; open: boolean }[];
  queues: QueueView[];
  semaphores: SemSetView[];
  segments: SegmentView[];
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
    const v: ProcView = {
      pid, parent: k.x.k_proc_parent(pid), state: NAMES[s], mappings: mappingViews(k, pid),
    };
    const at = pending.get(pid);
    if (at !== undefined) v.blockedIn = { call: steps[at].call, step: at, line: steps[at].line };
    if (s === PROC_STATE.ZOMBIE) v.status = decodeWaitStatus(k.x.k_proc_exit_status(pid));
    processes.push(v);
  }
  return {
    processes, pipes: pipeViews(k), fifos: fifoViews(k), ...ipcViews(k),
  };
}

/** How every view names the pipe at kernel index pi: `pipe #3`, or a FIFO by its path. */
export function pipeName(k: Kernel, pi: number): string {
  const inode = k.x.k_pipe_inode(pi);
  return inode >= 0 ? `FIFO "${inodeName(k, inode)}"` : `pipe #${k.x.k_pipe_serial(pi)}`;
}

function mappingViews(k: Kernel, pid: number): MappingView[] {
  const out: MappingView[] = [];
  const { PROT_READ, PROT_WRITE, PROT_EXEC } = FLAGS.prot;
  for (let n = k.x.k_view_vma_first(pid); n !== 0; n = k.x.k_view_vma_next(n)) {
    const prot = k.x.k_view_vma_prot(n);
    const perms = (prot & PROT_READ ? "r" : "-") + (prot & PROT_WRITE ? "w" : "-") +
      (prot & PROT_EXEC ? "x" : "-") + (k.x.k_view_vma_shared(n) ? "s" : "p");
    const v: MappingView = {
      start: k.x.k_view_vma_start(n) >>> 0, end: k.x.k_view_vma_end(n) >>> 0, perms,
    };
    const shmid = k.x.k_view_vma_shmid(n);
    if (shmid >= 0) v.shmid = shmid;
    out.push(v);
  }
  return out.sort((a, b) => a.start - b.start);
}

const IPC_MSG = 0;
const IPC_SEM = 1;
const IPC_SHM = 2;
/** The SHM_DEST bit of a segment's mode (include/uapi/linux/shm.h). */
const SHM_DEST = 0o1000;

/** The idx and common fields of every object of a type. */
function ipcObjects(k: Kernel, type: number): (IpcView & { idx: number })[] {
  const out: (IpcView & { idx: number })[] = [];
  for (let idx = 0; idx <= k.x.k_view_ipc_max_idx(type); idx++) {
    const id = k.x.k_view_ipc_id(type, idx);
    if (id < 0) continue;
    const key = k.x.k_view_ipc_key(type, idx);
    out.push({ idx, key, id, mode: k.x.k_view_ipc_mode(type, idx) });
  }
  return out;
}

function ipcViews(k: Kernel): Pick<StateView, "queues" | "semaphores" | "segments"> {
  const common = ({ key, id, mode }: IpcView): IpcView => ({ key, id, mode: mode & 0o777 });
  const queues = ipcObjects(k, IPC_MSG).map((o) => ({
    ...common(o), messages: k.x.k_view_msg_qnum(o.idx), bytes: k.x.k_view_msg_cbytes(o.idx),
  }));
  const semaphores = ipcObjects(k, IPC_SEM).map((o) => {
    const nsems = k.x.k_view_sem_nsems(o.idx);
    const values = Array.from({ length: nsems }, (_, i) => k.x.k_view_sem_value(o.id, i));
    return { ...common(o), nsems, values };
  });
  const segments = ipcObjects(k, IPC_SHM).map((o) => ({
    ...common(o), bytes: k.x.k_view_shm_segsz(o.idx) >>> 0,
    nattch: k.x.k_view_shm_nattch(o.idx), dest: (o.mode & SHM_DEST) !== 0,
  }));
  return { queues, semaphores, segments };
}

export function inodeName(k: Kernel, i: number): string {
  return new TextDecoder().decode(k.scratch(k.x.k_inode_name(i)));
}

function pipeViews(k: Kernel): PipeView[] {
  const out: PipeView[] = [];
  for (let i = 0; i < k.x.k_npipe(); i++) {
    if (!k.x.k_pipe_in_use(i)) continue;
    const inode = k.x.k_pipe_inode(i);
    const v: PipeView = {
      no: k.x.k_pipe_serial(i),
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
    for (const m of p.mappings) {
      const shm = m.shmid === undefined ? "" : ` shmid ${m.shmid}`;
      lines.push(`    ${hex(m.start)}-${hex(m.end)} ${m.perms}${shm}`);
    }
  }
  for (const p of v.pipes) {
    const name = p.fifo ? `FIFO "${p.fifo}"` : `pipe #${p.no}`;
    lines.push(
      `  ${name}: ${plural(p.readers, "reader")}, ${plural(p.writers, "writer")}, ` +
      `${plural(p.bytes, "byte")} in ${p.slots}/${p.capacitySlots} slots`,
    );
  }
  for (const f of v.fifos) if (!f.open) lines.push(`  FIFO "${f.path}": not open`);
  lines.push(...ipcsTables(v));
  return lines;
}

const hex = (n: number) => `0x${n.toString(16).padStart(8, "0")}`;

/** The SysV objects as `ipcs` prints them: a table per type, each only when it has rows. */
function ipcsTables(v: StateView): string[] {
  const perms = (mode: number) => mode.toString(8);
  return [
    ...table("Message Queues", ["key", "msqid", "perms", "used-bytes", "messages"],
      v.queues.map((q) => [hex(q.key >>> 0), q.id, perms(q.mode), q.bytes, q.messages])),
    ...table("Semaphore Arrays", ["key", "semid", "perms", "nsems", "values"],
      v.semaphores.map((s) => [
        hex(s.key >>> 0), s.id, perms(s.mode), s.nsems, s.values.join(" "),
      ])),
    ...table("Shared Memory Segments", ["key", "shmid", "perms", "bytes", "nattch", "status"],
      v.segments.map((s) => [
        hex(s.key >>> 0), s.id, perms(s.mode), s.bytes, s.nattch, s.dest ? "dest" : "",
      ])),
  ];
}

function table(title: string, head: string[], rows: (string | number)[][]): string[] {
  if (rows.length === 0) return [];
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r: string[]) => `  ${r.map((c, i) => c.padEnd(widths[i])).join(" ")}`.trimEnd();
  return [`  ------ ${title} ------`, ...cells.map(line)];
}
