#include <stdio.h>
#include <stdlib.h>
static void deep(int n) {
  printf("depth %d\n", n);
  if (n == 3) exit(7); /* exit flushes stdout's buffer */
  deep(n + 1);
}
int main(void) {
  deep(0);
  return 0;
}
