/* traced.c: the traced-process side.
 *
 * A traced process is a real process that loops: receive a command on its control socket, make
 * the call, send the reply. Between commands it sleeps in recv() (recvfrom, syscall 45): that is
 * how the agent sees it idle in /proc. A "calls" signal handler runs the same loop, nested
 * (run_frame), until the trace's sigreturn.
 *
 * Invariants:
 * - Each traced process has its own control socket (chan_fd, in the reserved high fds). After a
 *   fork the child closes the parent's socket and uses a new pair made by the parent, whose other
 *   end the parent passes to the agent in its fork reply (SCM_RIGHTS). So a grandchild never
 *   shares a channel with anybody.
 * - The process's own state is what the trace made it: signal dispositions, mask, fds 0..2 and
 *   every fd below the reserved range. The loop touches none of it (signals are blocked only
 *   around fork, so that no handler records a signal on the wrong channel).
 */

/* The "catch" handler: records the delivery and returns. send() is async-signal-safe, and a
 * SEQPACKET message is atomic, so this never mixes with a reply being sent. */
static void record_signal(int sig, siginfo_t *info, void *context) {
  (void)context;
  int saved = errno;
  struct signal_msg m = signal_msg_of(sig, info, FRAME_NONE);
  (void)send(chan_fd, &m, sizeof m, MSG_NOSIGNAL);
  errno = saved;
}

/* Sets the soft RLIMIT_NOFILE; returns the old one. */
static rlim_t nofile_set(rlim_t soft) {
  struct rlimit rl;
  getrlimit(RLIMIT_NOFILE, &rl);
  rlim_t old = rl.rlim_cur;
  rl.rlim_cur = soft;
  setrlimit(RLIMIT_NOFILE, &rl);
  return old;
}

/* Makes a control socketpair in the reserved fds: [0] for the agent, [1] for the child. The
 * soft fd limit is lifted meanwhile: the trace may be using every fd below it. Every fd this
 * takes below the limit is given back before the fork, so the child's table is the parent's. */
static int channel_pair(int sv[2]) {
  rlim_t soft = nofile_set(FDS_RESERVED_BASE + FDS_RESERVED_COUNT);
  int result = socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv);
  if (result == 0) {
    sv[0] = fd_move_high(sv[0]);
    sv[1] = fd_move_high(sv[1]);
    if (sv[0] < 0 || sv[1] < 0) result = -1;
  }
  int saved = errno;
  nofile_set(soft);
  errno = saved;
  if (result < 0) return -1;
  sock_grow(sv[0]);
  sock_grow(sv[1]);
  return 0;
}

/* fork: a real fork; the child starts idle with its own channel. Returns false in the child
 * (no reply: the parent reports the fork). */
static bool traced_fork(struct reply_msg *r, int *pass_fd) {
  int sv[2];
  if (channel_pair(sv) < 0) {
    r->bridge_errno = errno; /* e.g. the trace has used up every fd: a host fault */
    return true;
  }
  sigset_t all, old;
  sigfillset(&all);
  sigprocmask(SIG_SETMASK, &all, &old);
  pid_t pid = fork();
  int fork_errno = errno;
  if (pid == 0) {
    close(chan_fd);
    close(sv[0]);
    chan_fd = sv[1];
    timer_clocks_forget();
    sigprocmask(SIG_SETMASK, &old, NULL);
    return false;
  }
  sigprocmask(SIG_SETMASK, &old, NULL);
  close(sv[1]);
  r->ret = pid;
  r->err = pid < 0 ? fork_errno : 0;
  if (pid > 0) *pass_fd = sv[0];
  else close(sv[0]);
  return true;
}

/* Receives one command into the current frame's space (calls.c struct call_space), runs it and
 * replies. Returns the command's call, or -1 when a signal interrupted the wait. In a "calls"
 * handler (run_frame) this is all that runs: recv, send and the call's own syscalls are
 * async-signal-safe, and nothing on the way allocates or takes a lock (fork, which is not safe
 * there, is refused by the agent inside a handler). */
static int serve_one(void) {
  struct call_space *s = space;
  ssize_t n = recv(chan_fd, s->in, sizeof s->in, 0);
  if (n < 0 && errno == EINTR) return -1; /* a caught signal while waiting */
  if (n < (ssize_t)sizeof(struct cmd_msg)) _exit(0); /* the agent is gone */
  const struct cmd_msg *c = (const struct cmd_msg *)s->in;
  struct reply_msg r;
  memset(&r, 0, sizeof r);
  r.tag = TAG_REPLY;
  r.step = c->step;
  struct call_out o = {.pass_fd = -1};
  if (!call_run(c, s->in + sizeof *c, &r, &o)) return c->call; /* fork's child: no reply */
  r.data_len = o.len;
  if (msg_send(chan_fd, &r, sizeof r, o.data, o.len, o.pass_fd) < 0) _exit(0);
  if (o.pass_fd >= 0) close(o.pass_fd);
  return c->call;
}

static _Noreturn void traced_loop(void) {
  for (;;) (void)serve_one();
}

/* The call space of a frame at `depth` (calls.c), mapped at its first use, or NULL past
 * FRAMES_MAX or without memory. mmap is a bare syscall (glibc's wrapper takes no lock), so it is
 * safe in a handler; a handler nested while this runs has a greater depth, so a space is never
 * mapped twice. Unmapped until used, the 160 depths cost nothing in a trace without handlers. */
static struct call_space *frame_space(int depth) {
  if (depth > FRAMES_MAX) return NULL;
  if (!spaces[depth]) {
    void *m = mmap(NULL, sizeof(struct call_space), PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m != MAP_FAILED) spaces[depth] = m;
  }
  return spaces[depth];
}

/* The "calls" handler: the process enters a handler that makes calls. It tells the agent (a
 * signal message with FRAME_ENTERED), then serves the commands sent to it until sigreturn, whose
 * reply goes out before the real handler returns: the kernel's rt_sigreturn then restores the
 * mask of the frame, and the interrupted code goes on (a call finishes, fails with EINTR or
 * restarts; an idle wait goes back to recv) or the next frame's handler starts. A signal taken
 * in here nests another frame the same way. Each depth has its own call space, so the calls of
 * a frame never overwrite the command, output or vector of a call it interrupted. The depth is
 * raised before the space is switched and lowered after it is restored, so that a frame nested
 * at any moment in between picks a space nobody is using. errno is the interrupted code's. */
static void run_frame(int sig, siginfo_t *info, void *context) {
  (void)context;
  int saved = errno;
  int depth = frame_depth + 1;
  struct call_space *own = frame_space(depth);
  struct signal_msg m = signal_msg_of(sig, info, own ? FRAME_ENTERED : FRAME_TOO_DEEP);
  (void)send(chan_fd, &m, sizeof m, MSG_NOSIGNAL);
  if (own) { /* else the agent stops the run: a host fault */
    struct call_space *outer = space;
    frame_depth = depth;
    space = own;
    while (serve_one() != CALL_sigreturn) {
    }
    space = outer;
    frame_depth = depth - 1;
  }
  errno = saved;
}

/* The real uid of this run's traced processes (traced_uid_init, before the namespaces). Linux
 * counts queued signals (RLIMIT_SIGPENDING) and processes (RLIMIT_NPROC) per real uid across
 * the whole host (kernel/signal.c __sigqueue_alloc -> inc_rlimit_get_ucounts on the cred's
 * ucounts): as root, the trace's queue would share its limit with every root process's pending
 * signals, other runs' included. A real uid of its own, with euid and saved uid 0 (so every
 * capability stays: security/commoncap.c cap_emulate_setxuid drops them only when no id is 0,
 * and the IPC objects' uid/cuid are the euid), gives the trace the whole limit: the model's. */
static uid_t traced_uid;

static void traced_uid_init(void) {
  traced_uid = TRACED_UID_BASE + (uid_t)getpid();
}

static bool traced_creds(void) {
  struct rlimit sigpending = {TRACED_SIGPENDING, TRACED_SIGPENDING};
  return setresuid(traced_uid, 0, 0) == 0 && setrlimit(RLIMIT_SIGPENDING, &sigpending) == 0;
}

/* Becomes the first traced process (pid 2), forked by the agent. It starts as the model's pid 2:
 * every signal at its default and unblocked, umask 0, fds 0..2 open on /dev/null (the model's
 * 0..2 are open; /dev/null keeps a trace that writes fd 1 away from the agent's protocol), in a
 * process group of its own, so that kill(0, ...) reaches only traced processes, and the model's
 * RLIMIT_NOFILE (its control socket stays open above it). First of all it takes the run's real
 * uid and the model's RLIMIT_SIGPENDING (traced_creds), then it is confined: no_new_privs and
 * the seccomp filter (seccomp.c), which every traced process inherits. */
static _Noreturn void traced_start(int chan) {
  chan_fd = chan;
  int null_fd = open("/dev/null", O_RDWR); /* before the root moves: the tmpfs has no /dev */
  /* The run's tmpfs is the root of every traced process (agent.c become_namespace_init). */
  if (ns_mode && (chroot(".") < 0 || chdir("/") < 0)) {
    fprintf(stderr, "ipcsim-agent: cannot enter the run's tmpfs: %s\n", strerror(errno));
    _exit(121);
  }
  struct stat root;
  tmpfs_dev = stat(".", &root) == 0 ? root.st_dev : 0;
  if (!traced_creds()) {
    fprintf(stderr, "ipcsim-agent: cannot set the traced process's uid and RLIMIT_SIGPENDING:"
                    " %s\n", strerror(errno));
    _exit(121);
  }
  if (!alt_arena_map()) {
    fprintf(stderr, "ipcsim-agent: cannot map the arena for alternate signal stacks: %s\n",
            strerror(errno));
    _exit(121);
  }
  if (!seccomp_confine()) { /* stderr is still the agent's */
    fprintf(stderr, "ipcsim-agent: cannot confine the traced process (no_new_privs, seccomp):"
                    " %s\n", strerror(errno));
    _exit(121);
  }
  setpgid(0, 0);
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; sig++) (void)sigaction(sig, &dfl, NULL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  umask(0);
  if (null_fd < 0) _exit(120);
  for (int fd = 0; fd < 3; fd++)
    if (null_fd != fd) dup2(null_fd, fd);
  if (null_fd > 2) close(null_fd);
  close_range(3, (unsigned)chan - 1, 0);
  close_range((unsigned)chan + 1, ~0u, 0);
  nofile_set(TRACED_NOFILE);
  traced_loop();
}
