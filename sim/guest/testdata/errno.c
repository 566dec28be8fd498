#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
/* Linux's errnos reach errno, strerror and perror in wasi-libc's numbering. */
int main(void) {
  int r = dup2(77, 5);
  printf("dup2: %d %s\n", r, strerror(errno));
  r = waitpid(-1, NULL, 0);
  printf("waitpid: %d %s\n", r, errno == ECHILD ? "ECHILD" : "other");
  return 0;
}
