/* time.c: virtual time on the real kernel (docs/host-bridge.md "Time").
 *
 * A trace's time passes only in `advance` steps; the host replays it in real time on an ideal
 * timeline: virtual instant v is real time I(v) = R0 + v (CLOCK_MONOTONIC). An advance to V
 * waits (clock_nanosleep TIMER_ABSTIME) until I(t) + G for each quantum t up to V and quiesces
 * with every process watched, so every step of instant v runs at lateness L = now - I(v) with
 * G <= L, and must end before I(v) + Q - margin (else the run is inconclusive: "the host fell
 * behind"). Every duration, absolute time and interval of a trace is a multiple of the quantum
 * Q (the driver refuses others), so a timer armed at instant v expires at I(v + kQ), never
 * within G of a step.
 *
 * Inputs are shifted so that every timer expires at its ideal real time: a relative duration
 * d > 0 becomes d - L (alarm is made as setitimer(ITIMER_REAL), the path of the kernel's own
 * alarm: kernel/time/itimer.c alarm_setitimer() -> do_setitimer()); an absolute time t on clock
 * c becomes t + off[c]. Outputs are shifted back (in the agent, procs.c result_json): a reading
 * r becomes the quantum below r - off[c] (r minus the base and L), a remaining time the quantum
 * above (plus L), so they are the model's values exactly when the host kept the pace.
 *
 * The timeline is anchored (R0 and every clock's offset read) by the first step that needs
 * time, with R0 = now - G; before that, steps run unpaced at instant 0. The IPC objects' time
 * stamps (whole seconds of CLOCK_REALTIME) are mapped the same way, to within one second.
 *
 * Calls are made as raw syscalls: glibc's nanosleep is clock_nanosleep, its clock_nanosleep
 * returns the error number, its timer_create emulates SIGEV_THREAD, and gettimeofday/time go
 * through the vDSO.
 */

/* ---- the timeline (both sides) ---- */

static int64_t ts_ns(int64_t sec, int64_t nsec) { return sec * NSEC_PER_SEC + nsec; }

/* Linux: include/linux/time64.h timespec64_valid() (nanosleep and timers also reject ns past
 * KTIME_MAX, which no quantum multiple reaches). */
static bool ts_valid(int64_t sec, int64_t nsec) {
  return sec >= 0 && nsec >= 0 && nsec < NSEC_PER_SEC;
}

static int64_t floor_q(int64_t ns) {
  int64_t m = ns % TIME_QUANTUM_NS;
  return ns - (m < 0 ? m + TIME_QUANTUM_NS : m);
}

static int64_t ceil_q(int64_t ns) { return ns <= 0 ? 0 : -floor_q(-ns); }

/* A remaining time back onto the timeline: the quantum above (plus the lateness). A sleep's
 * remaining time counts its timer slack (hrtimer_expires_remaining() reads the hard expiry,
 * slack included: 50 us for a normal task), which the tolerance absorbs. */
#define TIME_SLACK_TOLERANCE_NS 1000000
static int64_t remaining_q(int64_t ns) {
  return ns <= 0 ? 0 : ceil_q(ns - TIME_SLACK_TOLERANCE_NS);
}

/* Clocks that run with real time (not the CPU-time clocks, not ids Linux refuses). */
static bool clock_paced(int64_t clock) {
  switch (clock) {
  case CLOCK_REALTIME: case CLOCK_MONOTONIC: case CLOCK_MONOTONIC_RAW:
  case CLOCK_REALTIME_COARSE: case CLOCK_MONOTONIC_COARSE: case CLOCK_BOOTTIME:
  case CLOCK_REALTIME_ALARM: case CLOCK_BOOTTIME_ALARM: case CLOCK_TAI: return true;
  default: return false;
  }
}

static int64_t clock_now_ns(clockid_t clock) {
  struct timespec ts = {0, 0};
  clock_gettime(clock, &ts);
  return ts_ns(ts.tv_sec, ts.tv_nsec);
}

/* ---- the traced side: inputs onto the host's timeline ---- */

/* A relative duration on `clock`, shortened by the lateness of now, so that it expires at its
 * ideal real time. Zero (expired at once, or disarm) and invalid values (EINVAL) are kept. */
static void pace_rel(const struct cmd_msg *c, int64_t clock, int64_t *sec, int64_t *nsec) {
  int64_t d = ts_ns(*sec, *nsec);
  if (!c->tl.anchored || !clock_paced(clock) || !ts_valid(*sec, *nsec) || d == 0) return;
  int64_t since = clock_now_ns((clockid_t)clock) - c->tl.off[clock];
  d -= since - floor_q(since);
  if (d < 1) d = 1;
  *sec = d / NSEC_PER_SEC;
  *nsec = d % NSEC_PER_SEC;
}

/* An absolute time on `clock`, onto the host's clock. Zero (disarm) and invalid values are
 * kept; a time before the host clock's epoch is its first instant (already past). */
static void pace_abs(const struct cmd_msg *c, int64_t clock, int64_t *sec, int64_t *nsec) {
  int64_t t = ts_ns(*sec, *nsec);
  if (!c->tl.anchored || !clock_paced(clock) || !ts_valid(*sec, *nsec) || t == 0) return;
  t += c->tl.off[clock];
  if (t < 1) t = 1;
  *sec = t / NSEC_PER_SEC;
  *nsec = t % NSEC_PER_SEC;
}

static void out_ts(struct reply_msg *r, int at, int64_t sec, int64_t nsec) {
  r->out[at] = sec;
  r->out[at + 1] = nsec;
  if (r->nout < (uint32_t)at + 2) r->nout = (uint32_t)at + 2;
}

/* The clock of each POSIX timer this process created (for TIMER_ABSTIME); the newest entry
 * for an id wins. A fork's child starts with none (timer_clocks_forget). */
#define TIMER_CLOCKS_MAX 64
static struct { int id, clock; bool used; } timer_clocks[TIMER_CLOCKS_MAX];
static int timer_clocks_next;

/* A forked child has no POSIX timers (its ids start again at 0): forget the parent's. */
static void timer_clocks_forget(void) {
  memset(timer_clocks, 0, sizeof timer_clocks);
  timer_clocks_next = 0;
}

static int timer_clock(int id) {
  for (int i = 1; i <= TIMER_CLOCKS_MAX; i++) {
    int k = (timer_clocks_next - i + 2 * TIMER_CLOCKS_MAX) % TIMER_CLOCKS_MAX;
    if (timer_clocks[k].used && timer_clocks[k].id == id) return timer_clocks[k].clock;
  }
  return -1;
}

/* clock_gettime(clock) -> tp: the raw reading (the agent normalises it). */
CALL_HANDLER(clock_gettime) {
  struct timespec ts = {0, 0};
  set_ret(r, syscall(SYS_clock_gettime, (clockid_t)A(0), &ts));
  if (r->ret == 0) out_ts(r, 0, ts.tv_sec, ts.tv_nsec);
}

CALL_HANDLER(clock_getres) {
  struct timespec ts = {0, 0};
  set_ret(r, syscall(SYS_clock_getres, (clockid_t)A(0), &ts));
  if (r->ret == 0) out_ts(r, 0, ts.tv_sec, ts.tv_nsec);
}

CALL_HANDLER(gettimeofday) {
  struct timeval tv = {0, 0};
  set_ret(r, syscall(SYS_gettimeofday, &tv, NULL));
  if (r->ret == 0) out_ts(r, 0, tv.tv_sec, tv.tv_usec);
}

/* time: the seconds, with CLOCK_REALTIME read just before and after (out 0, 1), which place
 * the call on the timeline to within microseconds. */
CALL_HANDLER(time) {
  int64_t before = clock_now_ns(CLOCK_REALTIME);
  set_ret(r, syscall(SYS_time, NULL));
  out_ts(r, 0, before, clock_now_ns(CLOCK_REALTIME));
}

/* nanosleep(req): relative, on CLOCK_MONOTONIC (kernel/time/hrtimer.c hrtimer_nanosleep());
 * interrupted by a handler: EINTR with the remaining time in out 0, 1. */
CALL_HANDLER(nanosleep) {
  int64_t sec = A(1), nsec = A(2);
  pace_rel(c, CLOCK_MONOTONIC, &sec, &nsec);
  struct timespec req = {(time_t)sec, (long)nsec}, rem = {0, 0};
  set_ret(r, syscall(SYS_nanosleep, A(0) ? &req : NULL, &rem));
  if (r->err == EINTR) out_ts(r, 0, rem.tv_sec, rem.tv_nsec);
}

/* clock_nanosleep(clock, flags, req): relative or TIMER_ABSTIME on `clock`; rem only for a
 * relative sleep (kernel/time/hrtimer.c do_nanosleep()). */
CALL_HANDLER(clock_nanosleep) {
  int64_t sec = A(3), nsec = A(4);
  bool abs = (A(1) & TIMER_ABSTIME) != 0;
  if (abs) pace_abs(c, A(0), &sec, &nsec);
  else pace_rel(c, A(0), &sec, &nsec);
  struct timespec req = {(time_t)sec, (long)nsec}, rem = {0, 0};
  set_ret(r, syscall(SYS_clock_nanosleep, (clockid_t)A(0), (int)A(1), A(2) ? &req : NULL,
                     &rem));
  if (r->err == EINTR && !abs) out_ts(r, 0, rem.tv_sec, rem.tv_nsec);
}

/* An itimerval's value, paced for ITIMER_REAL (the others count CPU time). */
static void itimerval_arg(const struct cmd_msg *c, int first, int which, struct itimerval *v) {
  int64_t sec = A(first + 2), usec = A(first + 3);
  int64_t nsec = usec >= 0 && usec < 1000000 ? usec * 1000 : -1;
  if (which == ITIMER_REAL && nsec >= 0) {
    pace_rel(c, CLOCK_MONOTONIC, &sec, &nsec);
    nsec += 999; /* whole microseconds, never early */
    if (nsec >= NSEC_PER_SEC) sec++, nsec -= NSEC_PER_SEC;
  }
  suseconds_t vusec = nsec >= 0 ? (suseconds_t)(nsec / 1000) : (suseconds_t)usec;
  *v = (struct itimerval){{(time_t)A(first), (suseconds_t)A(first + 1)}, {(time_t)sec, vusec}};
}

static void out_itimerval(struct reply_msg *r, const struct itimerval *v) {
  out_ts(r, 0, v->it_interval.tv_sec, v->it_interval.tv_usec);
  out_ts(r, 2, v->it_value.tv_sec, v->it_value.tv_usec);
}

/* setitimer(which, value | NULL) -> old (out 0..3: interval sec usec, value sec usec). */
CALL_HANDLER(setitimer) {
  struct itimerval v, old;
  memset(&old, 0, sizeof old);
  itimerval_arg(c, 2, (int)A(0), &v);
  set_ret(r, syscall(SYS_setitimer, (int)A(0), A(1) ? &v : NULL, &old));
  if (r->ret == 0) out_itimerval(r, &old);
}

CALL_HANDLER(getitimer) {
  struct itimerval v;
  memset(&v, 0, sizeof v);
  set_ret(r, syscall(SYS_getitimer, (int)A(0), &v));
  if (r->ret == 0) out_itimerval(r, &v);
}

/* alarm(seconds), made as the kernel makes it: setitimer(ITIMER_REAL) (kernel/time/itimer.c
 * alarm_setitimer()), so that it can be paced. The old value goes out raw (out 0..3); the agent
 * adds the lateness back and rounds it as alarm_setitimer() does (time_ret). */
CALL_HANDLER(alarm) {
  int64_t sec = (unsigned int)A(0), nsec = 0;
  pace_rel(c, CLOCK_MONOTONIC, &sec, &nsec);
  nsec += 999;
  if (nsec >= NSEC_PER_SEC) sec++, nsec -= NSEC_PER_SEC;
  struct itimerval v = {{0, 0}, {(time_t)sec, (suseconds_t)(nsec / 1000)}}, old;
  memset(&old, 0, sizeof old);
  set_ret(r, syscall(SYS_setitimer, ITIMER_REAL, &v, &old));
  if (r->ret == 0) out_itimerval(r, &old);
}

/* timer_create(clock, sevp | NULL) -> timerid (out 0). The kernel's timer_t is an int. */
CALL_HANDLER(timer_create) {
  struct sigevent sev;
  memset(&sev, 0, sizeof sev);
  sev.sigev_notify = (int)A(2);
  sev.sigev_signo = (int)A(3);
  sev.sigev_value.sival_int = (int)A(4);
  int id = -1;
  set_ret(r, syscall(SYS_timer_create, (clockid_t)A(0), A(1) ? &sev : NULL, &id));
  if (r->ret != 0) return;
  r->out[0] = id;
  r->nout = 1;
  timer_clocks[timer_clocks_next].id = id;
  timer_clocks[timer_clocks_next].clock = (int)A(0);
  timer_clocks[timer_clocks_next].used = true;
  timer_clocks_next = (timer_clocks_next + 1) % TIMER_CLOCKS_MAX;
}

static void out_itimerspec(struct reply_msg *r, const struct itimerspec *v) {
  out_ts(r, 0, v->it_interval.tv_sec, v->it_interval.tv_nsec);
  out_ts(r, 2, v->it_value.tv_sec, v->it_value.tv_nsec);
}

/* timer_settime(timerid, flags, value | NULL) -> old (out 0..3). The value is paced on the
 * timer's clock: shortened, or with TIMER_ABSTIME mapped; the interval is kept. */
CALL_HANDLER(timer_settime) {
  int id = (int)A(0), clock = timer_clock(id);
  int64_t sec = A(5), nsec = A(6);
  if (A(1) & TIMER_ABSTIME) pace_abs(c, clock, &sec, &nsec);
  else pace_rel(c, clock, &sec, &nsec);
  struct itimerspec v = {{(time_t)A(3), (long)A(4)}, {(time_t)sec, (long)nsec}}, old;
  memset(&old, 0, sizeof old);
  set_ret(r, syscall(SYS_timer_settime, id, (int)A(1), A(2) ? &v : NULL, &old));
  if (r->ret == 0) out_itimerspec(r, &old);
}

CALL_HANDLER(timer_gettime) {
  struct itimerspec v;
  memset(&v, 0, sizeof v);
  set_ret(r, syscall(SYS_timer_gettime, (int)A(0), &v));
  if (r->ret == 0) out_itimerspec(r, &v);
}

/* advance is paced by the agent (time_advance); no traced process ever runs it. */
CALL_HANDLER(advance) { r->bridge_errno = EINVAL; }

/* ---- the agent's side: the timeline, pacing, the budget, outputs back ---- */

static struct timeline timeline;
static int64_t realtime_start_sec = 1767225600; /* wasm/abi.ts TIME.REALTIME_START_SEC */
static int64_t vnow;          /* the virtual instant of the steps being run (ns) */
static int64_t late_ns = -1;  /* the last step's lateness at its end, -1 before the anchor */
static int64_t vstart[TIME_CLOCKS]; /* each clock's virtual reading at instant 0 */
static void inconclusive(const char *fmt, ...); /* agent.c */
static void quiesce(void);                       /* quiesce.c */
static volatile sig_atomic_t term_requested;     /* quiesce.c */

static int64_t ideal(int64_t v) { return timeline.off[CLOCK_MONOTONIC] + v; }

/* The virtual reading of each clock at instant 0: REALTIME-like clocks start at the trace's
 * `realtime`; CLOCK_TAI keeps the host's TAI offset; the others start at 0. */
static int64_t virtual_start(int clock, int64_t tai_offset_ns) {
  int64_t rt = realtime_start_sec * NSEC_PER_SEC;
  switch (clock) {
  case CLOCK_REALTIME: case CLOCK_REALTIME_COARSE: case CLOCK_REALTIME_ALARM: return rt;
  case CLOCK_TAI: return rt + tai_offset_ns;
  default: return 0;
  }
}

/* The pace holds on a busy machine only if the agent and the traced processes get a CPU as soon
 * as they wake: once time is anchored they run SCHED_FIFO at the lowest real-time priority, else
 * at nice -20 (every later fork inherits it; no trace call can see it; the kernel's RT
 * throttling keeps 5% of each second for others). */
static void priority_raise(pid_t pid) {
  struct sched_param sp = {.sched_priority = 1};
  if (sched_setscheduler(pid, SCHED_FIFO, &sp) < 0) (void)setpriority(PRIO_PROCESS, (id_t)pid, -20);
}

static void time_priority_raise(void) {
  priority_raise(0);
  for (int pid = 2; pid < procs_next; pid++) {
    const struct proc *p = &procs[pid];
    if (p->state >= P_IDLE && p->state <= P_BLOCKED) priority_raise(p->real);
  }
}

/* Reads R0 and every paced clock's offset: instant 0 is G ago, so the steps of instant 0 run
 * at lateness G like those of every later instant. Clocks the host refuses (the ALARM clocks
 * without an RTC) take their base clock's offset. */
static void time_anchor(void) {
  if (timeline.anchored) return;
  int64_t rt = clock_now_ns(CLOCK_REALTIME), tai = clock_now_ns(CLOCK_TAI);
  int64_t tai_offset = (tai - rt + NSEC_PER_SEC / 2) / NSEC_PER_SEC * NSEC_PER_SEC;
  for (int clock = 0; clock < TIME_CLOCKS; clock++) {
    if (!clock_paced(clock)) continue;
    int base = clock == CLOCK_REALTIME_ALARM ? CLOCK_REALTIME
               : clock == CLOCK_BOOTTIME_ALARM ? CLOCK_BOOTTIME : clock;
    vstart[clock] = virtual_start(clock, tai_offset);
    timeline.off[clock] = clock_now_ns((clockid_t)base) - TIME_GUARD_NS - vstart[clock];
  }
  timeline.anchored = 1;
  vnow = 0;
  time_priority_raise();
}

/* A relative timeout `timed sec nsec` at args[at] that is valid and above 0. */
static bool timeout_later(const struct cmd_msg *c, int at) {
  const int64_t *a = c->args + at;
  return a[0] != 0 && ts_valid(a[1], a[2]) && ts_ns(a[1], a[2]) > 0;
}

/* Does this step need the timeline? Any time call, a semtimedop with a timeout, and the calls
 * below whose timeout can expire later than now. */
static bool time_needs_anchor(const struct cmd_msg *c) {
  switch (c->call) {
  case CALL_clock_gettime: case CALL_clock_getres: case CALL_gettimeofday: case CALL_time:
  case CALL_nanosleep: case CALL_clock_nanosleep: case CALL_alarm: case CALL_setitimer:
  case CALL_getitimer: case CALL_timer_create: case CALL_timer_settime:
  case CALL_timer_gettime: case CALL_timer_getoverrun: case CALL_timer_delete:
  case CALL_advance: return true;
  case CALL_semtimedop: return c->args[1] != 0;
  case CALL_sigtimedwait: /* relative: a valid one above 0 (calls_sig.c) */
    return c->args[1] != 0 && ts_valid(c->args[2], c->args[3]) && ts_ns(c->args[2], c->args[3]) > 0;
  case CALL_mq_timedsend: case CALL_mq_timedreceive: /* an absolute time after 0 */
    return c->args[2] != 0 && ts_valid(c->args[3], c->args[4]) && ts_ns(c->args[3], c->args[4]) > 0;
  case CALL_poll: return c->args[2] > 0; /* a timeout in ms (calls_poll.c) */
  case CALL_epoll_wait: case CALL_epoll_pwait: return c->args[2] > 0; /* ms, after epfd max */
  case CALL_ppoll: return timeout_later(c, 2);    /* `timed sec nsec` after fdsset nfds */
  case CALL_pselect6: return timeout_later(c, 1); /* after nfds */
  case CALL_select: /* a timeval above 0 (a usec past a second carries; negative: EINVAL) */
    return c->args[1] != 0 && c->args[3] >= 0 && (c->args[2] > 0 || c->args[3] > 0);
  case CALL_futex: /* a wait command with a timeout that can expire later (calls.c); 0 has
                    * expired at once wherever the host is */
    return c->args[3] != 0 && ((c->args[1] & FUTEX_CMD_MASK) == FUTEX_WAIT ||
                               (c->args[1] & FUTEX_CMD_MASK) == FUTEX_WAIT_BITSET) &&
           ts_valid(c->args[4], c->args[5]) && ts_ns(c->args[4], c->args[5]) > 0;
  default: return false;
  }
}

/* Sleeps until real time `t` (CLOCK_MONOTONIC). */
static void sleep_until(int64_t t) {
  struct timespec ts = {t / NSEC_PER_SEC, t % NSEC_PER_SEC};
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
    if (term_requested) cleanup_and_exit(143);
}

/* The budget of instant vnow: its steps end before I(v) + Q - margin, or the run cannot be
 * judged (a timer of the next instant may have raced them). */
static void time_check_budget(void) {
  if (!timeline.anchored) return;
  late_ns = now_ns() - ideal(vnow);
  if (late_ns > TIME_QUANTUM_NS - TIME_MARGIN_NS)
    inconclusive("the host fell behind: instant t=%" PRId64 ".%09" PRId64 " s ended %" PRId64
                 " us after its start, past its budget of %lld us (a timer of the next instant"
                 " may have raced it)", vnow / NSEC_PER_SEC, vnow % NSEC_PER_SEC,
                 late_ns / 1000, (TIME_QUANTUM_NS - TIME_MARGIN_NS) / 1000);
}

/* advance(by): one quantum at a time, wait until I(t) + G, then let every process settle
 * (the timers of instant t have fired: wakes, handlers, deaths), within t's budget. */
static void time_advance(const struct cmd_msg *c) {
  int64_t target = vnow + ts_ns(c->args[0], c->args[1]);
  while (vnow < target) {
    vnow += TIME_QUANTUM_NS;
    if (vnow > target) vnow = target; /* the driver refuses such an amount: kept as a bound */
    sleep_until(ideal(vnow) + TIME_GUARD_NS);
    quiesce();
    time_check_budget();
  }
}

/* Is absolute time t of `clock` at or before the current instant? */
static bool abs_due(int64_t clock, int64_t sec, int64_t nsec) {
  if (!ts_valid(sec, nsec) || clock < 0 || clock >= TIME_CLOCKS || !clock_paced(clock))
    return false;
  return ts_ns(sec, nsec) - vstart[clock] <= vnow;
}

/* A sleep already due at this instant returns at once: it may be seen asleep for a moment
 * before its timer fires, so quiesce() waits for its reply (as for a zero semtimedop). */
static bool sleep_due(const struct proc *p) {
  const int64_t *a = p->cmd.args;
  if (p->cmd.call == CALL_nanosleep) return a[0] && !a[1] && !a[2];
  if (p->cmd.call != CALL_clock_nanosleep || !a[2]) return false;
  if (a[1] & TIMER_ABSTIME) return abs_due(a[0], a[3], a[4]);
  return !a[3] && !a[4];
}

/* A POSIX timer armed at or before the current instant fires within microseconds (hrtimer
 * interrupt): its signal belongs to this step, so the step lasts at least DUE_TIMER_NS. */
#define DUE_TIMER_NS 2000000
static bool arms_due_timer(const struct cmd_msg *c) {
  if (c->call != CALL_timer_settime || !c->args[2] || !(c->args[1] & TIMER_ABSTIME)) return false;
  if (c->args[5] == 0 && c->args[6] == 0) return false; /* disarms */
  return true; /* the timer's clock is the traced process's to know: any absolute arming */
}

/* ---- outputs back onto the virtual timeline (procs.c result_json) ---- */

/* A reading of `clock` in ns: the quantum of its instant on the virtual timeline. */
static int64_t norm_reading(int64_t clock, int64_t ns) {
  if (!timeline.anchored || !clock_paced(clock) || clock >= TIME_CLOCKS) return ns;
  return floor_q(ns - timeline.off[clock]);
}

/* An IPC time stamp (whole seconds of CLOCK_REALTIME, 0 = never): to within one second. */
static int64_t norm_stamp(int64_t sec) {
  if (sec == 0) return 0;
  if (!timeline.anchored) return realtime_start_sec; /* everything so far is instant 0 */
  int64_t v = sec * NSEC_PER_SEC - timeline.off[CLOCK_REALTIME];
  int64_t start = realtime_start_sec * NSEC_PER_SEC;
  return (v < start ? start : v) / NSEC_PER_SEC;
}

static void ts_json(struct jbuf *j, const char *name, int64_t ns, const char *sub, int64_t div) {
  jb_fmt(j, ",\"%s\":{\"sec\":%" PRId64 ",\"%s\":%" PRId64 "}", name, ns / NSEC_PER_SEC, sub,
         ns % NSEC_PER_SEC / div);
}

/* A file's times (stat's st_atim, st_mtim, st_ctim: sec, nsec of CLOCK_REALTIME) on the
 * timeline, as clock_gettime(CLOCK_REALTIME) readings are (norm_reading). A time set before the
 * anchor, or before the trace (the tmpfs's root), is instant 0: every step before the anchor
 * ran at instant 0. */
static void file_times_json(struct jbuf *j, const int64_t *t) {
  static const char *const names[] = {"st_atim", "st_mtim", "st_ctim"};
  int64_t start = realtime_start_sec * NSEC_PER_SEC;
  for (int i = 0; i < 3; i++) {
    int64_t v = timeline.anchored ? norm_reading(CLOCK_REALTIME, ts_ns(t[2 * i], t[2 * i + 1]))
                                  : start;
    ts_json(j, names[i], v < start ? start : v, "nsec", 1);
  }
}

/* An itimerval/itimerspec output: the interval as it is, the value's remaining time back. */
static void timer_json(struct jbuf *j, const char *name, const int64_t *o, int64_t unit) {
  const char *sub = unit == 1 ? "nsec" : "usec";
  int64_t value = remaining_q(ts_ns(o[2], o[3] * unit));
  jb_fmt(j, ",\"%s\":{\"interval\":{\"sec\":%" PRId64 ",\"%s\":%" PRId64 "},\"value\":"
            "{\"sec\":%" PRId64 ",\"%s\":%" PRId64 "}}",
         name, o[0], sub, o[1], value / NSEC_PER_SEC, sub, value % NSEC_PER_SEC / unit);
}

/* `rem` of a sleep interrupted by a handler (EINTR): the remaining time back. */
/* A timeval's time left (select's), as a remaining time on the timeline. */
static void remaining_json(struct jbuf *j, const char *name, int64_t sec, int64_t usec) {
  ts_json(j, name, remaining_q(ts_ns(sec, usec * 1000)), "usec", 1000);
}

static void time_error_json(struct jbuf *j, const struct proc *p, const struct reply_msg *r) {
  int call = p->cmd.call;
  if (r->err == EINTR && r->nout >= 2 && (call == CALL_nanosleep || call == CALL_clock_nanosleep))
    ts_json(j, "rem", remaining_q(ts_ns(r->out[0], r->out[1])), "nsec", 1);
}

/* The outputs of a successful time call (ret is time_ret's). */
static void time_result_json(struct jbuf *j, const struct proc *p, const struct reply_msg *r) {
  const int64_t *o = r->out;
  switch (p->cmd.call) {
  case CALL_clock_gettime:
    ts_json(j, "tp", norm_reading(p->cmd.args[0], ts_ns(o[0], o[1])), "nsec", 1);
    break;
  case CALL_clock_getres: ts_json(j, "res", ts_ns(o[0], o[1]), "nsec", 1); break;
  case CALL_gettimeofday:
    ts_json(j, "tv", norm_reading(CLOCK_REALTIME, ts_ns(o[0], o[1] * 1000)), "usec", 1000);
    break;
  case CALL_setitimer: timer_json(j, "old", o, 1000); break;
  case CALL_getitimer: timer_json(j, "curr", o, 1000); break;
  case CALL_timer_create: jb_fmt(j, ",\"timerid\":%" PRId64, o[0]); break;
  case CALL_timer_settime: timer_json(j, "old", o, 1); break;
  case CALL_timer_gettime: timer_json(j, "curr", o, 1); break;
  default: break;
  }
}

/* ret of time (seconds of CLOCK_REALTIME) and alarm (seconds left of the old alarm). */
static int64_t time_ret(const struct proc *p, const struct reply_msg *r) {
  const int64_t *o = r->out;
  if (p->cmd.call == CALL_alarm) {
    /* Linux: kernel/time/itimer.c alarm_setitimer(): "we'd better return too much than too
     * little": a fraction of at least half a second, or any left of less than one, counts. */
    int64_t left = remaining_q(ts_ns(o[2], o[3] * 1000));
    int64_t sec = left / NSEC_PER_SEC, nsec = left % NSEC_PER_SEC;
    return sec + ((!sec && nsec) || nsec >= NSEC_PER_SEC / 2);
  }
  if (p->cmd.call != CALL_time || r->ret < 0 || !timeline.anchored) return r->ret;
  /* The seconds agree with the readings around them: the call's instant is known. */
  int64_t at = r->ret * NSEC_PER_SEC;
  if (at < o[0] / NSEC_PER_SEC * NSEC_PER_SEC || at > o[1]) return norm_stamp(r->ret);
  if (at < o[0]) at = o[0];
  return norm_reading(CLOCK_REALTIME, at) / NSEC_PER_SEC;
}
