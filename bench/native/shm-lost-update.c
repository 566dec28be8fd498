// Lost update to a shared-memory counter (examples/bugs/shm-lost-update.ts): two children each
// load the counter and store it plus one, with no semaphore around it. When both load before
// either stores, one increment is lost: the parent sees 1, not 2 (an assertion).
#define BUG_NAME "shm-lost-update"
#include "harness.h"

static int shmid;

static void setup(void) {
  shmid = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
  if (shmid < 0) die("shmget");
}

static void cleanup(void) { shmctl(shmid, IPC_RMID, NULL); }

static int root_main(void) {
  volatile int *counter = shmat(shmid, NULL, 0);
  if (counter == (void *)-1) die("shmat");
  *counter = 0;
  pid_t kids[2];
  for (int i = 0; i < 2; i++) {
    kids[i] = fork();
    if (kids[i] == 0) {
      int v = *counter;   /* load */
      *counter = v + 1;   /* store: BUG, not under a semaphore */
      _exit(0);
    }
  }
  waitpid(kids[0], NULL, 0);
  waitpid(kids[1], NULL, 0);
  return *counter == 2 ? 0 : 1;
}
