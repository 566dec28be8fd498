/* <sys/shm.h> for C guests: SysV shared memory on the simulated kernel (ipc/shm.c). The
 * segment is the kernel's; what shmat returns is a window in the guest's own memory that the
 * host keeps coherent with it (sim/guest/shared.ts, docs/c-guests.md). */
#ifndef IPCSIM_SYS_SHM_H
#define IPCSIM_SYS_SHM_H

#include <sys/ipc.h>
#include <stddef.h>

#define SHM_RDONLY 010000
#define SHM_RND 020000
#define SHM_REMAP 040000
#define SHM_EXEC 0100000
#define SHMLBA 4096

typedef unsigned long shmatt_t;

/* glibc's x86_64 field order; the times are seconds. */
struct shmid_ds {
  struct ipc_perm shm_perm;
  size_t shm_segsz;
  time_t shm_atime;
  time_t shm_dtime;
  time_t shm_ctime;
  pid_t shm_cpid;
  pid_t shm_lpid;
  shmatt_t shm_nattch;
};

int shmget(key_t key, size_t size, int shmflg);
/* shmaddr must be NULL: a guest address means nothing to the kernel's address space. */
void *shmat(int shmid, const void *shmaddr, int shmflg);
int shmdt(const void *shmaddr);
/* IPC_STAT and IPC_RMID, for now. */
int shmctl(int shmid, int cmd, struct shmid_ds *buf);

#endif
