/* calls_sig.c: the signal calls that take a signal synchronously (sigtimedwait), and their
 * siginfo in the result. Included by agent.c after calls_iov.c (its handlers are calls.c's
 * kind: they run in the traced process); sig_result_json runs in the agent (procs.c
 * result_json).
 *
 * A siginfo goes out as out[0..5]: si_signo, si_code, si_pid, si_uid, si_status, si_value
 * (sival_int), each read only where the code carries it (the union's other members overlap
 * them: a timer's si_tid and a POLL_ code's si_band sit where si_pid does). */

#include <sys/signalfd.h>

/* Does si_code `code` of `signo` carry si_status (a SIGCHLD's CLD_ codes)? */
static bool si_has_status(int signo, int code) {
  return signo == SIGCHLD && code >= CLD_EXITED && code <= CLD_CONTINUED;
}

/* Does it carry si_pid and si_uid? The codes a process sends but SI_TIMER (0 and below), and
 * the CLD_ codes; a POLL_ code's union holds si_band and si_fd there (sim/trace/siginfo.ts). */
static bool si_has_pid(int signo, int code) {
  return (code <= 0 && code != SI_TIMER) || si_has_status(signo, code);
}

static bool si_has_value(int code) {
  return code == SI_QUEUE || code == SI_TIMER || code == SI_MESGQ;
}

static void siginfo_out(struct reply_msg *r, const siginfo_t *si) {
  bool sender = si_has_pid(si->si_signo, si->si_code);
  r->out[0] = si->si_signo;
  r->out[1] = si->si_code;
  r->out[2] = sender ? si->si_pid : 0;
  r->out[3] = sender ? si->si_uid : 0;
  r->out[4] = si_has_status(si->si_signo, si->si_code) ? si->si_status : 0;
  r->out[5] = si_has_value(si->si_code) ? si->si_value.sival_int : 0;
  r->nout = 6;
}

/* A handler's report of signal `sig` (agent.h struct signal_msg), read as siginfo_out does. */
static struct signal_msg signal_msg_of(int sig, const siginfo_t *si, int frame) {
  bool sender = si_has_pid(sig, si->si_code);
  struct signal_msg m = {TAG_SIGNAL, sig, si->si_code, 0, frame, 0, 0, 0};
  m.value = si_has_value(si->si_code) ? si->si_value.sival_int : 0;
  m.pid = sender ? si->si_pid : 0;
  m.uid = sender ? (int32_t)si->si_uid : 0;
  m.status = si_has_status(sig, si->si_code) ? si->si_status : 0;
  return m;
}

/* rt_sigtimedwait(set, info, timeout, 8): `set timed sec nsec`. The timeout is relative on
 * CLOCK_MONOTONIC (do_sigtimedwait: schedule_hrtimeout_range, HRTIMER_MODE_REL): paced
 * (time.c). The raw call, as the model's kernel sees it (glibc's wrapper adds nothing). */
CALL_HANDLER(sigtimedwait) {
  sigset_t set;
  siginfo_t si;
  mask_to_set((uint64_t)A(0), &set);
  memset(&si, 0, sizeof si);
  int64_t sec = A(2), nsec = A(3);
  pace_rel(c, CLOCK_MONOTONIC, &sec, &nsec);
  struct timespec ts = {(time_t)sec, (long)nsec};
  set_ret(r, syscall(SYS_rt_sigtimedwait, &set, &si, A(1) ? &ts : NULL, (size_t)(_NSIG / 8)));
  if (r->ret > 0) siginfo_out(r, &si);
}

/* A traced process's uid is its own (TRACED_UID_BASE + its agent pid, traced.c); in the model
 * every process is root: a sender's uid of ours reads as 0. */
static int64_t uid_to_model(int64_t uid) {
  return (uint64_t)uid >= TRACED_UID_BASE ? 0 : uid;
}

/* `,"info":{...}`: a siginfo, pid and uid in the model's terms. */
static void siginfo_json(struct jbuf *j, const int64_t si[6]) {
  jb_fmt(j, ",\"info\":{\"signo\":%" PRId64 ",\"code\":%" PRId64 ",\"pid\":%" PRId64
            ",\"uid\":%" PRId64 ",\"status\":%" PRId64 ",\"value\":%" PRId64 "}",
         si[0], si[1], pid_to_model(si[2]), uid_to_model(si[3]), si[4], si[5]);
}

/* `info` of a successful sigtimedwait; sigaltstack's `oldss`, its sp in the trace's numbering
 * (c_sigaltstack). */
static void sig_result_json(struct jbuf *j, int call, const struct reply_msg *r) {
  if (call == SYS_sigaltstack && r->nout == 3)
    jb_fmt(j, ",\"oldss\":{\"sp\":%" PRId64 ",\"size\":%" PRId64 ",\"flags\":%" PRId64 "}",
           r->out[0], r->out[1], r->out[2]);
  if (call == SYS_rt_sigtimedwait && r->nout >= 6) siginfo_json(j, r->out);
}

/* The `info` of a handler's signal event. */
static void signal_msg_json(struct jbuf *j, const struct signal_msg *m) {
  const int64_t si[6] = {m->sig, m->code, m->pid, m->uid, m->status, m->value};
  siginfo_json(j, si);
}

/* ---- signalfd ---- */

/* glibc's signalfd(fd, mask, flags): signalfd4 with the kernel's sigset size. */
CALL_HANDLER(signalfd4) {
  sigset_t set;
  mask_to_set((uint64_t)A(1), &set);
  set_ret(r, signalfd((int)A(0), &set, (int)A(2)));
}

/* Is descriptor fd of traced process p a signalfd (anon_inode:[signalfd])? Asked by the agent
 * once p has replied, so its table stands still. */
static bool is_signalfd(const struct proc *p, int64_t fd) {
  char path[64], link[64];
  snprintf(path, sizeof path, "/proc/%d/fd/%" PRId64, p->real, fd);
  ssize_t n = readlink(path, link, sizeof link - 1);
  if (n < 0) return false;
  link[n] = 0;
  return strcmp(link, "anon_inode:[signalfd]") == 0;
}

/* The records of a signalfd read or readv in the model's terms: ssi_pid a model pid, ssi_uid 0
 * for our processes; zeroed what the model cannot know (docs/differences.md `signalfd-zeroed`): a
 * SIGCHLD's ssi_utime and ssi_stime (CPU ticks), a timer's ssi_tid and ssi_overrun, SIGIO's
 * ssi_band and ssi_fd. Other data is returned as it is. */
static const uint8_t *sigfd_records(const struct proc *p, const uint8_t *data, uint32_t len) {
  static struct signalfd_siginfo recs[DATA_BYTES_MAX / sizeof(struct signalfd_siginfo) + 1];
  bool reads = p->cmd.call == SYS_read || p->cmd.call == SYS_readv;
  if (!reads || len == 0 || len % sizeof recs[0] != 0 ||
      !is_signalfd(p, p->cmd.args[0]))
    return data;
  memcpy(recs, data, len);
  for (uint32_t i = 0; i < len / sizeof recs[0]; i++) {
    struct signalfd_siginfo *s = &recs[i];
    s->ssi_pid = (uint32_t)pid_to_model(s->ssi_pid);
    s->ssi_uid = (uint32_t)uid_to_model(s->ssi_uid);
    s->ssi_utime = s->ssi_stime = 0;
    s->ssi_tid = s->ssi_overrun = 0;
    s->ssi_band = 0;
    s->ssi_fd = 0;
  }
  return (const uint8_t *)recs;
}

/* ---- raise, signal ---- */

/* glibc's raise: tgkill on the caller, all signals blocked around it, so the signal is
 * delivered as raise returns. */
CALL_HANDLER(raise) { set_ret(r, raise((int)A(0))); }

CALL_HANDLER(tgkill) { set_ret(r, syscall(SYS_tgkill, (pid_t)A(0), (pid_t)A(1), (int)A(2))); }

/* glibc's pthread_sigqueue, with the si_code the trace gives: rt_tgsigqueueinfo with the
 * caller's pid and uid and the value. */
CALL_HANDLER(rt_tgsigqueueinfo) {
  siginfo_t si;
  memset(&si, 0, sizeof si);
  si.si_signo = (int)A(2);
  si.si_code = (int)A(3);
  si.si_pid = getpid();
  si.si_uid = getuid();
  si.si_value.sival_int = (int)A(4);
  set_ret(r, syscall(SYS_rt_tgsigqueueinfo, (pid_t)A(0), (pid_t)A(1), (int)A(2), &si));
}

/* glibc's signal() with the agent's handlers: sigaction as glibc's __bsd_signal makes it
 * (SA_RESTART, the signal in the mask), with SA_SIGINFO for "catch" and "calls" as sigaction's
 * handlers take it (calls.c); ret is the old handler as the trace names it. */
CALL_HANDLER(signal) {
  struct sigaction sa, old;
  int sig = (int)A(0);
  memset(&sa, 0, sizeof sa);
  memset(&old, 0, sizeof old);
  bool caught = A(1) == HANDLER_CATCH || A(1) == HANDLER_CALLS;
  if (caught) sa.sa_sigaction = A(1) == HANDLER_CALLS ? run_frame : record_signal;
  else sa.sa_handler = A(1) == HANDLER_IGN ? SIG_IGN : SIG_DFL;
  sa.sa_flags = SA_RESTART | (caught ? SA_SIGINFO : 0);
  sigemptyset(&sa.sa_mask);
  if (sig >= 1 && sig < NSIG) sigaddset(&sa.sa_mask, sig);
  set_ret(r, sigaction(sig, &sa, &old));
  if (r->ret < 0) return;
  bool info = (old.sa_flags & SA_SIGINFO) != 0;
  if (info && old.sa_sigaction == record_signal) r->ret = HANDLER_CATCH;
  else if (info && old.sa_sigaction == run_frame) r->ret = HANDLER_CALLS;
  else r->ret = old.sa_handler == SIG_IGN ? HANDLER_IGN : HANDLER_DFL;
}

/* ---- sigaltstack ---- */

/* The trace's `sp` is a number, not a host address: each traced process has one arena for
 * alternate stacks (mapped by pid 2 before anything else, inherited by fork), and the trace's sp
 * N is alt_base + N, where alt_base is ALT_GUARD bytes into the arena. So stacks the trace makes
 * overlap, repeat or nest exactly as its numbers do, and Linux's own checks (EPERM on the stack,
 * SS_ONSTACK in old_ss, get_sigframe's switch) run on real memory. The guard below alt_base
 * takes what a handler on a stack too small for the agent's command loop writes below it
 * (docs/host-bridge.md "Alternate signal stacks": the smallest size compared faithfully). A
 * stack past the arena's end is a host fault (bridge_errno ERANGE): the handler's frame would
 * land in unmapped memory. */
#define ALT_GUARD ((int64_t)1 << 20)
#define ALT_ARENA ((int64_t)64 << 20)
#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31)
#endif
static uint8_t *alt_base;

/* Maps the arena and sets the default (disabled) setting as the model's processes start with:
 * sas_ss_reset's {0, 0, SS_DISABLE}, whatever the agent inherited. */
static bool alt_arena_map(void) {
  void *m = mmap(NULL, (size_t)(ALT_GUARD + ALT_ARENA), PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (m == MAP_FAILED) return false;
  alt_base = (uint8_t *)m + ALT_GUARD;
  stack_t off = {.ss_sp = NULL, .ss_flags = SS_DISABLE, .ss_size = 0};
  return syscall(SYS_sigaltstack, &off, NULL) == 0;
}

/* sigaltstack(ss, old_ss): `set sp ssize ssflags`, ss NULL when set is 0; old_ss always asked
 * for, its sp back in the trace's numbering (0 stays 0: Linux's disabled setting). */
CALL_HANDLER(sigaltstack) {
  stack_t ss, old;
  uint32_t flags = (uint32_t)A(3);
  bool set = A(0) != 0;
  if (set && (flags & ~SS_AUTODISARM) != SS_DISABLE && A(1) + A(2) > ALT_ARENA) {
    r->bridge_errno = ERANGE;
    return;
  }
  memset(&ss, 0, sizeof ss);
  memset(&old, 0, sizeof old);
  ss.ss_sp = alt_base + A(1);
  ss.ss_size = (size_t)A(2);
  ss.ss_flags = (int)flags;
  set_ret(r, syscall(SYS_sigaltstack, set ? &ss : NULL, &old));
  if (r->ret < 0) return;
  r->out[0] = old.ss_sp ? (int64_t)((uint8_t *)old.ss_sp - alt_base) : 0;
  r->out[1] = (int64_t)old.ss_size;
  r->out[2] = (uint32_t)old.ss_flags;
  r->nout = 3;
}

#include "calls_net.c" /* the socket calls: included here to keep agent.c one screen */
