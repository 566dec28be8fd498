// The HTML view's inspectors in the kernel's own terms, read from the kernel after a step
// (kernel/views.ts): each process's descriptor table, signals (pending, blocked, caught,
// ignored), undo adjustments and mapped pages (the frame each page-table entry names,
// writable or copy-on-write: a frame two processes share shows as one number), each pipe's
// ring of slots (offset, length, page: the merge rule and a page shared by two slots show),
// the IPC objects' lists (inspect-ipc.ts) and the wait-for graph (waits.ts).

import { signalName } from "../../wasm/names.js";
import type { Kernel } from "../../wasm/kernel.js";
import { sockNameText } from "../scenario/deadlock.js";
import { inodeName, type StateView } from "../state.js";
import {
  type MqDetail, type MsgQueueDetail, type SemSetDetail, type UndoDetail, msgQueues, posixQueues,
  semSets, undoOf,
} from "./inspect-ipc.js";
import type { WaitGraph } from "./waits.js";

/** Descriptors looked at per process (the views' scans, as the deadlock explainer's). */
const FD_SCAN = 256;
const FMODE_READ = 1;
const FMODE_WRITE = 2;
/** kernel/file.ts FILE_* kinds, as the inspector names them. */
const KIND_NAMES: Record<number, string> = {
  1: "/dev/null", 4: "O_PATH", 5: "message queue", 6: "regular file", 7: "directory",
  8: "signalfd",
};
const FILE_PIPE = 2;
const FILE_FIFO = 3;
const FILE_SOCKET = 9;
const FILE_EPOLL = 10;
/** include/linux/net.h SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET. */
const SOCK_TYPES: Record<number, string> = { 1: "stream", 2: "datagram", 5: "seqpacket" };

interface ProcDetail {
  pid: number;
  fds: { fd: number; what: string }[];
  pending: string[];
  blocked: string[];
  caught: string[];
  ignored: string[];
  /** Its SEM_UNDO records (semadj per semaphore), most recently used first. */
  undo: UndoDetail[];
  /** Its mapped pages, lowest first (at most PAGE_SCAN a mapping). */
  pages: PageDetail[];
}

/** A page a process maps and the frame its page-table entry names (a number in the page
 * pool: two processes' entries naming one frame share it), writable or copy-on-write, and the
 * frame's reference count. */
interface PageDetail {
  va: number;
  frame: number;
  writable: boolean;
  cow: boolean;
  refs: number;
}

/** Pages looked at per mapping: a view of where the frames are, not a dump of a large map. */
const PAGE_SCAN = 64;
const PAGE_SIZE = 4096;
/** kernel/vm.ts PTE flags, as k_view_pte gives them. */
const PTE_P = 1;
const PTE_W = 2;
const PTE_COW = 4;

interface PipeDetail {
  name: string;
  /** Oldest first: where in its page, how many bytes, may a write merge, the page. */
  slots: { offset: number; len: number; merge: boolean; packet: boolean; page: number }[];
}

export interface Detail {
  processes: ProcDetail[];
  pipes: PipeDetail[];
  msgQueues: MsgQueueDetail[];
  posixQueues: MqDetail[];
  semSets: SemSetDetail[];
  /** The wait-for graph (sim/view/waits.ts), when a process is blocked. */
  waits?: WaitGraph;
}

export function inspectKernel(k: Kernel, state: StateView, waits?: WaitGraph): Detail {
  const processes = state.processes.filter((p) => p.state !== "zombie")
    .map((p) => procDetail(k, p.pid, p.mappings));
  const pipes: PipeDetail[] = [];
  for (let i = 0; i < k.x.k_npipe(); i++) {
    if (!k.x.k_pipe_in_use(i)) continue;
    const slots: PipeDetail["slots"] = [];
    for (let n = 0; k.x.k_view_pipe_slot(i, n, 1) >= 0; n++) {
      const flags = k.x.k_view_pipe_slot(i, n, 2);
      slots.push({ offset: k.x.k_view_pipe_slot(i, n, 0), len: k.x.k_view_pipe_slot(i, n, 1),
        merge: (flags & 1) !== 0, packet: (flags & 2) !== 0, page: k.x.k_view_pipe_slot(i, n, 3) });
    }
    pipes.push({ name: pipeLabel(k, i), slots });
  }
  const detail: Detail = {
    processes, pipes, msgQueues: msgQueues(k), posixQueues: posixQueues(k), semSets: semSets(k),
  };
  if (waits) detail.waits = waits;
  return detail;
}

function pipeLabel(k: Kernel, i: number): string {
  const inode = k.x.k_pipe_inode(i);
  return inode >= 0 ? `FIFO "${inodeName(k, inode)}"` : `pipe #${k.x.k_pipe_serial(i)}`;
}

function procDetail(
  k: Kernel, pid: number, mappings: StateView["processes"][number]["mappings"],
): ProcDetail {
  const fds: ProcDetail["fds"] = [];
  for (let fd = 0; fd < FD_SCAN; fd++) {
    const f = k.x.k_fd_file(pid, fd);
    if (f >= 0) fds.push({ fd, what: fileText(k, f) });
  }
  const set = (what: number) => signals((s) => {
    const half = k.x.k_view_sig_set(pid, what, s > 32 ? 1 : 0) >>> 0;
    return ((half >>> ((s - 1) % 32)) & 1) === 1;
  });
  return {
    pid, fds, pending: set(0), blocked: set(1),
    caught: signals((s) => k.x.k_view_sig_handler(pid, s) > 1),
    ignored: signals((s) => k.x.k_view_sig_handler(pid, s) === 1),
    undo: undoOf(k, pid), pages: mappings.flatMap((m) => pagesOf(k, pid, m.start, m.end)),
  };
}

/** The present pages of [start, end) (the first PAGE_SCAN pages of it). */
function pagesOf(k: Kernel, pid: number, start: number, end: number): PageDetail[] {
  const out: PageDetail[] = [];
  for (let va = start, n = 0; va < end && n < PAGE_SCAN; va += PAGE_SIZE, n++) {
    const flags = k.x.k_view_pte(pid, va, 0);
    if (flags < 0 || (flags & PTE_P) === 0) continue;
    out.push({ va, frame: k.x.k_view_pte(pid, va, 1), writable: (flags & PTE_W) !== 0,
      cow: (flags & PTE_COW) !== 0, refs: k.x.k_view_pte(pid, va, 2) });
  }
  return out;
}

function fileText(k: Kernel, f: number): string {
  const kind = k.x.k_file_kind(f);
  if (kind === FILE_SOCKET) return socketText(k, k.x.k_file_sock(f));
  if (kind === FILE_EPOLL) {
    let n = 0;
    while (k.x.k_epoll_item_fd(k.x.k_file_epoll(f), n) >= 0) n++;
    return `epoll (${n} watched)`;
  }
  if (kind !== FILE_PIPE && kind !== FILE_FIFO) return KIND_NAMES[kind] ?? `file kind ${kind}`;
  const fmode = k.x.k_file_fmode(f);
  const end = fmode === (FMODE_READ | FMODE_WRITE) ? "read and write"
    : fmode & FMODE_READ ? "read end" : "write end";
  return `${pipeLabel(k, k.x.k_file_pipe(f))} ${end}`;
}

/** `socket #2 stream, peer #1, bound "/tmp/s", 5 bytes unread`: as the data edges and the
 * deadlock text name it. */
function socketText(k: Kernel, i: number): string {
  const parts = [`socket #${k.x.k_sock_serial(i)} ${SOCK_TYPES[k.x.k_sock_type(i)] ?? "?"}`];
  const peer = k.x.k_sock_peer(i);
  if (peer >= 0) parts.push(`peer #${k.x.k_sock_serial(peer)}`);
  const name = sockNameText(k, i);
  if (name !== "") parts.push(`bound "${name}"`);
  const inq = k.x.k_sock_inq(i);
  if (inq > 0) parts.push(`${inq} bytes unread`);
  return parts.join(", ");
}

/** The names of signals 1-64 for which `has` holds. */
function signals(has: (sig: number) => boolean): string[] {
  const out: string[] = [];
  for (let s = 1; s <= 64; s++) if (has(s)) out.push(signalName(s));
  return out;
}
