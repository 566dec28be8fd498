// The IPC sysctls a trace header may set (`params`), with Linux's defaults. Values live in
// linear memory so that a snapshot carries them.
//
// Linux: ipc/ipc_sysctl.c, fs/pipe.c (pipe_max_size), include/uapi/linux/{msg,sem,shm}.h.

import {
  P_COUNT, P_MSGMAX, P_MSGMNB, P_MSGMNI, P_MSG_NEXT_ID, P_PIPE_MAX_SIZE, P_SEMMNI, P_SEMMNS,
  P_SEMMSL, P_SEMOPM, P_SEM_NEXT_ID, P_SHMALL, P_SHMMAX, P_SHMMNI, P_SHM_NEXT_ID,
  P_SHM_RMID_FORCED, PAGE_SIZE, PIPE_MAX_SIZE_DEFAULT, PIPE_MAX_SLOTS,
} from "./param";

const values: usize = memory.data(P_COUNT * 4, 16);

export function paramsReset(): void {
  paramPut(P_PIPE_MAX_SIZE, PIPE_MAX_SIZE_DEFAULT);
  paramPut(P_MSGMAX, 8192);
  paramPut(P_MSGMNB, 16384);
  paramPut(P_MSGMNI, 32000);
  paramPut(P_SEMMSL, 32000);
  paramPut(P_SEMMNS, 1024000000);
  paramPut(P_SEMOPM, 500);
  paramPut(P_SEMMNI, 32000);
  // shmmax and shmall are ~2^64 on Linux; in a 32-bit model "no limit" is the top of u32.
  paramPut(P_SHMMAX, -1);
  paramPut(P_SHMALL, -1);
  paramPut(P_SHMMNI, 4096);
  paramPut(P_SHM_RMID_FORCED, 0);
  paramPut(P_MSG_NEXT_ID, -1);
  paramPut(P_SEM_NEXT_ID, -1);
  paramPut(P_SHM_NEXT_ID, -1);
}

@inline function paramPut(i: i32, v: i32): void {
  store<i32>(values + <usize>i * 4, v);
}

@inline export function paramGet(i: i32): i32 {
  return load<i32>(values + <usize>i * 4);
}

/** Set a parameter: 0, or -1 for an unknown index or a value the model cannot hold. */
export function paramSet(i: i32, v: i32): i32 {
  if (i < 0 || i >= P_COUNT) return -1;
  // The pipe ring is one page of slot records: 256 slots, a 1 MiB pipe, at most.
  if (i == P_PIPE_MAX_SIZE && (v < PAGE_SIZE || v > PIPE_MAX_SLOTS * PAGE_SIZE)) return -1;
  paramPut(i, v);
  return 0;
}
