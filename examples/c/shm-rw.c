/* Shared memory: the parent writes a message into a SysV segment, the child reads it after
 * the parent has signalled with a semaphore (ipc/shm.c, ipc/sem.c). The segment is removed at
 * once: it lives on until its last detach. */
#include <stdio.h>
#include <string.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  int shm = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
  int sem = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
  char *buf = shmat(shm, NULL, 0);
  if (shm < 0 || sem < 0 || buf == (char *)-1) {
    perror("setup");
    return 1;
  }
  shmctl(shm, IPC_RMID, NULL);
  pid_t pid = fork();
  if (pid == 0) {
    struct sembuf wait_for_it = { 0, -1, 0 };
    semop(sem, &wait_for_it, 1);
    printf("child read: %s\n", buf);
    struct shmid_ds ds;
    shmctl(shm, IPC_STAT, &ds);
    printf("segment: %zu bytes, %lu attached\n", ds.shm_segsz, (unsigned long)ds.shm_nattch);
    shmdt(buf);
    return 0;
  }
  strcpy(buf, "hello through shared memory");
  struct sembuf post = { 0, 1, 0 };
  semop(sem, &post, 1);
  waitpid(pid, NULL, 0);
  shmdt(buf);
  semctl(sem, 0, IPC_RMID);
  printf("parent done\n");
  return 0;
}
