// The IPC sysctls and the tmpfs mount options a trace header may set (`params`), with
// Linux's defaults. Values live in
// linear memory so that a snapshot carries them.
//
// Linux: ipc/ipc_sysctl.c, ipc/mq_sysctl.c, fs/pipe.c (pipe_max_size), mm/shmem.c,
// include/uapi/linux/{msg,sem,shm}.h, include/linux/ipc_namespace.h (the mqueue defaults).

import {
  P_COUNT, P_MSGMAX, P_MSGMNB, P_MSGMNI, P_MSG_NEXT_ID, P_PIPE_MAX_SIZE, P_SEMMNI, P_SEMMNS,
  P_SEMMSL, P_SEMOPM, P_SEM_NEXT_ID, P_SHMALL, P_SHMMAX, P_SHMMNI, P_SHM_NEXT_ID,
  P_SHM_RMID_FORCED, PAGE_SIZE, PIPE_MAX_SIZE_DEFAULT, PIPE_MAX_SLOTS, P_MQ_QUEUES_MAX,
  P_MQ_MSG_MAX, P_MQ_MSGSIZE_MAX, P_MQ_MSG_DEFAULT, P_MQ_MSGSIZE_DEFAULT, NMQUEUE,
  P_TMPFS_BLOCKS, P_TMPFS_INODES, TMPFS_BLOCKS, NINODE,
  MQ_HARD_MSGMAX, MQ_MSGSIZE_MIN, MQ_MSGSIZE_HOLD,
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
  paramPut(P_MQ_QUEUES_MAX, 256);
  paramPut(P_MQ_MSG_MAX, 10);
  paramPut(P_MQ_MSGSIZE_MAX, 8192);
  paramPut(P_MQ_MSG_DEFAULT, 10);
  paramPut(P_MQ_MSGSIZE_DEFAULT, 8192);
  paramPut(P_TMPFS_BLOCKS, TMPFS_BLOCKS);
  paramPut(P_TMPFS_INODES, NINODE);
}

@inline function paramPut(i: i32, v: i32): void {
  store<i32>(values + <usize>i * 4, v);
}

@inline export function paramGet(i: i32): i32 {
  return load<i32>(values + <usize>i * 4);
}

/** A /proc/sys/fs/mqueue value Linux takes (ipc/mq_sysctl.c proc_dointvec_minmax; queues_max
 * has no bound there) and the model can hold (queues_max <= NMQUEUE, sizes <= 4 MiB). */
function mqParamOk(i: i32, v: i32): bool {
  if (i == P_MQ_QUEUES_MAX) return v >= 0 && v <= NMQUEUE;
  if (i == P_MQ_MSG_MAX || i == P_MQ_MSG_DEFAULT) return v >= 1 && v <= MQ_HARD_MSGMAX;
  if (i == P_MQ_MSGSIZE_MAX || i == P_MQ_MSGSIZE_DEFAULT) {
    return v >= MQ_MSGSIZE_MIN && v <= MQ_MSGSIZE_HOLD;
  }
  return true;
}

/** Set a parameter: 0, or -1 for an unknown index or a value the model cannot hold. */
export function paramSet(i: i32, v: i32): i32 {
  if (i < 0 || i >= P_COUNT) return -1;
  // The pipe ring is one page of slot records: 256 slots, a 1 MiB pipe, at most.
  if (i == P_PIPE_MAX_SIZE && (v < PAGE_SIZE || v > PIPE_MAX_SLOTS * PAGE_SIZE)) return -1;
  if (!mqParamOk(i, v)) return -1;
  // 0 is "no limit" to tmpfs; the model's tables are the limit it can hold.
  if (i == P_TMPFS_BLOCKS && (v < 1 || v > TMPFS_BLOCKS)) return -1;
  if (i == P_TMPFS_INODES && (v < 1 || v > NINODE)) return -1;
  paramPut(i, v);
  return 0;
}
