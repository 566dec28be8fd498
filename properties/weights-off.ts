// `weights` presets that switch a mechanism's generator entries off, shared by the presets of
// the other mechanisms (a preset that focuses on one mechanism leaves the rest out, so that its
// floors and properties are not diluted by calls they do not look at).

/** Signals off: for presets whose properties need every process to end or block only where
 * they expect. */
export const SIGNALS_OFF: Record<string, number> = {
  kill: 0, sigaction: 0, sigprocmask: 0, sigpending: 0, pause: 0, sigsuspend: 0,
  "waitpid-stopped": 0,
};

/** Shared memory and mappings off. */
export const MEM_OFF: Record<string, number> = {
  shmget: 0, shmat: 0, shmdt: 0, shmctl: 0, mmap: 0, munmap: 0, store: 0, load: 0,
};

/** Pipes, FIFOs and descriptors off. */
export const PIPES_OFF: Record<string, number> = {
  pipe: 0, close: 0, dup: 0, dup2: 0, "fcntl-getfl": 0, "fcntl-setfl": 0,
  "fcntl-getpipe-sz": 0, "fcntl-setpipe-sz": 0, read: 0, write: 0, mkfifo: 0, open: 0, unlink: 0,
};

/** SysV message queues off. */
export const MSG_OFF: Record<string, number> = { msgget: 0, msgsnd: 0, msgrcv: 0, msgctl: 0 };

/** SysV semaphores off. */
export const SEM_OFF: Record<string, number> = { semget: 0, semop: 0, semctl: 0 };
