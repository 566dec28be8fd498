// The stress loop every native bug program shares: run the scenario again and again on real
// Linux until the bug shows or the time cap passes, and print one JSON line:
//   {"bug": NAME, "found": true|false, "iterations": N, "seconds": S, "how": "assert"|"hang"}
//
// One iteration: setup() makes fresh IPC_PRIVATE objects in the harness process, a root process
// is forked into its own process group and runs the scenario (root_main), and the harness waits
// for it. The root exits 0 (no bug), 1 (an assertion failed: the bug showed) or hangs. A hang
// counts as the bug only when, after HANG_MS, every process of the group is asleep (state S):
// a real deadlock, not a slow machine. Then the group is killed. cleanup() removes the objects.
// Usage: PROGRAM [cap_seconds (default 10)] [max_iterations (default unlimited)].

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define HANG_MS 200

/* Each program defines these three and BUG_NAME. */
static void setup(void);
static int root_main(void);
static void cleanup(void);

union semun { int val; struct semid_ds *buf; unsigned short *array; };

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static void die(const char *what) {
  perror(what);
  exit(2);
}

/* semop of one operation on semaphore num, retried on EINTR. */
__attribute__((unused)) static int sem_add(int semid, int num, int op) {
  struct sembuf b = { (unsigned short)num, (short)op, 0 };
  for (;;) {
    if (semop(semid, &b, 1) == 0) return 0;
    if (errno != EINTR) return -1;
  }
}

/* Is every process of group pgid asleep (S), none running or exiting? */
static int group_asleep(pid_t pgid) {
  DIR *d = opendir("/proc");
  struct dirent *e;
  int members = 0, asleep = 1;
  if (!d) return 1;
  while ((e = readdir(d)) != NULL) {
    char path[300], buf[512];
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
    FILE *f = fopen(path, "r");
    if (!f) continue;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    char state;
    int ppid, pgrp;
    if (!p || sscanf(p + 2, "%c %d %d", &state, &ppid, &pgrp) != 3 || pgrp != pgid) continue;
    members++;
    if (state != 'S' && state != 'Z') asleep = 0;
  }
  closedir(d);
  return members > 0 && asleep;
}

/* Wait for the root; 0 ok, 1 assertion, 2 hang (deadlock), -1 harness error. */
static int wait_root(pid_t root, sigset_t *chld) {
  double start = now_s();
  for (;;) {
    struct timespec t = { 0, HANG_MS * 1000000L };
    int status;
    if (waitpid(root, &status, WNOHANG) == root) {
      if (WIFEXITED(status) && WEXITSTATUS(status) <= 1) return WEXITSTATUS(status);
      fprintf(stderr, "%s: root ended with status 0x%x\n", BUG_NAME, status);
      return -1;
    }
    int s = sigtimedwait(chld, NULL, &t);
    if (s < 0 && errno == EAGAIN && (group_asleep(root) || now_s() - start > 5)) {
      kill(-root, SIGKILL);
      waitpid(root, NULL, 0);
      return 2;
    }
  }
}

int main(int argc, char **argv) {
  double cap = argc > 1 ? atof(argv[1]) : 10;
  long max = argc > 2 ? atol(argv[2]) : -1;
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, NULL);
  double start = now_s();
  long it = 0;
  int how = 0;
  while (now_s() - start < cap && (max < 0 || it < max)) {
    it++;
    setup();
    pid_t root = fork();
    if (root < 0) die("fork");
    if (root == 0) {
      setpgid(0, 0);
      sigprocmask(SIG_UNBLOCK, &chld, NULL);
      _exit(root_main());
    }
    setpgid(root, root);
    how = wait_root(root, &chld);
    while (waitpid(-1, NULL, WNOHANG) > 0) {}
    cleanup();
    if (how < 0) return 2;
    if (how > 0) break;
  }
  printf("{\"bug\": \"%s\", \"found\": %s, \"iterations\": %ld, "
         "\"seconds\": %.6f, \"how\": \"%s\"}\n",
         BUG_NAME, how > 0 ? "true" : "false", it, now_s() - start,
         how == 1 ? "assert" : how == 2 ? "hang" : "none");
  return 0;
}
