/* <poll.h> for C guests, in place of wasi-libc's (whose POLL values are WASI's): Linux's
 * (include/uapi/asm-generic/poll.h). poll and ppoll are lib/ipcsim.c's. */
#ifndef _POLL_H
#define _POLL_H
#define __wasilibc___header_poll_h

#include <signal.h>
#include <time.h>

#define POLLIN 0x001
#define POLLPRI 0x002
#define POLLOUT 0x004
#define POLLERR 0x008
#define POLLHUP 0x010
#define POLLNVAL 0x020
#define POLLRDNORM 0x040
#define POLLRDBAND 0x080
#define POLLWRNORM 0x100
#define POLLWRBAND 0x200
#define POLLMSG 0x400
#define POLLRDHUP 0x2000

#include <__struct_pollfd.h>
#include <__typedef_nfds_t.h>

int poll(struct pollfd *fds, nfds_t nfds, int timeout);
int ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *timeout,
          const sigset_t *sigmask);

#endif
