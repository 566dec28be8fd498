// Read-only views of kernel state for the simulator (sim/scenario: deadlock explanations and
// end checks). Cold paths: nothing here changes state, allocates, or is called per step.
//
// Linux: no counterpart (the simulator's /proc); values are what ipcs(1) and /proc/PID/fd show.
// Differences: none (views only). Invariants: none of their own (each view reads a mechanism's
// state through that mechanism's accessors, so the mechanism's check covers it); viewsCheck()
// exists for the house rule and checks nothing.

import { IPC_MSG, IPC_SEM, IPC_SHM, ipcInUse, ipcObtainCheck } from "./ipc";
import { array, sem } from "./sem";

/** SysV objects of a type (0 msg, 1 sem, 2 shm) that exist now. */
export function k_view_ipc_in_use(type: i32): i32 {
  if (type != IPC_MSG && type != IPC_SEM && type != IPC_SHM) return -1;
  return ipcInUse(type);
}

/** Number of semaphores in set semid, or -1 when semid names no set. */
export function k_view_sem_nsems(semid: i32): i32 {
  const idx = ipcObtainCheck(IPC_SEM, semid);
  if (idx < 0) return -1;
  return array(idx).nsems;
}

/** semval of semaphore num of set semid, or -1 when there is no such semaphore. */
export function k_view_sem_value(semid: i32, num: i32): i32 {
  const idx = ipcObtainCheck(IPC_SEM, semid);
  if (idx < 0) return -1;
  const a = array(idx);
  if (num < 0 || num >= a.nsems) return -1;
  return sem(a, num).semval;
}

/** sempid of semaphore num of set semid (the last process to operate on it), or -1. */
export function k_view_sem_pid(semid: i32, num: i32): i32 {
  const idx = ipcObtainCheck(IPC_SEM, semid);
  if (idx < 0) return -1;
  const a = array(idx);
  if (num < 0 || num >= a.nsems) return -1;
  return sem(a, num).sempid;
}

export function viewsCheck(): void {}
