/* bench.c: the native baseline of the SysV benchmark (bench/sysv.ts).
 *
 * Command "B pairs bytes": in the agent's own process (no traced process, no control socket,
 * no quiescence), `pairs` msgsnd+msgrcv pairs of `bytes`-byte messages on a private queue,
 * then `pairs` semop P+V pairs on a private one-semaphore set whose value starts at 1, each
 * loop timed with CLOCK_MONOTONIC. The objects are removed afterwards (in the fallback without
 * an IPC namespace they would outlive the agent). Every call is checked; the received bytes
 * are compared once per round, after the loop. Reply, one line:
 *   {"bench":"sysv","pairs":N,"bytes":B,"msg_ns":T,"sem_ns":T}
 * or {"bench":"sysv","error":MSG} (the agent goes on).
 *
 * Command "M iterations bytes": the shared memory benchmark's baseline (bench/shm.ts): per
 * iteration, memcpy `bytes` from a buffer into a second one and back into a third (a store and a
 * load), timed with CLOCK_MONOTONIC; a compiler barrier after each copy keeps them. Reply:
 *   {"bench":"memcpy","iterations":N,"bytes":B,"ns":T}
 */

#define BENCH_BYTES_MAX 8192 /* kernel.msgmax */

static void bench_error(const char *what, int err) {
  struct jbuf b = {0};
  char msg[160];
  snprintf(msg, sizeof msg, "%s: %s", what, strerror(err));
  jb_raw(&b, "{\"bench\":\"sysv\",\"error\":");
  jb_str(&b, msg);
  jb_raw(&b, "}");
  emit_line(&b);
  free(b.p);
}

struct bench_msg {
  long mtype;
  char mtext[BENCH_BYTES_MAX];
};

/* N msgsnd+msgrcv pairs; the loop's nanoseconds, or -1 with errno set. */
static int64_t bench_msg(int64_t pairs, size_t bytes) {
  static struct bench_msg out, in;
  out.mtype = 1;
  for (size_t i = 0; i < bytes; i++) out.mtext[i] = (char)(i * 131 + 7);
  memset(&in, 0, sizeof in);
  int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
  if (q < 0) return -1;
  int64_t t0 = now_ns(), ns = -1;
  int64_t i = 0;
  for (; i < pairs; i++) {
    if (msgsnd(q, &out, bytes, 0) < 0) break;
    if (msgrcv(q, &in, bytes, 0, 0) != (ssize_t)bytes) break;
  }
  if (i == pairs) ns = now_ns() - t0;
  int err = errno;
  msgctl(q, IPC_RMID, NULL);
  if (ns >= 0 && (in.mtype != 1 || memcmp(in.mtext, out.mtext, bytes) != 0)) ns = -1, err = EIO;
  errno = err;
  return ns;
}

/* N semop P+V pairs on a semaphore whose value is 1: neither ever blocks. */
static int64_t bench_sem(int64_t pairs) {
  int id = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
  if (id < 0) return -1;
  struct sembuf p = {0, -1, 0}, v = {0, 1, 0};
  int64_t ns = -1, i = 0;
  if (semctl(id, 0, SETVAL, 1) == 0) {
    int64_t t0 = now_ns();
    for (; i < pairs; i++)
      if (semop(id, &p, 1) < 0 || semop(id, &v, 1) < 0) break;
    if (i == pairs) ns = now_ns() - t0;
  }
  int err = errno;
  if (ns >= 0 && semctl(id, 0, GETVAL) != 1) ns = -1, err = EIO;
  semctl(id, 0, IPC_RMID);
  errno = err;
  return ns;
}

static void run_bench(const char *line) {
  long long pairs = 0, bytes = 16;
  if (sscanf(line, "B %lld %lld", &pairs, &bytes) < 1 || pairs < 1 || pairs > 100000000 ||
      bytes < 0 || bytes > BENCH_BYTES_MAX) {
    bench_error("usage: B pairs [bytes <= 8192]", EINVAL);
    return;
  }
  int64_t msg_ns = bench_msg(pairs, (size_t)bytes);
  if (msg_ns < 0) {
    bench_error("msgsnd/msgrcv", errno);
    return;
  }
  int64_t sem_ns = bench_sem(pairs);
  if (sem_ns < 0) {
    bench_error("semop", errno);
    return;
  }
  struct jbuf b = {0};
  jb_fmt(&b, "{\"bench\":\"sysv\",\"pairs\":%lld,\"bytes\":%lld,\"msg_ns\":%" PRId64
             ",\"sem_ns\":%" PRId64 "}", pairs, bytes, msg_ns, sem_ns);
  emit_line(&b);
  free(b.p);
}

#define MEMCPY_BYTES_MAX 65536

static void run_memcpy_bench(const char *line) {
  static uint8_t src[MEMCPY_BYTES_MAX], mid[MEMCPY_BYTES_MAX], dst[MEMCPY_BYTES_MAX];
  long long iterations = 0, bytes = 4096;
  if (sscanf(line, "M %lld %lld", &iterations, &bytes) < 1 || iterations < 1 ||
      iterations > 1000000000 || bytes < 1 || bytes > MEMCPY_BYTES_MAX) {
    bench_error("usage: M iterations [bytes <= 65536]", EINVAL);
    return;
  }
  for (long long i = 0; i < bytes; i++) src[i] = (uint8_t)(i * 131 + 7);
  int64_t t0 = now_ns();
  for (long long i = 0; i < iterations; i++) {
    memcpy(mid, src, (size_t)bytes);
    __asm__ volatile("" ::: "memory");
    memcpy(dst, mid, (size_t)bytes);
    __asm__ volatile("" ::: "memory");
  }
  int64_t ns = now_ns() - t0;
  if (memcmp(dst, src, (size_t)bytes) != 0) {
    bench_error("memcpy", EIO);
    return;
  }
  struct jbuf b = {0};
  jb_fmt(&b, "{\"bench\":\"memcpy\",\"iterations\":%lld,\"bytes\":%lld,\"ns\":%" PRId64 "}",
         iterations, bytes, ns);
  emit_line(&b);
  free(b.p);
}
