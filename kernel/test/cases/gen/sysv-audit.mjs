// The edges of the SysV IPC calls, one case per group of rows of the audit tables
// (docs/audit/msg.md, sem.md, shm.md): undefined flag bits, command values the kernel refuses,
// and the order of the argument checks (the order decides which errno wins). Like shm.mjs these
// carry no hand-written expectations: record.mjs runs each on real Linux and writes what Linux
// did. Linux: ipc/msg.c, ipc/sem.c, ipc/shm.c, ipc/util.c.

const S = (pid, call, args = {}) => ({ pid, call, ...args });

export const cases = [];
const add = (name, description, steps) => cases.push({ name, description, steps });

const ALL_BITS = 0xffffffff;
/** IPC_64 (0x100): x86-64 has no ipc_parse_version, so a command with it is unknown. */
const IPC_64 = 0x100;

add("msg-audit-flag-bits",
  "msgget ignores flag bits beyond the mode, IPC_CREAT and IPC_EXCL; msgsnd reads only " +
  "IPC_NOWAIT; msgrcv only IPC_NOWAIT, MSG_NOERROR, MSG_EXCEPT and MSG_COPY: every other bit " +
  "is ignored (ipc/util.c ipcget_public, ipc/msg.c do_msgsnd, do_msgrcv; docs/audit/msg.md)",
  [
    S(2, "msgget", { key: 77, flags: 0x1000000 | 0o1000, mode: "0600" }),
    S(2, "msgget", { key: 77, flags: 0x1000000, mode: "0600" }),
    S(2, "msgget", { key: 77, flags: (ALL_BITS & ~0o777) >>> 0, mode: "0600" }),
    S(2, "msgsnd", { msqid: 0, mtype: 1, data: "ab", flags: ALL_BITS }),
    S(2, "msgsnd", { msqid: 0, mtype: 2, data: "cd", flags: 0x80000000 }),
    S(2, "msgrcv", { msqid: 0, size: 16, msgtyp: 0, flags: 0x200000 | 0o4000 }),
    S(2, "msgrcv", { msqid: 0, size: 1, msgtyp: 0, flags: (0x80000000 | 0o4000) >>> 0 }),
    S(2, "msgrcv", { msqid: 0, size: 1, msgtyp: 0, flags: (0x80000000 | 0o14000) >>> 0 }),
    S(2, "msgrcv", { msqid: 0, size: 16, msgtyp: 0, flags: 0x1000000 | 0o4000 }),
  ]);

add("msg-audit-ctl-cmds",
  "msgctl checks msqid < 0 before the command (IPC_INFO too); IPC_INFO and MSG_INFO ignore " +
  "msqid; MSG_STAT_ANY (13) takes an index like MSG_STAT; IPC_64 and commands 4..10, 14 are " +
  "EINVAL; IPC_SET and IPC_RMID of an unknown id are EINVAL (ipc/msg.c ksys_msgctl)",
  [
    S(2, "msgget", { key: "IPC_PRIVATE", flags: [], mode: "0600" }),
    S(2, "msgctl", { msqid: -1, cmd: "IPC_INFO" }),
    S(2, "msgctl", { msqid: 7, cmd: "IPC_INFO" }),
    S(2, "msgctl", { msqid: 7, cmd: "MSG_INFO" }),
    S(2, "msgctl", { msqid: 0, cmd: IPC_64 | 2 }),
    S(2, "msgctl", { msqid: 0, cmd: IPC_64 }),
    S(2, "msgctl", { msqid: 0, cmd: 13 }),
    S(2, "msgctl", { msqid: 0, cmd: 4 }),
    S(2, "msgctl", { msqid: 0, cmd: 10 }),
    S(2, "msgctl", { msqid: 0, cmd: 14 }),
    S(2, "msgctl", { msqid: 5, cmd: "IPC_RMID" }),
    S(2, "msgctl", { msqid: 5, cmd: "IPC_SET", buf: { msg_qbytes: 100 } }),
    S(2, "msgctl", { msqid: 0, cmd: "IPC_RMID" }),
    S(2, "msgctl", { msqid: 0, cmd: "IPC_RMID" }),
  ]);

add("msg-audit-order",
  "do_msgsnd checks msgsz and mtype before the lookup and the fit: a full queue gives EINVAL " +
  "for mtype 0 or a size above msgmax, EAGAIN only for a valid message; do_msgrcv checks " +
  "MSG_COPY's flags before the lookup (an unknown id with MSG_COPY|MSG_EXCEPT is EINVAL); " +
  "size 0 gives E2BIG for a 1-byte message, MSG_NOERROR takes it (0 bytes), then ENOMSG",
  [
    S(2, "msgget", { key: "IPC_PRIVATE", flags: [], mode: "0600" }),
    S(2, "msgctl", { msqid: 0, cmd: "IPC_SET", buf: { msg_qbytes: 1 } }),
    S(2, "msgsnd", { msqid: 0, mtype: 1, data: "a", flags: ["IPC_NOWAIT"] }),
    S(2, "msgsnd", { msqid: 0, mtype: 0, data: "a", flags: ["IPC_NOWAIT"] }),
    S(2, "msgsnd", { msqid: 0, mtype: 1, data: { fill: "x", count: 8193 },
      flags: ["IPC_NOWAIT"] }),
    S(2, "msgsnd", { msqid: 0, mtype: 1, data: "", flags: ["IPC_NOWAIT"] }),
    S(2, "msgrcv", { msqid: 9, size: 16, msgtyp: 0, flags: ["MSG_COPY", "MSG_EXCEPT"] }),
    S(2, "msgrcv", { msqid: 0, size: 0, msgtyp: 0, flags: ["IPC_NOWAIT"] }),
    S(2, "msgrcv", { msqid: 0, size: 0, msgtyp: 0, flags: ["IPC_NOWAIT", "MSG_NOERROR"] }),
    S(2, "msgrcv", { msqid: 0, size: 0, msgtyp: 0, flags: ["IPC_NOWAIT"] }),
  ]);

add("sem-audit-flag-bits",
  "semget ignores flag bits beyond the mode, IPC_CREAT and IPC_EXCL; a sop reads only " +
  "IPC_NOWAIT and SEM_UNDO of sem_flg; sem_num is unsigned (65535 is EFBIG after the lookup, " +
  "in any sop); semop of an unknown id with SEM_UNDO is EINVAL (ipc/sem.c __do_semtimedop, " +
  "find_alloc_undo; docs/audit/sem.md)",
  [
    S(2, "semget", { key: "IPC_PRIVATE", nsems: 2, flags: 0x1000000, mode: "0600" }),
    S(2, "semop", { semid: 0, sops: [{ num: 0, op: 1, flags: 0xe000 }] }),
    S(2, "semop", { semid: 0, sops: [{ num: 0, op: -5, flags: 0xe800 }] }),
    S(2, "semop", { semid: 0, sops: [{ num: 65535, op: 0, flags: ["IPC_NOWAIT"] }] }),
    S(2, "semop", { semid: 9, sops: [{ num: 65535, op: 0, flags: ["SEM_UNDO"] }] }),
    S(2, "semop", { semid: 0, sops: [
      { num: 1, op: 0, flags: ["IPC_NOWAIT"] }, { num: 5, op: 1 }] }),
    S(2, "semctl", { semid: 0, semnum: 0, cmd: "GETALL" }),
  ]);

add("sem-audit-ctl-cmds",
  "semctl checks semid < 0 first (IPC_INFO too); IPC_64 and commands 4..10, 21 are EINVAL; " +
  "GETVAL checks semnum < 0, GETZCNT semnum >= nsems; GETALL and IPC_STAT ignore semnum; " +
  "SETVAL takes 0..32767 and checks the value before semnum; SEM_STAT_ANY (20) takes an " +
  "index; semget with nsems 0 or -1 is EINVAL (ipc/sem.c ksys_semctl, semctl_main, " +
  "semctl_setval, ksys_semget)",
  [
    S(2, "semget", { key: "IPC_PRIVATE", nsems: 2, flags: [], mode: "0600" }),
    S(2, "semctl", { semid: 0, semnum: 0, cmd: IPC_64 | 2 }),
    S(2, "semctl", { semid: -1, semnum: 0, cmd: "IPC_INFO" }),
    S(2, "semctl", { semid: 0, semnum: -1, cmd: "GETVAL" }),
    S(2, "semctl", { semid: 0, semnum: -1, cmd: "GETALL" }),
    S(2, "semctl", { semid: 0, semnum: 2, cmd: "GETZCNT" }),
    S(2, "semctl", { semid: 0, semnum: 1, cmd: "SETVAL", arg: 32767 }),
    S(2, "semctl", { semid: 0, semnum: 1, cmd: "SETVAL", arg: 32768 }),
    S(2, "semctl", { semid: 0, semnum: 5, cmd: "SETVAL", arg: -1 }),
    S(2, "semctl", { semid: 7, semnum: 0, cmd: "IPC_RMID" }),
    S(2, "semctl", { semid: 0, semnum: 99, cmd: "IPC_STAT" }),
    S(2, "semctl", { semid: 0, semnum: 0, cmd: 20 }),
    S(2, "semctl", { semid: 0, semnum: 0, cmd: 21 }),
    S(2, "semctl", { semid: 0, semnum: 0, cmd: 4 }),
    S(2, "semctl", { semid: 0, semnum: 0, cmd: 10 }),
    S(2, "semget", { key: 5, nsems: 0, flags: ["IPC_CREAT"], mode: "0600" }),
    S(2, "semget", { key: 5, nsems: -1, flags: ["IPC_CREAT"], mode: "0600" }),
    S(2, "semctl", { semid: 0, semnum: 0, cmd: "GETALL" }),
  ]);

add("shm-audit-hugetlb",
  "shmget with SHM_HUGETLB: the size checks come first (EINVAL), an unknown huge page size " +
  "(SHM_HUGE_SHIFT bits) is EINVAL, and the reservation fails with ENOMEM when no huge pages " +
  "are configured (vm.nr_hugepages 0); with SHM_NORESERVE nothing is reserved and it succeeds " +
  "(ipc/shm.c newseg, hstate_sizelog, hugetlb_file_setup)",
  [
    S(2, "shmget", { key: "IPC_PRIVATE", size: 0, flags: 0o4000, mode: "0600" }),
    S(2, "shmget", { key: "IPC_PRIVATE", size: 4096, flags: 0o4000, mode: "0600" }),
    S(2, "shmget", { key: "IPC_PRIVATE", size: 4096, flags: (5 << 26) | 0o4000, mode: "0600" }),
    S(2, "shmget", { key: "IPC_PRIVATE", size: 4096, flags: (21 << 26) | 0o4000,
      mode: "0600" }),
    S(2, "shmget", { key: "IPC_PRIVATE", size: 4096, flags: 0o14000, mode: "0600" }),
    S(2, "shmget", { key: "IPC_PRIVATE", size: 4096, flags: 0o10000, mode: "0600" }),
  ]);

add("shm-audit-flag-bits",
  "shmget and shmat ignore undefined flag bits; SHM_EXEC with SHM_RDONLY attaches; SHM_REMAP " +
  "needs an address, and an address SHM_RND rounds to 0 with SHM_REMAP is EINVAL; SHM_LOCK " +
  "sets SHM_LOCKED (02000) and SHM_UNLOCK clears it, twice is fine; SHM_STAT_ANY (15) takes " +
  "an index; IPC_64, 16 and an unknown id are EINVAL; after IPC_RMID the id still attaches " +
  "(SHM_DEST); an existing key: EEXIST before the size check (ipc/shm.c do_shmat, " +
  "ksys_shmctl, shmctl_do_lock, shm_more_checks)",
  [
    S(2, "shmget", { key: "IPC_PRIVATE", size: 8192, flags: 0x1000000, mode: "0600" }),
    S(2, "shmat", { shmid: 0, flags: 0x1000000 }),
    S(2, "shmat", { shmid: 0, flags: ["SHM_REMAP"] }),
    S(2, "shmat", { shmid: -1, flags: ["SHM_REMAP"] }),
    S(2, "shmat", { shmid: 9, shmaddr: 1 }),
    S(2, "shmat", { shmid: 0, shmaddr: 1, flags: ["SHM_RND", "SHM_REMAP"] }),
    S(2, "shmat", { shmid: 0, flags: ["SHM_EXEC", "SHM_RDONLY"] }),
    S(2, "shmctl", { shmid: 0, cmd: 11 }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_STAT" }),
    S(2, "shmctl", { shmid: 0, cmd: 12 }),
    S(2, "shmctl", { shmid: 0, cmd: 12 }),
    S(2, "shmctl", { shmid: 9, cmd: 11 }),
    S(2, "shmctl", { shmid: -1, cmd: 11 }),
    S(2, "shmctl", { shmid: 0, cmd: IPC_64 | 2 }),
    S(2, "shmctl", { shmid: 0, cmd: 15 }),
    S(2, "shmctl", { shmid: 0, cmd: 16 }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_RMID" }),
    S(2, "shmat", { shmid: 0 }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_STAT" }),
    S(2, "shmget", { key: 9, size: 4096, flags: ["IPC_CREAT"], mode: "0600" }),
    S(2, "shmget", { key: 9, size: 8192, flags: [], mode: "0600" }),
    S(2, "shmget", { key: 9, size: 8192, flags: ["IPC_CREAT", "IPC_EXCL"], mode: "0600" }),
  ]);

add("msg-audit-set-order",
  "msgctl IPC_SET checks msg_qbytes above msgmnb (EPERM, no CAP_SYS_RESOURCE) before the uid " +
  "(EINVAL for -1); MSG_COPY with a negative index finds nothing (ENOMSG); MSG_COPY with " +
  "MSG_NOERROR and room copies the whole message (ipc/msg.c msgctl_down, find_msg)",
  [
    S(2, "msgget", { key: "IPC_PRIVATE", flags: [], mode: "0600" }),
    S(2, "msgctl", { msqid: 0, cmd: "IPC_SET", buf: { msg_qbytes: 99999,
      msg_perm: { uid: -1 } } }),
    S(2, "msgctl", { msqid: 0, cmd: "IPC_SET", buf: { msg_qbytes: 100, msg_perm: { uid: -1 } } }),
    S(2, "msgsnd", { msqid: 0, mtype: 1, data: "a" }),
    S(2, "msgrcv", { msqid: 0, size: 16, msgtyp: -1, flags: ["MSG_COPY", "IPC_NOWAIT"] }),
    S(2, "msgrcv", { msqid: 0, size: 16, msgtyp: 0,
      flags: ["MSG_COPY", "IPC_NOWAIT", "MSG_NOERROR"] }),
  ]);

add("sem-audit-timedop-order",
  "semtimedop: nsops 0 is EINVAL before the timeout is checked, semid -1 EINVAL; a SEM_UNDO " +
  "result above SEMVMX is ERANGE and nothing changes; IPC_SET with gid -1 is EINVAL " +
  "(ipc/sem.c do_semtimedop, __do_semtimedop, perform_atomic_semop, ipc/util.c ipc_update_perm)",
  [
    S(2, "semget", { key: "IPC_PRIVATE", nsems: 1, flags: [], mode: "0600" }),
    S(2, "semctl", { semid: 0, semnum: 0, cmd: "IPC_SET", arg: { sem_perm: { gid: -1 } } }),
    S(2, "semtimedop", { semid: 0, sops: [], timeout: { sec: -1, nsec: 0 } }),
    S(2, "semtimedop", { semid: -1, sops: [{ num: 0, op: 0 }], timeout: { sec: -1, nsec: 0 } }),
    S(2, "semtimedop", { semid: 0, sops: [{ num: 0, op: 1, flags: ["SEM_UNDO"] },
      { num: 0, op: 32767, flags: ["SEM_UNDO"] }], timeout: null }),
    S(2, "semctl", { semid: 0, semnum: 0, cmd: "GETVAL" }),
  ]);

add("shm-audit-get-order",
  "shmget of a missing key without IPC_CREAT is ENOENT whatever the size (the size is checked " +
  "only when creating or against an existing segment); shmctl IPC_SET with uid or gid -1 is " +
  "EINVAL (ipc/util.c ipcget_public, ipc_update_perm; ipc/shm.c newseg)",
  [
    S(2, "shmget", { key: 5, size: 0, flags: [], mode: "0600" }),
    S(2, "shmget", { key: 5, size: 0, flags: ["IPC_CREAT"], mode: "0600" }),
    S(2, "shmget", { key: "IPC_PRIVATE", size: 4096, flags: [], mode: "0600" }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_SET", buf: { shm_perm: { uid: -1 } } }),
    S(2, "shmctl", { shmid: 0, cmd: "IPC_SET", buf: { shm_perm: { gid: -1 } } }),
  ]);
