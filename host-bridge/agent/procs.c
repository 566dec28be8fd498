/* procs.c: the agent's table of traced processes, and what happens to them during a step.
 *
 * States of a traced process (enum pstate), in the words of docs/glossary.md:
 *
 *   UNUSED --fork--> IDLE --command--> IN_CALL --reply--> IDLE
 *                                         |  seen asleep in its call (quiesce.c)
 *                                         v
 *                                      BLOCKED --reply--> IDLE
 *                                               (a "wake" event in the step that woke it)
 *   any live state --control socket EOF--> DYING --zombie seen in /proc--> ZOMBIE --reaped--> GONE
 *                                            \--reaped (by the agent or a traced waitpid)--> GONE
 *
 * `stopped` is orthogonal (SIGSTOP and friends). A process's exit is reported exactly once, with
 * the wait status from the first of: the agent's own waitpid (pid 1 reaps its children at once,
 * like the model's init), /proc/PID/stat field 52 (exit_code) of the zombie, or the status a
 * traced parent's waitpid returned.
 */

enum pstate { P_UNUSED, P_IDLE, P_IN_CALL, P_BLOCKED, P_DYING, P_ZOMBIE, P_GONE };

#define MAX_SAFE_INTEGER ((INT64_C(1) << 53) - 1) /* JSON's exact integers */

static const char *const PSTATE_NAMES[] = {"unused", "idle",   "in call", "blocked",
                                           "dying",  "zombie", "gone"};

struct snap {
  char state;   /* /proc/PID/stat state letter, 0 if gone */
  int sysno;    /* /proc/PID/syscall: number, -1 not in a syscall, -2 running, -5 idle */
  long pcount;  /* /proc/PID/schedstat: times scheduled in */
};

/* A "calls" signal handler the process is in (frames.c): what it interrupted. */
struct frame {
  bool outstanding;   /* a call that has not returned to the main code: cmd */
  struct cmd_msg cmd; /* that call, or the last command */
};

struct proc {
  enum pstate state;
  int pid, real, chan;
  bool stopped, exit_reported;
  bool died_in_call; /* EOF or reaped while IN_CALL/BLOCKED (a reply may still be queued) */
  struct cmd_msg cmd; /* the pending or last command, arguments in model numbering */
  int fd_stat, fd_syscall, fd_sched; /* /proc files, opened on first use */
  struct snap snap;
  char why[96]; /* why it is not settled (for the watchdog message) */
  int depth, frames_cap;  /* handler frames open, innermost last (frames.c) */
  int chld_status;        /* how it died, from its parent's SIGCHLD siginfo (-1: unknown) */
  struct frame *frames;   /* grown as they nest: most processes never have one */
};

static struct proc procs[PROCS_MAX];
static int procs_next = 2; /* the model's next pid */
static pid_t agent_real_pid;

/* The step being run and what happened during it (its outcome, built as JSON fragments). */
static struct {
  int step, caller;
  bool has_result;
  struct jbuf result, events;
  int events_count;
  bool watch_all; /* a signal may have reached any process: check them all */
  int newborn;    /* the child of this step's fork: settled only once idle (quiesce.c) */
  bool sigreturned; /* the caller's sigreturn replied (frames.c frames_step_over) */
} cur;

static const char *call_name(int call); /* agent.c */
/* time.c: outputs back onto the trace's virtual timeline */
static int64_t norm_stamp(int64_t sec);
static void file_times_json(struct jbuf *j, const int64_t *t);
static void time_error_json(struct jbuf *j, const struct proc *p, const struct reply_msg *r);
static void time_result_json(struct jbuf *j, const struct proc *p, const struct reply_msg *r);
static int64_t time_ret(const struct proc *p, const struct reply_msg *r);
static void remaining_json(struct jbuf *j, const char *name, int64_t sec, int64_t usec);
static void sig_result_json(struct jbuf *j, int call, const struct reply_msg *r); /* calls_sig.c */
static void signal_msg_json(struct jbuf *j, const struct signal_msg *m); /* calls_sig.c */
static const uint8_t *sigfd_records(const struct proc *p, const uint8_t *data, uint32_t len);
static const struct call_desc *call_desc(int call); /* agent.c */
static void watch_add(int pid); /* quiesce.c */
static void frame_push(struct proc *p); /* frames.c */
static void frame_pop(struct proc *p);

/* Ends the run with no verdict on the current step: one JSON line {"step": K, key: message},
 * then the agent exits with status (with namespaces, its exit as pid 1 kills every traced
 * process and every IPC object). */
static void stop_run(const char *key, int status, const char *fmt, va_list ap) {
  char msg[1024];
  vsnprintf(msg, sizeof msg, fmt, ap);
  struct jbuf b = {0};
  jb_fmt(&b, "{\"step\":%d,\"%s\":", cur.step, key);
  jb_str(&b, msg);
  jb_raw(&b, "}");
  emit_line(&b);
  cleanup_and_exit(status);
}

/* A host fault: the step cannot be judged. */
static void fault(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  stop_run("fault", 3, fmt, ap);
}

static struct proc *proc_get(int pid) {
  return pid >= 0 && pid < PROCS_MAX && procs[pid].state != P_UNUSED ? &procs[pid] : NULL;
}

static struct proc *proc_by_real(int real) {
  if (ns_mode) return real >= 2 ? proc_get(real) : NULL; /* pid = real (proc_add) */
  for (int pid = procs_next - 1; pid >= 2; pid--)
    if (procs[pid].state != P_UNUSED && procs[pid].real == real) return &procs[pid];
  return NULL;
}

/* ---- pid numbering (see idmap.c) ---- */

static int64_t pid_to_real(int64_t model) {
  if (ns_mode) return model;
  if (model == 1) return agent_real_pid;
  struct proc *p = proc_get((int)model);
  return p && p->state != P_GONE ? p->real : PID_NONE;
}

static int64_t pid_to_model(int64_t real) {
  if (ns_mode || real <= 0) return real;
  if (real == agent_real_pid) return 1;
  struct proc *p = proc_by_real((int)real);
  return p ? p->pid : -real; /* not ours: shown negated, so that it cannot pass as a model pid */
}

/* kill/waitpid targets: pid > 0, 0 (own group), -1 (all), -pgid. */
static int64_t target_to_real(int64_t target) {
  if (ns_mode || target == 0 || target == -1) return target;
  return target > 0 ? pid_to_real(target) : -pid_to_real(-target);
}

/* A new traced process: the child of a fork, or pid 2. */
static struct proc *proc_add(int real, int chan) {
  int pid = ns_mode ? real : procs_next;
  if (ns_mode && real != procs_next)
    fault("the namespace gave pid %d where the model expects %d", real, procs_next);
  if (pid >= PROCS_MAX) fault("more than %d processes", PROCS_MAX - 2);
  procs_next = pid + 1;
  struct proc *p = &procs[pid];
  memset(p, 0, sizeof *p);
  *p = (struct proc){.state = P_IDLE, .pid = pid, .real = real, .chan = chan,
                     .fd_stat = -1, .fd_syscall = -1, .fd_sched = -1, .chld_status = -1};
  guard_note_proc(real);
  return p;
}

static void proc_close_files(struct proc *p) {
  int *fds[] = {&p->fd_stat, &p->fd_syscall, &p->fd_sched};
  for (int i = 0; i < 3; i++)
    if (*fds[i] >= 0) close(*fds[i]), *fds[i] = -1;
}

/* ---- events ---- */

static void event_begin(void) {
  jb_raw(&cur.events, cur.events_count++ ? "," : "");
}

static void report_exit(struct proc *p, int status) {
  if (p->exit_reported) return;
  p->exit_reported = true;
  event_begin();
  jb_fmt(&cur.events, "{\"exit\":%d,\"status\":%d}", p->pid, status);
  cur.watch_all = true; /* the parent gets SIGCHLD */
}

static void report_stop(struct proc *p, bool stopped) {
  p->stopped = stopped;
  event_begin();
  jb_fmt(&cur.events, stopped ? "{\"stop\":%d}" : "{\"cont\":%d}", p->pid);
  cur.watch_all = true;
}

/* A caught signal's handler began; a "calls" handler's opens a frame (frames.c). */
static void chld_info(const struct signal_msg *m);

static void on_signal_msg(struct proc *p, const struct signal_msg *m) {
  if (m->frame == FRAME_TOO_DEEP)
    fault("pid %d: a signal handler frame the bridge cannot hold (more than %d nested, or no"
          " memory for its buffers)", p->pid, FRAMES_MAX);
  event_begin();
  jb_fmt(&cur.events, "{\"signal\":%d,\"pid\":%d", m->sig, p->pid);
  if (m->code == SI_QUEUE || m->code == SI_TIMER || m->code == SI_MESGQ)
    jb_fmt(&cur.events, ",\"value\":%d", m->value);
  if (m->frame == FRAME_ENTERED) jb_raw(&cur.events, ",\"frame\":true");
  signal_msg_json(&cur.events, m);
  jb_raw(&cur.events, "}");
  if (m->frame == FRAME_ENTERED) frame_push(p);
  if (m->sig == SIGCHLD) chld_info(m);
}

/* A SIGCHLD said how a child died (CLD_EXITED: si_status the exit code; CLD_KILLED and
 * CLD_DUMPED: the signal): its wait status, for a child its parent reaps with a waitpid that
 * cannot reply yet (a calls handler began before it returned: settle_vanished). */
static void chld_info(const struct signal_msg *m) {
  struct proc *c = proc_by_real(m->pid);
  if (!c) return;
  if (m->code == CLD_EXITED) c->chld_status = (m->status & 0xff) << 8;
  else if (m->code == CLD_KILLED) c->chld_status = m->status & 0x7f;
  else if (m->code == CLD_DUMPED) c->chld_status = (m->status & 0x7f) | 0x80;
}

/* A process is reaped: it leaves /proc. Its control socket is drained until EOF by pump(). */
static void proc_reaped(struct proc *p, int status) {
  if (p->state == P_IN_CALL || p->state == P_BLOCKED) p->died_in_call = true;
  report_exit(p, status);
  p->state = P_GONE;
  proc_close_files(p);
}

/* The agent (pid 1) reaps its children at once: pid 2 and every orphan re-parented to it. */
static int reap_children(void) {
  int count = 0, status;
  pid_t real;
  while ((real = waitpid(-1, &status, WNOHANG | __WALL)) > 0) {
    struct proc *p = proc_by_real(real);
    if (p) proc_reaped(p, status), count++;
  }
  return count;
}

static void on_eof(struct proc *p) {
  close(p->chan);
  p->chan = -1;
  if (p->state == P_GONE || p->state == P_ZOMBIE) return;
  p->died_in_call = p->state == P_IN_CALL || p->state == P_BLOCKED;
  p->state = P_DYING;
}

/* ---- replies ---- */

static void masks_json(struct jbuf *j, const char *name, uint64_t mask) {
  jb_fmt(j, ",\"%s\":[", name);
  for (int sig = 1, n = 0; sig <= 64; sig++)
    if (mask >> (sig - 1) & 1) jb_fmt(j, n++ ? ",%d" : "%d", sig);
  jb_raw(j, "]");
}

/* ipc_perm in glibc's names (sys/ipc.h: __key, __seq; sim/trace/stat-names.ts). */
static void perm_json(struct jbuf *j, const char *name, const int64_t *o, int kind,
                      int64_t model_id) {
  jb_fmt(j, "\"%s\":{\"__key\":%" PRId64 ",\"uid\":%" PRId64 ",\"gid\":%" PRId64
            ",\"cuid\":%" PRId64 ",\"cgid\":%" PRId64 ",\"mode\":%" PRId64
            ",\"__seq\":%" PRId64 "}",
         name, o[0], o[1], o[2], o[3], o[4], o[5], seq_to_model(kind, model_id, o[6]));
}

/* Time stamps (seconds of CLOCK_REALTIME, 0 = never), on the trace's timeline (time.c). */
static void stamps_json(struct jbuf *j, const char *const *names, const int64_t *o, int count) {
  for (int i = 0; i < count; i++) jb_fmt(j, ",\"%s\":%" PRId64, names[i], norm_stamp(o[i]));
}

/* IPC_STAT's named fields, as in the C structs. */
static void stat_json(struct jbuf *j, int call, int64_t id, const int64_t *o) {
  static const char *const msg_times[] = {"msg_stime", "msg_rtime", "msg_ctime"};
  static const char *const sem_times[] = {"sem_otime", "sem_ctime"};
  static const char *const shm_times[] = {"shm_atime", "shm_dtime", "shm_ctime"};
  jb_raw(j, ",\"stat\":{");
  if (call == SYS_msgctl) {
    perm_json(j, "msg_perm", o, KIND_MSG, id);
    jb_fmt(j, ",\"msg_qnum\":%" PRId64 ",\"msg_cbytes\":%" PRId64 ",\"msg_qbytes\":%" PRId64
              ",\"msg_lspid\":%" PRId64 ",\"msg_lrpid\":%" PRId64,
           o[7], o[8], o[9], pid_to_model(o[10]), pid_to_model(o[11]));
    stamps_json(j, msg_times, o + 12, 3);
  } else if (call == SYS_semctl) {
    perm_json(j, "sem_perm", o, KIND_SEM, id);
    jb_fmt(j, ",\"sem_nsems\":%" PRId64, o[7]);
    stamps_json(j, sem_times, o + 8, 2);
  } else {
    perm_json(j, "shm_perm", o, KIND_SHM, id);
    jb_fmt(j, ",\"shm_segsz\":%" PRId64 ",\"shm_nattch\":%" PRId64 ",\"shm_cpid\":%" PRId64
              ",\"shm_lpid\":%" PRId64,
           o[7], o[8], pid_to_model(o[9]), pid_to_model(o[10]));
    stamps_json(j, shm_times, o + 11, 3);
  }
  jb_raw(j, "}");
}

static int ctl_cmd(const struct cmd_msg *c) {
  return (int)(c->call == SYS_semctl ? c->args[2] : c->args[1]);
}

/* stat's outputs (calls_fs.c stat_out) as the result's `stat`; st_ino and the times (on the
 * trace's timeline: time.c) only on the tmpfs. */
static void file_stat_json(struct jbuf *j, const int64_t *out) {
  jb_raw(j, ",\"stat\":{");
  if (out[0]) jb_fmt(j, "\"st_ino\":%" PRId64 ",", out[1]);
  jb_fmt(j, "\"st_mode\":%" PRId64 ",\"st_nlink\":%" PRId64 ",\"st_size\":%" PRId64
         ",\"st_blocks\":%" PRId64, out[2], out[3], out[4], out[5]);
  if (out[0]) file_times_json(j, out + 6);
  jb_raw(j, "}");
}

/* getdents64's records (struct linux_dirent64) as `dirents`: [{ino, type, name}]. */
static void dirents_json(struct jbuf *j, const uint8_t *buf, uint32_t len) {
  static const char *const types[] = {[0] = "DT_UNKNOWN", [1] = "DT_FIFO", [2] = "DT_CHR",
      [4] = "DT_DIR", [6] = "DT_BLK", [8] = "DT_REG", [10] = "DT_LNK", [12] = "DT_SOCK"};
  jb_raw(j, ",\"dirents\":[");
  for (uint32_t at = 0; at + 19 < len;) {
    uint64_t ino;
    uint16_t reclen;
    memcpy(&ino, buf + at, sizeof ino);
    memcpy(&reclen, buf + at + 16, sizeof reclen);
    uint8_t type = buf[at + 18];
    const char *tname = type < 13 && types[type] ? types[type] : "DT_UNKNOWN";
    jb_fmt(j, "%s{\"ino\":%" PRIu64 ",\"type\":\"%s\",\"name\":", at ? "," : "", ino, tname);
    jb_str(j, (const char *)buf + at + 19);
    jb_raw(j, "}");
    if (reclen == 0) break;
    at += reclen;
  }
  jb_raw(j, "]");
}

/* poll's and ppoll's revents (calls_poll.c hands back the pollfd array) as bits; none for a
 * NULL array (fdsset 0). */
static void revents_json(struct jbuf *j, const struct cmd_msg *c, const uint8_t *buf,
                         uint32_t len) {
  if (!c->args[0]) return;
  jb_raw(j, ",\"revents\":[");
  for (uint32_t at = 0; at + sizeof(struct pollfd) <= len; at += sizeof(struct pollfd)) {
    struct pollfd f;
    memcpy(&f, buf + at, sizeof f);
    jb_fmt(j, at ? ",%u" : "%u", (unsigned)(unsigned short)f.revents);
  }
  jb_raw(j, "]");
}

/* select's and pselect6's sets given (calls_poll.c: out[2]) as written back, and select's time
 * left of a non-zero timeout (out[3], out[0..1]) on the trace's timeline (time.c). */
static void select_json(struct jbuf *j, const struct reply_msg *r, const uint8_t *buf) {
  static const char *const names[] = {"readfds", "writefds", "exceptfds"};
  for (int k = 0; k < 3; k++) {
    if (!(r->out[2] & (1 << k))) continue;
    jb_fmt(j, ",\"%s\":[", names[k]);
    for (int fd = 0, n = 0; fd < FD_SETSIZE && r->data_len >= 3 * sizeof(fd_set); fd++)
      if (FD_ISSET(fd, (const fd_set *)(buf + k * sizeof(fd_set))))
        jb_fmt(j, n++ ? ",%d" : "%d", fd);
    jb_raw(j, "]");
  }
  if (r->out[3]) remaining_json(j, "tv", r->out[0], r->out[1]);
}

/* epoll_wait's and epoll_pwait's events (calls_epoll.c hands back the ret structs). */
static void events_json(struct jbuf *j, const uint8_t *buf, uint32_t len) {
  jb_raw(j, ",\"events\":[");
  for (uint32_t at = 0; at + sizeof(struct epoll_event) <= len; at += sizeof(struct epoll_event)) {
    struct epoll_event e;
    memcpy(&e, buf + at, sizeof e);
    jb_fmt(j, "%s{\"events\":%u,\"data\":%" PRIu64 "}", at ? "," : "", (unsigned)e.events,
           (uint64_t)e.data.u64);
  }
  jb_raw(j, "]");
}

/* The readiness calls' outputs: poll's revents, select's sets, epoll_wait's events. */
static void readiness_json(struct jbuf *j, const struct cmd_msg *c, const struct reply_msg *r,
                           const uint8_t *data) {
  if (c->call == SYS_poll || c->call == SYS_ppoll) revents_json(j, c, data, r->data_len);
  else if (c->call == SYS_select || c->call == SYS_pselect6) select_json(j, r, data);
  else events_json(j, data, r->data_len);
}

/* The result of a successful call: ret (in model numbering) plus the call's outputs. */
/* pipe2's and socketpair's two descriptors; getsockopt's value and length. */
static void pair_json(struct jbuf *j, int call, const struct reply_msg *r) {
  if (call == SYS_getsockopt)
    jb_fmt(j, ",\"optval\":%" PRId64 ",\"optlen\":%" PRId64, r->out[0], r->out[1]);
  else
    jb_fmt(j, ",\"fds\":[%" PRId64 ",%" PRId64 "]", r->out[0], r->out[1]);
}

static void result_json(struct jbuf *j, const struct proc *p, const struct reply_msg *r,
                        int64_t ret, const uint8_t *data) {
  const struct cmd_msg *c = &p->cmd;
  jb_fmt(j, "{\"ret\":%" PRId64, ret);
  if (r->err) {
    jb_fmt(j, ",\"errno\":%d", r->err);
    time_error_json(j, p, r);
    jb_raw(j, "}");
    return;
  }
  switch (c->call) {
  case SYS_pipe2: case SYS_socketpair: case SYS_getsockopt: pair_json(j, c->call, r); break;
  case SYS_wait4: if (ret > 0) jb_fmt(j, ",\"status\":%" PRId64, r->out[0]); break;
  case SYS_stat: case SYS_lstat: case SYS_fstat: /* fall through */
  case SYS_newfstatat: file_stat_json(j, r->out); break;
  case SYS_getdents64: dirents_json(j, data, r->data_len); break;
  case SYS_poll: case SYS_ppoll: case SYS_select: case SYS_pselect6: case SYS_epoll_wait:
  case SYS_epoll_pwait: readiness_json(j, c, r, data); break;
  case SYS_msgrcv: /* a long beyond 2^53 as a string: a JSON number cannot carry it */
    if (r->out[0] < -MAX_SAFE_INTEGER || r->out[0] > MAX_SAFE_INTEGER)
      jb_fmt(j, ",\"mtype\":\"%" PRId64 "\"", r->out[0]);
    else
      jb_fmt(j, ",\"mtype\":%" PRId64, r->out[0]);
    /* fall through */
  case SYS_read: /* fall through */
  case SYS_readv: data = sigfd_records(p, data, r->data_len); /* fall through */
  case SYS_readlink: /* fall through */
  case SYS_readlinkat: /* fall through */
  case SYS_getcwd: case SYS_pread64: case SYS_recvfrom: /* fall through */
  case SYS_accept4: case SYS_getsockname: case SYS_getpeername: /* fall through */
  case CALL_LOAD: jb_raw(j, ",\"data\":"), jb_hex(j, data, r->data_len); break;
  case SYS_msgctl: /* fall through */
  case SYS_shmctl:
    if (ctl_cmd(c) == IPC_STAT) stat_json(j, c->call, c->args[0], r->out);
    break;
  case SYS_semctl:
    if (ctl_cmd(c) == IPC_STAT) stat_json(j, c->call, c->args[0], r->out);
    if (ctl_cmd(c) == GETALL) {
      jb_raw(j, ",\"values\":[");
      for (uint32_t i = 0; i < r->data_len / 2; i++)
        jb_fmt(j, i ? ",%u" : "%u", (unsigned)((const uint16_t *)data)[i]);
      jb_raw(j, "]");
    }
    break;
  case SYS_rt_sigprocmask: masks_json(j, "oldset", (uint64_t)r->out[0]); break;
  case SYS_fcntl: /* F_GETOWN_EX given a struct (calls.c): what the call wrote in it */
    if (c->args[1] == F_GETOWN_EX && c->args[2] == ARG_ABSENT)
      jb_fmt(j, ",\"owner\":{\"type\":%" PRId64 ",\"pid\":%" PRId64 "}", r->out[0],
             r->out[1]);
    /* F_GETLK, F_OFD_GETLK given a struct: what the call wrote in it */
    if ((c->args[1] == F_GETLK || c->args[1] == F_OFD_GETLK) && c->args[5] != ARG_ABSENT)
      jb_fmt(j, ",\"flock\":{\"l_type\":%" PRId64 ",\"l_whence\":%" PRId64
             ",\"l_start\":%" PRId64 ",\"l_len\":%" PRId64 ",\"l_pid\":%" PRId64 "}",
             r->out[0], r->out[1], r->out[2], r->out[3], r->out[4]);
    break;
  case SYS_rt_sigpending: masks_json(j, "set", (uint64_t)r->out[0]); break;
  case SYS_rt_sigtimedwait: case SYS_sigaltstack: sig_result_json(j, c->call, r); break;
  case SYS_mq_timedreceive:
    jb_fmt(j, ",\"prio\":%" PRId64 ",\"data\":", r->out[0]);
    jb_hex(j, data, r->data_len);
    break;
  case SYS_mq_getsetattr:
    jb_fmt(j, ",\"stat\":{\"mq_flags\":%" PRId64 ",\"mq_maxmsg\":%" PRId64
           ",\"mq_msgsize\":%" PRId64 ",\"mq_curmsgs\":%" PRId64 "}", r->out[0], r->out[1],
           r->out[2], r->out[3]);
    break;
  default: time_result_json(j, p, r); break;
  }
  jb_raw(j, "}");
}

/* What a reply changes in the agent's books; returns ret in model numbering. */
static int64_t reply_effects(struct proc *p, const struct reply_msg *r, int passed_fd) {
  const struct cmd_msg *c = &p->cmd;
  idmap_check_get(c, r);
  if (r->err) return r->ret;
  switch (c->call) {
  case SYS_fork: {
    if (passed_fd < 0) fault("pid %d: fork reply without the child's control socket%s", p->pid,
                             passed_fd == -2 ? " (the agent has no file descriptor left: its"
                             " hard RLIMIT_NOFILE bounds a trace's processes)" : "");
    /* The child still holds its parent's control socket until it reaches its command loop: a
     * step that stopped it before then would hide the parent's exit (issue 21). */
    cur.newborn = proc_add((int)r->ret, passed_fd)->pid;
    watch_add(cur.newborn); /* a candidate for checking from its birth (quiesce.c) */
    return cur.newborn;
  }
  case SYS_wait4: {
    struct proc *child = r->ret > 0 ? proc_by_real((int)r->ret) : NULL;
    int status = (int)r->out[0];
    if (child && (WIFEXITED(status) || WIFSIGNALED(status))) proc_reaped(child, status);
    return pid_to_model(r->ret);
  }
  case SYS_msgget: return id_from_get(KIND_MSG, (key_t)c->args[0], r->ret);
  case SYS_semget: return id_from_get(KIND_SEM, (key_t)c->args[0], r->ret);
  case SYS_shmget: return id_from_get(KIND_SHM, (key_t)c->args[0], r->ret);
  case SYS_msgctl:
  case SYS_semctl:
  case SYS_shmctl: {
    int kind = c->call == SYS_msgctl ? KIND_MSG : c->call == SYS_semctl ? KIND_SEM : KIND_SHM;
    if (ctl_cmd(c) == IPC_RMID) id_removed(kind, c->args[0]);
    return c->call == SYS_semctl && ctl_cmd(c) == GETPID ? pid_to_model(r->ret) : r->ret;
  }
  case CALL_alarm: /* fall through */
  case CALL_time: return time_ret(p, r);
  default: {
    const struct call_desc *d = call_desc(c->call);
    return d && d->ret_pid ? pid_to_model(r->ret) : r->ret;
  }
  }
}

static void on_reply(struct proc *p, const struct reply_msg *r, const uint8_t *data, int fd) {
  bool access = p->cmd.call == CALL_STORE || p->cmd.call == CALL_LOAD ||
                p->cmd.call == CALL_CAS || p->cmd.call == CALL_XCHG ||
                p->cmd.call == CALL_FETCH_ADD;
  if (p->cmd.call == SYS_futex && r->bridge_errno == EFAULT)
    fault("pid %d: futex at an address outside every mapping the trace made, where the"
          " agent's own memory is (%#" PRIx64 " or %#" PRIx64 "); the bridge refuses it; name"
          " the address by a ref to the mmap or shmat step", p->pid,
          (uint64_t)p->cmd.args[0], (uint64_t)p->cmd.args[7]);
  if (access && r->bridge_errno == EFAULT)
    fault("pid %d: %s at integer address %#" PRIx64 " is outside every mapping the trace made;"
          " the bridge refuses it (that memory is the agent's, not the trace's); name the"
          " address by a ref to the mmap or shmat step", p->pid, call_name(p->cmd.call),
          (uint64_t)p->cmd.args[0]);
  if (p->cmd.call == SYS_sigaltstack && r->bridge_errno == ERANGE)
    fault("pid %d: sigaltstack's sp %" PRId64 " + size %" PRId64 " is past the bridge's 64 MiB"
          " arena for alternate stacks; the bridge refuses it", p->pid, p->cmd.args[1],
          p->cmd.args[2]);
  if (r->bridge_errno)
    fault("pid %d: the bridge failed during %s: %s", p->pid, call_name(p->cmd.call),
          strerror(r->bridge_errno));
  /* A reply sent just before the process died (a sleep that returned, then a timer's fatal
   * signal) is read after its death was seen: the call did return. */
  bool late = p->state >= P_DYING && p->died_in_call;
  if ((!late && p->state != P_IN_CALL && p->state != P_BLOCKED) || r->step != p->cmd.step)
    fault("pid %d: unexpected reply for step %d while %s", p->pid, r->step,
          PSTATE_NAMES[p->state]);
  int64_t ret = reply_effects(p, r, fd);
  if (late) p->died_in_call = false;
  else p->state = P_IDLE;
  if (p->cmd.step == cur.step) {
    jb_reset(&cur.result);
    result_json(&cur.result, p, r, ret, data);
    cur.has_result = true;
  } else {
    event_begin();
    jb_fmt(&cur.events, "{\"wake\":%d,\"step\":%d,\"result\":", p->pid, p->cmd.step);
    result_json(&cur.events, p, r, ret, data);
    jb_raw(&cur.events, "}");
  }
  if (p->cmd.call == CALL_sigreturn && p->cmd.step == cur.step) cur.sigreturned = true;
  if (p->cmd.call == CALL_sigreturn) frame_pop(p); /* the handler returns (traced.c) */
}

/* Reads every message waiting on p's control socket. Returns how many were handled. */
static _Alignas(16) uint8_t rx_buf[sizeof(struct reply_msg) + DATA_BYTES_MAX];
static int drain_channel(struct proc *p) {
  int handled = 0;
  while (p->chan >= 0) {
    int fd = -1;
    ssize_t n = msg_recv_now(p->chan, rx_buf, sizeof rx_buf, &fd);
    if (n < 0 && errno == EAGAIN) break;
    handled++;
    if (n <= 0) {
      on_eof(p);
      break;
    }
    const struct reply_msg *r = (const void *)rx_buf;
    if (r->tag == TAG_SIGNAL && n == sizeof(struct signal_msg))
      on_signal_msg(p, (const struct signal_msg *)rx_buf);
    else if (r->tag == TAG_REPLY && (size_t)n == sizeof *r + r->data_len)
      on_reply(p, r, rx_buf + sizeof *r, fd);
    else
      fault("pid %d: malformed control message (%zd bytes)", p->pid, n);
  }
  return handled;
}
