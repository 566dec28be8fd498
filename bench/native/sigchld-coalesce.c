// Two SIGCHLDs coalesced into one handler run (examples/bugs/sigchld-coalesce.ts): the parent
// counts exited children by counting SIGCHLD handler runs. It blocks SIGCHLD, forks two
// children that exit at once, and waits in sigsuspend until the handler has run twice. When both
// children exit before the first sigsuspend, one SIGCHLD is pending (standard signals do not
// queue), the handler runs once, and the parent waits forever. Shows as a hang.
#define BUG_NAME "sigchld-coalesce"
#include "harness.h"

static volatile sig_atomic_t exited;
static void on_chld(int sig) {
  (void)sig;
  exited++; /* BUG: one handler run may stand for several children */
}
static void setup(void) {}
static void cleanup(void) {}

static int root_main(void) {
  sigset_t chld, empty;
  sigemptyset(&chld);
  sigemptyset(&empty);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, NULL);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_chld;
  sigaction(SIGCHLD, &sa, NULL);
  for (int i = 0; i < 2; i++)
    if (fork() == 0) _exit(0);
  while (exited < 2) sigsuspend(&empty);
  return 0;
}
