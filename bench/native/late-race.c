// A lost update after a long prefix (examples/bugs/late-race.ts): the parent makes 300
// write+read pairs through a pipe of its own, then shm-lost-update's two children each load
// the counter and store it plus one, with no semaphore around it.
#define BUG_NAME "late-race"
#include "harness.h"

#define PAIRS 300

static int shmid;

static void setup(void) {
  shmid = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
  if (shmid < 0) die("shmget");
}

static void cleanup(void) { shmctl(shmid, IPC_RMID, NULL); }

static int root_main(void) {
  int p[2];
  char c = 'x';
  if (pipe(p) < 0) die("pipe");
  for (int i = 0; i < PAIRS; i++) {
    if (write(p[1], &c, 1) != 1 || read(p[0], &c, 1) != 1) die("pipe pair");
  }
  close(p[0]);
  close(p[1]);
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
