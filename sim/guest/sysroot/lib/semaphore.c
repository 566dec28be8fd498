/* <semaphore.h> on the host's nptl (sim/guest/syscalls-sem.ts): each function is one call of
 * the `ipcsim.syscall` import with a number of ipcsim's own (IPCSIM_SEM + k: no Linux call has
 * these numbers), the sem_t's address in the guest's memory and the arguments. */
#include <errno.h>
#include <semaphore.h>

#define IMPORT(name) __attribute__((import_module("ipcsim"), import_name(name)))
IMPORT("syscall") long __ipcsim_syscall(long nr, long a, long b, long c, long d, long e,
                                        long f);

#define IPCSIM_SEM 0x1000

static int sem_call(int k, void *sem, long a, long b) {
  long r = __ipcsim_syscall(IPCSIM_SEM + k, (long)sem, a, b, 0, 0, 0);
  if (r < 0) {
    errno = (int)-r;
    return -1;
  }
  return (int)r;
}

int sem_init(sem_t *sem, int pshared, unsigned value) {
  return sem_call(0, sem, pshared, (long)value);
}
int sem_destroy(sem_t *sem) { return sem_call(1, sem, 0, 0); }
int sem_wait(sem_t *sem) { return sem_call(2, sem, 0, 0); }
int sem_trywait(sem_t *sem) { return sem_call(3, sem, 0, 0); }
int sem_post(sem_t *sem) { return sem_call(4, sem, 0, 0); }
int sem_getvalue(sem_t *__restrict sem, int *__restrict value) {
  int v = sem_call(5, sem, 0, 0);
  if (v < 0) return -1;
  *value = v;
  return 0;
}
int sem_timedwait(sem_t *__restrict sem, const struct timespec *__restrict abstime) {
  return sem_call(6, sem, (long)abstime->tv_sec, abstime->tv_nsec);
}
sem_t *sem_open(const char *name, int oflag, ...) {
  return sem_call(7, (void *)name, oflag, 0) < 0 ? SEM_FAILED : SEM_FAILED;
}
int sem_close(sem_t *sem) { return sem_call(8, sem, 0, 0); }
int sem_unlink(const char *name) { return sem_call(9, (void *)name, 0, 0); }
