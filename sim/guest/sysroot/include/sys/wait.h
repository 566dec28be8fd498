/* <sys/wait.h> for C guests (wasi-libc has none): Linux's status encoding, as the simulated
 * kernel's wait4 writes it (include/uapi/linux/wait.h, glibc's bits/waitstatus.h). */
#ifndef IPCSIM_SYS_WAIT_H
#define IPCSIM_SYS_WAIT_H

#include <sys/types.h>

#define WNOHANG 1
#define WUNTRACED 2
#define WCONTINUED 8

#define WEXITSTATUS(s) (((s) & 0xff00) >> 8)
#define WTERMSIG(s) ((s) & 0x7f)
#define WSTOPSIG(s) WEXITSTATUS(s)
#define WIFEXITED(s) (WTERMSIG(s) == 0)
#define WIFSTOPPED(s) (((s) & 0xff) == 0x7f)
#define WIFSIGNALED(s) (((signed char)(((s) & 0x7f) + 1) >> 1) > 0)
#define WIFCONTINUED(s) ((s) == 0xffff)
#define WCOREDUMP(s) ((s) & 0x80)

pid_t waitpid(pid_t pid, int *status, int options);
pid_t wait(int *status);

#endif
