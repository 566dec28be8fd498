/* POSIX semaphores for C guests: ipcsim's nptl (sim/scenario/nptl.ts, glibc's algorithm on
 * cas/fetch_add and futex), run by the host on the kernel's memory, so a sem_t must live in
 * shared memory (shmat, mmap MAP_SHARED): its operations are the trace's atomics and futex
 * calls, as a C program's on Linux. sem_t is glibc's 32 bytes on x86_64 (wasi-libc's is 16),
 * the size the host's sem_t takes. Named semaphores (sem_open) are not modelled for C guests
 * yet: they end the run as unsupported. */
#ifndef _SEMAPHORE_H
#define _SEMAPHORE_H

#include <time.h>

typedef struct {
  _Alignas(8) unsigned char __size[32];
} sem_t;

#define SEM_FAILED ((sem_t *)0)
#define SEM_VALUE_MAX 0x7fffffff

int sem_init(sem_t *sem, int pshared, unsigned value);
int sem_destroy(sem_t *sem);
int sem_wait(sem_t *sem);
int sem_trywait(sem_t *sem);
int sem_timedwait(sem_t *__restrict sem, const struct timespec *__restrict abstime);
int sem_post(sem_t *sem);
int sem_getvalue(sem_t *__restrict sem, int *__restrict value);
sem_t *sem_open(const char *name, int oflag, ...);
int sem_close(sem_t *sem);
int sem_unlink(const char *name);

#endif
