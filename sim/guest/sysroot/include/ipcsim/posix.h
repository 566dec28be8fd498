/* The POSIX calls wasi-libc leaves out (it has no processes, pipes or dup), declared for every
 * C guest: `ipcsim cc` includes this header before the program's own (-include). Each is
 * defined in lib/ipcsim.c on the simulated kernel. */
#ifndef IPCSIM_POSIX_H
#define IPCSIM_POSIX_H

/* sigset_t as include/signal.h needs it (64 signals), before any wasi-libc header makes it
 * its one-byte placeholder (__typedef_sigset_t.h). */
#ifndef IPCSIM_SIGSET_T
#define IPCSIM_SIGSET_T
#define __wasilibc___typedef_sigset_t_h
#define __DEFINED_sigset_t
typedef struct { unsigned long long bits; } sigset_t;
#endif

#include <sys/types.h>

pid_t fork(void);
int pipe(int fds[2]);
int pipe2(int fds[2], int flags);
int dup(int fd);
int dup2(int oldfd, int newfd);
pid_t getpid(void);
pid_t getppid(void);
int kill(pid_t pid, int sig);

/* exec is not modelled (a guest is one compiled program): each of these ends the run with the
 * verdict `unsupported` naming it, never a silent failure (docs/c-guests.md "Not yet"). */
int execve(const char *path, char *const argv[], char *const envp[]);
int execv(const char *path, char *const argv[]);
int execvp(const char *file, char *const argv[]);
int execl(const char *path, const char *arg, ...);
int execlp(const char *file, const char *arg, ...);

#endif
