#include <sys/msg.h>
/* msgctl(IPC_STAT) is not marshalled for C guests yet: an unsupported verdict, not a trap. */
int main(void) {
  int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
  char buf[128];
  return msgctl(q, IPC_STAT, buf);
}
