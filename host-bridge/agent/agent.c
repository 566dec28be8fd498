/* ipcsim-agent: replays trace-v1 steps against the real Linux kernel.
 *
 * Started by the TypeScript driver (host-bridge/host.ts). It enters fresh PID, IPC, mount and
 * network namespaces (an outer process stays outside only to remove the work directory after),
 * so that the agent is pid 1, the first traced process is pid 2 and SysV ids start at 0, exactly
 * as in the model. Each traced process is a real process driven over its own control socket
 * (traced.c); after each step the agent waits for quiescence (quiesce.c) and reports.
 *
 * Protocol (host-bridge/protocol.ts is the other side; docs/host-bridge.md describes it):
 *   driver -> agent, one line each:
 *     I realtime=S name=value ...            the trace's CLOCK_REALTIME start (seconds) and
 *                                            the sysctl parameters of its header, then start
 *     S step pid call n int1 .. intn hex     one step: call number (wasm/abi.ts CALLS), n integer
 *                                            arguments ("-" = absent), bytes in hex ("-" = none)
 *     end of input                           stop: every process and IPC object goes away
 *   agent -> driver, one JSON line each:
 *     {"ready":true,"namespaces":B,"workdir":S,"pgid":N,"data_bytes_max":N,"notes":[..]}
 *     {"step":K,"result":R|"blocked","events":[..],"late_ns":N}   (no "result": the caller did
 *                                            not return; late_ns once time is paced: time.c)
 *     {"step":K,"invalid":MSG}               the step is not valid here (the session goes on)
 *     {"step":K,"fault":MSG}                 the host cannot judge the step; the agent exits
 *     {"step":K,"inconclusive":MSG}          the host fell behind the trace's time; it exits
 *   Numbers in results are raw (errno, signals, wait statuses, modes); bytes are hex strings.
 *
 * Options: --unsafe-no-namespaces (or IPCSIM_UNSAFE_NO_NAMESPACES=1) runs the fallback without
 * namespaces, or where unshare is refused (without it, one clear error); --watchdog-ms N (2000);
 * --test-calls enables the test-only calls 1999 (spin) and 1998 (a raw syscall, to test the
 * seccomp filter); --print-calls prints the call table (calls.gen.h) as JSON lines and exits.
 * The old --no-namespaces and IPCSIM_NO_NAMESPACES are refused with a message. */
#include "agent.h"
#include "wire.c"
#include "idmap.c"
#include "guard.c"
#include "netns.c"
#include "procs.c"
#include "frames.c"
#include "maps.c"
#include "seccomp.c"
#include "calls.c"
#include "calls_fs.c"
#include "calls_iov.c"
#include "calls_poll.c" /* which includes calls_epoll.c */
#include "calls_sig.c" /* which includes calls_net.c */
#include "time.c"
#include "traced.c"
#include "quiesce.c"

/* The test-only call (--test-calls): not in the call table. */
static const struct call_desc SPIN_DESC = {.call = CALL_SPIN, .name = "spin", .run = c_spin,
    .fixed = 1, .vars = VARS_NONE, .data = DATA_NONE, .sleeps = {-1, -1}};
static const struct call_desc RAW_SYSCALL_DESC = {
    .call = CALL_RAW_SYSCALL, .name = "raw-syscall", .run = c_raw_syscall, .fixed = 4,
    .vars = VARS_NONE, .data = DATA_NONE, .sleeps = {-1, -1}};

static bool ns_wanted = true, test_calls;
static bool unsafe_fallback_ok; /* --unsafe-no-namespaces: the fallback was asked for */
static char workdir[PATH_MAX];
static char ns_reason[256];
static struct jbuf notes;
static int notes_count;
static _Alignas(16) uint8_t tx_data[DATA_BYTES_MAX];

#define CALLS_COUNT (sizeof CALL_DESCS / sizeof CALL_DESCS[0])

static const struct call_desc *call_desc(int call) {
  for (size_t i = 0; i < CALLS_COUNT; i++)
    if (CALL_DESCS[i].call == call) return &CALL_DESCS[i];
  if (!test_calls) return NULL;
  return call == CALL_SPIN ? &SPIN_DESC : call == CALL_RAW_SYSCALL ? &RAW_SYSCALL_DESC : NULL;
}

static const char *call_name(int call) {
  const struct call_desc *d = call_desc(call);
  return d ? d->name : "?";
}

static bool call_may_sleep_in(int call, int sysno) {
  const struct call_desc *d = call_desc(call);
  if (!d || sysno < 0) return false;
  for (int i = 0; i < CALL_SLEEPS_MAX; i++)
    if (d->sleeps[i] == sysno) return true;
  return false;
}

/* --print-calls: the call table as the agent has it, one JSON line per call (a test compares it
 * with wasm/calls.ts). */
static void print_calls(void) {
  static const char *const roles[] = {"int", "fd", "pid", "msqid", "semid", "shmid"};
  static const char *const limits[] = {"none", "data_max", "not_host_pid"};
  static const char *const vars[] = {"none", "sops", "u16"};
  static const char *const datas[] = {"none", "bytes", "path", "paths"};
  for (size_t i = 0; i < CALLS_COUNT; i++) {
    const struct call_desc *d = &CALL_DESCS[i];
    printf("{\"nr\":%d,\"name\":\"%s\",\"fixed\":[", d->call, d->name);
    for (int k = 0; k < d->fixed; k++) printf("%s\"%s\"", k ? "," : "", roles[d->role[k]]);
    printf("],\"limits\":[");
    for (int k = 0; k < d->fixed; k++) printf("%s\"%s\"", k ? "," : "", limits[d->limit[k]]);
    printf("],\"vars\":\"%s\",\"data\":\"%s\",\"sleeps\":[", vars[d->vars], datas[d->data]);
    for (int k = 0, n = 0; k < CALL_SLEEPS_MAX; k++)
      if (d->sleeps[k] >= 0) printf("%s%d", n++ ? "," : "", d->sleeps[k]);
    printf("],\"signals_others\":%s}\n", d->signals_others ? "true" : "false");
  }
}

static void note(const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  jb_raw(&notes, notes_count++ ? "," : "");
  jb_str(&notes, msg);
}

/* ---- leaving: nothing of a trace survives the agent ---- */

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  (void)remove(path);
  return 0;
}

static void remove_workdir(void) {
  if (workdir[0]) nftw(workdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Without namespaces: kill every traced process (they share pid 2's process group), reap them
 * (the agent is their subreaper), remove the IPC objects the trace created. */
static void fallback_cleanup(void) {
  struct proc *first = proc_get(2);
  if (first) kill(-first->real, SIGKILL);
  for (int pid = 2; pid < procs_next; pid++)
    if (procs[pid].state != P_UNUSED && procs[pid].state != P_GONE) kill(procs[pid].real, SIGKILL);
  for (int i = 0; i < 400; i++) { /* at most 2 s */
    pid_t reaped;
    while ((reaped = waitpid(-1, NULL, WNOHANG | __WALL)) > 0) {
    }
    if (reaped < 0 && errno == ECHILD) break;
    usleep(5000);
  }
  idmap_remove_all();
  remove_workdir();
}

/* With namespaces the agent is pid 1: its exit kills every process of the namespace, and the
 * IPC namespace (with every object in it) goes with its last process. */
static void cleanup_and_exit(int status) {
  if (!ns_mode) fallback_cleanup();
  exit(status);
}

/* SIGTERM, SIGINT, SIGHUP: from the driver, a terminal or the outer process (forwarded), the
 * run ends cleanly. From a traced process (a sender inside the PID namespace: si_pid != 0; one
 * outside it is 0 there) it is ignored, as Linux's namespace init without a handler ignores it
 * (kernel/signal.c sig_task_ignored(): SIGNAL_UNKILLABLE), so the trace runs as on Linux. */
static void on_term(int sig, siginfo_t *info, void *context) {
  (void)sig, (void)context;
  if (ns_mode && info->si_pid != 0) return;
  term_requested = 1;
}

#include "params.c" /* the trace header's sysctl parameters */

/* ---- steps ---- */

static char *next_token(char **s) {
  while (**s == ' ') ++*s;
  if (!**s || **s == '\n') return NULL;
  char *start = *s;
  while (**s && **s != ' ' && **s != '\n') ++*s;
  if (**s) *(*s)++ = 0;
  return start;
}

static int64_t int_token(char **s) {
  char *t = next_token(s);
  if (!t) fault("protocol: missing integer");
  if (strcmp(t, "-") == 0) return ARG_ABSENT;
  char *end;
  errno = 0;
  int64_t v = t[0] == '-' ? strtoll(t, &end, 10) : (int64_t)strtoull(t, &end, 10);
  if (*end || errno) fault("protocol: bad integer %s", t);
  return v;
}

/* Integers after the fixed ones: semop sops (num op flags) or SETALL values, packed as C does. */
static uint32_t pack_vars(enum vars_kind kind, char **s, int64_t count) {
  size_t unit = kind == VARS_SOPS ? sizeof(struct sembuf) : sizeof(unsigned short);
  if (kind == VARS_NONE || (kind == VARS_SOPS && count % 3) ||
      (size_t)count * unit > data_bytes_max)
    fault("protocol: %" PRId64 " extra integers", count);
  for (int64_t i = 0; i < (kind == VARS_SOPS ? count / 3 : count); i++) {
    if (kind == VARS_U16) {
      ((unsigned short *)tx_data)[i] = (unsigned short)int_token(s);
      continue;
    }
    struct sembuf sop = {(unsigned short)int_token(s), 0, 0};
    sop.sem_op = (short)int_token(s);
    sop.sem_flg = (short)int_token(s);
    memcpy(tx_data + i * sizeof sop, &sop, sizeof sop);
  }
  return (uint32_t)(count * (int64_t)unit / (kind == VARS_SOPS ? 3 : 1));
}

static void reply_invalid(int step, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  struct jbuf b = {0};
  jb_fmt(&b, "{\"step\":%d,\"invalid\":", step);
  jb_str(&b, msg);
  jb_raw(&b, "}");
  emit_line(&b);
  free(b.p);
}

/* The caller: alive, idle, not stopped (trace-v1 "Processes"), in a handler if the call needs. */
static const char *caller_problem(int pid, int call, char *buf, size_t cap) {
  struct proc *p = proc_get(pid);
  if (pid == 1) return "pid 1 is init, outside the trace";
  if (!p) snprintf(buf, cap, "pid %d does not exist", pid);
  else if (p->state >= P_DYING) snprintf(buf, cap, "pid %d has exited", pid);
  else if (p->state == P_BLOCKED)
    snprintf(buf, cap, "pid %d is blocked in step %d (%s)", pid, p->cmd.step,
             call_name(p->cmd.call));
  else if (p->stopped) snprintf(buf, cap, "pid %d is stopped", pid);
  else return frame_problem(p, call, buf, cap);
  return buf;
}

/* Host limits: what the bridge cannot run faithfully is a fault, never a silent difference. */
static void check_host_limits(const struct cmd_msg *c, const struct call_desc *d) {
  for (int i = 0; i < d->fixed; i++) {
    int64_t v = c->args[i];
    if (d->limit[i] == LIMIT_DATA_MAX && (v < 0 || (uint64_t)v > data_bytes_max))
      fault("%s of %" PRId64 " bytes: the bridge carries at most %zu", d->name, v, data_bytes_max);
    if (d->limit[i] == LIMIT_NOT_HOST_PID && !ns_mode && (v == -1 || v == 1))
      fault("%s(%" PRId64 ") without a PID namespace would reach host processes", d->name, v);
  }
}

/* Model numbering -> host numbering, for the copy of the command that is sent. */
static void map_args(struct cmd_msg *c, const struct call_desc *d) {
  for (int i = 0; i < d->fixed; i++) {
    int64_t *a = &c->args[i];
    switch ((enum arg_role)d->role[i]) {
    case ARG_PID: *a = target_to_real(*a); break;
    case ARG_MSQID: *a = id_to_real(KIND_MSG, *a); break;
    case ARG_SEMID: *a = id_to_real(KIND_SEM, *a); break;
    case ARG_SHMID: *a = id_to_real(KIND_SHM, *a); break;
    case ARG_INT: case ARG_FD: break;
    }
  }
}

/* The host fell behind the trace's time (time.c): no verdict either way. */
static void inconclusive(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  stop_run("inconclusive", 4, fmt, ap);
}

/* caller is NULL for a step no process makes (advance): its result is always ret 0. */
static void emit_outcome(struct proc *caller) {
  struct jbuf b = {0};
  jb_fmt(&b, "{\"step\":%d", cur.step);
  if (!caller) jb_raw(&b, ",\"result\":{\"ret\":0}");
  else if (cur.has_result) jb_fmt(&b, ",\"result\":%s", cur.result.p);
  else if (caller->state == P_IN_CALL || caller->state == P_BLOCKED ||
           (caller->state < P_DYING && frame_holds_step(caller, cur.step))) {
    if (caller->state == P_IN_CALL) caller->state = P_BLOCKED; /* stopped inside the call */
    jb_raw(&b, ",\"result\":\"blocked\""); /* or a handler interrupted it (frames.c) */
  }
  jb_fmt(&b, ",\"events\":[%s]", cur.events_count ? cur.events.p : "");
  if (late_ns >= 0) jb_fmt(&b, ",\"late_ns\":%" PRId64, late_ns);
  jb_raw(&b, "}");
  emit_line(&b);
  free(b.p);
}

/* Reads one step line into *c (model numbering) and tx_data. Returns the caller's pid. */
static int parse_step(char *line, struct cmd_msg *c, const struct call_desc **desc) {
  char *s = line + 1;
  int64_t step = int_token(&s), pid = int_token(&s), call = int_token(&s), n = int_token(&s);
  const struct call_desc *d = call_desc((int)call);
  cur.step = (int)step;
  if (!d) fault("protocol: unknown call %" PRId64, call);
  if (n < d->fixed || n - d->fixed > 3 * 65536)
    fault("protocol: %s with %" PRId64 " integers", d->name, n);
  *c = (struct cmd_msg){.tag = TAG_CMD, .step = (int)step, .call = (int)call};
  for (int i = 0; i < d->fixed; i++) c->args[i] = int_token(&s);
  c->data_len = n > d->fixed ? pack_vars(d->vars, &s, n - d->fixed) : 0;
  char *hex = next_token(&s);
  if (!hex) fault("protocol: missing data field");
  char *flag = next_token(&s);
  if (flag && strcmp(flag, "A") == 0) c->flags |= CMD_ADDR_LITERAL;
  else if (flag) fault("protocol: unknown step flag %.20s", flag);
  if (d->data != DATA_NONE) {
    long len = hex_decode(hex, tx_data, data_bytes_max);
    if (len < 0)
      fault("step data is not hex or longer than the bridge's %zu bytes", data_bytes_max);
    c->data_len = (uint32_t)len;
  }
  *desc = d;
  return (int)pid;
}

/* Signal-driven I/O (fs/fcntl.c send_sigio): once any description has an owner (F_SETOWN,
 * F_SETOWN_EX), a pipe or FIFO read, write or close may send SIGIO to another process, so those
 * steps watch every process as a kill does. Chosen per run rather than per row, so that traces
 * without an owner keep the fast path: the flag is set by the first owner and never cleared. */
static bool sigio_armed;

static bool sets_owner(const struct cmd_msg *c) {
  return c->call == SYS_fcntl && (c->args[1] == F_SETOWN || c->args[1] == F_SETOWN_EX);
}

static bool may_send_sigio(int call) {
  return call == SYS_read || call == SYS_write || call == SYS_close || call == SYS_dup2;
}

static void step_begin(const struct call_desc *d) {
  cur.has_result = false;
  cur.events_count = 0;
  jb_reset(&cur.events);
  jb_raw(&cur.events, "");
  cur.watch_all = d->signals_others || (sigio_armed && may_send_sigio(d->call));
  cur.newborn = 0;
}

/* Time passes (advance): made by no process; every process is watched (time.c). */
static void run_advance(const struct cmd_msg *c, const struct call_desc *d) {
  cur.caller = 0;
  step_begin(d);
  time_anchor();
  time_advance(c);
  emit_outcome(NULL);
}

static void run_step(char *line) {
  struct cmd_msg c;
  const struct call_desc *d;
  int pid = parse_step(line, &c, &d);
  if (c.call == CALL_ADVANCE) {
    run_advance(&c, d);
    return;
  }
  char why[160];
  const char *problem = caller_problem(pid, c.call, why, sizeof why);
  /* A POSIX queue's name is no file's path: it names an object of the IPC namespace's mqueue
   * file system (ipc/mqueue.c), never reached through the work directory. */
  bool mq_name = c.call == CALL_mq_open || c.call == CALL_mq_unlink;
  /* With namespaces every path stays in the run's tmpfs; without, only relative ones, no "..". */
  if (!problem && !ns_mode && !mq_name &&
      (!paths_ok(d->data, tx_data, c.data_len) || !sockaddr_ok(c.call, tx_data, c.data_len)))
    problem = "without namespaces, paths must be relative and stay inside the work directory";
  if (!problem && c.call == SYS_rt_sigaction && (c.args[1] < 0 || c.args[1] > HANDLER_CALLS))
    problem = "sigaction handler must be SIG_DFL, SIG_IGN, catch or calls";
  if (!problem && !ns_mode && sets_owner(&c))
    problem = "F_SETOWN and F_SETOWN_EX name pids, which need the bridge's PID namespace";
  if (problem) {
    reply_invalid(c.step, "%s", problem);
    return;
  }
  check_host_limits(&c, d);
  if (sets_owner(&c)) sigio_armed = true;
  struct proc *p = proc_get(pid);
  cur.caller = pid;
  step_begin(d);
  if (time_needs_anchor(&c)) time_anchor();
  p->cmd = c;
  p->state = P_IN_CALL;
  struct cmd_msg wire = c;
  map_args(&wire, d);
  idmap_guard(&c, &wire);
  wire.tl = timeline;
  quiesce_min_ns = arms_due_timer(&c) ? DUE_TIMER_NS : 0;
  /* A send to a process that has just died fails; its EOF is handled by quiesce(). */
  (void)msg_send(p->chan, &wire, sizeof wire, tx_data, c.data_len, -1);
  quiesce();
  time_check_budget();
  idmap_after_step();
  emit_outcome(p);
}

/* ---- start ---- */

/* pid 2 (in the child of the agent's fork) dies with the agent: without namespaces nothing
 * else would kill it if the agent is SIGKILLed (the guard, guard.c, kills the others). */
static void traced_die_with_agent(void) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != agent_real_pid) _exit(0); /* the agent died before prctl */
}

static void start_first_process(void) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
    die("socketpair: %s", strerror(errno));
  sock_grow(sv[0]);
  sock_grow(sv[1]);
  data_limit_init(sv[0]);
  sv[1] = fd_move_high(sv[1]);
  if (sv[1] < 0) die("cannot move the control socket to fd %d", FDS_RESERVED_BASE);
  pid_t real = fork();
  if (real < 0) die("fork: %s", strerror(errno));
  if (real == 0) {
    close(sv[0]);
    traced_die_with_agent();
    traced_start(sv[1]);
  }
  close(sv[1]);
  proc_add(real, sv[0]);
}

static void setup_signals(void) {
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, NULL);
  sig_fd = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
  if (sig_fd < 0) die("signalfd: %s", strerror(errno));
  signal(SIGPIPE, SIG_IGN);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_term; /* no SA_RESTART: a blocking read or ppoll returns EINTR */
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
}

static void emit_ready(void) {
  struct jbuf b = {0};
  jb_fmt(&b, "{\"ready\":true,\"namespaces\":%s,\"workdir\":", ns_mode ? "true" : "false");
  jb_str(&b, workdir);
  jb_fmt(&b, ",\"pgid\":%d,\"data_bytes_max\":%zu,\"reason\":", procs[2].real, data_bytes_max);
  jb_str(&b, ns_reason);
  jb_fmt(&b, ",\"notes\":[%s]}", notes_count ? notes.p : "");
  emit_line(&b);
  free(b.p);
}

/* The agent proper: pid 1 of the namespaces (or, in the fallback, the traced processes'
 * subreaper). Reads the driver's lines until end of input. */
static _Noreturn void manager_main(void) {
  agent_real_pid = getpid();
  if (chdir(workdir) < 0) die("chdir %s: %s", workdir, strerror(errno));
  idmap_init(ns_mode);
  if (!ns_mode) prctl(PR_SET_CHILD_SUBREAPER, 1);
  setup_signals();
  cur.step = -1;
  char *line = NULL;
  size_t cap = 0;
  bool started = false;
  for (;;) {
    ssize_t n = getline(&line, &cap, stdin);
    if (term_requested) cleanup_and_exit(143);
    if (n < 0 && errno == EINTR && !feof(stdin)) {
      clearerr(stdin);
      continue;
    }
    if (n <= 0) cleanup_and_exit(0);
    if (line[0] == 'I' && !started) {
      run_init_line(line);
      start_first_process();
      emit_ready();
      started = true;
    } else if (line[0] == 'S' && started) {
      run_step(line);
    } else {
      fault("protocol: unexpected line %.40s", line);
    }
  }
}

/* ---- namespaces ---- */

static const char UNSAFE_HINT[] =
    "--unsafe-no-namespaces (IPCSIM_UNSAFE_NO_NAMESPACES=1) runs without them: the fallback maps"
    " pids and SysV ids by order of creation and refuses what would reach the host's processes"
    " and IPC objects, but the traced processes then share the host's PID and IPC namespaces";

/* Fresh IPC, PID and mount namespaces, or the fallback if (and only if) it was asked for. */
static bool enter_namespaces(void) {
  if (!ns_wanted) {
    snprintf(ns_reason, sizeof ns_reason, "namespaces disabled (--unsafe-no-namespaces)");
    return false;
  }
  if (unshare(CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET) < 0) {
    snprintf(ns_reason, sizeof ns_reason, "unshare(CLONE_NEWIPC|NEWPID|NEWNS|NEWNET): %s",
             strerror(errno));
    if (!unsafe_fallback_ok) {
      remove_workdir();
      die("cannot create the namespaces the host bridge runs in (%s; it needs root or user"
          " namespaces). %s", ns_reason, UNSAFE_HINT);
    }
    return false;
  }
  loopback_up();
  return true;
}

/* pid 1 of the new PID namespace: its own /proc (so /proc/PID shows namespace pids), in a
 * private mount namespace (so the host's /proc is untouched). Dies with its parent. */
static void become_namespace_init(void) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
    die("mount --make-rprivate /: %s", strerror(errno));
  if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
    die("mount proc: %s", strerror(errno));
  /* The run's own tmpfs, the traced processes' root (traced.c traced_start): paths mean the
   * same as in the model (kernel/inode.ts: NINODE inodes, TMPFS_BLOCKS pages, mode 1777), and
   * no path, "..", or symlink reaches anything outside it. Only this namespace sees it. */
  if (mount("ipcsim", workdir, "tmpfs", MS_NOSUID | MS_NODEV,
            "size=4m,nr_inodes=1024,mode=1777") < 0)
    die("mount tmpfs on %s: %s", workdir, strerror(errno));
}

static pid_t outer_init_pid;

static void forward_to_init(int sig) {
  kill(outer_init_pid, sig);
}

/* SIGINT, SIGTERM and SIGHUP sent to the outer process alone reach pid 1 (which cleans up and
 * exits); the outer process then removes the work directory as usual. */
static void outer_forward_signals(pid_t init) {
  outer_init_pid = init;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = forward_to_init;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
}

/* The outer process stays in the parent PID namespace, waits for pid 1 and removes the work
 * directory. It lets go of stdin/stdout so the driver sees EOF as soon as pid 1 is gone. */
static int run_outer(pid_t init) {
  outer_forward_signals(init);
  int null_fd = open("/dev/null", O_RDWR);
  dup2(null_fd, STDIN_FILENO);
  dup2(null_fd, STDOUT_FILENO);
  int status = 0;
  while (waitpid(init, &status, 0) < 0 && errno == EINTR) {
  }
  remove_workdir();
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static bool env_set(const char *name) {
  const char *v = getenv(name);
  return v && *v && strcmp(v, "0") != 0;
}

static void parse_options(int argc, char **argv) {
  if (env_set("IPCSIM_NO_NAMESPACES"))
    die("IPCSIM_NO_NAMESPACES is no longer read: running without namespaces can reach the"
        " host's processes and IPC objects. %s", UNSAFE_HINT);
  bool unsafe = env_set("IPCSIM_UNSAFE_NO_NAMESPACES");
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--unsafe-no-namespaces") == 0) unsafe = true;
    else if (strcmp(argv[i], "--no-namespaces") == 0)
      die("--no-namespaces is no longer accepted. %s", UNSAFE_HINT);
    else if (strcmp(argv[i], "--test-calls") == 0) test_calls = true;
    else if (strcmp(argv[i], "--print-calls") == 0) print_calls(), exit(0);
    else if (strcmp(argv[i], "--test-guard-pause-ms") == 0 && i + 1 < argc)
      guard_test_pause_ms = atoi(argv[++i]);
    else if (strcmp(argv[i], "--watchdog-ms") == 0 && i + 1 < argc)
      watchdog_ns = strtoll(argv[++i], NULL, 10) * 1000000;
    else die("usage: ipcsim-agent [--unsafe-no-namespaces] [--watchdog-ms N] [--test-calls]"
             " [--test-guard-pause-ms N] [--print-calls]");
  }
  if (unsafe) ns_wanted = false, unsafe_fallback_ok = true;
}

int main(int argc, char **argv) {
  parse_options(argc, argv);
  fds_reserve_init();
  traced_uid_init();
  const char *tmp = getenv("TMPDIR");
  snprintf(workdir, sizeof workdir, "%s/ipcsim-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!guard_start(workdir, sizeof workdir) && !mkdtemp(workdir))
    die("mkdtemp %s: %s", workdir, strerror(errno));
  ns_mode = enter_namespaces();
  if (!ns_mode) {
    fprintf(stderr, "ipcsim-agent: running without PID/IPC namespaces (%s): pids and SysV ids"
                    " are mapped to the model's numbers by order of creation\n", ns_reason);
    manager_main();
  }
  pid_t init = fork();
  if (init < 0) die("fork: %s", strerror(errno));
  if (init == 0) {
    become_namespace_init();
    manager_main();
  }
  return run_outer(init);
}
