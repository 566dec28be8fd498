// An EINTR treated as success (examples/bugs/eintr-as-success.ts): the child reads a 4-byte
// message, but its read loop stops on EINTR as if the message were complete. The parent sends
// SIGUSR1 (a handler without SA_RESTART) and then the message. When the signal arrives while the
// child is blocked in read, read fails with EINTR and the child reports a short message.
#define BUG_NAME "eintr-as-success"
#include "harness.h"

static void on_usr1(int sig) { (void)sig; }
static void setup(void) {}
static void cleanup(void) {}

static int read_message(int fd, char *buf, int n) {
  int got = 0;
  while (got < n) {
    ssize_t r = read(fd, buf + got, n - got);
    if (r < 0 && errno == EINTR) break; /* BUG: should retry */
    if (r <= 0) break;
    got += r;
  }
  return got;
}

static int root_main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1; /* no SA_RESTART */
  sigaction(SIGUSR1, &sa, NULL);
  signal(SIGPIPE, SIG_IGN); /* the child may be gone before the message is written */
  int fds[2];
  if (pipe(fds) < 0) die("pipe");
  pid_t child = fork();
  if (child == 0) {
    char buf[4];
    close(fds[1]);
    _exit(read_message(fds[0], buf, 4) == 4 && memcmp(buf, "ping", 4) == 0 ? 0 : 1);
  }
  close(fds[0]);
  kill(child, SIGUSR1);
  if (write(fds[1], "ping", 4) < 0 && errno != EPIPE) die("write");
  close(fds[1]);
  int status;
  waitpid(child, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
