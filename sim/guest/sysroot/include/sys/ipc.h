/* <sys/ipc.h> for C guests (wasi-libc has none): Linux's values (include/uapi/linux/ipc.h). */
#ifndef IPCSIM_SYS_IPC_H
#define IPCSIM_SYS_IPC_H

#include <sys/types.h>

#define IPC_PRIVATE ((key_t)0)
#define IPC_CREAT 01000
#define IPC_EXCL 02000
#define IPC_NOWAIT 04000
#define IPC_RMID 0
#define IPC_SET 1
#define IPC_STAT 2

#endif
