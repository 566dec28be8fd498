// SysV semaphores: semget(2), semop(2), semtimedop(2), semctl(2), SEM_UNDO. Linux: ipc/sem.c
// (newary, do_semtimedop, __do_semtimedop, perform_atomic_semop, update_queue, do_smart_update,
// merge_queues, exit_sem, semctl_main, semctl_setval, count_semcnt), ipc/util.c;
// docs/linux-semantics.md sections 0.1, 0.3, 1.5 and 2.1. The expectations were checked on
// Linux through the host bridge (host-bridge/diff.test.ts runs every case there).

import { BLOCKED, Case, PRIVATE, err, exited, ipcPerm, ok, reaped, wake, why } from "./lib.mjs";

export const cases = [];
const add = (f) => cases.push(f);

const get = (nsems, key = PRIVATE, flags = [], mode = "0600") => ({ key, nsems, flags, mode });
/** One struct sembuf. */
const sop = (num, op, flags = []) => ({ num, op, flags });
const ops = (semid, ...sops) => ({ semid, sops });
const timed = (semid, timeout, ...sops) => ({ semid, sops, timeout });
const ctl = (semid, semnum, cmd, arg) =>
  ({ semid, semnum, cmd, ...(arg === undefined ? {} : { arg }) });
/** A semctl command that takes no semnum (IPC_STAT, IPC_RMID, ...). */
const ipcctl = (semid, cmd) => ({ semid, cmd });
/** GETALL's result. */
const values = (v) => ok(0, { values: v });
/** IPC_STAT's semid64_ds: a one-semaphore set of root's, and the fields that differ. */
const sstat = ({ nsems = 1, perm = {} } = {}) =>
  ok(0, { stat: { sem_nsems: nsems, sem_perm: ipcPerm(perm) } });

add(() => {
  const c = new Case("sem-ctl-getpid",
    "GETPID is the pid of the last semop, SETVAL, SETALL or exit undo on that semaphore; 0 for " +
    "a new set; a failed or blocked semop does not change it", { banner: false });
  c.step(2, "semget", get(2), ok(0));
  c.step(2, "semctl", ctl(0, 0, "GETPID"), ok(0));
  c.step(2, "fork", {}, ok(3));
  c.step(3, "semop", ops(0, sop(0, 1)), ok(0));
  c.step(2, "semctl", ctl(0, 0, "GETPID"), ok(3));
  c.step(2, "semctl", ctl(0, 1, "GETPID"), ok(0));
  c.step(2, "semop", ops(0, sop(0, -5, ["IPC_NOWAIT"])), err("EAGAIN"));
  c.step(2, "semctl", ctl(0, 0, "GETPID"), ok(3));
  c.step(2, "semctl", ctl(0, 1, "SETVAL", 3), ok(0));
  c.step(2, "semctl", ctl(0, 1, "GETPID"), ok(2));
  c.step(3, "semop", ops(0, sop(1, -1)), ok(0));
  c.step(2, "semctl", ctl(0, 1, "GETPID"), ok(3));
  c.step(3, "semctl", ctl(0, 0, "SETALL", [0, 0]), ok(0));
  c.step(2, "semctl", ctl(0, 0, "GETPID"), ok(3));
  return c;
});

add(() => {
  const c = new Case("sem-ctl-info",
    "semctl IPC_INFO and SEM_INFO (19) return the highest used index (0 when none); SEM_STAT " +
    "(18) and SEM_STAT_ANY (20) take an index and return the full id; IPC_STAT needs the full " +
    "id", { banner: false });
  c.step(2, "semctl", ctl(0, 0, "IPC_INFO"), ok(0));
  c.step(2, "semget", get(1), ok(0));
  c.step(2, "semget", get(2), ok(1));
  c.step(2, "semctl", ctl(0, 0, "IPC_RMID"), ok(0));
  c.step(2, "semget", get(3), ok(2));
  c.step(2, "semctl", why(ctl(0, 0, 19), "SEM_INFO"), ok(2));
  c.step(2, "semctl", why(ctl(2, 0, 18), "SEM_STAT of index 2"), ok(2));
  c.step(2, "semctl", why(ctl(1, 0, 20), "SEM_STAT_ANY of index 1"), ok(1));
  c.step(2, "semctl", why(ctl(0, 0, 18), "index 0 is free"), err("EINVAL"));
  c.step(2, "semctl", why(ctl(32769, 0, 18), "only the index part counts"), ok(1));
  c.step(2, "semctl", ctl(32769, 0, "IPC_STAT"), err("EINVAL"));
  c.step(2, "semctl", ctl(2, 0, "IPC_STAT"), sstat({ nsems: 3 }));
  return c;
});

add(() => {
  const c = new Case("sem-ctl-semnum",
    "GETVAL, GETPID, GETNCNT and GETZCNT check semnum (EINVAL) after the lookup; GETALL and " +
    "SETALL ignore it; semid < 0 and an unknown cmd are EINVAL", { banner: false });
  c.step(2, "semget", get(2), ok(0));
  c.step(2, "semctl", ctl(0, 2, "GETVAL"), err("EINVAL"));
  c.step(2, "semctl", ctl(0, -1, "GETVAL"), err("EINVAL"));
  c.step(2, "semctl", ctl(0, 2, "GETPID"), err("EINVAL"));
  c.step(2, "semctl", ctl(0, 5, "GETNCNT"), err("EINVAL"));
  c.step(2, "semctl", ctl(0, 5, "GETZCNT"), err("EINVAL"));
  c.step(2, "semctl", ctl(0, 99, "GETALL"), values([0, 0]));
  c.step(2, "semctl", ctl(0, 99, "SETALL", [1, 2]), ok(0));
  c.step(2, "semctl", ctl(0, 1, "GETVAL"), ok(2));
  c.step(2, "semctl", ctl(-1, 0, "GETVAL"), err("EINVAL"));
  c.step(2, "semctl", ctl(0, 0, 99), err("EINVAL"));
  c.step(2, "semctl", ctl(5, 7, "GETVAL"), err("EINVAL"));
  c.step(2, "semctl", ctl(0, 0, "IPC_INFO"), ok(0));
  c.step(2, "semctl", ctl(0, 0, "IPC_STAT"), sstat({ nsems: 2 }));
  return c;
});

add(() => {
  const c = new Case("sem-ctl-setall",
    "SETALL reads sem_nsems values: a C caller's array with fewer given values (the rest 0) or " +
    "more (ignored)", { banner: false });
  c.step(2, "semget", get(3), ok(0));
  c.step(2, "semctl", ctl(0, 0, "SETALL", [5]), ok(0));
  c.step(2, "semctl", ctl(0, 0, "GETALL"), values([5, 0, 0]));
  c.step(2, "semctl", ctl(0, 0, "SETALL", [1, 2, 3, 4, 5]), ok(0));
  c.step(2, "semctl", ctl(0, 0, "GETALL"), values([1, 2, 3]));
  c.step(2, "semctl", ctl(0, 0, "SETALL", [7, 8, 9]), ok(0));
  c.step(2, "semctl", ctl(0, 0, "GETALL"), values([7, 8, 9]));
  return c;
});

add(() => {
  const c = new Case("sem-ctl-setval",
    "SETVAL checks the value (ERANGE) before the id: a bad id with -1 gives ERANGE, with 5 " +
    "EINVAL; semnum out of range is EINVAL; SETALL with a value above 32767 gives ERANGE and " +
    "changes nothing", { banner: false });
  c.step(2, "semget", get(2), ok(0));
  c.step(2, "semctl", ctl(9, 0, "SETVAL", -1), err("ERANGE"));
  c.step(2, "semctl", ctl(9, 0, "SETVAL", 5), err("EINVAL"));
  c.step(2, "semctl", ctl(0, 0, "SETVAL", 32768), err("ERANGE"));
  c.step(2, "semctl", ctl(0, 0, "SETVAL", 32767), ok(0));
  c.step(2, "semctl", ctl(0, 2, "SETVAL", 1), err("EINVAL"));
  c.step(2, "semctl", ctl(0, -1, "SETVAL", 1), err("EINVAL"));
  c.step(2, "semctl", ctl(0, 0, "SETALL", [1, 32768]), err("ERANGE"));
  c.step(2, "semctl", ctl(0, 0, "GETALL"), values([32767, 0]));
  c.step(2, "semctl", why(ctl(0, 0, "SETALL", [1, -1]), "-1 as unsigned short is 65535"),
    err("ERANGE"));
  c.step(2, "semctl", ctl(0, 0, "SETALL", [3, 4]), ok(0));
  c.step(2, "semctl", ctl(0, 0, "GETALL"), values([3, 4]));
  return c;
});

add(() => {
  const c = new Case("sem-get-einval",
    "semget: nsems < 0 or > SEMMSL gives EINVAL before the key lookup (so not ENOENT); " +
    "creating with nsems 0 gives EINVAL (ipc/sem.c ksys_semget, newary)", { banner: false });
  c.step(2, "semget", get(-1, 4660), err("EINVAL"));
  c.step(2, "semget", get(32001, 4660), err("EINVAL"));
  c.step(2, "semget", get(32000, 4660), err("ENOENT"));
  c.step(2, "semget", get(0, 4660, ["IPC_CREAT"]), err("EINVAL"));
  c.step(2, "semget", get(0), err("EINVAL"));
  c.step(2, "semget", why(get(32000), "SEMMSL itself is fine"), ok(0));
  c.step(2, "semctl", ipcctl(0, "IPC_STAT"), sstat({ nsems: 32000 }));
  return c;
});

add(() => {
  const c = new Case("sem-get-enospc",
    "more semaphores than SEMMNS, or more sets than SEMMNI, gives ENOSPC; nsems 0 is EINVAL " +
    "before SEMMNI", { params: { "kernel.sem": [10, 12, 500, 2] }, banner: false });
  c.step(2, "semget", why(get(11), "above SEMMSL"), err("EINVAL"));
  c.step(2, "semget", get(10), ok(0));
  c.step(2, "semget", why(get(3), "13 > SEMMNS 12"), err("ENOSPC"));
  c.step(2, "semget", get(2), ok(1));
  c.step(2, "semget", get(0), err("EINVAL"));
  c.step(2, "semctl", ipcctl(0, "IPC_RMID"), ok(0));
  c.step(2, "semget", get(1), ok(2));
  c.step(2, "semget", why(get(1), "SEMMNI 2 sets"), err("ENOSPC"));
  return c;
});

add(() => {
  const c = new Case("sem-get-existing",
    "an existing set: IPC_CREAT|IPC_EXCL gives EEXIST before nsems > sem_nsems gives EINVAL; " +
    "nsems 0 or <= sem_nsems returns the id", { banner: false });
  c.step(2, "semget", get(3, 4660, ["IPC_CREAT"]), ok(0));
  c.step(2, "semget", get(4, 4660, ["IPC_CREAT", "IPC_EXCL"]), err("EEXIST"));
  c.step(2, "semget", get(4, 4660, ["IPC_CREAT"]), err("EINVAL"));
  c.step(2, "semget", get(4, 4660), err("EINVAL"));
  c.step(2, "semget", get(3, 4660), ok(0));
  c.step(2, "semget", get(0, 4660), ok(0));
  c.step(2, "semget", why(get(0, 4661), "missing key: ENOENT"), err("ENOENT"));
  return c;
});

add(() => {
  const c = new Case("sem-ncnt-zcnt",
    "GETNCNT/GETZCNT count a sleeper only on the semaphore of its first blocking sop: {0:-1, " +
    "1:-1} with both at 0 gives NCNT(0)=1 and NCNT(1)=0, still so after sem 1 is raised; {0:0, " +
    "1:0} with sem 1 at 1 counts in ZCNT(1) only; a {1:0, 0:0} on zeros does not block",
    { banner: false });
  c.step(2, "semget", get(2), ok(0));
  c.step(2, "fork", {}, ok(3));
  c.step(2, "fork", {}, ok(4));
  const s3 = c.step(3, "semop", ops(0, sop(0, -1), sop(1, -1)), BLOCKED);
  c.step(4, "semop", why(ops(0, sop(1, 0), sop(0, 0)), "blocks? sem 1 is 0, sem 0 is 0: no"),
    ok(0));
  c.step(2, "semctl", ctl(0, 0, "GETNCNT"), ok(1));
  c.step(2, "semctl", ctl(0, 1, "GETNCNT"), ok(0));
  c.step(2, "semctl", ctl(0, 1, "SETVAL", 1), ok(0));
  c.step(2, "semctl", ctl(0, 0, "GETNCNT"), ok(1));
  c.step(2, "semctl", ctl(0, 1, "GETNCNT"), ok(0));
  c.step(2, "fork", {}, ok(5));
  const s11 = c.step(5, "semop", why(ops(0, sop(0, 0), sop(1, 0)), "blocks on sem 1"), BLOCKED);
  c.step(2, "semctl", ctl(0, 0, "GETZCNT"), ok(0));
  c.step(2, "semctl", ctl(0, 1, "GETZCNT"), ok(1));
  c.step(2, "semop", why(ops(0, sop(0, 1)), "C now blocks on sem 1; its decrement completes: 1-1"),
    ok(0), [wake(3, s3, ok(0)), wake(5, s11, ok(0))]);
  c.step(2, "semctl", ctl(0, 0, "GETALL"), values([0, 0]));
  c.step(2, "semctl", ctl(0, 1, "GETNCNT"), ok(0));
  c.step(2, "semctl", ctl(0, 1, "GETZCNT"), ok(0));
  return c;
});

add(() => {
  const c = new Case("sem-next-id",
    "kernel.sem_next_id forces the next semaphore id and resets to -1; the message allocator " +
    "is not affected", { params: { "kernel.sem_next_id": 100 }, banner: false });
  c.step(2, "semget", get(1), ok(100));
  c.step(2, "semget", get(1), ok(0));
  c.step(2, "msgget", { key: "IPC_PRIVATE", flags: [], mode: "0600" }, ok(0));
  c.step(2, "semctl", ctl(100, 0, "IPC_STAT"), sstat());
  c.step(2, "semctl", ctl(0, 0, "IPC_STAT"), sstat());
  return c;
});

add(() => {
  const c = new Case("sem-op-atomic",
    "sops apply all or nothing, in array order, each seeing the earlier ones: {0:+1, 0:-2} on " +
    "1 succeeds, {0:-2, 0:+1} on 1 gives EAGAIN; {0:-1, 1:-1} with sem 1 at 0 gives EAGAIN and " +
    "sem 0 is untouched", { banner: false });
  c.step(2, "semget", get(2), ok(0));
  c.step(2, "semctl", ctl(0, 0, "SETVAL", 1), ok(0));
  c.step(2, "semop", ops(0, sop(0, -2, ["IPC_NOWAIT"]), sop(0, 1)), err("EAGAIN"));
  c.step(2, "semop", ops(0, sop(0, 1), sop(0, -2, ["IPC_NOWAIT"])), ok(0));
  c.step(2, "semctl", ipcctl(0, "GETALL"), values([0, 0]));
  c.step(2, "semctl", ctl(0, 0, "SETVAL", 1), ok(0));
  c.step(2, "semop", ops(0, sop(0, -1, ["IPC_NOWAIT"]), sop(1, -1, ["IPC_NOWAIT"])), err("EAGAIN"));
  c.step(2, "semctl", ipcctl(0, "GETALL"), values([1, 0]));
  c.step(2, "semop", why(ops(0, sop(0, 0, ["IPC_NOWAIT"])), "wait-for-zero on 1: EAGAIN"),
    err("EAGAIN"));
  c.step(2, "semop", ops(0, sop(1, 0), sop(0, -1), sop(1, 2)), ok(0));
  c.step(2, "semctl", ipcctl(0, "GETALL"), values([0, 2]));
  c.step(2, "semctl", ctl(0, 1, "GETPID"), ok(2));
  return c;
});

add(() => {
  const c = new Case("sem-op-efbig",
    "a sem_num >= nsems gives EFBIG after the id lookup (an unknown id gives EINVAL first); " +
    "semid < 0 is EINVAL", { banner: false });
  c.step(2, "semget", get(2), ok(0));
  c.step(2, "semop", ops(0, sop(2, 1)), err("EFBIG"));
  c.step(2, "semop", why(ops(0, sop(0, 1), sop(65535, 0)), "any sop: nothing is applied"),
    err("EFBIG"));
  c.step(2, "semop", ops(5, sop(9, 1)), err("EINVAL"));
  c.step(2, "semop", ops(-1, sop(0, 1)), err("EINVAL"));
  c.step(2, "semctl", ipcctl(0, "GETALL"), values([0, 0]));
  return c;
});

add(() => {
  const c = new Case("sem-op-erange",
    "a result above SEMVMX (32767) gives ERANGE; so does a SEM_UNDO adjustment outside " +
    "[-32768, 32767]; a decrement below 0 blocks or gives EAGAIN (sem_op -32768 on 0 with " +
    "IPC_NOWAIT is EAGAIN, not ERANGE)", { banner: false });
  c.step(2, "semget", get(2), ok(0));
  c.step(2, "semop", ops(0, sop(0, 32767)), ok(0));
  c.step(2, "semop", ops(0, sop(0, 1)), err("ERANGE"));
  c.step(2, "semop", ops(0, sop(1, -32768, ["IPC_NOWAIT"])), err("EAGAIN"));
  c.step(2, "semop", ops(0, sop(0, -32767, ["SEM_UNDO"])), ok(0));
  c.step(2, "semop", why(ops(0, sop(0, 32767, ["SEM_UNDO"])), "semadj 32767 - 32767 = 0: fine"),
    ok(0));
  c.step(2, "semop",
    why(ops(0, sop(0, -32767, ["SEM_UNDO"]), sop(1, 32767, ["SEM_UNDO"])),
        "sem 1 adj -32767: fine"),
    ok(0));
  c.step(2, "semop",
    why(ops(0, sop(1, -32767), sop(1, 16000, ["SEM_UNDO"]), sop(1, 16000, ["SEM_UNDO"])),
        "adj -32767 - 32000 < -32768: ERANGE, all undone"),
    err("ERANGE"));
  c.step(2, "semctl", ipcctl(0, "GETALL"), values([0, 32767]));
  return c;
});

add(() => {
  const c = new Case("sem-op-nowait",
    "IPC_NOWAIT is per sop: only the flag of the sop that blocks counts; a sleeper whose " +
    "blocking sop later has IPC_NOWAIT completes with EAGAIN (perform_atomic_semop in " +
    "update_queue)", { banner: false });
  c.step(2, "semget", get(2), ok(0));
  c.step(2, "fork", {}, ok(3));
  const s2 = c.step(3, "semop",
    why(ops(0, sop(0, -1), sop(1, -1, ["IPC_NOWAIT"])), "sop 0 blocks, without IPC_NOWAIT"),
    BLOCKED);
  c.step(2, "semctl", ctl(0, 0, "GETNCNT"), ok(1));
  c.step(2, "semop", why(ops(0, sop(0, 1)), "now sop 1 blocks, and it has IPC_NOWAIT"), ok(0),
    [wake(3, s2, err("EAGAIN"))]);
  c.step(2, "semctl", ipcctl(0, "GETALL"), values([1, 0]));
  const s6 = c.step(3, "semop",
    why(ops(0, sop(0, -1, ["IPC_NOWAIT"]), sop(1, -1)),
        "sem 0 is 1, sem 1 is 0: sop 1 blocks and has no IPC_NOWAIT: sleeps"),
    BLOCKED);
  c.step(2, "semop", ops(0, sop(1, 1)), ok(0), [wake(3, s6, ok(0))]);
  c.step(2, "semctl", ipcctl(0, "GETALL"), values([0, 0]));
  return c;
});

add(() => {
  const c = new Case("sem-rmid",
    "IPC_RMID wakes every sleeper with EIDRM (zero waiters, decrementers, complex ones); the " +
    "id and key go at once; later use gives EINVAL; undo records go with the set",
    { banner: false });
  c.step(2, "semget", get(2, 99, ["IPC_CREAT"]), ok(0));
  c.step(2, "semctl", ctl(0, 1, "SETVAL", 1), ok(0));
  c.step(2, "fork", {}, ok(3));
  c.step(2, "fork", {}, ok(4));
  c.step(2, "fork", {}, ok(5));
  const s5 = c.step(3, "semop", ops(0, sop(0, -1)), BLOCKED);
  const s6 = c.step(4, "semop", ops(0, sop(1, 0)), BLOCKED);
  const s7 = c.step(5, "semop", ops(0, sop(0, -1), sop(1, -1)), BLOCKED);
  c.step(2, "semop", ops(0, sop(1, 1, ["SEM_UNDO"])), ok(0));
  c.step(2, "semctl", ctl(0, 0, "IPC_RMID"), ok(0),
    [wake(3, s5, err("EIDRM")), wake(4, s6, err("EIDRM")), wake(5, s7, err("EIDRM"))]);
  c.step(2, "semctl", ctl(0, 0, "GETVAL"), err("EINVAL"));
  c.step(3, "semop", ops(0, sop(0, 1)), err("EINVAL"));
  c.step(2, "semget", get(1, 99), err("ENOENT"));
  c.step(2, "semget", get(2, 99, ["IPC_CREAT"]), ok(1));
  c.step(2, "exit", why({ status: 0 }, "its undo record went with the old set"), undefined,
    [exited(2, 0)]);
  return c;
});

add(() => {
  const c = new Case("sem-set",
    "IPC_SET changes uid, gid and the low 9 mode bits; IPC_STAT reports them, the creator and " +
    "sem_nsems; a uid of -1 is EINVAL", { banner: false });
  c.step(2, "semget", get(3, 5, ["IPC_CREAT"], "0640"), ok(0));
  c.step(2, "semctl", ctl(0, 0, "IPC_STAT"), sstat({ nsems: 3, perm: { key: 5, mode: "0640" } }));
  c.step(2, "semctl", ctl(0, 0, "IPC_SET", { sem_perm: { uid: 1, gid: 2, mode: "01777" } }), ok(0));
  c.step(2, "semctl", ctl(0, 0, "IPC_STAT"),
    sstat({ nsems: 3, perm: { gid: 2, key: 5, mode: "0777", uid: 1 } }));
  c.step(2, "semctl", ctl(0, 0, "IPC_SET", { sem_perm: { gid: 4294967295 } }), err("EINVAL"));
  c.step(2, "semctl", ctl(4, 0, "IPC_SET", { sem_perm: { uid: 7 } }), err("EINVAL"));
  c.step(2, "semctl", ctl(0, 0, "IPC_STAT"),
    sstat({ nsems: 3, perm: { gid: 2, key: 5, mode: "0777", uid: 1 } }));
  return c;
});

add(() => {
  const c = new Case("sem-stat-names",
    "IPC_STAT's sem_perm may be expected in glibc's names (__key, __seq: sys/ipc.h) or the " +
    "kernel's (key, seq: include/uapi/asm-generic/ipcbuf.h); sem_otime is 0 until a semop " +
    "completes, then CLOCK_REALTIME seconds; sem_ctime is set at semget (ipc/sem.c newary, " +
    "set_semotime; docs/audit/names.md; issue 21).");
  const T = 1767225600; // the trace's CLOCK_REALTIME (docs/trace-format.md "Time")
  c.step(2, "semget", get(2, 5, ["IPC_CREAT"]), ok(0));
  c.step(2, "semctl", ctl(0, 0, "IPC_STAT"), ok(0, { stat: {
    sem_perm: { key: 5, seq: 0, mode: "0600" }, sem_nsems: 2, sem_otime: 0, sem_ctime: T } }));
  c.step(2, "semop", ops(0, sop(1, 1)), ok(0));
  c.step(2, "semctl", ctl(0, 0, "IPC_STAT"), ok(0, { stat: {
    sem_perm: { __key: 5, __seq: 0 }, sem_otime: T, sem_ctime: T } }));
  return c;
});

add(() => {
  const c = new Case("sem-setall-wakes",
    "SETVAL and SETALL run the same update as semop: zero-waiters and decrementers are " +
    "completed", { banner: false });
  c.step(2, "semget", get(2), ok(0));
  c.step(2, "semctl", ctl(0, 0, "SETVAL", 1), ok(0));
  c.step(2, "fork", {}, ok(3));
  c.step(2, "fork", {}, ok(4));
  const s4 = c.step(3, "semop", ops(0, sop(0, 0)), BLOCKED);
  const s5 = c.step(4, "semop", ops(0, sop(1, -2)), BLOCKED);
  c.step(2, "semctl", ctl(0, 0, "SETALL", [0, 2]), ok(0), [wake(3, s4, ok(0)), wake(4, s5, ok(0))]);
  c.step(2, "semctl", ctl(0, 0, "GETALL"), values([0, 0]));
  c.step(2, "semctl", ctl(0, 1, "GETPID"), ok(4));
  return c;
});

add(() => {
  const c = new Case("sem-timedop",
    "semtimedop: an invalid timeout is EINVAL even when the operation could proceed, and it is " +
    "checked before the lookup (EFBIG loses); a zero timeout on a blocking operation gives " +
    "EAGAIN at once; a valid one on a possible operation succeeds", { banner: false });
  c.step(2, "semget", get(2), ok(0));
  c.step(2, "semtimedop", timed(0, { sec: 0, nsec: 1000000000 }, sop(0, 1)), err("EINVAL"));
  c.step(2, "semtimedop", timed(0, { sec: -1, nsec: 0 }, sop(0, 1)), err("EINVAL"));
  c.step(2, "semtimedop", timed(0, { sec: 0, nsec: -1 }, sop(5, 1)), err("EINVAL"));
  c.step(2, "semtimedop", timed(0, { sec: 0, nsec: 0 }, sop(5, 1)), err("EFBIG"));
  c.step(2, "semtimedop", timed(0, { sec: 0, nsec: 0 }, sop(0, -1)), err("EAGAIN"));
  c.step(2, "semtimedop", timed(0, { sec: 0, nsec: 0 }, sop(0, 1), sop(1, -1)), err("EAGAIN"));
  c.step(2, "semtimedop", timed(0, { sec: 5, nsec: 0 }, sop(0, 1)), ok(0));
  c.step(2, "semtimedop", timed(0, null, sop(0, -1)), ok(0));
  c.step(2, "semctl", ctl(0, 0, "GETALL"), values([0, 0]));
  return c;
});

add(() => {
  const c = new Case("sem-undo-exit",
    "SEM_UNDO adjustments are applied at exit, clamped to [0, SEMVMX], with sempid the exiting " +
    "pid: +2 undone to 0; -1 on 1 undone to 1; +3 with the parent's -2 in between gives 0 (not " +
    "-2)", { banner: false });
  c.step(2, "semget", get(3), ok(0));
  c.step(2, "fork", {}, ok(3));
  c.step(3, "semop", ops(0, sop(0, 2, ["SEM_UNDO"])), ok(0));
  c.step(2, "semctl", ctl(0, 0, "GETVAL"), ok(2));
  c.exit(3, 0);
  c.step(2, "waitpid", { target: -1, options: [] }, reaped(3, 0));
  c.step(2, "semctl", ctl(0, 0, "GETVAL"), ok(0));
  c.step(2, "semctl", ctl(0, 0, "GETPID"), ok(3));
  c.step(2, "semctl", ctl(0, 1, "SETVAL", 1), ok(0));
  c.step(2, "fork", {}, ok(4));
  c.step(4, "semop", ops(0, sop(1, -1, ["SEM_UNDO"])), ok(0));
  c.step(2, "semctl", ctl(0, 1, "GETVAL"), ok(0));
  c.exit(4, 0);
  c.step(2, "waitpid", { target: -1, options: [] }, reaped(4, 0));
  c.step(2, "semctl", ctl(0, 1, "GETVAL"), ok(1));
  c.step(2, "semctl", ctl(0, 1, "GETPID"), ok(4));
  c.step(2, "fork", {}, ok(5));
  c.step(5, "semop", ops(0, sop(2, 3, ["SEM_UNDO"])), ok(0));
  c.step(2, "semop", ops(0, sop(2, -2)), ok(0));
  c.exit(5, 0);
  c.step(2, "waitpid", { target: -1, options: [] }, reaped(5, 0));
  c.step(2, "semctl", ctl(0, 0, "GETALL"), values([0, 1, 0]));
  c.step(2, "semctl", ctl(0, 2, "GETPID"), ok(5));
  return c;
});

add(() => {
  const c = new Case("sem-undo-fork",
    "a forked child starts without undo records: only the parent's exit undoes the parent's " +
    "operation", { banner: false });
  c.step(2, "fork", {}, ok(3));
  c.step(3, "semget", get(1), ok(0));
  c.step(3, "semop", ops(0, sop(0, 5, ["SEM_UNDO"])), ok(0));
  c.step(3, "fork", {}, ok(4));
  c.exit(4, 0);
  c.step(2, "semctl", ctl(0, 0, "GETVAL"), ok(5));
  c.exit(3, 0);
  c.step(2, "semctl", ctl(0, 0, "GETVAL"), ok(0));
  c.step(2, "semctl", ctl(0, 0, "GETPID"), ok(3));
  return c;
});

add(() => {
  const c = new Case("sem-undo-setval",
    "SETVAL and SETALL reset every process's semadj for those semaphores: a child does +3 with " +
    "SEM_UNDO, the parent SETVALs 7, the child exits: 7", { banner: false });
  c.step(2, "semget", get(2), ok(0));
  c.step(2, "fork", {}, ok(3));
  c.step(3, "semop", ops(0, sop(0, 3, ["SEM_UNDO"]), sop(1, 4, ["SEM_UNDO"])), ok(0));
  c.step(2, "semctl", ctl(0, 0, "SETVAL", 7), ok(0));
  c.exit(3, 0);
  c.step(2, "semctl", ctl(0, 0, "GETALL"), values([7, 0]));
  c.step(2, "fork", {}, ok(4));
  c.step(4, "semop", ops(0, sop(0, 1, ["SEM_UNDO"]), sop(1, 1, ["SEM_UNDO"])), ok(0));
  c.step(2, "semctl", ctl(0, 0, "SETALL", [5, 5]), ok(0));
  c.exit(4, 0);
  c.step(2, "semctl", ctl(0, 0, "GETALL"), values([5, 5]));
  return c;
});

add(() => {
  const c = new Case("sem-undo-wakes",
    "a sleeper completed by hand-off records its own SEM_UNDO; an exit's undo completes " +
    "sleepers (in the exit step)", { banner: false });
  c.step(2, "semget", get(1), ok(0));
  c.step(2, "fork", {}, ok(3));
  c.step(2, "fork", {}, ok(4));
  const s3 = c.step(3, "semop", ops(0, sop(0, -1, ["SEM_UNDO"])), BLOCKED);
  c.step(2, "semop", ops(0, sop(0, 1)), ok(0), [wake(3, s3, ok(0))]);
  c.step(2, "semctl", ctl(0, 0, "GETVAL"), ok(0));
  const s6 = c.step(4, "semop", why(ops(0, sop(0, -1)), "sleeps: 0"), BLOCKED);
  c.step(3, "exit", why({ status: 0 }, "undo +1 completes pid 4"), undefined,
    [wake(4, s6, ok(0)), exited(3, 0)]);
  c.step(2, "semctl", ctl(0, 0, "GETVAL"), ok(0));
  c.step(2, "semctl", ctl(0, 0, "GETPID"), ok(4));
  return c;
});

add(() => {
  const c = new Case("sem-wake-complex",
    "a complex waiter C{0:-1, 1:-1} queued before S{0:-1}; +1 on sem 0: C still cannot proceed " +
    "and S completes (it is skipped, not blocking S); then {0:+1, 1:+1} completes C",
    { banner: false });
  c.step(2, "semget", get(2), ok(0));
  c.step(2, "fork", {}, ok(3));
  c.step(2, "fork", {}, ok(4));
  const s3 = c.step(3, "semop", ops(0, sop(0, -1), sop(1, -1)), BLOCKED);
  const s4 = c.step(4, "semop", ops(0, sop(0, -1)), BLOCKED);
  c.step(2, "semctl", ctl(0, 0, "GETNCNT"), ok(2));
  c.step(2, "semctl", ctl(0, 1, "GETNCNT"), ok(0));
  c.step(2, "semop", ops(0, sop(0, 1)), ok(0), [wake(4, s4, ok(0))]);
  c.step(2, "semop", ops(0, sop(0, 1), sop(1, 1)), ok(0), [wake(3, s3, ok(0))]);
  c.step(2, "semctl", ctl(0, 0, "GETALL"), values([0, 0]));
  return c;
});

add(() => {
  const c = new Case("sem-wake-fifo",
    "waiters complete in FIFO order as far as the value allows: W1(-1), W2(-1), W3(-2) queued " +
    "in that order, then +2: W1 and W2 complete, W3 waits", { banner: false });
  c.step(2, "semget", get(1), ok(0));
  c.step(2, "fork", {}, ok(3));
  c.step(2, "fork", {}, ok(4));
  c.step(2, "fork", {}, ok(5));
  const s4 = c.step(3, "semop", ops(0, sop(0, -1)), BLOCKED);
  const s5 = c.step(4, "semop", ops(0, sop(0, -1)), BLOCKED);
  c.step(5, "semop", ops(0, sop(0, -2)), BLOCKED);
  c.step(2, "semop", ops(0, sop(0, 2)), ok(0), [wake(4, s5, ok(0)), wake(3, s4, ok(0))]);
  c.step(2, "semctl", ctl(0, 0, "GETNCNT"), ok(1));
  c.step(2, "semctl", ctl(0, 0, "GETVAL"), ok(0));
  return c;
});

add(() => {
  const c = new Case("sem-wake-first",
    "W3(-2), W1(-1), W2(-1) queued in that order, then +2: only W3 completes (it is first and " +
    "takes both)", { banner: false });
  c.step(2, "semget", get(1), ok(0));
  c.step(2, "fork", {}, ok(3));
  c.step(2, "fork", {}, ok(4));
  c.step(2, "fork", {}, ok(5));
  const s4 = c.step(5, "semop", ops(0, sop(0, -2)), BLOCKED);
  c.step(3, "semop", ops(0, sop(0, -1)), BLOCKED);
  c.step(4, "semop", ops(0, sop(0, -1)), BLOCKED);
  c.step(2, "semop", ops(0, sop(0, 2)), ok(0), [wake(5, s4, ok(0))]);
  c.step(2, "semctl", ctl(0, 0, "GETNCNT"), ok(2));
  c.step(2, "semctl", ctl(0, 0, "GETVAL"), ok(0));
  return c;
});

add(() => {
  const c = new Case("sem-wake-merged",
    "while a complex operation sleeps, later single-sop decrements queue behind it on the " +
    "array's list: +1 on sem 0 skips the complex one (it also needs sem 1) and completes the " +
    "oldest single one; once sem 1 has room the next +1 goes to the complex one, which is " +
    "ahead of the second single one; NCNT follows each sleeper's blocking sop", { banner: false });
  c.step(2, "semget", get(2), ok(0));
  c.step(2, "fork", {}, ok(3));
  c.step(2, "fork", {}, ok(4));
  c.step(2, "fork", {}, ok(5));
  const s4 = c.step(3, "semop", why(ops(0, sop(0, -1), sop(1, -5)), "complex, blocks on sem 1"),
    BLOCKED);
  const s5 = c.step(4, "semop", ops(0, sop(0, -1)), BLOCKED);
  c.step(5, "semop", ops(0, sop(0, -1)), BLOCKED);
  c.step(2, "semop", ops(0, sop(0, 1)), ok(0), [wake(4, s5, ok(0))]);
  c.step(2, "semop", why(ops(0, sop(1, 5)), "C needs sem 0 too: stays"), ok(0));
  c.step(2, "semctl", ctl(0, 0, "GETNCNT"), ok(2));
  c.step(2, "semctl", ctl(0, 1, "GETNCNT"), ok(0));
  c.step(2, "semop", ops(0, sop(0, 1)), ok(0), [wake(3, s4, ok(0))]);
  c.step(2, "semctl", ctl(0, 0, "GETALL"), values([0, 0]));
  return c;
});

add(() => {
  const c = new Case("sem-wake-overtake",
    "update_queue skips a waiter that cannot proceed: sem 0, A(-2) queued before B(-1), then " +
    "+1: B completes and A keeps waiting; +2 later completes A", { banner: false });
  c.step(2, "semget", get(1), ok(0));
  c.step(2, "fork", {}, ok(3));
  c.step(2, "fork", {}, ok(4));
  const s3 = c.step(3, "semop", ops(0, sop(0, -2)), BLOCKED);
  const s4 = c.step(4, "semop", ops(0, sop(0, -1)), BLOCKED);
  c.step(2, "semop", ops(0, sop(0, 1)), ok(0), [wake(4, s4, ok(0))]);
  c.step(2, "semctl", ctl(0, 0, "GETNCNT"), ok(1));
  c.step(2, "semop", ops(0, sop(0, 2)), ok(0), [wake(3, s3, ok(0))]);
  c.step(2, "semctl", ctl(0, 0, "GETVAL"), ok(0));
  return c;
});

add(() => {
  const c = new Case("sem-wake-zero",
    "wait-for-zero sleepers run when their semaphore reaches 0, before the decrementers are " +
    "scanned; a zero wait completes with the value unchanged and sets sempid", { banner: false });
  c.step(2, "semget", get(1), ok(0));
  c.step(2, "semctl", ctl(0, 0, "SETVAL", 2), ok(0));
  c.step(2, "fork", {}, ok(3));
  c.step(2, "fork", {}, ok(4));
  c.step(2, "fork", {}, ok(5));
  const s5 = c.step(3, "semop", ops(0, sop(0, 0)), BLOCKED);
  const s6 = c.step(4, "semop", ops(0, sop(0, -3)), BLOCKED);
  c.step(2, "semctl", ctl(0, 0, "GETZCNT"), ok(1));
  c.step(2, "semctl", ctl(0, 0, "GETNCNT"), ok(1));
  c.step(2, "semop", why(ops(0, sop(0, -2)), "sem 0 -> 0: the zero-waiter completes"), ok(0),
    [wake(3, s5, ok(0))]);
  c.step(2, "semctl", ctl(0, 0, "GETPID"), ok(3));
  c.step(2, "semop", why(ops(0, sop(0, 3)), "the decrement completes, leaving 0"), ok(0),
    [wake(4, s6, ok(0))]);
  c.step(5, "semop", why(ops(0, sop(0, 0)), "0 now: no wait"), ok(0));
  c.step(2, "semctl", ctl(0, 0, "GETVAL"), ok(0));
  return c;
});

add(() => {
  const c = new Case("sem-op-e2big",
    "semop: nsops > SEMOPM gives E2BIG, checked before nsops < 1 (EINVAL) and before the id; 500 " +
    "sops are fine (do_semtimedop)",
    { banner: false });
  const plus = (n) => Array.from({ length: n }, () => sop(0, 1));
  c.step(2, "semget", get(1), ok(0));
  c.step(2, "semop", ops(0, ...plus(501)), err("E2BIG"));
  c.step(2, "semop", why(ops(-1, ...plus(501)), "E2BIG before the semid check"), err("E2BIG"));
  c.step(2, "semop", ops(0), err("EINVAL"));
  c.step(2, "semop", why(ops(-1), "EINVAL either way"), err("EINVAL"));
  c.step(2, "semop", ops(0, ...plus(500)), ok(0));
  c.step(2, "semctl", ctl(0, 0, "GETVAL"), ok(500));
  return c;
});
