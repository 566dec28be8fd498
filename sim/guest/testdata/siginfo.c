/* An SA_SIGINFO handler gets the signal's siginfo: its number, SI_USER and the sender's pid
 * for a kill, and an exec ends the run as unsupported. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static int seen_signo, seen_code, seen_pid;

static void on_usr1(int sig, siginfo_t *info, void *ctx) {
  (void)sig;
  (void)ctx;
  seen_signo = info->si_signo;
  seen_code = info->si_code;
  seen_pid = info->si_pid;
}

int main(void) {
  struct sigaction sa = {0};
  sa.sa_sigaction = on_usr1;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGUSR1, &sa, 0);
  kill(getpid(), SIGUSR1);
  printf("signo %s, code %d, from %s\n", seen_signo == SIGUSR1 ? "SIGUSR1" : "?", seen_code,
         seen_pid == getpid() ? "itself" : "elsewhere");
  fflush(stdout);
  char *argv[] = {"true", 0};
  execv("/bin/true", argv);
  printf("exec returned\n");
  return 0;
}
