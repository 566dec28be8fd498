// The "ipcsim" module as a playground scenario imports it: the values of the library API
// (sim/index.ts) that a scenario uses; types need no value.

export * from "../../../scenario/constants.js";
export { ErrnoError, AssertionFailure } from "../../../scenario/errors.js";
export {
  WIFEXITED, WEXITSTATUS, WIFSIGNALED, WTERMSIG, WCOREDUMP, WIFSTOPPED, WSTOPSIG, WIFCONTINUED,
  waitStatusInt,
} from "../../../scenario/wait-status.js";
export {
  sem_init, sem_destroy, sem_getvalue, sem_post, sem_wait, sem_trywait, sem_timedwait,
  SEM_VALUE_MAX, SEM_T_BYTES, pthread_mutex_init, pthread_mutex_lock, pthread_mutex_trylock,
  pthread_mutex_unlock, pthread_mutex_destroy, PTHREAD_MUTEX_T_BYTES,
} from "../../../scenario/nptl.js";
export {
  shm_open, shm_unlink, sem_open, sem_close, sem_unlink,
} from "../../../scenario/posix-shm.js";
