/* BUG: a lost update to a counter in shared memory (the bug suite's shm-lost-update, in C).
 * Two children each load the counter and store it plus one; nothing orders the two
 * read-modify-writes, so when both load before either stores, both store 1.
 * Found by `ipcsim explore examples/c/lost-update.c --strategy pct`: each load and store of
 * the shared mapping is a scheduling point. The fix, a semaphore: shm-counter.c. */
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  volatile int *counter = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE,
                               MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (counter == MAP_FAILED) {
    perror("mmap");
    return 2;
  }
  for (int i = 0; i < 2; i++) {
    if (fork() == 0) {
      int v = *counter;
      *counter = v + 1; /* BUG: the other child may have stored in between */
      return 0;
    }
  }
  while (wait(NULL) > 0) {}
  printf("counter = %d\n", *counter);
  return *counter == 2 ? 0 : 1; /* exit status 1: the update was lost */
}
