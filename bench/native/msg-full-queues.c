// Two processes blocked sending into each other's full message queues
// (examples/bugs/msg-full-queues.ts). The client sends K requests to the server's queue and,
// after each, collects one reply if one is there (IPC_NOWAIT); then it waits for the rest. The
// server receives a request and answers with two messages (an acknowledgement and the result),
// K times. Each queue holds 2 messages of 8 KiB (msgmnb 16384). When the replies pile up while
// the client is still sending, the client blocks on the full request queue and the server on
// the full reply queue. Shows as a hang.
#define BUG_NAME "msg-full-queues"
#include "harness.h"

#define K 5
#define SIZE 8192
static int requests, replies;
struct msg { long mtype; char text[SIZE]; };

static void setup(void) {
  requests = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
  replies = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
  if (requests < 0 || replies < 0) die("msgget");
}

static void cleanup(void) {
  msgctl(requests, IPC_RMID, NULL);
  msgctl(replies, IPC_RMID, NULL);
}

static int root_main(void) {
  static struct msg m;
  m.mtype = 1;
  pid_t server = fork();
  if (server == 0) {
    for (int i = 0; i < K; i++) {
      msgrcv(requests, &m, SIZE, 0, 0);
      msgsnd(replies, &m, SIZE, 0); /* acknowledgement */
      msgsnd(replies, &m, SIZE, 0); /* result */
    }
    _exit(0);
  }
  int got = 0;
  for (int i = 0; i < K; i++) {
    msgsnd(requests, &m, SIZE, 0); /* BUG: blocks while our own reply queue is full */
    if (msgrcv(replies, &m, SIZE, 0, IPC_NOWAIT) >= 0) got++;
  }
  while (got < 2 * K)
    if (msgrcv(replies, &m, SIZE, 0, 0) >= 0) got++;
  waitpid(server, NULL, 0);
  return 0;
}
