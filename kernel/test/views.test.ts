// The state-view exports bounds-check their arguments (issue 22: "the state-view exports trap
// on out-of-range indices and read outside their tables on negative ones"). Each export is
// called with a negative index, the most negative i32, its table's size and the largest i32,
// and must return its sentinel without trapping; and with a live object, its value.

import { describe, expect, test } from "vitest";
import { ModelReplay } from "../../sim/model/engine.js";
import { parseTrace } from "../../sim/trace/parse.js";

const LINES = [
  `{"trace":"ipcsim","version":1,"name":"views"}`,
  `{"pid":2,"call":"msgget","key":"IPC_PRIVATE","flags":["IPC_CREAT"],"mode":"0600"}`,
  `{"pid":2,"call":"semget","key":"IPC_PRIVATE","nsems":3,"flags":["IPC_CREAT"],"mode":"0600"}`,
  `{"pid":2,"call":"shmget","key":"IPC_PRIVATE","size":8192,"flags":["IPC_CREAT"],"mode":"0600"}`,
  `{"pid":2,"call":"shmat","shmid":0,"shmaddr":0,"flags":[]}`,
  `{"pid":2,"call":"pipe"}`,
  `{"pid":2,"call":"mkfifo","path":"f","mode":"0644"}`,
];

function kernelWithObjects() {
  const trace = parseTrace(LINES.join("\n") + "\n", "views");
  const model = new ModelReplay(trace, {});
  for (const step of trace.steps) {
    model.step(step);
    model.choose(() => true);
  }
  return model.kernel;
}

const BAD = (size: number) => [-1, -(2 ** 31), size, 2 ** 31 - 1];

describe("state views: bounds-checked", () => {
  const k = kernelWithObjects();
  const x = k.x;
  const IPCMNI = 32768;

  // [export, table size, sentinel, a live index and what it gives there (undefined: any)]
  const oneArg: [string, (i: number) => number, number, number, number, number | undefined][] = [
    ["k_view_msg_qnum", x.k_view_msg_qnum, IPCMNI, -1, 0, 0],
    ["k_view_msg_cbytes", x.k_view_msg_cbytes, IPCMNI, -1, 0, 0],
    ["k_view_sem_nsems", x.k_view_sem_nsems, IPCMNI, -1, 0, 3],
    ["k_view_shm_segsz", x.k_view_shm_segsz, IPCMNI, -1, 0, 8192],
    ["k_view_shm_nattch", x.k_view_shm_nattch, IPCMNI, -1, 0, 1],
    ["k_view_vma_next", x.k_view_vma_next, 65537, 0, -1, undefined],
    ["k_view_vma_start", x.k_view_vma_start, 65537, 0, -1, undefined],
    ["k_view_vma_end", x.k_view_vma_end, 65537, 0, -1, undefined],
    ["k_view_vma_prot", x.k_view_vma_prot, 65537, -1, -1, 3],
    ["k_view_vma_shared", x.k_view_vma_shared, 65537, -1, -1, 1],
    ["k_view_vma_shmid", x.k_view_vma_shmid, 65537, -1, -1, undefined],
    ["k_file_kind", x.k_file_kind, 65536, -1, -1, undefined],
    ["k_file_flags", x.k_file_flags, 65536, -1, -1, undefined],
    ["k_file_fmode", x.k_file_fmode, 65536, -1, -1, undefined],
    ["k_file_pipe", x.k_file_pipe, 65536, -1, -1, undefined],
    ["k_pipe_in_use", x.k_pipe_in_use, x.k_npipe(), -1, 0, 1],
    ["k_pipe_readers", x.k_pipe_readers, x.k_npipe(), -1, 0, 1],
    ["k_pipe_writers", x.k_pipe_writers, x.k_npipe(), -1, 0, 1],
    ["k_pipe_bytes", x.k_pipe_bytes, x.k_npipe(), -1, 0, 0],
    ["k_pipe_slots", x.k_pipe_slots, x.k_npipe(), -1, 0, 0],
    ["k_pipe_max_slots", x.k_pipe_max_slots, x.k_npipe(), -1, 0, 16],
    ["k_pipe_inode", x.k_pipe_inode, x.k_npipe(), -1, 0, -1],
    ["k_pipe_serial", x.k_pipe_serial, x.k_npipe(), -1, 0, 1],
    // Row 0 is the root directory; the FIFO is row 1.
    ["k_inode_in_use", x.k_inode_in_use, x.k_ninode(), -1, 1, 1],
    ["k_inode_linked", x.k_inode_linked, x.k_ninode(), -1, 1, 1],
    ["k_inode_pipe", x.k_inode_pipe, x.k_ninode(), -1, 1, undefined],
    ["k_inode_name", x.k_inode_name, x.k_ninode(), 0, 1, 1],
    ["k_woken_at", x.k_woken_at, 0, 0, -1, undefined],
    ["k_woken_after", x.k_woken_after, x.k_nproc(), 0, 2, 0],
    ["k_proc_state", x.k_proc_state, x.k_nproc(), 0, 2, undefined],
    ["k_proc_parent", x.k_proc_parent, x.k_nproc(), 0, 2, 1],
    ["k_proc_call", x.k_proc_call, x.k_nproc(), -1, -1, undefined],
    ["k_proc_exit_status", x.k_proc_exit_status, x.k_nproc(), 0, -1, undefined],
    ["k_proc_deadline", x.k_proc_deadline, x.k_nproc(), -1, 2, -1],
    ["k_view_vma_first", x.k_view_vma_first, x.k_nproc(), 0, -1, undefined],
  ];
  for (const [name, f, size, sentinel, live, value] of oneArg) {
    test(`${name}: ${sentinel} out of its table, the value in it`, () => {
      for (const i of BAD(size)) expect(f(i), `${name}(${i})`).toBe(sentinel);
      if (live >= 0 && value !== undefined) expect(f(live), `${name}(${live})`).toBe(value);
    });
  }

  test("k_view_vma_*: a live region reads its bounds", () => {
    const n = x.k_view_vma_first(2);
    expect(n).toBeGreaterThan(0);
    expect(x.k_view_vma_end(n) >>> 0).toBe((x.k_view_vma_start(n) >>> 0) + 8192);
    expect(x.k_view_vma_shmid(n)).toBe(x.k_view_ipc_id(2, 0));
    expect(x.k_view_vma_next(n)).toBe(0);
  });

  for (const name of ["k_view_ipc_id", "k_view_ipc_key", "k_view_ipc_mode"] as const) {
    test(`${name}: -1 for a bad type or index, the object's value for a live one`, () => {
      const f = x[name];
      for (const type of [-1, 3, 2 ** 31 - 1]) expect(f(type, 0)).toBe(-1);
      for (const type of [0, 1, 2]) {
        for (const i of BAD(IPCMNI)) expect(f(type, i), `${name}(${type}, ${i})`).toBe(-1);
        expect(f(type, 1)).toBe(-1); // a free slot
        expect(f(type, 0)).not.toBe(-1);
      }
    });
  }

  test("k_view_ipc_in_use, k_view_ipc_max_idx: -1 for a bad type", () => {
    for (const type of [-1, 3, -(2 ** 31), 2 ** 31 - 1]) {
      expect(x.k_view_ipc_in_use(type)).toBe(-1);
      expect(x.k_view_ipc_max_idx(type)).toBe(-1);
    }
    expect(x.k_view_ipc_in_use(1)).toBe(1);
  });

  test("k_view_sem_value: -1 for a bad id or number", () => {
    const semid = x.k_view_ipc_id(1, 0);
    for (const num of [-1, 3, 2 ** 31 - 1, -(2 ** 31)]) {
      expect(x.k_view_sem_value(semid, num)).toBe(-1);
    }
    for (const id of [-1, 2 ** 31 - 1, -(2 ** 31)]) expect(x.k_view_sem_value(id, 0)).toBe(-1);
    expect(x.k_view_sem_value(semid, 0)).toBe(0);
  });

  test("k_fd_file: -1 for a bad pid or descriptor", () => {
    for (const fd of [-1, 1024, 2 ** 31 - 1, -(2 ** 31)]) expect(x.k_fd_file(2, fd)).toBe(-1);
    for (const pid of BAD(x.k_nproc())) expect(x.k_fd_file(pid, 0)).toBe(-1);
    expect(x.k_fd_file(2, 3)).toBeGreaterThanOrEqual(0);
  });

  test("k_layout_*: 0 (mode -1) for a table number out of range", () => {
    for (const t of [-1, x.k_layout_count(), 2 ** 31 - 1, -(2 ** 31)]) {
      expect(x.k_layout_base(t)).toBe(0);
      expect(x.k_layout_entry(t)).toBe(0);
      expect(x.k_layout_entries(t)).toBe(0);
      expect(x.k_layout_mode(t)).toBe(-1);
      expect(x.k_layout_touched(t)).toBe(0);
      expect(x.k_layout_live(t)).toBe(0);
    }
  });

  test("k_layout_live: within each table; none of the event log and check arrays", () => {
    for (let t = 0; t < x.k_layout_count(); t++) {
      expect(x.k_layout_live(t)).toBeGreaterThanOrEqual(0);
      expect(x.k_layout_live(t)).toBeLessThanOrEqual(x.k_layout_entries(t));
    }
    for (const t of [9, 10, 12, 13, 14, 15]) expect(x.k_layout_live(t)).toBe(0);
  });

  test("the inspectors' exports: -1 for any bad argument, never a trap", () => {
    const bad = [-1, -(2 ** 31), 2 ** 31 - 1, 65536];
    const some = [...bad, 0, 1, 2, 3];
    for (const a of bad) {
      expect(x.k_view_msg_qbytes(a)).toBe(-1);
      expect(x.k_view_mq(a, 0)).toBe(-1);
      for (const b of some) {
        expect(x.k_view_msg(a, 0, b)).toBe(-1);
        expect(x.k_view_msg(0, a, b)).toBe(-1);
        expect(x.k_view_msg(0, 0, a)).toBe(-1);
        expect(x.k_view_msg_waiter(a, 0, 0, b)).toBe(-1);
        expect(x.k_view_msg_waiter(0, a, 0, b)).toBe(-1);
        expect(x.k_view_msg_waiter(0, b === 1 ? 1 : 0, a, 0)).toBe(-1);
        expect(x.k_view_mq_msg(a, 0, b)).toBe(-1);
        expect(x.k_view_mq_waiter(a, 0, 0, b)).toBe(-1);
        expect(x.k_view_sem_waiter(a, b, 0)).toBe(-1);
        expect(x.k_view_sem_waiter(0, a, b)).toBe(-1);
        expect(x.k_view_semop_wait(a, b, 0)).toBe(-1);
        expect(x.k_view_semop_wait(2, a, b)).toBe(-1);
        expect(x.k_view_sem_undo(a, b, 0)).toBe(-1);
        expect(x.k_view_sem_undo(2, a, b)).toBe(-1);
        expect(x.k_view_pte(a, 0, b)).toBe(-1);
        expect(x.k_view_pte(2, a, 1)).toBe(-1);
      }
    }
    expect(x.k_view_msg_qbytes(0)).toBe(16384);
    expect(x.k_view_sem_waiter(0, -1, 0)).toBe(-1); // no sleeper
    // The segment attached but never touched: no page in the table.
    expect(x.k_view_pte(2, x.k_view_vma_start(x.k_view_vma_first(2)), 0)).toBe(0);
  });

  test("kernel_check still passes", () => k.check());
});
