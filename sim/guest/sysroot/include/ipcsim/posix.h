/* The POSIX calls wasi-libc leaves out (it has no processes, pipes or dup), declared for every
 * C guest: `ipcsim cc` includes this header before the program's own (-include). Each is
 * defined in lib/ipcsim.c on the simulated kernel. */
#ifndef IPCSIM_POSIX_H
#define IPCSIM_POSIX_H

#include <sys/types.h>

pid_t fork(void);
int pipe(int fds[2]);
int pipe2(int fds[2], int flags);
int dup(int fd);
int dup2(int oldfd, int newfd);
pid_t getpid(void);
pid_t getppid(void);
int kill(pid_t pid, int sig);

#endif
