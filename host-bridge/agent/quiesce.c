/* quiesce.c: deciding that a step is over.
 *
 * A step is over (docs/linux-semantics.md 0.4) when every traced process is settled:
 *   - idle: it has replied and sleeps in recv() on its control socket (syscall 45);
 *   - blocked: it has not replied and sleeps (state S) in a syscall its call may sleep in
 *     (/proc/PID/syscall, which the kernel reports only for a task that is really off the CPU:
 *     fs/proc/base.c proc_pid_syscall() -> task_current_syscall() -> wait_task_inactive());
 *     a sleep with a deadline (nanosleep, semtimedop, ...) is blocked unless the deadline is
 *     already due (time.c sleep_due): then its reply is on the way;
 *   - stopped (state T/t), or dead with its exit reported (zombie or reaped),
 * and nothing is left to read on any control socket. Messages are waited for with ppoll (a
 * reply wakes the agent at once); /proc is read only while some process has neither replied nor
 * been seen asleep, with escalating waits (50 us doubling to 2 ms) between reads.
 *
 * Which processes are checked: those with a call in progress (busy, blocked), dying ones, the
 * child of a fork (it closes its copy of the parent's control socket before it first sleeps in
 * recv(), and the fork step must not end before that), and, after a kill or when a process
 * exited, stopped or continued during the step (a signal may have reached anyone, SIGCHLD
 * included), all of them.
 *
 * Cost: proportional to the processes that can change, not to all of them (20,000 forks, then a
 * group kill, in seconds). The candidates for checking are a list (watch_*): those checked at
 * the end of the last step, the caller, a fork's newborn (procs.c adds it at its birth), every
 * process a message or EOF came from, and all of them only while cur.watch_all holds. Nothing
 * else can become checked during a step: a process
 * leaves IDLE only by a command (the caller), its EOF or reply (a message), or an exit or stop
 * (an event, which sets cur.watch_all). Control sockets are in one epoll set (each added once,
 * removed by its close), so waiting for a message does not walk the table either.
 *
 * A blocked process is checked in every step, except a quiet one (quiet_call): a call that can
 * wake nobody else (fork, pause, waitpid, the caller's own signal state, memory), while no signal
 * may have reached anyone. A blocked sleeper wakes only when a signal reaches it, time passes
 * (an advance: every process is checked) or the object it sleeps on changes, which none of these
 * calls do. So 16,000 children paused one after another cost 16,000 checks, not 128 million.
 *
 * Why two identical scans: a process can be woken by another one just after it was read, and go
 * back to sleep without replying (a writer that moved some bytes and blocks again). So a step
 * ends only after two consecutive scans, with nothing received in between, that see every
 * checked process settled with the same state, syscall and schedstat run count (pcount grows each
 * time a task is scheduled in). Then no checked process ran between the end of the first scan and
 * the start of the second, and an idle unchecked one cannot run unless signalled by one of them.
 */

static int64_t watchdog_ns = 2000000000;
static int64_t quiesce_min_ns; /* the step lasts at least this (time.c arms_due_timer) */
static volatile sig_atomic_t term_requested; /* SIGTERM, SIGINT or SIGHUP arrived (agent.c) */
static int sig_fd = -1; /* signalfd: SIGCHLD (the agent's children) */

static bool call_may_sleep_in(int call, int sysno);  /* agent.c */
static bool proc_watched(const struct proc *p);      /* below */
static bool sleep_due(const struct proc *p);         /* time.c */

/* recv() on its control socket in traced_loop: recvfrom (syscall 45) on a reserved fd, told
 * apart from a traced recvfrom, which names a trace's fd (below FDS_RESERVED_BASE). */
#define SYSNO_IDLE (-5)

/* The candidates for checking (see the top of this file): pids, each at most once. Blocked ones
 * set aside in a quiet step are parked; they come back at the next step that is not quiet. */
static int watch_list[PROCS_MAX], watch_n, parked[PROCS_MAX], parked_n;
static uint8_t watch_mark[PROCS_MAX]; /* WATCH_LISTED or WATCH_PARKED, else 0 */
enum { WATCH_LISTED = 1, WATCH_PARKED = 2 };
static int watch_all_next = 2; /* while cur.watch_all: pids below this are in the list */

static void watch_add(int pid) {
  if (pid < 2 || pid >= procs_next || watch_mark[pid] == WATCH_LISTED) return;
  watch_mark[pid] = WATCH_LISTED; /* a parked one's entry in parked[] is left: skipped later */
  watch_list[watch_n++] = pid;
}

static void watch_unpark(void) {
  for (int i = 0; i < parked_n; i++)
    if (watch_mark[parked[i]] == WATCH_PARKED) watch_add(parked[i]);
  parked_n = 0;
}

static void watch_park(int pid) {
  if (parked_n == PROCS_MAX) { /* only stale entries can fill it: drop them */
    int kept = 0;
    for (int i = 0; i < parked_n; i++)
      if (watch_mark[parked[i]] == WATCH_PARKED) parked[kept++] = parked[i];
    parked_n = kept;
  }
  watch_mark[pid] = WATCH_PARKED;
  parked[parked_n++] = pid;
}

/* Calls that wake no other process (see the top of this file). */
static bool quiet_call(int call) {
  switch (call) {
  case SYS_fork: case SYS_pause: case SYS_wait4: case SYS_getpid: case SYS_getppid:
  case SYS_rt_sigaction: case SYS_rt_sigprocmask: case SYS_rt_sigpending:
  case CALL_STORE: case CALL_LOAD: case CALL_CAS: case CALL_XCHG: case CALL_FETCH_ADD:
    return true;
  default: return false;
  }
}

/* A step starts: keep the candidates still checked (parking blocked ones in a quiet step), add
 * the caller (whose own sleep is always confirmed). */
static void watch_begin(void) {
  bool quiet = cur.caller >= 2 && !cur.watch_all && quiet_call(procs[cur.caller].cmd.call);
  if (!quiet) watch_unpark();
  int kept = 0;
  for (int i = 0; i < watch_n; i++) {
    int pid = watch_list[i];
    if (!proc_watched(&procs[pid])) watch_mark[pid] = 0;
    else if (quiet && procs[pid].state == P_BLOCKED && pid != cur.caller) watch_park(pid);
    else watch_list[kept++] = pid;
  }
  watch_n = kept;
  watch_all_next = 2;
  watch_add(cur.caller);
}

/* While a signal may have reached anyone, every process is a candidate (new ones included, and
 * the parked ones). */
static void watch_grow(void) {
  if (!cur.watch_all) return;
  for (; watch_all_next < procs_next; watch_all_next++)
    if (procs[watch_all_next].state != P_UNUSED) watch_add(watch_all_next);
  parked_n = 0;
}

#define WAIT_FIRST_NS 50000

/* The watchdog's time: a step that checks more than 100 processes gets 1 ms more for each (20,000
 * processes killed at once take seconds to exit on a busy host). */
static int64_t watchdog_limit_ns(void) {
  return watchdog_ns + (watch_n > 100 ? (int64_t)watch_n * 1000000 : 0);
}
#define WAIT_MAX_NS 2000000

/* /proc files whose descriptor is below this stay open (pread at 0 regenerates them); others
 * are closed after each read. Descriptors are allocated lowest first, so the first processes
 * of a run (most traces' all) keep theirs, and a run of thousands of processes leaves the
 * agent's RLIMIT_NOFILE to their control sockets (one a process: the host's hard limit, which
 * the agent cannot raise without CAP_SYS_RESOURCE, bounds a trace's processes). */
#define PROC_FD_KEEP_BELOW 512

/* Reads /proc/PID/<name> into buf. Returns false if the process is gone. */
static bool proc_read(struct proc *p, int *fd, const char *name, char *buf, size_t cap) {
  if (*fd < 0) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/%s", p->real, name);
    *fd = open(path, O_RDONLY | O_CLOEXEC);
    if (*fd < 0 && (errno == EMFILE || errno == ENFILE))
      fault("cannot read %s: %s (the agent's RLIMIT_NOFILE bounds a trace's processes)", path,
            strerror(errno));
    if (*fd < 0) return false;
  }
  ssize_t n = pread(*fd, buf, cap - 1, 0);
  if (*fd >= PROC_FD_KEEP_BELOW) close(*fd), *fd = -1;
  if (n <= 0) return false;
  buf[n] = 0;
  return true;
}

/* State letter and exit_code (field 52) from /proc/PID/stat; the name may contain spaces. */
static bool read_stat(struct proc *p, char *state, int *exit_code) {
  char buf[1024];
  if (!proc_read(p, &p->fd_stat, "stat", buf, sizeof buf)) return false;
  const char *s = strrchr(buf, ')');
  if (!s || s[1] != ' ') return false;
  s += 2;
  *state = *s;
  for (int field = 3; field < 52 && *s; s++)
    if (*s == ' ') field++;
  *exit_code = atoi(s);
  return true;
}

static void read_sleep(struct proc *p) {
  char buf[256];
  p->snap.sysno = -2;
  p->snap.pcount = -1;
  if (proc_read(p, &p->fd_syscall, "syscall", buf, sizeof buf) && buf[0] != 'r') {
    unsigned long fd = 0;
    p->snap.sysno = atoi(buf);
    const char *arg = strchr(buf, ' ');
    if (arg) fd = strtoul(arg + 1, NULL, 16);
    if (p->snap.sysno == SYS_recvfrom && fd >= FDS_RESERVED_BASE) p->snap.sysno = SYSNO_IDLE;
  }
  if (proc_read(p, &p->fd_sched, "schedstat", buf, sizeof buf))
    sscanf(buf, "%*s %*s %ld", &p->snap.pcount);
}

/* A dying process: settled once its zombie is seen (exit reported) or it is reaped. */
static bool settle_dying(struct proc *p) {
  char state;
  int exit_code;
  if (!read_stat(p, &state, &exit_code)) {
    snprintf(p->why, sizeof p->why, "reaped by a traced parent whose waitpid has not replied");
    p->snap = (struct snap){0, -3, -1};
    /* Its reaper may be a parent blocked in waitpid and parked in a quiet step (a store that
     * faulted, an unblocked fatal signal): that waitpid is returning now, and its reply carries
     * the status, so check everyone until it arrives (issue 21). */
    cur.watch_all = true;
    return false;
  }
  if (state != 'Z') {
    snprintf(p->why, sizeof p->why, "exiting (state %c)", state);
    return false;
  }
  report_exit(p, exit_code);
  p->state = P_ZOMBIE;
  proc_close_files(p);
  p->snap = (struct snap){'Z', -1, -1};
  return true;
}

static bool settle_live(struct proc *p) {
  char state;
  int exit_code;
  if (!read_stat(p, &state, &exit_code) || state == 'Z' || state == 'X') {
    snprintf(p->why, sizeof p->why, "exited; waiting for its control socket to close");
    return false;
  }
  bool stopped = state == 'T' || state == 't';
  if (stopped != p->stopped) report_stop(p, stopped);
  p->snap.state = state;
  read_sleep(p);
  if (stopped) return true;
  if (state != 'S') {
    snprintf(p->why, sizeof p->why, "running (state %c)", state);
    return false;
  }
  int sysno = p->snap.sysno;
  if (p->state == P_IDLE && sysno == SYSNO_IDLE) return true;
  if (p->state != P_IDLE && sysno == SYSNO_IDLE) {
    snprintf(p->why, sizeof p->why, "its reply is on the way");
    return false;
  }
  if (p->state != P_IDLE && call_may_sleep_in(p->cmd.call, sysno)) {
    /* A zero timeout has already expired: the task may be seen asleep for an instant before
     * its timer fires and it returns, so wait for the reply instead. A later deadline is at
     * least a quantum away (time.c): the sleeper is blocked. */
    bool zero_semtimedop = p->cmd.call == SYS_semtimedop && p->cmd.args[1] != 0 &&
                           p->cmd.args[2] == 0 && p->cmd.args[3] == 0;
    if (zero_semtimedop || sleep_due(p)) {
      snprintf(p->why, sizeof p->why, "%s with a deadline already due, about to return",
               call_name(p->cmd.call));
      return false;
    }
    p->state = P_BLOCKED;
    return true;
  }
  snprintf(p->why, sizeof p->why, "asleep in syscall %d, not expected for %s", sysno,
           p->state == P_IDLE ? "an idle process" : call_name(p->cmd.call));
  return false;
}

static bool proc_watched(const struct proc *p) {
  switch (p->state) {
  case P_IN_CALL: case P_BLOCKED: case P_DYING: return true;
  case P_IDLE: return cur.watch_all || p->pid == cur.newborn;
  case P_ZOMBIE: case P_GONE: return p->chan >= 0; /* messages still to read */
  default: return false;
  }
}

/* One pass over the checked processes. Returns how many are not settled; dying processes that
 * have left /proc without a known status count as settled here and are counted in *vanished. */
static int scan(int *vanished) {
  int unsettled = 0;
  *vanished = 0;
  for (int i = 0; i < watch_n; i++) {
    struct proc *p = &procs[watch_list[i]];
    if (!proc_watched(p)) continue;
    bool ok;
    if (p->state == P_DYING) ok = settle_dying(p);
    else if (p->state == P_ZOMBIE || p->state == P_GONE) ok = false; /* EOF pending */
    else ok = settle_live(p);
    if (p->state == P_ZOMBIE || p->state == P_GONE) snprintf(p->why, sizeof p->why, "dead");
    if (!ok && p->state == P_DYING && p->snap.sysno == -3) ++*vanished;
    else unsettled += !ok;
  }
  return unsettled;
}

/* The epoll set of every control socket: each process's is added once (pids below
 * epoll_next have been), and leaves the set when on_eof closes it (the agent holds its only
 * descriptor). */
static int epoll_fd = -1, epoll_next = 2;

static void epoll_grow(void) {
  if (epoll_fd < 0 && (epoll_fd = epoll_create1(EPOLL_CLOEXEC)) < 0)
    fault("epoll_create1: %s", strerror(errno));
  for (; epoll_next < procs_next; epoll_next++) {
    struct proc *p = &procs[epoll_next];
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)epoll_next};
    if (p->state != P_UNUSED && p->chan >= 0 &&
        epoll_ctl(epoll_fd, EPOLL_CTL_ADD, p->chan, &ev) < 0)
      fault("epoll_ctl: %s", strerror(errno));
  }
}

/* Waits up to timeout_ns for a message or SIGCHLD and handles everything ready. */
static int pump(int64_t timeout_ns) {
  epoll_grow();
  struct pollfd fds[2] = {{sig_fd, POLLIN, 0}, {epoll_fd, POLLIN, 0}};
  struct timespec ts = {timeout_ns / 1000000000, timeout_ns % 1000000000};
  if (ppoll(fds, 2, &ts, NULL) <= 0) return 0;
  int handled = 0;
  if (fds[0].revents) {
    struct signalfd_siginfo si;
    while (read(sig_fd, &si, sizeof si) == sizeof si) {
    }
    handled += reap_children();
  }
  struct epoll_event ev[256];
  int n = fds[1].revents ? epoll_wait(epoll_fd, ev, 256, 0) : 0;
  for (int i = 0; i < n; i++) {
    struct proc *p = &procs[ev[i].data.u32];
    handled += drain_channel(p);
    watch_add(p->pid);
  }
  return handled;
}

/* The signal this step's call sent to p, 0 if none: kill or sigqueue to p, to -1 (all but the
 * caller) or to a group (every traced process is in group 2: no call changes a group); tgkill
 * or rt_tgsigqueueinfo to p. */
static int step_signal(const struct proc *p) {
  const struct proc *caller = cur.caller >= 2 ? &procs[cur.caller] : NULL;
  if (!caller || caller->cmd.step != cur.step) return 0;
  const struct cmd_msg *c = &caller->cmd;
  if (c->call == SYS_tgkill || c->call == SYS_rt_tgsigqueueinfo)
    return c->args[0] == p->pid && c->args[1] == p->pid ? (int)c->args[2] : 0;
  if (c->call != SYS_kill && c->call != SYS_rt_sigqueueinfo) return 0;
  int64_t target = c->args[0];
  bool hit = target == p->pid || (target == -1 && p->pid != cur.caller) ||
             (c->call == SYS_kill && (target == 0 || target == -2));
  return hit ? (int)c->args[1] : 0;
}

/* Dying processes reaped by nobody we can hear from: a parent with SIGCHLD ignored reaps its
 * children itself, without waitpid, and a parent blocked in waitpid and killed with its child
 * (kill(-1, SIGTERM)) may reap the child before it dies itself, its waitpid never replying
 * (issue 21). An exit call's status is known, and so is a death by this step's signal (the
 * status is the same whoever reaps: nothing else can kill a process that is not the caller
 * within the step), and so is one its parent's SIGCHLD described (chld_info: a parent whose
 * waitpid reaped it but cannot reply before a calls handler returns); another death's is not.
 * A living reaper's waitpid reply is waited for first (settle_dying checks everyone), so a
 * fault of the caller's own call (SIGSEGV of a store, SIGPIPE of a write) is seen there. */
static void settle_vanished(void) {
  for (int i = 0; i < watch_n; i++) {
    struct proc *p = &procs[watch_list[i]];
    if (p->state != P_DYING || p->snap.sysno != -3) continue;
    int sig = step_signal(p);
    if (p->died_in_call && p->cmd.call == SYS_exit)
      proc_reaped(p, (int)(p->cmd.args[0] & 0xff) << 8);
    else if (sig > 0 && sig <= 64)
      proc_reaped(p, sig);
    else if (p->chld_status >= 0)
      proc_reaped(p, p->chld_status); /* its parent's SIGCHLD said (chld_info) */
    else
      fault("pid %d died and was reaped at once (SIGCHLD ignored by its parent?): its exit"
            " status cannot be observed", p->pid);
  }
}

static void watchdog_fault(void) {
  char msg[900] = "";
  size_t len = 0;
  for (int i = 0; i < watch_n && len < sizeof msg - 100; i++) {
    const struct proc *p = &procs[watch_list[i]];
    if (proc_watched(p) && p->why[0])
      len += (size_t)snprintf(msg + len, sizeof msg - len, "; pid %d %s", p->pid, p->why);
  }
  fault("no quiescence after %" PRId64 " ms%s", watchdog_limit_ns() / 1000000, msg);
}

static bool snaps_equal(const struct snap *a) {
  for (int i = 0; i < watch_n; i++) {
    int pid = watch_list[i];
    const struct snap *s = &procs[pid].snap;
    if (proc_watched(&procs[pid]) &&
        (s->state != a[pid].state || s->sysno != a[pid].sysno || s->pcount != a[pid].pcount))
      return false;
  }
  return true;
}

/* Runs the step to quiescence (see the top of this file). */
static void quiesce(void) {
  static struct snap prev[PROCS_MAX]; /* valid for the pids in the list */
  watch_begin();
  int64_t start = now_ns();
  int64_t wait_ns = WAIT_FIRST_NS;
  bool have_prev = false;
  for (;;) {
    if (now_ns() > start + watchdog_limit_ns()) watchdog_fault();
    if (term_requested) cleanup_and_exit(143);
    if (pump(wait_ns) > 0) {
      have_prev = false;
      wait_ns = 0;
      continue;
    }
    watch_grow();
    for (int i = 0; i < watch_n; i++) procs[watch_list[i]].why[0] = 0;
    int vanished, events_before = cur.events_count;
    bool all_before = cur.watch_all;
    int unsettled = scan(&vanished);
    /* a stop, cont, exit or reaped death: the checked set grew */
    if (cur.events_count != events_before || cur.watch_all != all_before) {
      have_prev = false;
      wait_ns = 0;
      continue;
    }
    if (unsettled > 0) {
      have_prev = false;
      wait_ns = wait_ns < WAIT_FIRST_NS ? WAIT_FIRST_NS : wait_ns * 2;
      if (wait_ns > WAIT_MAX_NS) wait_ns = WAIT_MAX_NS;
    } else if (!have_prev || !snaps_equal(prev)) {
      for (int i = 0; i < watch_n; i++) prev[watch_list[i]] = procs[watch_list[i]].snap;
      have_prev = true;
      wait_ns = 0;
      continue; /* confirm with a second scan */
    } else if (vanished > 0) {
      settle_vanished(); /* confirmed: no waitpid reply can still come */
      have_prev = false;
      continue;
    } else if (now_ns() < start + quiesce_min_ns) {
      have_prev = false; /* a timer armed in the past fires within this (time.c) */
      wait_ns = WAIT_MAX_NS;
    } else {
      frames_step_over();
      return;
    }
  }
}
