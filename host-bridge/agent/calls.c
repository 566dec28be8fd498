/* calls.c: the calls of trace v1, as a traced process executes them with real syscalls.
 *
 * Each call is a short function, CALL_HANDLER(name) for each row of the call table (a row
 * without one does not link: calls.gen.h declares them all): decode the arguments of the
 * command (already in the real kernel's numbering), make the syscall, store ret/errno and the
 * outputs in the reply. Glibc wrappers are used as a C program would; /proc shows the syscall
 * glibc issues (open -> openat, waitpid -> wait4), which is what quiesce.c expects.
 *
 * Argument positions (A(i)) are the command line's fixed integers, in the order of the row's
 * arguments (calls.gen.h comments each row's; host-bridge/calls.ts derives them).
 */

static int chan_fd = -1; /* this traced process's control socket (read by record_signal) */
static void record_signal(int sig, siginfo_t *info, void *context);
static void run_frame(int sig, siginfo_t *info, void *context);
static volatile sig_atomic_t frame_depth; /* traced.c: how many "calls" handlers are open */
static bool traced_fork(struct reply_msg *r, int *pass_fd);
static const struct call_desc *call_desc(int call); /* agent.c */
static void pace_rel(const struct cmd_msg *c, int64_t clock, int64_t *sec, int64_t *nsec);
static void pace_abs(const struct cmd_msg *c, int64_t clock, int64_t *sec, int64_t *nsec);
/* time.c */

/* What a call uses while it runs: the command it was sent (with its data), the output buffer of
 * read/msgrcv/load (scratch for msgsnd/semctl) and readv/writev's vector. The calls of a
 * "calls" handler (traced.c run_frame) use the space of their frame's depth, so that a call the
 * handler interrupted finds its own intact when it replies or restarts (a readv restarted under
 * SA_RESTART passes its vector again). Untouched pages cost nothing, and every traced process
 * has its own copy after fork. */
struct call_space {
  _Alignas(16) uint8_t in[sizeof(struct cmd_msg) + DATA_BYTES_MAX];
  _Alignas(16) uint8_t scratch[DATA_BYTES_MAX + 64];
  struct iovec iov[UIO_MAXIOV + 1];
};
static struct call_space space_main;
/* Each depth's, mapped at its first use (traced.c frame_space), then kept: a fork's child too. */
static struct call_space *spaces[FRAMES_MAX + 1] = {&space_main};
static struct call_space *space = &space_main; /* the current frame's: traced.c run_frame */
#define scratch (space->scratch)

struct call_out {
  const uint8_t *data; /* reply data */
  uint32_t len;
  int pass_fd;   /* fd to pass to the agent (fork), else -1 */
  bool no_reply; /* the child side of fork: it sends no reply */
};

#define A(i) (c->args[i])

/* Stores a syscall's result; errno is read before anything else can change it. */
static void set_ret(struct reply_msg *r, long v) {
  r->ret = v;
  r->err = v == -1 ? errno : 0;
}

static void mask_to_set(uint64_t mask, sigset_t *set) {
  sigemptyset(set);
  for (int sig = 1; sig <= 64; sig++)
    if (mask >> (sig - 1) & 1) sigaddset(set, sig);
}

static uint64_t set_to_mask(const sigset_t *set) {
  uint64_t mask = 0;
  for (int sig = 1; sig <= 64; sig++)
    if (sigismember(set, sig) == 1) mask |= 1ull << (sig - 1);
  return mask;
}

/* A path from the command's data, NUL-terminated (the agent has checked it is relative). */
static const char *path_arg(const uint8_t *data, uint32_t len) {
  memcpy(scratch, data, len);
  scratch[len] = 0;
  return (const char *)scratch;
}

/* ---- processes and descriptors ---- */

/* A plain syscall (integer arguments, already in the host's numbering; no outputs): a row
 * with no handler of its own (scripts/build.mjs names this one for it). */
static void c_syscall(const struct cmd_msg *c, __attribute__((unused)) const uint8_t *data,
                      struct reply_msg *r, __attribute__((unused)) struct call_out *o) {
  set_ret(r, syscall(c->call, A(0), A(1), A(2), A(3), A(4), A(5)));
}

CALL_HANDLER(fork) { o->no_reply = !traced_fork(r, &o->pass_fd); }
CALL_HANDLER(exit) { _exit((int)A(0)); }

CALL_HANDLER(waitpid) {
  int status = 0;
  set_ret(r, waitpid((pid_t)A(0), &status, (int)A(1)));
  r->out[0] = status;
  r->nout = 1;
}

CALL_HANDLER(close) { set_ret(r, close((int)A(0))); }
CALL_HANDLER(dup) { set_ret(r, dup((int)A(0))); }
CALL_HANDLER(dup2) { set_ret(r, dup2((int)A(0), (int)A(1))); }
/* arg absent: a struct f_owner_ex {otype, opid} (F_SETOWN_EX, F_GETOWN_EX), or a struct flock
 * {ltype, lwhence, lstart, llen, lpid} (the record-lock commands), passed by address; what the
 * call leaves in it is the result's `owner` or `flock` (procs.c result_json). */
CALL_HANDLER(fcntl) {
  if (A(2) != ARG_ABSENT) {
    set_ret(r, fcntl((int)A(0), (int)A(1), (long)A(2)));
    return;
  }
  if (A(5) != ARG_ABSENT) {
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = (short)A(5);
    fl.l_whence = (short)A(6);
    fl.l_start = (off_t)A(7);
    fl.l_len = (off_t)A(8);
    fl.l_pid = (pid_t)A(9);
    set_ret(r, fcntl((int)A(0), (int)A(1), &fl));
    r->out[0] = fl.l_type;
    r->out[1] = fl.l_whence;
    r->out[2] = fl.l_start;
    r->out[3] = fl.l_len;
    r->out[4] = fl.l_pid;
    r->nout = 5;
    return;
  }
  struct f_owner_ex owner = {.type = (int)A(3), .pid = (pid_t)A(4)};
  set_ret(r, fcntl((int)A(0), (int)A(1), &owner));
  r->out[0] = owner.type;
  r->out[1] = owner.pid;
  r->nout = 2;
}

CALL_HANDLER(pipe) {
  int fds[2] = {-1, -1};
  set_ret(r, pipe2(fds, (int)A(0)));
  r->out[0] = fds[0];
  r->out[1] = fds[1];
  r->nout = 2;
}

CALL_HANDLER(read) {
  uint64_t count = (uint64_t)A(1);
  /* A count past the address space is passed as is: Linux fails it (EFAULT, after EBADF) in
   * fs/read_write.c vfs_read() before reading. Other large counts are cut to our buffer, which
   * holds more than any pipe can (pipe-max-size is 1 MiB). */
  if (count > data_bytes_max && count < (1ull << 47)) count = data_bytes_max;
  set_ret(r, read((int)A(0), scratch, count));
  if (r->ret >= 0) o->data = scratch, o->len = (uint32_t)r->ret;
}

CALL_HANDLER(write) { set_ret(r, write((int)A(0), data, c->data_len)); }
CALL_HANDLER(mkfifo) { set_ret(r, mkfifo(path_arg(data, c->data_len), (mode_t)A(0))); }
CALL_HANDLER(open) { set_ret(r, open(path_arg(data, c->data_len), (int)A(0), (mode_t)A(1))); }
CALL_HANDLER(unlink) { set_ret(r, unlink(path_arg(data, c->data_len))); }

/* ---- SysV IPC ---- */

/* ipc_perm as outputs 0..6: key uid gid cuid cgid mode seq. */
static void perm_out(struct reply_msg *r, const struct ipc_perm *p) {
  r->out[0] = p->__key;
  r->out[1] = p->uid;
  r->out[2] = p->gid;
  r->out[3] = p->cuid;
  r->out[4] = p->cgid;
  r->out[5] = p->mode;
  r->out[6] = p->__seq;
  r->nout = 7;
}

/* IPC_SET: fields the trace gave (uid gid mode at A(first)..) over the current values. */
static void perm_in(struct ipc_perm *p, const struct cmd_msg *c, int first) {
  if (A(first) != ARG_ABSENT) p->uid = (uid_t)A(first);
  if (A(first + 1) != ARG_ABSENT) p->gid = (gid_t)A(first + 1);
  if (A(first + 2) != ARG_ABSENT) p->mode = (mode_t)A(first + 2);
}

CALL_HANDLER(msgget) { set_ret(r, msgget((key_t)A(0), (int)(A(1) | A(2)))); }

CALL_HANDLER(msgsnd) {
  long mtype = (long)A(1);
  memcpy(scratch, &mtype, sizeof mtype);
  memcpy(scratch + sizeof mtype, data, c->data_len);
  set_ret(r, msgsnd((int)A(0), scratch, c->data_len, (int)A(2)));
}

CALL_HANDLER(msgrcv) {
  /* The size is passed as is: a message is never larger than what a command carried. */
  set_ret(r, msgrcv((int)A(0), scratch, (size_t)A(1), (long)A(2), (int)A(3)));
  if (r->ret < 0) return;
  long mtype;
  memcpy(&mtype, scratch, sizeof mtype);
  r->out[0] = mtype;
  r->nout = 1;
  o->data = scratch + sizeof mtype;
  o->len = (uint32_t)r->ret;
}

/* msgctl: IPC_STAT outputs perm + qnum cbytes qbytes lspid lrpid stime rtime ctime; IPC_SET
 * overlays the given fields (uid gid mode qbytes) on the current ones, as a C program does after
 * IPC_STAT. */
CALL_HANDLER(msgctl) {
  int id = (int)A(0), cmd = (int)A(1);
  struct msqid_ds ds;
  memset(&ds, 0, sizeof ds);
  if (cmd == IPC_SET) {
    (void)msgctl(id, IPC_STAT, &ds);
    perm_in(&ds.msg_perm, c, 2);
    if (A(5) != ARG_ABSENT) ds.msg_qbytes = (msglen_t)A(5);
  }
  set_ret(r, msgctl(id, cmd, &ds));
  if (cmd != IPC_STAT || r->ret < 0) return;
  perm_out(r, &ds.msg_perm);
  r->out[7] = (int64_t)ds.msg_qnum;
  r->out[8] = (int64_t)ds.__msg_cbytes;
  r->out[9] = (int64_t)ds.msg_qbytes;
  r->out[10] = ds.msg_lspid;
  r->out[11] = ds.msg_lrpid;
  r->out[12] = ds.msg_stime;
  r->out[13] = ds.msg_rtime;
  r->out[14] = ds.msg_ctime;
  r->nout = 15;
}

union semun {
  int val;
  struct semid_ds *buf;
  unsigned short *array;
};

CALL_HANDLER(semget) { set_ret(r, semget((key_t)A(0), (int)A(1), (int)(A(2) | A(3)))); }

/* The sops, copied to an aligned buffer. */
static struct sembuf *sops_arg(const struct cmd_msg *c, const uint8_t *data) {
  memcpy(scratch, data, c->data_len);
  return (struct sembuf *)scratch;
}

CALL_HANDLER(semop) {
  set_ret(r, semop((int)A(0), sops_arg(c, data), c->data_len / sizeof(struct sembuf)));
}

/* The timeout is relative, on CLOCK_MONOTONIC (ipc/sem.c do_semtimedop()): paced (time.c). */
CALL_HANDLER(semtimedop) {
  int64_t sec = A(2), nsec = A(3);
  pace_rel(c, CLOCK_MONOTONIC, &sec, &nsec);
  struct timespec ts = {(time_t)sec, (long)nsec};
  bool timed = A(1) != 0;
  set_ret(r, semtimedop((int)A(0), sops_arg(c, data), c->data_len / sizeof(struct sembuf),
                        timed ? &ts : NULL));
}

/* semctl: SETVAL A(3); SETALL values in data; IPC_SET uid gid mode A(4..6). IPC_STAT outputs
 * perm + nsems otime ctime; GETALL returns the values as data (unsigned shorts). */
CALL_HANDLER(semctl) {
  int id = (int)A(0), num = (int)A(1), cmd = (int)A(2);
  struct semid_ds ds;
  memset(&ds, 0, sizeof ds);
  union semun arg = {.buf = &ds};
  if (cmd == SETVAL) arg.val = (int)A(3);
  if (cmd == SETALL || cmd == GETALL) {
    /* The kernel reads or writes sem_nsems values; missing SETALL values are 0. */
    memset(scratch, 0, 65536 * sizeof(unsigned short));
    memcpy(scratch, data, c->data_len);
    arg.array = (unsigned short *)scratch;
  }
  if (cmd == GETALL || cmd == IPC_SET) (void)semctl(id, 0, IPC_STAT, (union semun){.buf = &ds});
  if (cmd == IPC_SET) perm_in(&ds.sem_perm, c, 4);
  set_ret(r, semctl(id, num, cmd, arg));
  if (r->ret < 0) return;
  if (cmd == GETALL) o->data = scratch, o->len = (uint32_t)(ds.sem_nsems * sizeof(unsigned short));
  if (cmd != IPC_STAT) return;
  perm_out(r, &ds.sem_perm);
  r->out[7] = (int64_t)ds.sem_nsems;
  r->out[8] = ds.sem_otime;
  r->out[9] = ds.sem_ctime;
  r->nout = 10;
}

/* shmctl: IPC_STAT outputs perm + segsz nattch cpid lpid atime dtime ctime; IPC_SET uid gid
 * mode A(2..4). */
CALL_HANDLER(shmget) { set_ret(r, shmget((key_t)A(0), (size_t)A(1), (int)(A(2) | A(3)))); }

CALL_HANDLER(shmat) {
  set_ret(r, (long)shmat((int)A(0), (const void *)(uintptr_t)A(1), (int)A(2)));
  if (r->ret != -1) maps_after_shmat(r, shm_pages_bytes((int)A(0)));
}

CALL_HANDLER(shmdt) {
  set_ret(r, shmdt((const void *)(uintptr_t)A(0)));
  maps_after_shmdt(r, (uint64_t)A(0));
}

CALL_HANDLER(shmctl) {
  int id = (int)A(0), cmd = (int)A(1);
  struct shmid_ds ds;
  memset(&ds, 0, sizeof ds);
  if (cmd == IPC_SET) {
    (void)shmctl(id, IPC_STAT, &ds);
    perm_in(&ds.shm_perm, c, 2);
  }
  set_ret(r, shmctl(id, cmd, &ds));
  if (cmd != IPC_STAT || r->ret < 0) return;
  perm_out(r, &ds.shm_perm);
  r->out[7] = (int64_t)ds.shm_segsz;
  r->out[8] = (int64_t)ds.shm_nattch;
  r->out[9] = ds.shm_cpid;
  r->out[10] = ds.shm_lpid;
  r->out[11] = ds.shm_atime;
  r->out[12] = ds.shm_dtime;
  r->out[13] = ds.shm_ctime;
  r->nout = 14;
}

/* ---- memory ---- */

/* store/load touch the address for real, and only inside what the trace mapped (maps.c): a bad
 * one raises SIGSEGV and kills this process, which the agent reports as its exit. */
CALL_HANDLER(mmap) {
  set_ret(r, (long)mmap((void *)(uintptr_t)A(0), (size_t)A(1), (int)A(2), (int)A(3), (int)A(4),
                        (off_t)A(5)));
  maps_after_mmap(r, (uint64_t)A(1));
}

/* msync: bad flags or an unaligned address fail before memory is looked at (EINVAL, safe to
 * ask Linux); a range the trace did not map is ENOMEM as the model says, never asked (it may
 * be the agent's own memory). */
CALL_HANDLER(msync) {
  uint64_t addr = (uint64_t)A(0), len = (uint64_t)A(1);
  int flags = (int)A(2);
  bool bad = (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) || (addr & (MAPS_PAGE - 1)) ||
             ((flags & MS_ASYNC) && (flags & MS_SYNC));
  if (!bad && !maps_cover(addr, page_up(len))) {
    r->ret = -1, r->err = ENOMEM;
    return;
  }
  set_ret(r, msync((void *)(uintptr_t)addr, (size_t)len, flags));
}

/* mprotect: Linux is asked only over the trace's memory or up to a real hole (maps.c). */
CALL_HANDLER(mprotect) { maps_mprotect(r, (uint64_t)A(0), (uint64_t)A(1), (long)A(2)); }

CALL_HANDLER(munmap) {
  set_ret(r, munmap((void *)(uintptr_t)A(0), (size_t)A(1)));
  maps_after_munmap(r, (uint64_t)A(0), (uint64_t)A(1));
}

CALL_HANDLER(store) {
  if (!maps_access_ok(c, r, (uint64_t)A(0), c->data_len, true)) return;
  memcpy((void *)(uintptr_t)A(0), data, c->data_len);
  r->ret = c->data_len;
}

CALL_HANDLER(load) {
  size_t count = (size_t)A(1); /* the agent has checked count <= data_bytes_max */
  if (!maps_access_ok(c, r, (uint64_t)A(0), count, false)) return;
  memcpy(scratch, (const void *)(uintptr_t)A(0), count);
  r->ret = (int64_t)count;
  o->data = scratch;
  o->len = (uint32_t)count;
}

/* ---- atomics and futexes ---- */

/* The word of an atomic: inside the trace's mappings (maps.c, as a store), and aligned (the
 * model refuses an unaligned one first: a split lock). The old value is ret, unsigned. */
static uint32_t *atomic_word(const struct cmd_msg *c, struct reply_msg *r) {
  if (A(0) % 4 != 0) {
    r->bridge_errno = EINVAL;
    return NULL;
  }
  if (!maps_access_ok(c, r, (uint64_t)A(0), 4, true)) return NULL;
  return (uint32_t *)(uintptr_t)A(0);
}

CALL_HANDLER(cas) {
  uint32_t *w = atomic_word(c, r);
  if (!w) return;
  uint32_t old = (uint32_t)A(1);
  __atomic_compare_exchange_n(w, &old, (uint32_t)A(2), false, __ATOMIC_SEQ_CST,
                              __ATOMIC_SEQ_CST); /* lock cmpxchg: old is the word before */
  r->ret = old;
}

CALL_HANDLER(xchg) {
  uint32_t *w = atomic_word(c, r);
  if (w) r->ret = __atomic_exchange_n(w, (uint32_t)A(1), __ATOMIC_SEQ_CST);
}

CALL_HANDLER(fetch_add) {
  uint32_t *w = atomic_word(c, r);
  if (w) r->ret = __atomic_fetch_add(w, (uint32_t)A(1), __ATOMIC_SEQ_CST);
}

/* A futex address is Linux's to judge (EFAULT; a private key never looks at the memory),
 * except where the trace mapped nothing and the agent's own memory is: refused, as a store
 * there is (the agent's words are no trace's). */
static bool futex_addr_ok(struct reply_msg *r, uint64_t addr) {
  uint64_t page = addr & ~(MAPS_PAGE - 1);
  if (maps_cover(page, MAPS_PAGE) || !page_mapped(page)) return true;
  r->bridge_errno = EFAULT;
  return false;
}

/* futex(addr, op, val, timeout or val2, addr2, val3) as the raw syscall (glibc has no
 * wrapper). A wait command's timeout is paced (time.c): FUTEX_WAIT's is relative on
 * CLOCK_MONOTONIC, FUTEX_WAIT_BITSET's absolute on CLOCK_MONOTONIC, or CLOCK_REALTIME with
 * FUTEX_CLOCK_REALTIME; the other commands take val2 in that register. */
CALL_HANDLER(futex) {
  if (!futex_addr_ok(r, (uint64_t)A(0)) || !futex_addr_ok(r, (uint64_t)A(7))) return;
  int op = (int)A(1), cmd = op & FUTEX_CMD_MASK;
  int64_t sec = A(4), nsec = A(5);
  bool waits = cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET;
  if (waits && A(3)) {
    int64_t clock = op & FUTEX_CLOCK_REALTIME ? CLOCK_REALTIME : CLOCK_MONOTONIC;
    if (cmd == FUTEX_WAIT) pace_rel(c, CLOCK_MONOTONIC, &sec, &nsec);
    else pace_abs(c, clock, &sec, &nsec);
  }
  struct timespec ts = {(time_t)sec, (long)nsec};
  uintptr_t fourth = waits ? (A(3) ? (uintptr_t)&ts : 0) : (uintptr_t)(uint32_t)A(6);
  set_ret(r, syscall(SYS_futex, (uintptr_t)A(0), op, (uint32_t)A(2), fourth, (uintptr_t)A(7),
                     (uint32_t)A(8)));
}

/* ---- POSIX message queues ---- */

/* An mq_attr from the command line at A(at): `set mqflags maxmsg msgsize`; NULL when unset. */
static struct mq_attr *mq_attr_arg(const struct cmd_msg *c, int at, struct mq_attr *a) {
  if (!A(at)) return NULL;
  memset(a, 0, sizeof *a);
  a->mq_flags = (long)A(at + 1);
  a->mq_maxmsg = (long)A(at + 2);
  a->mq_msgsize = (long)A(at + 3);
  return a;
}

/* glibc's mq_open and mq_unlink: the name with its leading slash, as the trace writes it (glibc
 * checks the slash, then makes the syscall with the rest). */
CALL_HANDLER(mq_open) {
  struct mq_attr a;
  set_ret(r, mq_open(path_arg(data, c->data_len), (int)A(0), (mode_t)A(1),
                     mq_attr_arg(c, 2, &a)));
}
CALL_HANDLER(mq_unlink) { set_ret(r, mq_unlink(path_arg(data, c->data_len))); }

/* The absolute CLOCK_REALTIME timeout at A(at): `timed sec nsec`, paced onto the host's clock
 * (time.c); NULL when not timed. */
static struct timespec *mq_timeout_arg(const struct cmd_msg *c, int at, struct timespec *ts) {
  if (!A(at)) return NULL;
  int64_t sec = A(at + 1), nsec = A(at + 2);
  pace_abs(c, CLOCK_REALTIME, &sec, &nsec);
  ts->tv_sec = (time_t)sec;
  ts->tv_nsec = (long)nsec;
  return ts;
}

/* The raw syscalls (glibc's mq_timedsend and mq_timedreceive are the same). */
CALL_HANDLER(mq_timedsend) {
  struct timespec ts;
  set_ret(r, syscall(SYS_mq_timedsend, (int)A(0), data, (size_t)c->data_len, (unsigned int)A(1),
                     mq_timeout_arg(c, 2, &ts)));
}

/* The message's bytes as data, its priority as out[0]. The size is passed as is (a message is
 * never larger than what a command carried). */
CALL_HANDLER(mq_timedreceive) {
  struct timespec ts;
  unsigned int prio = 0;
  size_t size = (size_t)A(1) < DATA_BYTES_MAX ? (size_t)A(1) : DATA_BYTES_MAX;
  set_ret(r, syscall(SYS_mq_timedreceive, (int)A(0), scratch, size, &prio,
                     mq_timeout_arg(c, 2, &ts)));
  if (r->ret < 0) return;
  r->out[0] = prio;
  r->nout = 1;
  o->data = scratch;
  o->len = (uint32_t)r->ret;
}

/* mq_notify(mqd, sevp): `set notify signo value`. */
CALL_HANDLER(mq_notify) {
  struct sigevent sev;
  memset(&sev, 0, sizeof sev);
  sev.sigev_notify = (int)A(2);
  sev.sigev_signo = (int)A(3);
  sev.sigev_value.sival_int = (int)A(4);
  set_ret(r, syscall(SYS_mq_notify, (int)A(0), A(1) ? &sev : NULL));
}

/* mq_getsetattr(mqd, new, old): the old attr as out[0..3] (flags maxmsg msgsize curmsgs). */
CALL_HANDLER(mq_getsetattr) {
  struct mq_attr a, old;
  memset(&old, 0, sizeof old);
  set_ret(r, syscall(SYS_mq_getsetattr, (int)A(0), mq_attr_arg(c, 1, &a), &old));
  if (r->ret < 0) return;
  r->out[0] = old.mq_flags;
  r->out[1] = old.mq_maxmsg;
  r->out[2] = old.mq_msgsize;
  r->out[3] = old.mq_curmsgs;
  r->nout = 4;
}

/* ---- signals ---- */

CALL_HANDLER(kill) { set_ret(r, kill((pid_t)A(0), (int)A(1))); }

/* glibc's sigqueue: rt_sigqueueinfo with SI_QUEUE, the caller's pid and uid, and the value. */
CALL_HANDLER(sigqueue) {
  union sigval value = {.sival_int = (int)A(2)};
  set_ret(r, sigqueue((pid_t)A(0), (int)A(1), value));
}

/* A "catch" or "calls" handler takes its siginfo (SA_SIGINFO) to report sigqueue's value; the
 * flag only changes what the handler is passed, not when or how it runs. */
CALL_HANDLER(sigaction) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  bool caught = A(1) == HANDLER_CATCH || A(1) == HANDLER_CALLS;
  if (caught) sa.sa_sigaction = A(1) == HANDLER_CALLS ? run_frame : record_signal;
  else sa.sa_handler = A(1) == HANDLER_IGN ? SIG_IGN : SIG_DFL;
  sa.sa_flags = (int)A(2) | (caught ? SA_SIGINFO : 0);
  mask_to_set((uint64_t)A(3), &sa.sa_mask);
  set_ret(r, sigaction((int)A(0), &sa, NULL));
}

CALL_HANDLER(sigprocmask) {
  sigset_t set, old;
  mask_to_set((uint64_t)A(1), &set);
  sigemptyset(&old);
  set_ret(r, sigprocmask((int)A(0), &set, &old));
  r->out[0] = (int64_t)set_to_mask(&old);
  r->nout = 1;
}

CALL_HANDLER(sigpending) {
  sigset_t set;
  sigemptyset(&set);
  set_ret(r, sigpending(&set));
  r->out[0] = (int64_t)set_to_mask(&set);
  r->nout = 1;
}

CALL_HANDLER(pause) { set_ret(r, pause()); }

/* The return from a "calls" handler: the nested loop (traced.c run_frame) sends this reply,
 * then returns from the real handler, whose rt_sigreturn is the call. The agent sends it only
 * to a process in a handler. */
CALL_HANDLER(sigreturn) {
  r->ret = 0;
  if (frame_depth == 0) r->bridge_errno = EINVAL; /* the agent refuses it there: cannot happen */
}

CALL_HANDLER(sigsuspend) {
  sigset_t set;
  mask_to_set((uint64_t)A(0), &set);
  set_ret(r, sigsuspend(&set));
}

/* Test only: run on the CPU without sleeping, so that the step can never settle. */
CALL_HANDLER(spin) {
  int64_t end = now_ns() + A(0) * 1000000;
  while (now_ns() < end) {
  }
  r->ret = 0;
}

/* Test only: syscall A(0) with integer arguments A(1..3), to check what the seccomp filter
 * refuses (seccomp.c). */
CALL_HANDLER(raw_syscall) { set_ret(r, syscall(A(0), A(1), A(2), A(3))); }

/* Does the call operate on an fd the trace cannot have (the control socket, above the
 * process's RLIMIT_NOFILE)? For the trace it is not open: EBADF, as Linux gives for any fd that
 * is not open (dup2's newfd at or above the limit is EBADF in Linux too: fs/file.c
 * ksys_dup3(); F_DUPFD's arg is not an fd argument: EINVAL in f_dupfd()). */
static bool on_control_fd(const struct cmd_msg *c, const struct call_desc *d) {
  for (int i = 0; i < d->fixed; i++)
    if (d->role[i] == ARG_FD && fd_is_reserved(A(i))) return true;
  return false;
}

/* Runs one command (the agent has validated it). Returns false when no reply must be sent (the
 * child side of fork). */
static bool call_run(const struct cmd_msg *c, const uint8_t *data, struct reply_msg *r,
                     struct call_out *o) {
  const struct call_desc *d = call_desc(c->call);
  if (!d) {
    r->bridge_errno = ENOSYS; /* the agent validated the call: cannot happen */
    return true;
  }
  if (on_control_fd(c, d)) {
    r->ret = -1;
    r->err = EBADF;
    return true;
  }
  d->run(c, data, r, o);
  return !o->no_reply;
}
