// The HTML view's inspectors in the kernel's own terms, read from the kernel after a step
// (kernel/views.ts): each process's descriptor table and signals (pending, blocked, caught,
// ignored), and each pipe's ring of slots (offset, length, page: the merge rule and a page
// shared by two slots show).

import { signalName } from "../../wasm/names.js";
import type { Kernel } from "../../wasm/kernel.js";
import { inodeName, type StateView } from "../state.js";

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

interface ProcDetail {
  pid: number;
  fds: { fd: number; what: string }[];
  pending: string[];
  blocked: string[];
  caught: string[];
  ignored: string[];
}

interface PipeDetail {
  name: string;
  /** Oldest first: where in its page, how many bytes, may a write merge, the page. */
  slots: { offset: number; len: number; merge: boolean; packet: boolean; page: number }[];
}

export interface Detail {
  processes: ProcDetail[];
  pipes: PipeDetail[];
}

export function inspectKernel(k: Kernel, state: StateView): Detail {
  const processes = state.processes.filter((p) => p.state !== "zombie")
    .map((p) => procDetail(k, p.pid));
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
  return { processes, pipes };
}

function pipeLabel(k: Kernel, i: number): string {
  const inode = k.x.k_pipe_inode(i);
  return inode >= 0 ? `FIFO "${inodeName(k, inode)}"` : `pipe #${k.x.k_pipe_serial(i)}`;
}

function procDetail(k: Kernel, pid: number): ProcDetail {
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
  };
}

function fileText(k: Kernel, f: number): string {
  const kind = k.x.k_file_kind(f);
  if (kind !== FILE_PIPE && kind !== FILE_FIFO) return KIND_NAMES[kind] ?? `file kind ${kind}`;
  const fmode = k.x.k_file_fmode(f);
  const end = fmode === (FMODE_READ | FMODE_WRITE) ? "read and write"
    : fmode & FMODE_READ ? "read end" : "write end";
  return `${pipeLabel(k, k.x.k_file_pipe(f))} ${end}`;
}

/** The names of signals 1-64 for which `has` holds. */
function signals(has: (sig: number) => boolean): string[] {
  const out: string[] = [];
  for (let s = 1; s <= 64; s++) if (has(s)) out.push(signalName(s));
  return out;
}
