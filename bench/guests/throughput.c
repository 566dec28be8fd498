/* bench/scenarios/throughput.ts in C: the 2-process 20-call scenario (a one-semaphore set at
 * 0; the parent posts it 8 times and waits for the child, which takes it 7 times). */
#include <sys/sem.h>
#include <sys/wait.h>
#include <unistd.h>

#define POSTS 8

static void op(int id, int delta) {
  struct sembuf b = { 0, (short)delta, 0 };
  semop(id, &b, 1);
}

int main(void) {
  int id = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
  pid_t c = fork();
  if (c == 0) {
    for (int i = 0; i < POSTS - 1; i++) op(id, -1);
    return 0;
  }
  for (int i = 0; i < POSTS; i++) op(id, 1);
  waitpid(c, NULL, 0);
  return 0;
}
