// Leaked pipe write end (examples/bugs/leaked-write-end.ts): the child reads until EOF but
// never closes its copy of the write end, so EOF never comes; the parent waits for the child.
// Shows as a hang (every process asleep). Deterministic: every run has it.
#define BUG_NAME "leaked-write-end"
#include "harness.h"

static void setup(void) {}
static void cleanup(void) {}

static int root_main(void) {
  int fds[2];
  char buf[64];
  if (pipe(fds) < 0) die("pipe");
  pid_t child = fork();
  if (child == 0) {
    /* BUG: the child keeps fds[1]; the fix is close(fds[1]) here. */
    while (read(fds[0], buf, sizeof buf) > 0) {}
    _exit(0);
  }
  close(fds[0]);
  if (write(fds[1], "hello", 5) != 5) die("write");
  close(fds[1]);
  waitpid(child, NULL, 0);
  return 0;
}
