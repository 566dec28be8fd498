// Semaphores taken in opposite orders (examples/bugs/sem-order.ts): A takes mutex 0 then 1, B
// takes 1 then 0. When each holds its first, both wait forever. Shows as a hang.
#define BUG_NAME "sem-order"
#include "harness.h"

static int semid;

static void setup(void) {
  union semun a;
  semid = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600);
  if (semid < 0) die("semget");
  a.val = 1;
  if (semctl(semid, 0, SETVAL, a) < 0 || semctl(semid, 1, SETVAL, a) < 0) die("semctl");
}

static void cleanup(void) { semctl(semid, 0, IPC_RMID); }

static void worker(int first, int second) {
  sem_add(semid, first, -1);
  sem_add(semid, second, -1);
  sem_add(semid, second, 1);
  sem_add(semid, first, 1);
  _exit(0);
}

static int root_main(void) {
  pid_t a = fork();
  if (a == 0) worker(0, 1);
  pid_t b = fork();
  if (b == 0) worker(1, 0);
  waitpid(a, NULL, 0);
  waitpid(b, NULL, 0);
  return 0;
}
