/* <sys/sem.h> for C guests: SysV semaphores on the simulated kernel (ipc/sem.c). */
#ifndef IPCSIM_SYS_SEM_H
#define IPCSIM_SYS_SEM_H

#include <sys/ipc.h>
#include <stddef.h>

#define SEM_UNDO 0x1000
#define GETPID 11
#define GETVAL 12
#define GETALL 13
#define GETNCNT 14
#define GETZCNT 15
#define SETVAL 16
#define SETALL 17

struct sembuf {
  unsigned short sem_num;
  short sem_op;
  short sem_flg;
};

int semget(key_t key, int nsems, int semflg);
int semop(int semid, struct sembuf *sops, size_t nsops);
/* SETVAL (an int argument), GETVAL, GETPID, GETNCNT, GETZCNT and IPC_RMID, for now. */
int semctl(int semid, int semnum, int cmd, ...);

#endif
