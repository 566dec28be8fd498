// The uneven-workload ordering bug (examples/bugs/uneven.ts): worker A makes one call, worker B
// makes N = 25. A reads the semaphore B counts up, and the bug shows when A runs last of all,
// after B's N increments (an assertion). A uniform random scheduler hits it with probability
// 2^-N; PCT and URW far more often.
#define BUG_NAME "uneven"
#include "harness.h"

#define N 25
static int semid;

static void setup(void) {
  semid = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
  if (semid < 0) die("semget");
}

static void cleanup(void) { semctl(semid, 0, IPC_RMID); }

static int root_main(void) {
  pid_t a = fork();
  if (a == 0) _exit(semctl(semid, 0, GETVAL) == N ? 1 : 0);
  pid_t b = fork();
  if (b == 0) {
    for (int i = 0; i < N; i++) sem_add(semid, 0, 1);
    _exit(0);
  }
  int status;
  waitpid(a, &status, 0);
  waitpid(b, NULL, 0);
  return WEXITSTATUS(status);
}
