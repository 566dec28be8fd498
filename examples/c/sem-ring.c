/* A ring buffer in shared memory between a producer and a consumer, guarded by two POSIX
 * semaphores (the classic bounded buffer): `empty` counts the free slots, `full` the filled
 * ones. The semaphores are process-shared (sem_init's pshared 1) in a MAP_SHARED mapping that
 * both processes inherit across fork. The trace shows what sem_wait and sem_post do on Linux:
 * atomics on the sem_t and futex calls when a process must sleep.
 *
 *   npx ipcsim run examples/c/sem-ring.c */
#include <semaphore.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define SLOTS 2
#define ITEMS 5

struct ring {
  sem_t empty, full;
  int slot[SLOTS];
};

int main(void) {
  struct ring *r = mmap(0, sizeof *r, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (r == MAP_FAILED) {
    perror("mmap");
    return 1;
  }
  sem_init(&r->empty, 1, SLOTS);
  sem_init(&r->full, 1, 0);
  pid_t producer = fork();
  if (producer == 0) {
    for (int i = 0; i < ITEMS; i++) {
      sem_wait(&r->empty);
      r->slot[i % SLOTS] = 100 + i;
      sem_post(&r->full);
    }
    _exit(0);
  }
  int sum = 0;
  for (int i = 0; i < ITEMS; i++) {
    sem_wait(&r->full);
    sum += r->slot[i % SLOTS];
    sem_post(&r->empty);
  }
  waitpid(producer, 0, 0);
  printf("consumed %d items, sum %d\n", ITEMS, sum);
  return 0;
}
