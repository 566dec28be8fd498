/* N getppid calls (N from -DN): a call's round trip from the guest through the kernel. */
#include <unistd.h>
int main(void) {
  long sum = 0;
  for (int i = 0; i < N; i++) sum += getppid();
  return sum == 0 ? 0 : 1;
}
