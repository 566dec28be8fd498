/* N times fork+_exit+waitpid of a guest holding 1 MiB of touched heap (N from -DN). */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
  char *heap = malloc(1 << 20);
  memset(heap, 1, 1 << 20);
  for (int i = 0; i < N; i++) {
    pid_t c = fork();
    if (c == 0) _exit(heap[i] == 1 ? 0 : 1);
    waitpid(c, NULL, 0);
  }
  return 0;
}
