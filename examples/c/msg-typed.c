/* A SysV message queue with typed messages, in C: the parent sends three messages of types
 * 1, 2 and 3; the child takes type 2 first (msgtyp 2), then whatever is oldest (msgtyp 0).
 *
 *   npx ipcsim run examples/c/msg-typed.c */
#include <stdio.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/wait.h>
#include <unistd.h>

struct msg {
  long mtype;
  char text[32];
};

static void send(int q, long type, const char *text) {
  struct msg m = { type, "" };
  strncpy(m.text, text, sizeof m.text - 1);
  if (msgsnd(q, &m, strlen(m.text) + 1, 0) < 0) perror("msgsnd");
}

int main(void) {
  int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
  if (q < 0) {
    perror("msgget");
    return 1;
  }
  pid_t c = fork();
  if (c == 0) {
    struct msg m;
    long want[] = { 2, 0, 0 };
    for (int i = 0; i < 3; i++) {
      ssize_t n = msgrcv(q, &m, sizeof m.text, want[i], 0);
      if (n < 0) {
        perror("msgrcv");
        return 1;
      }
      printf("child got type %ld: %s\n", m.mtype, m.text);
    }
    return 0;
  }
  send(q, 1, "one");
  send(q, 2, "two");
  send(q, 3, "three");
  int status;
  waitpid(c, &status, 0);
  msgctl(q, IPC_RMID, NULL);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
