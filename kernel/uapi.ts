// The user-visible structs: what the kernel reads from and writes to a process's memory, as
// Linux x86_64 lays them out. Each class is its C struct field by field, padding spelled out,
// so `offsetof<T>("field")` is C's offsetof and `offsetof<T>()` its sizeof (AssemblyScript's
// sizeof<T>() of a class is a pointer's size). A class is only an overlay on a kernel buffer:
// `changetype<Msqid64Ds>(buf)`. The *_ds structs start with their ipc64_perm (extends).
//
// The same layouts are in wasm/abi.ts (UAPI), which the TypeScript side encodes and decodes
// with; uapiCheck() (run by k_init) asserts that every offset here is the table's.
//
// Linux: include/uapi/asm-generic/ipcbuf.h, msgbuf.h, shmbuf.h, arch/x86/include/uapi/asm/
// sembuf.h, include/uapi/linux/msg.h, sem.h, shm.h, time_types.h.

import {
  UAPI_ipc64_perm_cgid, UAPI_ipc64_perm_cuid, UAPI_ipc64_perm_gid, UAPI_ipc64_perm_key,
  UAPI_ipc64_perm_mode, UAPI_ipc64_perm_seq, UAPI_ipc64_perm_size, UAPI_ipc64_perm_uid,
  UAPI_msgbuf_mtext, UAPI_msgbuf_mtype, UAPI_msginfo_msgmap, UAPI_msginfo_msgmax,
  UAPI_msginfo_msgmnb, UAPI_msginfo_msgmni, UAPI_msginfo_msgpool, UAPI_msginfo_msgseg,
  UAPI_msginfo_msgssz, UAPI_msginfo_msgtql, UAPI_msginfo_size, UAPI_msqid64_ds_msg_cbytes,
  UAPI_msqid64_ds_msg_ctime, UAPI_msqid64_ds_msg_lrpid, UAPI_msqid64_ds_msg_lspid,
  UAPI_msqid64_ds_msg_qbytes, UAPI_msqid64_ds_msg_qnum, UAPI_msqid64_ds_msg_rtime,
  UAPI_msqid64_ds_msg_stime, UAPI_msqid64_ds_size, UAPI_sembuf_sem_flg, UAPI_sembuf_sem_num,
  UAPI_sembuf_sem_op, UAPI_sembuf_size, UAPI_semid64_ds_sem_ctime, UAPI_semid64_ds_sem_nsems,
  UAPI_semid64_ds_sem_otime, UAPI_semid64_ds_size, UAPI_seminfo_semaem, UAPI_seminfo_semmap,
  UAPI_seminfo_semmni, UAPI_seminfo_semmns, UAPI_seminfo_semmnu, UAPI_seminfo_semmsl,
  UAPI_seminfo_semopm, UAPI_seminfo_semume, UAPI_seminfo_semusz, UAPI_seminfo_semvmx,
  UAPI_seminfo_size, UAPI_shm_info_shm_rss, UAPI_shm_info_shm_swp, UAPI_shm_info_shm_tot,
  UAPI_shm_info_size, UAPI_shm_info_used_ids, UAPI_shmid64_ds_shm_atime,
  UAPI_shmid64_ds_shm_cpid, UAPI_shmid64_ds_shm_ctime, UAPI_shmid64_ds_shm_dtime,
  UAPI_shmid64_ds_shm_lpid, UAPI_shmid64_ds_shm_nattch, UAPI_shmid64_ds_shm_segsz,
  UAPI_shmid64_ds_size, UAPI_shminfo64_shmall, UAPI_shminfo64_shmmax, UAPI_shminfo64_shmmin,
  UAPI_shminfo64_shmmni, UAPI_shminfo64_shmseg, UAPI_shminfo64_size, UAPI_timespec_size,
  UAPI_timespec_tv_nsec, UAPI_timespec_tv_sec,
} from "./abi";

/** struct ipc64_perm (48 bytes):
 *    0 key i32 | 4 uid u32 | 8 gid u32 | 12 cuid u32 | 16 cgid u32 | 20 mode u32 |
 *   24 seq u16 | 26 __pad2 u16 | 28 (hole) | 32 __unused1 u64 | 40 __unused2 u64 | */
@unmanaged export class Ipc64Perm {
  key: i32;
  uid: u32;
  gid: u32;
  cuid: u32;
  cgid: u32;
  mode: u32;
  seq: u16;
  __pad2: u16;
  __hole: u32;
  __unused1: u64;
  __unused2: u64;
}

/** struct msqid64_ds (120 bytes):
 *    0 msg_perm ipc64_perm | 48 stime i64 | 56 rtime i64 | 64 ctime i64 | 72 cbytes u64 |
 *   80 qnum u64 | 88 qbytes u64 | 96 lspid i32 | 100 lrpid i32 | 104 __unused4, __unused5 | */
@unmanaged export class Msqid64Ds extends Ipc64Perm {
  msg_stime: i64;
  msg_rtime: i64;
  msg_ctime: i64;
  msg_cbytes: u64;
  msg_qnum: u64;
  msg_qbytes: u64;
  msg_lspid: i32;
  msg_lrpid: i32;
  __unused4: u64;
  __unused5: u64;
}

/** struct semid64_ds, x86_64 (104 bytes):
 *    0 sem_perm ipc64_perm | 48 otime i64 | 56 __unused1 | 64 ctime i64 | 72 __unused2 |
 *   80 nsems u64 | 88 __unused3 | 96 __unused4 | */
@unmanaged export class Semid64Ds extends Ipc64Perm {
  sem_otime: i64;
  __unused1b: u64;
  sem_ctime: i64;
  __unused2b: u64;
  sem_nsems: u64;
  __unused3: u64;
  __unused4: u64;
}

/** struct shmid64_ds (112 bytes):
 *    0 shm_perm ipc64_perm | 48 segsz u64 | 56 atime i64 | 64 dtime i64 | 72 ctime i64 |
 *   80 cpid i32 | 84 lpid i32 | 88 nattch u64 | 96 __unused4 | 104 __unused5 | */
@unmanaged export class Shmid64Ds extends Ipc64Perm {
  shm_segsz: u64;
  shm_atime: i64;
  shm_dtime: i64;
  shm_ctime: i64;
  shm_cpid: i32;
  shm_lpid: i32;
  shm_nattch: u64;
  __unused4: u64;
  __unused5: u64;
}

/** struct msginfo (32 bytes): seven i32 from 0, then msgseg u16 @28 and 2 bytes of padding. */
@unmanaged export class MsgInfo {
  msgpool: i32;
  msgmap: i32;
  msgmax: i32;
  msgmnb: i32;
  msgmni: i32;
  msgssz: i32;
  msgtql: i32;
  msgseg: u16;
  __pad: u16;
}

/** struct seminfo (40 bytes): ten i32. */
@unmanaged export class SemInfo {
  semmap: i32;
  semmni: i32;
  semmns: i32;
  semmnu: i32;
  semmsl: i32;
  semopm: i32;
  semume: i32;
  semusz: i32;
  semvmx: i32;
  semaem: i32;
}

/** struct shminfo64 (72 bytes): shmmax shmmin shmmni shmseg shmall u64, then 4 unused u64. */
@unmanaged export class ShmInfo64 {
  shmmax: u64;
  shmmin: u64;
  shmmni: u64;
  shmseg: u64;
  shmall: u64;
  __unused1: u64;
  __unused2: u64;
  __unused3: u64;
  __unused4: u64;
}

/** struct shm_info (48 bytes):
 *   0 used_ids i32 | 4 (hole) | 8 shm_tot u64 | 16 shm_rss u64 | 24 shm_swp u64 |
 *   32 swap_attempts u64 | 40 swap_successes u64 | */
@unmanaged export class ShmInfo {
  used_ids: i32;
  __hole: i32;
  shm_tot: u64;
  shm_rss: u64;
  shm_swp: u64;
  swap_attempts: u64;
  swap_successes: u64;
}

/** struct msgbuf's head: | mtype i64 | mtext ... | (mtext at offsetof<MsgBuf>()). */
@unmanaged export class MsgBuf {
  mtype: i64;
}

/** struct sembuf (6 bytes): | sem_num u16 | sem_op i16 | sem_flg i16 |. In an array its fields
 * are 2-byte aligned, so no field straddles a page of the kernel's copy. */
@unmanaged export class SemBuf {
  sem_num: u16;
  sem_op: i16;
  sem_flg: i16;
}

/** struct __kernel_timespec (16 bytes): | tv_sec i64 | tv_nsec i64 |. */
@unmanaged export class Timespec {
  tv_sec: i64;
  tv_nsec: i64;
}

function same(actual: usize, expected: i32, what: string): void {
  assert(actual == <usize>expected, what);
}

/** The classes above agree with wasm/abi.ts's UAPI table (a mismatch traps at k_init). */
export function uapiCheck(): void {
  same(offsetof<Ipc64Perm>("key"), UAPI_ipc64_perm_key, "ipc64_perm.key");
  same(offsetof<Ipc64Perm>("uid"), UAPI_ipc64_perm_uid, "ipc64_perm.uid");
  same(offsetof<Ipc64Perm>("gid"), UAPI_ipc64_perm_gid, "ipc64_perm.gid");
  same(offsetof<Ipc64Perm>("cuid"), UAPI_ipc64_perm_cuid, "ipc64_perm.cuid");
  same(offsetof<Ipc64Perm>("cgid"), UAPI_ipc64_perm_cgid, "ipc64_perm.cgid");
  same(offsetof<Ipc64Perm>("mode"), UAPI_ipc64_perm_mode, "ipc64_perm.mode");
  same(offsetof<Ipc64Perm>("seq"), UAPI_ipc64_perm_seq, "ipc64_perm.seq");
  same(offsetof<Ipc64Perm>(), UAPI_ipc64_perm_size, "sizeof ipc64_perm");
  same(offsetof<Msqid64Ds>("msg_stime"), UAPI_msqid64_ds_msg_stime, "msqid64_ds.msg_stime");
  same(offsetof<Msqid64Ds>("msg_rtime"), UAPI_msqid64_ds_msg_rtime, "msqid64_ds.msg_rtime");
  same(offsetof<Msqid64Ds>("msg_ctime"), UAPI_msqid64_ds_msg_ctime, "msqid64_ds.msg_ctime");
  same(offsetof<Msqid64Ds>("msg_cbytes"), UAPI_msqid64_ds_msg_cbytes, "msqid64_ds.msg_cbytes");
  same(offsetof<Msqid64Ds>("msg_qnum"), UAPI_msqid64_ds_msg_qnum, "msqid64_ds.msg_qnum");
  same(offsetof<Msqid64Ds>("msg_qbytes"), UAPI_msqid64_ds_msg_qbytes, "msqid64_ds.msg_qbytes");
  same(offsetof<Msqid64Ds>("msg_lspid"), UAPI_msqid64_ds_msg_lspid, "msqid64_ds.msg_lspid");
  same(offsetof<Msqid64Ds>("msg_lrpid"), UAPI_msqid64_ds_msg_lrpid, "msqid64_ds.msg_lrpid");
  same(offsetof<Msqid64Ds>(), UAPI_msqid64_ds_size, "sizeof msqid64_ds");
  same(offsetof<Semid64Ds>("sem_otime"), UAPI_semid64_ds_sem_otime, "semid64_ds.sem_otime");
  same(offsetof<Semid64Ds>("sem_ctime"), UAPI_semid64_ds_sem_ctime, "semid64_ds.sem_ctime");
  same(offsetof<Semid64Ds>("sem_nsems"), UAPI_semid64_ds_sem_nsems, "semid64_ds.sem_nsems");
  same(offsetof<Semid64Ds>(), UAPI_semid64_ds_size, "sizeof semid64_ds");
  same(offsetof<Shmid64Ds>("shm_segsz"), UAPI_shmid64_ds_shm_segsz, "shmid64_ds.shm_segsz");
  same(offsetof<Shmid64Ds>("shm_atime"), UAPI_shmid64_ds_shm_atime, "shmid64_ds.shm_atime");
  same(offsetof<Shmid64Ds>("shm_dtime"), UAPI_shmid64_ds_shm_dtime, "shmid64_ds.shm_dtime");
  same(offsetof<Shmid64Ds>("shm_ctime"), UAPI_shmid64_ds_shm_ctime, "shmid64_ds.shm_ctime");
  same(offsetof<Shmid64Ds>("shm_cpid"), UAPI_shmid64_ds_shm_cpid, "shmid64_ds.shm_cpid");
  same(offsetof<Shmid64Ds>("shm_lpid"), UAPI_shmid64_ds_shm_lpid, "shmid64_ds.shm_lpid");
  same(offsetof<Shmid64Ds>("shm_nattch"), UAPI_shmid64_ds_shm_nattch, "shmid64_ds.shm_nattch");
  same(offsetof<Shmid64Ds>(), UAPI_shmid64_ds_size, "sizeof shmid64_ds");
  infoCheck();
  same(offsetof<MsgBuf>("mtype"), UAPI_msgbuf_mtype, "msgbuf.mtype");
  same(offsetof<MsgBuf>(), UAPI_msgbuf_mtext, "msgbuf.mtext");
  same(offsetof<SemBuf>("sem_num"), UAPI_sembuf_sem_num, "sembuf.sem_num");
  same(offsetof<SemBuf>("sem_op"), UAPI_sembuf_sem_op, "sembuf.sem_op");
  same(offsetof<SemBuf>("sem_flg"), UAPI_sembuf_sem_flg, "sembuf.sem_flg");
  same(offsetof<SemBuf>(), UAPI_sembuf_size, "sizeof sembuf");
  same(offsetof<Timespec>("tv_sec"), UAPI_timespec_tv_sec, "timespec.tv_sec");
  same(offsetof<Timespec>("tv_nsec"), UAPI_timespec_tv_nsec, "timespec.tv_nsec");
  same(offsetof<Timespec>(), UAPI_timespec_size, "sizeof timespec");
}

function infoCheck(): void {
  same(offsetof<MsgInfo>("msgpool"), UAPI_msginfo_msgpool, "msginfo.msgpool");
  same(offsetof<MsgInfo>("msgmap"), UAPI_msginfo_msgmap, "msginfo.msgmap");
  same(offsetof<MsgInfo>("msgmax"), UAPI_msginfo_msgmax, "msginfo.msgmax");
  same(offsetof<MsgInfo>("msgmnb"), UAPI_msginfo_msgmnb, "msginfo.msgmnb");
  same(offsetof<MsgInfo>("msgmni"), UAPI_msginfo_msgmni, "msginfo.msgmni");
  same(offsetof<MsgInfo>("msgssz"), UAPI_msginfo_msgssz, "msginfo.msgssz");
  same(offsetof<MsgInfo>("msgtql"), UAPI_msginfo_msgtql, "msginfo.msgtql");
  same(offsetof<MsgInfo>("msgseg"), UAPI_msginfo_msgseg, "msginfo.msgseg");
  same(offsetof<MsgInfo>(), UAPI_msginfo_size, "sizeof msginfo");
  same(offsetof<SemInfo>("semmap"), UAPI_seminfo_semmap, "seminfo.semmap");
  same(offsetof<SemInfo>("semmni"), UAPI_seminfo_semmni, "seminfo.semmni");
  same(offsetof<SemInfo>("semmns"), UAPI_seminfo_semmns, "seminfo.semmns");
  same(offsetof<SemInfo>("semmnu"), UAPI_seminfo_semmnu, "seminfo.semmnu");
  same(offsetof<SemInfo>("semmsl"), UAPI_seminfo_semmsl, "seminfo.semmsl");
  same(offsetof<SemInfo>("semopm"), UAPI_seminfo_semopm, "seminfo.semopm");
  same(offsetof<SemInfo>("semume"), UAPI_seminfo_semume, "seminfo.semume");
  same(offsetof<SemInfo>("semusz"), UAPI_seminfo_semusz, "seminfo.semusz");
  same(offsetof<SemInfo>("semvmx"), UAPI_seminfo_semvmx, "seminfo.semvmx");
  same(offsetof<SemInfo>("semaem"), UAPI_seminfo_semaem, "seminfo.semaem");
  same(offsetof<SemInfo>(), UAPI_seminfo_size, "sizeof seminfo");
  same(offsetof<ShmInfo64>("shmmax"), UAPI_shminfo64_shmmax, "shminfo64.shmmax");
  same(offsetof<ShmInfo64>("shmmin"), UAPI_shminfo64_shmmin, "shminfo64.shmmin");
  same(offsetof<ShmInfo64>("shmmni"), UAPI_shminfo64_shmmni, "shminfo64.shmmni");
  same(offsetof<ShmInfo64>("shmseg"), UAPI_shminfo64_shmseg, "shminfo64.shmseg");
  same(offsetof<ShmInfo64>("shmall"), UAPI_shminfo64_shmall, "shminfo64.shmall");
  same(offsetof<ShmInfo64>(), UAPI_shminfo64_size, "sizeof shminfo64");
  same(offsetof<ShmInfo>("used_ids"), UAPI_shm_info_used_ids, "shm_info.used_ids");
  same(offsetof<ShmInfo>("shm_tot"), UAPI_shm_info_shm_tot, "shm_info.shm_tot");
  same(offsetof<ShmInfo>("shm_rss"), UAPI_shm_info_shm_rss, "shm_info.shm_rss");
  same(offsetof<ShmInfo>("shm_swp"), UAPI_shm_info_shm_swp, "shm_info.shm_swp");
  same(offsetof<ShmInfo>(), UAPI_shm_info_size, "sizeof shm_info");
}
