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
static bool sleep_due(const struct proc *p);         /* time.c */

#define SYSNO_IDLE SYS_recvfrom /* recv() in traced_loop */
#define WAIT_FIRST_NS 50000
#define WAIT_MAX_NS 2000000

/* Reads /proc/PID/<name> into buf through a file kept open (pread at 0 regenerates it).
 * Returns false if the process is gone. */
static bool proc_read(struct proc *p, int *fd, const char *name, char *buf, size_t cap) {
  if (*fd < 0) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/%s", p->real, name);
    *fd = open(path, O_RDONLY | O_CLOEXEC);
    if (*fd < 0) return false;
  }
  ssize_t n = pread(*fd, buf, cap - 1, 0);
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
  if (proc_read(p, &p->fd_syscall, "syscall", buf, sizeof buf) && buf[0] != 'r')
    p->snap.sysno = atoi(buf);
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
  for (int pid = 2; pid < procs_next; pid++) {
    struct proc *p = &procs[pid];
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

/* Waits up to timeout_ns for a message or SIGCHLD and handles everything ready. */
static int pump(int64_t timeout_ns) {
  static struct pollfd fds[PROCS_MAX + 1];
  static struct proc *owner[PROCS_MAX + 1];
  int n = 0;
  fds[n++] = (struct pollfd){sig_fd, POLLIN, 0};
  for (int pid = 2; pid < procs_next; pid++)
    if (procs[pid].state != P_UNUSED && procs[pid].chan >= 0) {
      owner[n] = &procs[pid];
      fds[n++] = (struct pollfd){procs[pid].chan, POLLIN, 0};
    }
  struct timespec ts = {timeout_ns / 1000000000, timeout_ns % 1000000000};
  if (ppoll(fds, (nfds_t)n, &ts, NULL) <= 0) return 0;
  int handled = 0;
  if (fds[0].revents) {
    struct signalfd_siginfo si;
    while (read(sig_fd, &si, sizeof si) == sizeof si) {
    }
    handled += reap_children();
  }
  for (int i = 1; i < n; i++)
    if (fds[i].revents) handled += drain_channel(owner[i]);
  return handled;
}

/* Whether this step's call sent SIGKILL to p: kill or sigqueue of SIGKILL to p, to -1 (all but
 * the caller) or to a group (every traced process is in group 2: no call changes a group). */
static bool step_sigkilled(const struct proc *p) {
  const struct proc *caller = cur.caller >= 2 ? &procs[cur.caller] : NULL;
  if (!caller || caller->cmd.step != cur.step) return false;
  const struct cmd_msg *c = &caller->cmd;
  if ((c->call != SYS_kill && c->call != SYS_rt_sigqueueinfo) || c->args[1] != SIGKILL)
    return false;
  int64_t target = c->args[0];
  return target == p->pid || (target == -1 && p->pid != cur.caller) ||
         (c->call == SYS_kill && (target == 0 || target == -2));
}

/* Dying processes reaped by nobody we can hear from: a parent with SIGCHLD ignored reaps its
 * children itself, without waitpid, and a parent blocked in waitpid and killed with its child
 * (kill(-1, SIGKILL)) may reap the child before it dies itself, its waitpid never replying
 * (issue 21). An exit call's status is known, and so is a death by this step's SIGKILL (the
 * status is the same whoever reaps); another death's is not. */
static void settle_vanished(void) {
  for (int pid = 2; pid < procs_next; pid++) {
    struct proc *p = &procs[pid];
    if (p->state != P_DYING || p->snap.sysno != -3) continue;
    if (p->died_in_call && p->cmd.call == SYS_exit)
      proc_reaped(p, (int)(p->cmd.args[0] & 0xff) << 8);
    else if (step_sigkilled(p))
      proc_reaped(p, SIGKILL);
    else
      fault("pid %d died and was reaped at once (SIGCHLD ignored by its parent?): its exit"
            " status cannot be observed", p->pid);
  }
}

static void watchdog_fault(void) {
  char msg[900] = "";
  size_t len = 0;
  for (int pid = 2; pid < procs_next && len < sizeof msg - 100; pid++)
    if (proc_watched(&procs[pid]) && procs[pid].why[0])
      len += (size_t)snprintf(msg + len, sizeof msg - len, "; pid %d %s", pid, procs[pid].why);
  fault("no quiescence after %" PRId64 " ms%s", watchdog_ns / 1000000, msg);
}

static bool snaps_equal(const struct snap *a) {
  for (int pid = 2; pid < procs_next; pid++) {
    const struct snap *s = &procs[pid].snap;
    if (proc_watched(&procs[pid]) &&
        (s->state != a[pid].state || s->sysno != a[pid].sysno || s->pcount != a[pid].pcount))
      return false;
  }
  return true;
}

/* Runs the step to quiescence (see the top of this file). */
static void quiesce(void) {
  static struct snap prev[PROCS_MAX];
  int64_t start = now_ns(), deadline = start + watchdog_ns;
  int64_t wait_ns = WAIT_FIRST_NS;
  bool have_prev = false;
  for (;;) {
    if (now_ns() > deadline) watchdog_fault();
    if (term_requested) cleanup_and_exit(143);
    if (pump(wait_ns) > 0) {
      have_prev = false;
      wait_ns = 0;
      continue;
    }
    for (int pid = 2; pid < procs_next; pid++) procs[pid].why[0] = 0;
    int vanished, events_before = cur.events_count;
    int unsettled = scan(&vanished);
    if (cur.events_count != events_before) { /* a stop, cont or exit: the checked set grew */
      have_prev = false;
      wait_ns = 0;
      continue;
    }
    if (unsettled > 0) {
      have_prev = false;
      wait_ns = wait_ns < WAIT_FIRST_NS ? WAIT_FIRST_NS : wait_ns * 2;
      if (wait_ns > WAIT_MAX_NS) wait_ns = WAIT_MAX_NS;
    } else if (!have_prev || !snaps_equal(prev)) {
      for (int pid = 2; pid < procs_next; pid++) prev[pid] = procs[pid].snap;
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
      return;
    }
  }
}
