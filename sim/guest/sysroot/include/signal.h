/* <signal.h> for C guests, in place of wasi-libc's emulation (which has no sigaction, masks or
 * handlers that run as Linux runs them): Linux's x86_64 numbers and flags
 * (include/uapi/asm-generic/signal.h, arch/x86/include/uapi/asm/signal.h), a 64-signal set,
 * and the calls lib/ipcsim.c makes on the simulated kernel. A handler is a C function the host
 * calls through the guest's function table when the kernel delivers the signal. */
#ifndef IPCSIM_SIGNAL_H
#define IPCSIM_SIGNAL_H

#include <sys/types.h>

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGSTKFLT 16
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGVTALRM 26
#define SIGPROF 27
#define SIGWINCH 28
#define SIGIO 29
#define SIGPWR 30
#define SIGSYS 31
#define SIGRTMIN 34
#define SIGRTMAX 64
#define NSIG 65

#define SA_NOCLDSTOP 0x00000001
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO 0x00000004
#define SA_ONSTACK 0x08000000
#define SA_RESTART 0x10000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000

#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

typedef void (*sighandler_t)(int);
/* Function pointers are table indices in wasm, and 1 is a function's: SIG_IGN and SIG_ERR are
 * functions of their own (as wasi-libc makes them), never called. */
void __ipcsim_sig_ign(int);
void __ipcsim_sig_err(int);
#define SIG_DFL ((sighandler_t)0)
#define SIG_IGN (__ipcsim_sig_ign)
#define SIG_ERR (__ipcsim_sig_err)

typedef int sig_atomic_t;
#ifndef IPCSIM_SIGSET_T /* ipcsim/posix.h, included first, has it */
#define IPCSIM_SIGSET_T
typedef struct { unsigned long long bits; } sigset_t;
#endif

union sigval {
  int sival_int;
  void *sival_ptr;
};

/* An SA_SIGINFO handler's siginfo, as the kernel filled it (the host writes it: sim/guest/
 * runtime.ts SIGINFO_FIELDS; the fields Linux's siginfo_t has, in an order of our own). */
typedef struct {
  int si_signo;
  int si_errno;
  int si_code;
  pid_t si_pid;
  int si_status;
  uid_t si_uid;
  union sigval si_value;
} siginfo_t;

struct sigaction {
  union {
    void (*sa_handler)(int);
    void (*sa_sigaction)(int, siginfo_t *, void *);
  } __sa_handler;
  sigset_t sa_mask;
  int sa_flags;
};
#define sa_handler __sa_handler.sa_handler
#define sa_sigaction __sa_handler.sa_sigaction

int sigemptyset(sigset_t *set);
int sigfillset(sigset_t *set);
int sigaddset(sigset_t *set, int sig);
int sigdelset(sigset_t *set, int sig);
int sigismember(const sigset_t *set, int sig);
int sigaction(int sig, const struct sigaction *act, struct sigaction *oldact);
sighandler_t signal(int sig, sighandler_t handler);
int sigprocmask(int how, const sigset_t *set, sigset_t *oldset);
int sigsuspend(const sigset_t *mask);
int kill(pid_t pid, int sig);
int raise(int sig);
int pause(void);

#endif
