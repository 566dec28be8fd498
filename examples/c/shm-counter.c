/* A shared counter done right: three children each add 1 to a counter in a SysV segment
 * three times, each read-modify-write under a semaphore used as a mutex (SEM_UNDO releases it
 * if a child dies holding it). The unlocked version is lost-update.c. */
#include <stdio.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHILDREN 3
#define ROUNDS 3

static void sem(int id, int op) {
  struct sembuf b = { 0, (short)op, SEM_UNDO };
  semop(id, &b, 1);
}

int main(void) {
  int shm = shmget(IPC_PRIVATE, sizeof(int), IPC_CREAT | 0600);
  int mutex = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
  volatile int *counter = shmat(shm, NULL, 0);
  if (shm < 0 || mutex < 0 || counter == (void *)-1) {
    perror("setup");
    return 2;
  }
  semctl(mutex, 0, SETVAL, 1);
  for (int i = 0; i < CHILDREN; i++) {
    if (fork() == 0) {
      for (int r = 0; r < ROUNDS; r++) {
        sem(mutex, -1);
        *counter = *counter + 1;
        sem(mutex, 1);
      }
      return 0;
    }
  }
  while (wait(NULL) > 0) {}
  int total = *counter;
  printf("counter = %d (expected %d)\n", total, CHILDREN * ROUNDS);
  shmdt((void *)counter);
  shmctl(shm, IPC_RMID, NULL);
  semctl(mutex, 0, IPC_RMID);
  return total == CHILDREN * ROUNDS ? 0 : 1;
}
