/* guard.c: nothing of a run outlives the agent, however the agent dies.
 *
 * The agent cleans up when it ends normally or on SIGINT/SIGTERM/SIGHUP (agent.c), but a
 * SIGKILL of the driver's whole process group kills every agent process at once. So main()
 * starts a guard first: a small process in a session of its own (a signal to the driver's
 * process group never reaches it), detached from the agent (a grandchild, so the agent's
 * waitpid(-1) never sees it). The guard makes the work directory and sends its name back, then
 * holds one end of a socket pair whose other end only the agent's own processes hold (the
 * outer process and pid 1, or the fallback agent; traced processes close it). When the last of
 * them is gone, read() gives EOF and the guard:
 *   1. without namespaces, SIGKILLs every traced process the agent recorded (pid and start
 *      time, so a recycled pid is never hit); with namespaces pid 1's death has killed them
 *      (and pid 2 has PR_SET_PDEATHSIG in both modes: agent.c traced_die_with_agent);
 *   2. without namespaces, removes every SysV object the agent recorded as the trace's own
 *      (id and key: an id whose key changed is not ours);
 *   3. removes the work directory; then exits.
 * The records are the run record: fixed-size messages on the socket, written as the run goes.
 * The guard reads them as they come, so the socket never fills. After a normal exit the agent
 * has done all of this itself and the guard finds nothing left to do.
 *
 * Known missing: a guard killed by its own pid (not through the group) cleans nothing.
 */

enum { GUARD_PROC = 1, GUARD_IPC = 2 };
#define GUARD_PROCS_MAX PROCS_MAX
#define GUARD_WAIT_MS 2000 /* killed traced processes must be gone before their objects */

struct guard_msg {
  int32_t type, kind; /* GUARD_*; KIND_* of an IPC object */
  int64_t id;         /* real pid or real SysV id */
  int64_t check;      /* the process's start time (clock ticks) or the object's key */
};

static int guard_fd = -1; /* the agent's write end; -1 without a guard */
/* Test only (--test-guard-pause-ms): how long the guard waits between making the work directory
 * and sending its name, so that a test can kill the agent in that window. */
static int guard_test_pause_ms;

/* Field 22 of /proc/PID/stat (starttime), or -1. */
static long long proc_start_time(pid_t pid) {
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return -1;
  buf[n] = 0;
  char *s = strrchr(buf, ')'); /* comm may hold spaces */
  if (!s) return -1;
  long long v = -1;
  /* after ')': state is field 3, starttime field 22 */
  for (int field = 3; field <= 22 && s; field++) {
    s = strchr(s + 1, ' ');
    if (s && field == 22) v = strtoll(s + 1, NULL, 10);
  }
  return v;
}

/* The key of a SysV object, or -1 if it is gone. */
static int64_t ipc_key_of(int kind, int id) {
  if (kind == KIND_MSG) {
    struct msqid_ds ds;
    return msgctl(id, IPC_STAT, &ds) < 0 ? -1 : (int64_t)ds.msg_perm.__key;
  }
  if (kind == KIND_SEM) {
    struct semid_ds ds;
    return semctl(id, 0, IPC_STAT, &ds) < 0 ? -1 : (int64_t)ds.sem_perm.__key;
  }
  struct shmid_ds ds;
  return shmctl(id, IPC_STAT, &ds) < 0 ? -1 : (int64_t)ds.shm_perm.__key;
}

static void guard_send(int type, int kind, int64_t id, int64_t check) {
  if (guard_fd < 0) return;
  struct guard_msg m = {type, kind, id, check};
  while (send(guard_fd, &m, sizeof m, MSG_NOSIGNAL) < 0 && errno == EINTR) {
  }
}

/* A traced process (fallback only: with namespaces pid 1's death kills it). */
static void guard_note_proc(pid_t real) {
  if (!ns_mode) guard_send(GUARD_PROC, 0, real, proc_start_time(real));
}

/* A SysV object the trace created (fallback only: with namespaces it dies with the namespace). */
static void guard_note_ipc(int kind, int real_id) {
  if (!ns_mode) guard_send(GUARD_IPC, kind, real_id, ipc_key_of(kind, real_id));
}

static int guard_rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  (void)remove(path);
  return 0;
}

/* Kills the recorded processes that are still the ones recorded; waits (bounded) until they are
 * gone or zombies, so that their attachments are released before the objects go. */
static void guard_kill(const struct guard_msg *procs, int count) {
  for (int i = 0; i < count; i++)
    if (proc_start_time((pid_t)procs[i].id) == procs[i].check) kill((pid_t)procs[i].id, SIGKILL);
  for (int ms = 0; ms < GUARD_WAIT_MS; ms += 5) {
    bool alive = false;
    for (int i = 0; i < count && !alive; i++) {
      char path[64], state = 0;
      snprintf(path, sizeof path, "/proc/%d/stat", (int)procs[i].id);
      FILE *f = proc_start_time((pid_t)procs[i].id) == procs[i].check ? fopen(path, "r") : NULL;
      if (f && fscanf(f, "%*d (%*[^)]) %c", &state) == 1 && state != 'Z') alive = true;
      if (f) fclose(f);
    }
    if (!alive) return;
    usleep(5000);
  }
}

static void guard_remove_ipc(const struct guard_msg *objs, int count) {
  for (int i = 0; i < count; i++) {
    int id = (int)objs[i].id;
    if (objs[i].check < 0 || ipc_key_of(objs[i].kind, id) != objs[i].check) continue;
    if (objs[i].kind == KIND_MSG) msgctl(id, IPC_RMID, NULL);
    if (objs[i].kind == KIND_SEM) semctl(id, 0, IPC_RMID);
    if (objs[i].kind == KIND_SHM) shmctl(id, IPC_RMID, NULL);
  }
}

/* Reads exactly `len` bytes; false at EOF or on an error. */
static bool read_full(int fd, void *buf, size_t len) {
  for (size_t got = 0; got < len;) {
    ssize_t n = read(fd, (char *)buf + got, len - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    got += (size_t)n;
  }
  return true;
}

/* The guard: makes the work directory from template `dir` and sends its name, collects the run
 * record until EOF, then cleans up and exits. */
static _Noreturn void guard_main(int sock, char *dir) {
  static struct guard_msg procs_rec[GUARD_PROCS_MAX], objs_rec[IPC_OBJECTS_MAX];
  static char name[PATH_MAX];
  int procs_count = 0, objs_count = 0;
  signal(SIGINT, SIG_IGN);
  signal(SIGTERM, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  signal(SIGPIPE, SIG_IGN);
  int null_fd = open("/dev/null", O_RDWR);
  dup2(null_fd, STDIN_FILENO);
  dup2(null_fd, STDOUT_FILENO);
  if (mkdtemp(dir)) snprintf(name, sizeof name, "%s", dir);
  else snprintf(name, sizeof name, "!%s", strerror(errno));
  if (guard_test_pause_ms > 0) usleep((useconds_t)guard_test_pause_ms * 1000);
  ssize_t sent = write(sock, name, sizeof name);
  if (name[0] == '!') _exit(1);
  /* The agent died before it read the name (a group SIGKILL right after it forked): nobody
   * else knows the directory, so it goes now. It is still empty. */
  if (sent != (ssize_t)sizeof name) {
    rmdir(dir);
    _exit(1);
  }
  struct guard_msg m;
  while (read_full(sock, &m, sizeof m)) { /* EOF: every agent process is gone */
    if (m.type == GUARD_PROC && procs_count < GUARD_PROCS_MAX) procs_rec[procs_count++] = m;
    if (m.type == GUARD_IPC && objs_count < IPC_OBJECTS_MAX) objs_rec[objs_count++] = m;
  }
  guard_kill(procs_rec, procs_count);
  guard_remove_ipc(objs_rec, objs_count);
  nftw(dir, guard_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
  _exit(0);
}

/* Starts the guard, which makes the work directory from the template in `dir` (so that no
 * moment exists when the directory is there and nobody would remove it) and leaves its name in
 * `dir`. Called before namespaces are entered: the guard stays outside them. The intermediate
 * process leaves the driver's session before forking the guard, so the guard is never in the
 * driver's process group. False (and no directory) if the guard could not start. */
static bool guard_start(char *dir, size_t cap) {
  int sv[2];
  if (cap < PATH_MAX || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) return false;
  pid_t mid = fork();
  if (mid == 0) {
    close(sv[0]);
    setsid();
    if (fork() == 0) guard_main(sv[1], dir);
    _exit(0);
  }
  close(sv[1]);
  if (mid > 0) {
    while (waitpid(mid, NULL, 0) < 0 && errno == EINTR) {
    }
  }
  static char name[PATH_MAX];
  if (mid < 0 || !read_full(sv[0], name, sizeof name) || name[0] == '!' || !name[0]) {
    close(sv[0]);
    return false;
  }
  snprintf(dir, cap, "%s", name);
  guard_fd = sv[0];
  return true;
}
