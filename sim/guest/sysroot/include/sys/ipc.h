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

/* glibc's struct ipc_perm (the kernel's ipc64_perm, its fields in order). */
struct ipc_perm {
  key_t __key;
  uid_t uid;
  gid_t gid;
  uid_t cuid;
  gid_t cgid;
  unsigned short mode;
  unsigned short __seq;
};

#endif
