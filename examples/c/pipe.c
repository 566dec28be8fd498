/* A pipe from parent to child, in C: the parent writes a line, the child reads it and both
 * print what they did. The printf before fork is not flushed (stdout is not a terminal), so
 * it is printed twice, once by each process, as on Linux.
 *
 *   npx ipcsim run examples/c/pipe.c */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
int main(void) {
  int fds[2];
  if (pipe(fds) < 0) { perror("pipe"); return 1; }
  printf("before fork\n");
  pid_t c = fork();
  if (c == 0) {
    close(fds[1]);
    char buf[64];
    ssize_t n = read(fds[0], buf, sizeof buf);
    printf("child %d read %zd: %.*s\n", getpid(), n, (int)n, buf);
    return 0;
  }
  close(fds[0]);
  const char *m = "hello through the pipe";
  write(fds[1], m, strlen(m));
  close(fds[1]);
  int st;
  pid_t w = waitpid(c, &st, 0);
  printf("parent reaped %d status %d\n", w, WEXITSTATUS(st));
  return 0;
}
