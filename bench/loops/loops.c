/* loops.c: the native baselines of the pipe, fork, SysV, shm and mmap benchmarks
 * (bench/pipe.ts, bench/fork.ts, bench/sysv.ts, bench/shm.ts, bench/mmap.ts),
 * a program of its own (bench/loops.ts compiles it with the system cc and runs it once per
 * timed round). No traced process, no control socket, no quiescence: the bare calls.
 *
 *   loops sysv PAIRS BYTES
 *     PAIRS msgsnd+msgrcv pairs of BYTES-byte messages on a private queue, then PAIRS semop
 *     P+V pairs on a private one-semaphore set whose value starts at 1, each loop timed with
 *     CLOCK_MONOTONIC. The objects are removed afterwards. Every call is checked; the received
 *     bytes are compared once, after the loop. Prints
 *       {"bench":"sysv","pairs":N,"bytes":B,"msg_ns":T,"sem_ns":T}
 *   loops pipe PAIRS BYTES
 *     PAIRS write+read pairs of BYTES bytes (<= 4096) on one pipe, by one process: each write
 *     goes into the empty pipe and the read drains it (bench/pipe.ts). Prints
 *       {"bench":"pipe","pairs":N,"bytes":B,"ns":T}
 *   loops socketpair PAIRS BYTES
 *     the same pairs as send+recv on an AF_UNIX SOCK_STREAM socketpair: a send on one end,
 *     a recv of its bytes on the other (bench/socket.ts). Prints
 *       {"bench":"socketpair","pairs":N,"bytes":B,"ns":T}
 *   loops fork N
 *     N times: fork, the child _exit(0)s at once, the parent waitpid()s it (bench/fork.ts).
 *     Prints {"bench":"fork","iterations":N,"ns":T}
 *   loops memcpy ITERATIONS BYTES
 *     per iteration, memcpy BYTES from a buffer into a second one and back into a third (a
 *     store and a load), timed with CLOCK_MONOTONIC; a compiler barrier after each copy keeps
 *     them. Prints
 *       {"bench":"memcpy","iterations":N,"bytes":B,"ns":T}
 *   loops mmap PAIRS LIVE
 *     LIVE one-page private anonymous mappings, alternately read-only and read-write (so that
 *     none merge), then PAIRS times mmap of one page (read+exec: it merges with neither) and
 *     its munmap, timed with CLOCK_MONOTONIC (bench/mmap.ts). Prints
 *       {"bench":"mmap","pairs":N,"live":L,"ns":T}
 *   loops futex HANDOFFS
 *     two processes on a shared word hand the turn to each other HANDOFFS times: each waits
 *     (FUTEX_WAIT) until the word says its turn, then gives the turn back and FUTEX_WAKEs the
 *     other (bench/futex.ts). Prints {"bench":"futex","handoffs":N,"ns":T}
 *   loops mq PAIRS BYTES
 *     PAIRS mq_send+mq_receive pairs of BYTES-byte messages (<= 64) on a POSIX queue of its own
 *     (10 messages of 64 bytes), unlinked at once (bench/posix.ts). Prints
 *       {"bench":"mq","pairs":N,"bytes":B,"ns":T}
 *   loops file PAIRS BYTES
 *     PAIRS pwrite+pread pairs of BYTES bytes at offset 0 of a file on tmpfs (/dev/shm, made
 *     and unlinked at once) (bench/files.ts). Prints {"bench":"file","pairs":N,"bytes":B,"ns":T}
 *   loops flock PAIRS
 *     PAIRS flock(LOCK_EX)+flock(LOCK_UN) pairs on a file on tmpfs (/dev/shm, made and unlinked
 *     at once), never contended (bench/files.ts). Prints {"bench":"flock","pairs":N,"ns":T}
 *   loops sem PAIRS
 *     PAIRS sem_post+sem_wait pairs on a process-shared semaphore in a shared mapping, value 0:
 *     never contended, so glibc makes no syscall (bench/futex.ts). Prints
 *       {"bench":"sem","pairs":N,"ns":T}
 *
 * On an error: {"error":MSG} on stdout and exit status 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <mqueue.h>
#include <semaphore.h>
#include <sys/sem.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MSG_BYTES_MAX 8192      /* kernel.msgmax */
#define MEMCPY_BYTES_MAX 65536

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int fail(const char *what, int err) {
  printf("{\"error\":\"%s: %s\"}\n", what, strerror(err));
  return 1;
}

struct bench_msg {
  long mtype;
  char mtext[MSG_BYTES_MAX];
};

/* N msgsnd+msgrcv pairs; the loop's nanoseconds, or -1 with errno set. */
static int64_t msg_loop(int64_t pairs, size_t bytes) {
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
static int64_t sem_loop(int64_t pairs) {
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

static int sysv(long long pairs, long long bytes) {
  if (pairs < 1 || pairs > 100000000 || bytes < 0 || bytes > MSG_BYTES_MAX)
    return fail("usage: loops sysv PAIRS BYTES (BYTES <= 8192)", EINVAL);
  int64_t msg_ns = msg_loop(pairs, (size_t)bytes);
  if (msg_ns < 0) return fail("msgsnd/msgrcv", errno);
  int64_t sem_ns = sem_loop(pairs);
  if (sem_ns < 0) return fail("semop", errno);
  printf("{\"bench\":\"sysv\",\"pairs\":%lld,\"bytes\":%lld,\"msg_ns\":%" PRId64
         ",\"sem_ns\":%" PRId64 "}\n", pairs, bytes, msg_ns, sem_ns);
  return 0;
}

/* A pipe's pairs (write on fds[1], read on fds[0]), or a stream socketpair's (send on fds[1],
 * recv on fds[0]). */
static int pipe_pairs(const char *what, long long pairs, long long bytes) {
  static char out[4096], in[4096];
  int fds[2], sock = strcmp(what, "socketpair") == 0;
  if (pairs < 1 || pairs > 100000000 || bytes < 1 || bytes > 4096)
    return fail("usage: loops pipe|socketpair PAIRS BYTES (1 <= BYTES <= 4096)", EINVAL);
  for (long long i = 0; i < bytes; i++) out[i] = (char)(i * 131 + 7);
  if ((sock ? socketpair(AF_UNIX, SOCK_STREAM, 0, fds) : pipe(fds)) < 0) return fail(what, errno);
  int64_t t0 = now_ns();
  for (long long i = 0; i < pairs; i++) {
    ssize_t w = sock ? send(fds[1], out, (size_t)bytes, 0) : write(fds[1], out, (size_t)bytes);
    if (w != bytes) return fail("write", errno);
    ssize_t r = sock ? recv(fds[0], in, (size_t)bytes, 0) : read(fds[0], in, (size_t)bytes);
    if (r != bytes) return fail("read", errno);
  }
  int64_t ns = now_ns() - t0;
  close(fds[0]);
  close(fds[1]);
  if (memcmp(in, out, (size_t)bytes) != 0) return fail("pipe data", EIO);
  printf("{\"bench\":\"%s\",\"pairs\":%lld,\"bytes\":%lld,\"ns\":%" PRId64 "}\n",
         what, pairs, bytes, ns);
  return 0;
}

static int fork_loop(long long iterations) {
  if (iterations < 1 || iterations > 10000000) return fail("usage: loops fork N", EINVAL);
  int64_t t0 = now_ns();
  for (long long i = 0; i < iterations; i++) {
    pid_t c = fork();
    if (c < 0) return fail("fork", errno);
    if (c == 0) _exit(0);
    int status;
    if (waitpid(c, &status, 0) != c) return fail("waitpid", errno);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return fail("child status", EIO);
  }
  int64_t ns = now_ns() - t0;
  printf("{\"bench\":\"fork\",\"iterations\":%lld,\"ns\":%" PRId64 "}\n", iterations, ns);
  return 0;
}

static int copy(long long iterations, long long bytes) {
  static uint8_t src[MEMCPY_BYTES_MAX], mid[MEMCPY_BYTES_MAX], dst[MEMCPY_BYTES_MAX];
  if (iterations < 1 || iterations > 1000000000 || bytes < 1 || bytes > MEMCPY_BYTES_MAX)
    return fail("usage: loops memcpy ITERATIONS BYTES (BYTES <= 65536)", EINVAL);
  for (long long i = 0; i < bytes; i++) src[i] = (uint8_t)(i * 131 + 7);
  int64_t t0 = now_ns();
  for (long long i = 0; i < iterations; i++) {
    memcpy(mid, src, (size_t)bytes);
    __asm__ volatile("" ::: "memory");
    memcpy(dst, mid, (size_t)bytes);
    __asm__ volatile("" ::: "memory");
  }
  int64_t ns = now_ns() - t0;
  if (memcmp(dst, src, (size_t)bytes) != 0) return fail("memcpy", EIO);
  printf("{\"bench\":\"memcpy\",\"iterations\":%lld,\"bytes\":%lld,\"ns\":%" PRId64 "}\n",
         iterations, bytes, ns);
  return 0;
}

static int mmap_pairs(long long pairs, long long live) {
  if (pairs < 1 || pairs > 1000000000 || live < 0 || live > 60000)
    return fail("usage: loops mmap PAIRS LIVE (LIVE <= 60000)", EINVAL);
  const size_t page = (size_t)sysconf(_SC_PAGESIZE);
  for (long long i = 0; i < live; i++) {
    int prot = i % 2 == 0 ? PROT_READ : PROT_READ | PROT_WRITE;
    if (mmap(NULL, page, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED)
      return fail("mmap (live)", errno);
  }
  int64_t t0 = now_ns();
  for (long long i = 0; i < pairs; i++) {
    void *a = mmap(NULL, page, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (a == MAP_FAILED) return fail("mmap", errno);
    if (munmap(a, page) != 0) return fail("munmap", errno);
  }
  int64_t ns = now_ns() - t0;
  printf("{\"bench\":\"mmap\",\"pairs\":%lld,\"live\":%lld,\"ns\":%" PRId64 "}\n", pairs,
         live, ns);
  return 0;
}

static long futex(uint32_t *w, int op, uint32_t val) {
  return syscall(SYS_futex, w, op, val, NULL, NULL, 0);
}

/* One side of the ping-pong: `rounds` times, wait for the word to be `mine`, then set it to
 * the other side's value and wake it. */
static int turns(uint32_t *w, uint32_t mine, uint32_t other, int64_t rounds) {
  for (int64_t i = 0; i < rounds; i++) {
    uint32_t v;
    while ((v = __atomic_load_n(w, __ATOMIC_ACQUIRE)) != mine)
      if (futex(w, FUTEX_WAIT, v) < 0 && errno != EAGAIN && errno != EINTR) return -1;
    __atomic_store_n(w, other, __ATOMIC_RELEASE);
    if (futex(w, FUTEX_WAKE, 1) < 0) return -1;
  }
  return 0;
}

static int futex_handoffs(int64_t handoffs) {
  uint32_t *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (w == MAP_FAILED) return fail("mmap", errno);
  int64_t rounds = handoffs / 2;
  int64_t t0 = now_ns();
  pid_t child = fork();
  if (child < 0) return fail("fork", errno);
  if (child == 0) _exit(turns(w, 1, 0, rounds) < 0 ? 1 : 0);
  int err = turns(w, 0, 1, rounds) < 0 ? errno : 0;
  int status = 0;
  waitpid(child, &status, 0);
  int64_t ns = now_ns() - t0;
  if (err) return fail("futex", err);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return fail("futex child", EIO);
  printf("{\"bench\":\"futex\",\"handoffs\":%" PRId64 ",\"ns\":%" PRId64 "}\n",
         rounds * 2, ns);
  return 0;
}

static int mq_pairs(int64_t pairs, size_t bytes) {
  char name[64], out[64], in[64];
  snprintf(name, sizeof name, "/ipcsim-bench-%d", (int)getpid());
  struct mq_attr attr = {.mq_maxmsg = 10, .mq_msgsize = 64};
  mqd_t q = mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
  if (q == (mqd_t)-1) return fail("mq_open", errno);
  mq_unlink(name);
  if (bytes > sizeof out) bytes = sizeof out;
  for (size_t i = 0; i < bytes; i++) out[i] = (char)(i * 131 + 7);
  int64_t t0 = now_ns(), i = 0;
  for (; i < pairs; i++)
    if (mq_send(q, out, bytes, 1) < 0 || mq_receive(q, in, sizeof in, NULL) != (ssize_t)bytes)
      break;
  int64_t ns = now_ns() - t0;
  int err = errno;
  mq_close(q);
  if (i != pairs) return fail("mq", err);
  if (memcmp(in, out, bytes) != 0) return fail("mq data", EIO);
  printf("{\"bench\":\"mq\",\"pairs\":%" PRId64 ",\"bytes\":%zu,\"ns\":%" PRId64 "}\n",
         pairs, bytes, ns);
  return 0;
}

static int sem_pairs(int64_t pairs) {
  sem_t *s = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (s == MAP_FAILED) return fail("mmap", errno);
  if (sem_init(s, 1, 0) < 0) return fail("sem_init", errno);
  int64_t t0 = now_ns(), i = 0;
  for (; i < pairs; i++)
    if (sem_post(s) < 0 || sem_wait(s) < 0) break;
  int64_t ns = now_ns() - t0;
  if (i != pairs) return fail("sem", errno);
  printf("{\"bench\":\"sem\",\"pairs\":%" PRId64 ",\"ns\":%" PRId64 "}\n", pairs, ns);
  return 0;
}

static int file_pairs(int64_t pairs, size_t bytes) {
  char name[64];
  static char out[65536], in[65536];
  snprintf(name, sizeof name, "/dev/shm/ipcsim-bench-%d", (int)getpid());
  int fd = open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
  if (fd < 0) return fail("open /dev/shm", errno);
  unlink(name);
  if (bytes > sizeof out) bytes = sizeof out;
  for (size_t i = 0; i < bytes; i++) out[i] = (char)(i * 131 + 7);
  int64_t t0 = now_ns(), i = 0;
  for (; i < pairs; i++)
    if (pwrite(fd, out, bytes, 0) != (ssize_t)bytes || pread(fd, in, bytes, 0) != (ssize_t)bytes)
      break;
  int64_t ns = now_ns() - t0;
  int err = errno;
  close(fd);
  if (i != pairs) return fail("file", err);
  if (memcmp(in, out, bytes) != 0) return fail("file data", EIO);
  printf("{\"bench\":\"file\",\"pairs\":%" PRId64 ",\"bytes\":%zu,\"ns\":%" PRId64 "}\n",
         pairs, bytes, ns);
  return 0;
}

static int flock_pairs(int64_t pairs) {
  char name[64];
  snprintf(name, sizeof name, "/dev/shm/ipcsim-bench-flock-%d", (int)getpid());
  int fd = open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
  if (fd < 0) return fail("open /dev/shm", errno);
  unlink(name);
  int64_t t0 = now_ns(), i = 0;
  for (; i < pairs; i++)
    if (flock(fd, LOCK_EX) != 0 || flock(fd, LOCK_UN) != 0) break;
  int64_t ns = now_ns() - t0;
  int err = errno;
  close(fd);
  if (i != pairs) return fail("flock", err);
  printf("{\"bench\":\"flock\",\"pairs\":%" PRId64 ",\"ns\":%" PRId64 "}\n", pairs, ns);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 4 && strcmp(argv[1], "sysv") == 0)
    return sysv(strtoll(argv[2], NULL, 10), strtoll(argv[3], NULL, 10));
  if (argc == 4 && (strcmp(argv[1], "pipe") == 0 || strcmp(argv[1], "socketpair") == 0))
    return pipe_pairs(argv[1], strtoll(argv[2], NULL, 10), strtoll(argv[3], NULL, 10));
  if (argc == 3 && strcmp(argv[1], "fork") == 0) return fork_loop(strtoll(argv[2], NULL, 10));
  if (argc == 4 && strcmp(argv[1], "memcpy") == 0)
    return copy(strtoll(argv[2], NULL, 10), strtoll(argv[3], NULL, 10));
  if (argc == 4 && strcmp(argv[1], "mmap") == 0)
    return mmap_pairs(strtoll(argv[2], NULL, 10), strtoll(argv[3], NULL, 10));
  if (argc == 3 && strcmp(argv[1], "futex") == 0)
    return futex_handoffs(strtoll(argv[2], NULL, 10));
  if (argc == 3 && strcmp(argv[1], "sem") == 0) return sem_pairs(strtoll(argv[2], NULL, 10));
  if (argc == 4 && strcmp(argv[1], "mq") == 0)
    return mq_pairs(strtoll(argv[2], NULL, 10), strtoll(argv[3], NULL, 10));
  if (argc == 4 && strcmp(argv[1], "file") == 0)
    return file_pairs(strtoll(argv[2], NULL, 10), strtoll(argv[3], NULL, 10));
  if (argc == 3 && strcmp(argv[1], "flock") == 0) return flock_pairs(strtoll(argv[2], NULL, 10));
  return fail("usage: loops sysv PAIRS BYTES | loops pipe|socketpair PAIRS BYTES | "
              "loops fork N | loops memcpy ITERATIONS BYTES | loops mmap PAIRS LIVE | "
              "loops futex HANDOFFS | loops sem PAIRS | loops mq PAIRS BYTES | "
              "loops file PAIRS BYTES | loops flock PAIRS",
              EINVAL);
}
