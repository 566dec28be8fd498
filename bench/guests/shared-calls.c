/* N rounds of one store to a shared mapping then one getppid call: the copied build stores
 * and reloads the window around each call, the instrumented one makes the store a step. */
#include <sys/mman.h>
#include <unistd.h>
int main(void) {
  volatile int *word = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                            -1, 0);
  if (word == MAP_FAILED) return 2;
  long sum = 0;
  for (int i = 0; i < N; i++) {
    *word = i;
    sum += getppid();
  }
  return sum > 0 ? 0 : 1;
}
