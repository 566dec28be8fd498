/* Console output in the order it happened: the parent's line, the child's (on stdout and on
 * stderr, unbuffered), then the parent's again once the child has written to a pipe, each
 * flushed before the next step that orders them. */
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>
int main(void) {
  int fds[2];
  pipe(fds);
  printf("parent first\n");
  fflush(stdout);
  if (fork() == 0) {
    printf("child second\n");
    fflush(stdout);
    fprintf(stderr, "child on stderr\n");
    write(fds[1], "x", 1);
    return 0;
  }
  char c;
  read(fds[0], &c, 1);
  printf("parent last");
  fflush(stdout);
  wait(0);
  return 0;
}
