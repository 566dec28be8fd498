#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>
#include <stdio.h>
/* The child aborts (a trap: SIGABRT); the parent sees it killed and goes on. */
int main(void) {
  pid_t c = fork();
  if (c == 0) abort();
  int st;
  waitpid(c, &st, 0);
  printf("child signaled %d sig %d\n", WIFSIGNALED(st), WTERMSIG(st));
  return 0;
}
