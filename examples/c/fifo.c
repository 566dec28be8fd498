/* A FIFO between two processes: the parent makes it with mkfifo and forks a writer, which
 * opens it for writing and sends three lines; the parent opens it for reading (each open
 * waits for the other end, fifo(7)), reads until end of file, reaps the writer and removes
 * the name. Its output is the same in every schedule:
 *   ipcsim run examples/c/fifo.c        ipcsim explore examples/c/fifo.c --strategy pct */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what) {
  perror(what);
  _exit(1);
}

int main(void) {
  if (mkfifo("channel", 0600) < 0) die("mkfifo");
  pid_t writer = fork();
  if (writer < 0) die("fork");
  if (writer == 0) {
    int fd = open("channel", O_WRONLY);
    if (fd < 0) die("open for writing");
    const char *lines[] = { "one\n", "two\n", "three\n" };
    for (int i = 0; i < 3; i++) {
      if (write(fd, lines[i], strlen(lines[i])) < 0) die("write");
    }
    close(fd);
    _exit(0);
  }
  int fd = open("channel", O_RDONLY);
  if (fd < 0) die("open for reading");
  char buf[64];
  size_t got = 0;
  for (;;) {
    ssize_t n = read(fd, buf + got, sizeof buf - 1 - got);
    if (n < 0) die("read");
    if (n == 0) break; /* every writer closed: end of file */
    got += (size_t)n;
  }
  buf[got] = '\0';
  close(fd);
  int status;
  if (waitpid(writer, &status, 0) != writer) die("waitpid");
  if (unlink("channel") < 0) die("unlink");
  printf("read %zu bytes from the FIFO:\n%s", got, buf);
  printf("writer exited with %d\n", WEXITSTATUS(status));
  return 0;
}
