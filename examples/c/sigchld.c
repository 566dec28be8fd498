/* SIGCHLD handling in C: the parent installs a handler that reaps children with waitpid and
 * WNOHANG in a loop (two exits may arrive as one SIGCHLD), forks two children, and waits with
 * sigsuspend, SIGCHLD blocked in between so that no signal slips past the check.
 *
 *   npx ipcsim run examples/c/sigchld.c */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t reaped = 0;

static void on_chld(int sig) {
  (void)sig;
  while (waitpid(-1, NULL, WNOHANG) > 0) reaped++;
}

int main(void) {
  struct sigaction sa = { 0 };
  sa.sa_handler = on_chld;
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGCHLD, &sa, NULL);
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGCHLD);
  sigprocmask(SIG_BLOCK, &block, &old);
  for (int i = 0; i < 2; i++) {
    if (fork() == 0) _exit(i);
  }
  while (reaped < 2) sigsuspend(&old);
  sigprocmask(SIG_SETMASK, &old, NULL);
  printf("reaped %d children\n", (int)reaped);
  return 0;
}
