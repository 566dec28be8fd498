/* BUG, in C: two processes take two SysV semaphores in opposite orders (the bug suite's
 * sem-order.ts as a C program). A takes sem 0 then sem 1, B takes sem 1 then sem 0; when each
 * has its first, each waits in semop for the other's.
 *
 *   npx ipcsim explore examples/c/sem-order.c --strategy pct
 *
 * finds the deadlock and explains the wait-for cycle. Fix: take them in one order. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <unistd.h>

static void take(int id, int num, int op) {
  struct sembuf b = { (unsigned short)num, (short)op, 0 };
  if (semop(id, &b, 1) < 0) {
    perror("semop");
    exit(1);
  }
}

static void worker(int id, int first, int second) {
  take(id, first, -1);
  take(id, second, -1);
  take(id, second, 1);
  take(id, first, 1);
  exit(0);
}

int main(void) {
  int id = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600);
  if (id < 0 || semctl(id, 0, SETVAL, 1) < 0 || semctl(id, 1, SETVAL, 1) < 0) {
    perror("sem");
    return 1;
  }
  pid_t a = fork();
  if (a == 0) worker(id, 0, 1);
  pid_t b = fork();
  if (b == 0) worker(id, 1, 0); /* BUG: the opposite order */
  waitpid(a, NULL, 0);
  waitpid(b, NULL, 0);
  semctl(id, 0, IPC_RMID);
  printf("both done\n");
  return 0;
}
