/* The C guest's layer over the simulated kernel: the POSIX calls wasi-libc lacks, each a thin
 * wrapper of one import with Linux's x86_64 call number (`ipcsim.syscall`), and `fork`, an
 * import of its own (the host copies the guest: sim/guest/runtime.ts). A negative result is
 * -errno, already in wasi-libc's numbering (the host maps Linux's names), as errno.
 * read, write and close need nothing here: wasi-libc makes them WASI calls, which the host
 * also serves from the kernel. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <ipcsim/posix.h>

#define IMPORT(name) __attribute__((import_module("ipcsim"), import_name(name)))

IMPORT("syscall") long __ipcsim_syscall(long nr, long a, long b, long c, long d, long e,
                                        long f);
IMPORT("fork") long __ipcsim_fork(void);
IMPORT("getpid") long __ipcsim_getpid(void);

/* Asyncify's save area (the host unwinds the guest's stack into it at every call that may
 * block, and at fork): exported as a global holding its address (-Wl,--export). */
__attribute__((used, aligned(16))) char __ipcsim_asyncify_data[65536];

/* glibc makes stdout fully buffered when it is not a terminal, and a guest's fds 0-2 are
 * /dev/null (in the model and on the host bridge); musl, wasi-libc's stdio, would flush the
 * first line anyway. Fully buffered, an unflushed printf before fork prints twice, as on
 * Linux with glibc. */
__attribute__((constructor)) static void ipcsim_stdio(void) {
  setvbuf(stdout, NULL, _IOFBF, BUFSIZ);
}

static long ret(long r) {
  if (r < 0) {
    errno = (int)-r;
    return -1;
  }
  return r;
}

#define SYS2(nr, a, b) ret(__ipcsim_syscall(nr, (long)(a), (long)(b), 0, 0, 0, 0))

pid_t fork(void) { return (pid_t)ret(__ipcsim_fork()); }
int pipe(int fds[2]) { return (int)SYS2(293, fds, 0); }
int pipe2(int fds[2], int flags) { return (int)SYS2(293, fds, flags); }
int dup(int fd) { return (int)SYS2(32, fd, 0); }
int dup2(int oldfd, int newfd) { return (int)SYS2(33, oldfd, newfd); }
pid_t getpid(void) { return (pid_t)__ipcsim_getpid(); }
pid_t getppid(void) { return (pid_t)SYS2(110, 0, 0); }
int kill(pid_t pid, int sig) { return (int)SYS2(62, pid, sig); }
pid_t waitpid(pid_t pid, int *status, int options) {
  return (pid_t)ret(__ipcsim_syscall(61, pid, (long)status, options, 0, 0, 0));
}
pid_t wait(int *status) { return waitpid(-1, status, 0); }

#define SYS4(nr, a, b, c, d) \
  ret(__ipcsim_syscall(nr, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0))

int msgget(key_t key, int flg) { return (int)SYS2(68, key, flg); }
int msgsnd(int id, const void *msgp, size_t sz, int flg) {
  return (int)SYS4(69, id, msgp, sz, flg);
}
ssize_t msgrcv(int id, void *msgp, size_t sz, long typ, int flg) {
  return ret(__ipcsim_syscall(70, id, (long)msgp, (long)sz, typ, flg, 0));
}
int msgctl(int id, int cmd, void *buf) { return (int)SYS4(71, id, cmd, buf, 0); }
int semget(key_t key, int nsems, int flg) { return (int)SYS4(64, key, nsems, flg, 0); }
int semop(int id, struct sembuf *sops, size_t n) { return (int)SYS4(65, id, sops, n, 0); }
int semctl(int id, int num, int cmd, ...) {
  long arg = 0;
  if (cmd == SETVAL) { /* union semun's val: the one argument read, for now */
    va_list ap;
    va_start(ap, cmd);
    arg = va_arg(ap, int);
    va_end(ap);
  }
  return (int)SYS4(66, id, num, cmd, arg);
}

/* ---- signals (include/signal.h): the kernel keeps the dispositions and masks; this copy of
 * each action answers sigaction's oldact (a fork's child inherits it with the memory). ---- */

static struct sigaction actions[NSIG];

#define SIG_BIT(sig) (1ULL << ((sig) - 1))
#define SIG_OK(sig) ((sig) >= 1 && (sig) < NSIG)

int sigemptyset(sigset_t *s) { s->bits = 0; return 0; }
int sigfillset(sigset_t *s) { s->bits = ~0ULL; return 0; }
int sigaddset(sigset_t *s, int sig) {
  if (!SIG_OK(sig)) return (int)ret(-EINVAL);
  s->bits |= SIG_BIT(sig);
  return 0;
}
int sigdelset(sigset_t *s, int sig) {
  if (!SIG_OK(sig)) return (int)ret(-EINVAL);
  s->bits &= ~SIG_BIT(sig);
  return 0;
}
int sigismember(const sigset_t *s, int sig) {
  if (!SIG_OK(sig)) return (int)ret(-EINVAL);
  return (s->bits & SIG_BIT(sig)) != 0;
}

void __ipcsim_sig_ign(int sig) { (void)sig; }
void __ipcsim_sig_err(int sig) { (void)sig; }

/* The disposition (0 default, 1 ignore, 2 a handler: its table index), the flags and the
 * mask's two halves. */
int sigaction(int sig, const struct sigaction *act, struct sigaction *old) {
  if (!SIG_OK(sig)) return (int)ret(-EINVAL);
  if (act) {
    unsigned long long m = act->sa_mask.bits;
    sighandler_t h = act->sa_handler;
    long kind = h == SIG_DFL ? 0 : h == SIG_IGN ? 1 : 2;
    long r = __ipcsim_syscall(13, sig, kind, (long)h, act->sa_flags, (long)(unsigned)m,
                              (long)(unsigned)(m >> 32));
    if (r < 0) return (int)ret(r);
  }
  if (old) *old = actions[sig];
  if (act) actions[sig] = *act;
  return 0;
}

/* glibc's signal(): BSD semantics, SA_RESTART. */
sighandler_t signal(int sig, sighandler_t h) {
  struct sigaction sa = { 0 }, old;
  sa.sa_handler = h;
  sa.sa_flags = SA_RESTART;
  return sigaction(sig, &sa, &old) < 0 ? SIG_ERR : old.sa_handler;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old) {
  unsigned long long was = 0, m = set ? set->bits : 0;
  long r = __ipcsim_syscall(14, set ? how : SIG_BLOCK, (long)(unsigned)m,
                            (long)(unsigned)(m >> 32), (long)&was, 0, 0);
  if (r < 0) return (int)ret(r);
  if (old) old->bits = was;
  return 0;
}

int sigsuspend(const sigset_t *mask) {
  return (int)ret(__ipcsim_syscall(130, (long)(unsigned)mask->bits,
                                   (long)(unsigned)(mask->bits >> 32), 0, 0, 0, 0));
}
int pause(void) { return (int)SYS2(34, 0, 0); }
int raise(int sig) { return kill(getpid(), sig); }

/* The host runs a handler through this trampoline: fn is the handler's table index, info the
 * siginfo the host wrote for an SA_SIGINFO handler (0 for a plain one). The host finds it by
 * its table index in __ipcsim_hooks, not as an export: wasm-ld wraps a command's exports in
 * __wasm_call_ctors and __wasm_call_dtors, which would reset and flush stdio while the
 * program is in the middle of a call. A siginfo per handler level (runtime.ts LEVELS). */
static void ipcsim_handler(long fn, int sig, siginfo_t *info) {
  if (info) ((void (*)(int, siginfo_t *, void *))fn)(sig, info, 0);
  else ((void (*)(int))fn)(sig);
}
__attribute__((used)) struct {
  void (*handler)(long, int, siginfo_t *);
  siginfo_t info[4];
} __ipcsim_hooks = { ipcsim_handler };

/* exec: not modelled (ipcsim/posix.h); the host ends the run with `unsupported: execve`. */
int execve(const char *path, char *const argv[], char *const envp[]) {
  return (int)ret(__ipcsim_syscall(59, (long)path, (long)argv, (long)envp, 0, 0, 0));
}
int execv(const char *path, char *const argv[]) { return execve(path, argv, 0); }
int execvp(const char *file, char *const argv[]) { return execve(file, argv, 0); }
int execl(const char *path, const char *arg, ...) { return execve(path, 0, 0); }
int execlp(const char *file, const char *arg, ...) { return execve(file, 0, 0); }

/* ---- shared memory (ipc/shm.c, mm/mmap.c): the kernel owns the segment; the guest sees it
 * through a window of its own memory that the host allocates here and keeps coherent with
 * the kernel's pages (sim/guest/shared.ts: copied at each call, or each access a step). The
 * host keeps the windows in this table, in the guest's memory so that fork copies it:
 *
 *   | lo | hi | pending | count | alloc | free | maps[0] = window, kaddr, bytes, shadow | ...
 *
 * [lo, hi) covers every window: the instrumented build's check of each load and store
 * (sim/guest/instrument.ts) reads it; pending counts stores to a window begun and not yet
 * done. alloc and free are the host's way to the heap: table indices, not exports, because
 * wasm-ld wraps a command's exports in __wasm_call_ctors and __wasm_call_dtors (which would
 * reset and flush stdio at each call). ---- */

#define SHARED_MAX 32
struct ipcsim_window {
  unsigned window, kaddr, bytes, shadow;
};
static void *ipcsim_shared_alloc(size_t n) {
  void *p = aligned_alloc(SHMLBA, n);
  if (p) memset(p, 0, n);
  return p;
}
static void ipcsim_shared_free(void *p) { free(p); }

__attribute__((used)) struct {
  unsigned lo, hi, pending, count;
  void *(*alloc)(size_t);
  void (*free)(void *);
  struct ipcsim_window maps[SHARED_MAX];
} __ipcsim_shared = { .alloc = ipcsim_shared_alloc, .free = ipcsim_shared_free };

static void *mapped(long r) {
  if (r < 0) {
    errno = (int)-r;
    return MAP_FAILED;
  }
  return (void *)r;
}

int shmget(key_t key, size_t size, int flg) { return (int)SYS4(29, key, size, flg, 0); }
void *shmat(int id, const void *addr, int flg) {
  return mapped(__ipcsim_syscall(30, id, (long)addr, flg, 0, 0, 0));
}
int shmdt(const void *addr) { return (int)SYS2(67, addr, 0); }
int shmctl(int id, int cmd, struct shmid_ds *buf) { return (int)SYS4(31, id, cmd, buf, 0); }

/* Private anonymous mappings are the guest's own memory: a fork copies them with the rest,
 * which is what copy-on-write shows a program. */
#define PRIVATE_MAX 64
static void *privates[PRIVATE_MAX];

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off) {
  if ((flags & MAP_TYPE) == MAP_PRIVATE && (flags & MAP_ANONYMOUS) && !(flags & MAP_FIXED) &&
      len > 0) {
    for (int i = 0; i < PRIVATE_MAX; i++) {
      if (privates[i]) continue;
      size_t bytes = (len + SHMLBA - 1) & ~(size_t)(SHMLBA - 1);
      if (!(privates[i] = ipcsim_shared_alloc(bytes))) return mapped(-ENOMEM);
      return privates[i];
    }
    return mapped(-ENOMEM);
  }
  return mapped(__ipcsim_syscall(9, (long)addr, (long)len, prot, flags, fd, (long)off));
}

int munmap(void *addr, size_t len) {
  for (int i = 0; i < PRIVATE_MAX; i++) {
    if (addr && privates[i] == addr) {
      free(addr);
      privates[i] = 0;
      return 0;
    }
  }
  return (int)SYS2(11, addr, len);
}
