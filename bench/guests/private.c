/* Private memory only, N rounds of a sieve over a 64 KiB table: what the shared-memory
 * instrumentation costs a program that never touches shared memory (bench/guest.ts). */
#include <string.h>
#include <unistd.h>
static unsigned char composite[65536];
int main(void) {
  long primes = 0;
  for (int r = 0; r < N; r++) {
    memset(composite, 0, sizeof composite);
    for (int i = 2; i < (int)sizeof composite; i++) {
      if (composite[i]) continue;
      primes++;
      for (int j = 2 * i; j < (int)sizeof composite; j += i) composite[j] = 1;
    }
  }
  return getppid() > 0 && primes > 0 ? 0 : 1;
}
