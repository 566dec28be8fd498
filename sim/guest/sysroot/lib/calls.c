/* The POSIX calls a C guest reaches through the call table (sim/guest/table-calls.ts): each a
 * thin wrapper passing Linux's x86_64 registers to `ipcsim.syscall`, as glibc's wrappers pass
 * them to the kernel, so the host reads them as the table's row says. A negative result is
 * -errno in wasi-libc's numbering. Here in place of wasi-libc's own versions (WASI file and
 * socket calls, which reach no simulated kernel). */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <stdarg.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define IMPORT(name) __attribute__((import_module("ipcsim"), import_name(name)))
IMPORT("syscall") long __ipcsim_syscall(long nr, long a, long b, long c, long d, long e,
                                        long f);

static long ret(long r) {
  if (r < 0) {
    errno = (int)-r;
    return -1;
  }
  return r;
}

#define L(x) ((long)(x))
#define SYS(nr, a, b, c, d, e, f) ret(__ipcsim_syscall(nr, L(a), L(b), L(c), L(d), L(e), L(f)))
#define SYS1(nr, a) SYS(nr, a, 0, 0, 0, 0, 0)
#define SYS2(nr, a, b) SYS(nr, a, b, 0, 0, 0, 0)
#define SYS3(nr, a, b, c) SYS(nr, a, b, c, 0, 0, 0)
#define SYS4(nr, a, b, c, d) SYS(nr, a, b, c, d, 0, 0)

/* open's mode is read only with O_CREAT (O_TMPFILE is not modelled), as glibc does. */
static mode_t mode_arg(int flags, va_list ap) {
  return (flags & O_CREAT) ? va_arg(ap, mode_t) : 0;
}

int open(const char *path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  mode_t mode = mode_arg(flags, ap);
  va_end(ap);
  return (int)SYS3(2, path, flags, mode);
}
int openat(int dirfd, const char *path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  mode_t mode = mode_arg(flags, ap);
  va_end(ap);
  return (int)SYS4(257, dirfd, path, flags, mode);
}
int creat(const char *path, mode_t mode) {
  return open(path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}
/* The third argument is a long or a pointer: Linux reads it as an unsigned long. */
int fcntl(int fd, int cmd, ...) {
  va_list ap;
  va_start(ap, cmd);
  long arg = va_arg(ap, long);
  va_end(ap);
  return (int)SYS3(72, fd, cmd, arg);
}
int mkfifo(const char *path, mode_t mode) { return (int)SYS2(133, path, mode); }
int unlink(const char *path) { return (int)SYS1(87, path); }
int flock(int fd, int op) { return (int)SYS2(73, fd, op); }

int poll(struct pollfd *fds, nfds_t n, int timeout) { return (int)SYS3(7, fds, n, timeout); }
int ppoll(struct pollfd *fds, nfds_t n, const struct timespec *t, const sigset_t *mask) {
  return (int)SYS(271, fds, n, t, mask, 8, 0);
}

int epoll_create1(int flags) { return (int)SYS1(291, flags); }
/* epoll_create(2): size must be positive, then it is epoll_create1(0). */
int epoll_create(int size) { return size <= 0 ? (int)ret(-EINVAL) : epoll_create1(0); }
int epoll_ctl(int epfd, int op, int fd, struct epoll_event *ev) {
  return (int)SYS4(233, epfd, op, fd, ev);
}
int epoll_wait(int epfd, struct epoll_event *evs, int max, int timeout) {
  return (int)SYS4(232, epfd, evs, max, timeout);
}
int epoll_pwait(int epfd, struct epoll_event *evs, int max, int timeout, const sigset_t *m) {
  return (int)SYS(281, epfd, evs, max, timeout, m, 8);
}

int socket(int domain, int type, int protocol) { return (int)SYS3(41, domain, type, protocol); }
int socketpair(int domain, int type, int protocol, int sv[2]) {
  return (int)SYS4(53, domain, type, protocol, sv);
}
int bind(int fd, const struct sockaddr *a, socklen_t len) { return (int)SYS3(49, fd, a, len); }
int listen(int fd, int backlog) { return (int)SYS2(50, fd, backlog); }
int connect(int fd, const struct sockaddr *a, socklen_t len) {
  return (int)SYS3(42, fd, a, len);
}
int accept4(int fd, struct sockaddr *a, socklen_t *len, int flags) {
  return (int)SYS4(288, fd, a, len, flags);
}
int accept(int fd, struct sockaddr *a, socklen_t *len) { return accept4(fd, a, len, 0); }
ssize_t send(int fd, const void *buf, size_t len, int flags) {
  return SYS4(44, fd, buf, len, flags);
}
ssize_t recv(int fd, void *buf, size_t len, int flags) { return SYS4(45, fd, buf, len, flags); }
int shutdown(int fd, int how) { return (int)SYS2(48, fd, how); }
int getsockname(int fd, struct sockaddr *a, socklen_t *len) { return (int)SYS3(51, fd, a, len); }
int getpeername(int fd, struct sockaddr *a, socklen_t *len) { return (int)SYS3(52, fd, a, len); }
int setsockopt(int fd, int level, int name, const void *value, socklen_t len) {
  return (int)SYS(54, fd, level, name, value, len, 0);
}

/* The row is glibc's mq_open: the name with its leading slash (the host strips it as glibc
 * does); mode and attr are read only with O_CREAT. */
mqd_t mq_open(const char *name, int flags, ...) {
  mode_t mode = 0;
  struct mq_attr *attr = 0;
  if (flags & O_CREAT) {
    va_list ap;
    va_start(ap, flags);
    mode = va_arg(ap, mode_t);
    attr = va_arg(ap, struct mq_attr *);
    va_end(ap);
  }
  return (mqd_t)SYS4(240, name, flags, mode, attr);
}
int mq_unlink(const char *name) { return (int)SYS1(241, name); }
int mq_close(mqd_t q) { return close(q); }
int mq_timedsend(mqd_t q, const char *m, size_t n, unsigned prio, const struct timespec *t) {
  return (int)SYS(242, q, m, n, prio, t, 0);
}
int mq_send(mqd_t q, const char *m, size_t n, unsigned prio) {
  return mq_timedsend(q, m, n, prio, 0);
}
ssize_t mq_timedreceive(mqd_t q, char *m, size_t n, unsigned *prio, const struct timespec *t) {
  return SYS(243, q, m, n, prio, t, 0);
}
ssize_t mq_receive(mqd_t q, char *m, size_t n, unsigned *prio) {
  return mq_timedreceive(q, m, n, prio, 0);
}
int mq_getattr(mqd_t q, struct mq_attr *attr) { return (int)SYS3(245, q, 0, attr); }
int mq_setattr(mqd_t q, const struct mq_attr *attr, struct mq_attr *old) {
  return (int)SYS3(245, q, attr, old);
}

/* wasi-libc's clockid_t is a pointer: Linux's CLOCK_REALTIME and CLOCK_MONOTONIC by it. */
static long clock_nr(clockid_t c) { return c == CLOCK_MONOTONIC ? 1 : 0; }
int clock_gettime(clockid_t c, struct timespec *tp) { return (int)SYS2(228, clock_nr(c), tp); }
int nanosleep(const struct timespec *req, struct timespec *rem) {
  return (int)SYS2(35, req, rem);
}
/* glibc's sleep: nanosleep, then the whole seconds left when a handler ended it early. */
unsigned sleep(unsigned seconds) {
  struct timespec req = { seconds, 0 }, rem = { 0, 0 };
  if (nanosleep(&req, &rem) < 0) return (unsigned)rem.tv_sec + (rem.tv_nsec > 0);
  return 0;
}
int usleep(unsigned us) {
  struct timespec req = { us / 1000000, (long)(us % 1000000) * 1000 };
  return nanosleep(&req, 0);
}
mode_t umask(mode_t mask) { return (mode_t)SYS1(95, mask); }
