/* <sys/msg.h> for C guests: SysV message queues on the simulated kernel (ipc/msg.c). A
 * message is `struct { long mtype; char mtext[]; }`, long being 4 bytes on wasm32. */
#ifndef IPCSIM_SYS_MSG_H
#define IPCSIM_SYS_MSG_H

#include <sys/ipc.h>
#include <stddef.h>

#define MSG_NOERROR 010000
#define MSG_EXCEPT 020000
#define MSG_COPY 040000

int msgget(key_t key, int msgflg);
int msgsnd(int msqid, const void *msgp, size_t msgsz, int msgflg);
ssize_t msgrcv(int msqid, void *msgp, size_t msgsz, long msgtyp, int msgflg);
/* IPC_RMID only, for now (buf is ignored). */
int msgctl(int msqid, int cmd, void *buf);

#endif
