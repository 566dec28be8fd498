/* seccomp.c: what a traced process may ask of the host kernel.
 *
 * Traced processes run as the agent's user (root, in a test run), so the first one sets
 * no_new_privs (prctl PR_SET_NO_NEW_PRIVS: no exec can ever give it or a child more privilege)
 * and installs a seccomp BPF filter (Documentation/userspace-api/seccomp_filter.rst) that every
 * child inherits across fork (kernel/fork.c copy_seccomp()). The filter allows:
 * - the syscalls the model defines: each call table row's number (calls.gen.h checks that each
 *   is its host syscall), plus the ones glibc's wrappers make for them (open -> openat,
 *   mkfifo -> mknodat, fork -> clone, _exit -> exit_group, nanosleep -> clock_nanosleep,
 *   sigqueue -> rt_sigqueueinfo with getpid/getuid, ...);
 * - what the traced-process side of the agent needs: its control socket (recvfrom, sendto,
 *   sendmsg, recvmsg, socketpair, setsockopt, getsockopt), its fds (fcntl, dup3, close_range),
 *   RLIMIT_NOFILE (getrlimit, setrlimit, prlimit64), memory (brk, mprotect, madvise, mremap)
 *   and signal returns.
 * clone is allowed only without namespace flags (CLONE_NEW*); clone3 gets ENOSYS, so that glibc
 * falls back to clone (its flags are in memory, which the filter cannot read). Every other
 * syscall (execve, ptrace, mount, unshare, setns, ioctl, bpf, reboot, ...) fails with EPERM: the
 * process goes on and the step's result shows the error (chosen over killing, so that a call
 * the list missed is an error naming itself, not a silent death). A syscall of another ABI
 * (i386 int 0x80, x32) kills the process.
 *
 * Linux: kernel/seccomp.c seccomp_set_mode_filter(), which needs no_new_privs (or
 * CAP_SYS_ADMIN).
 */
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>

#define X32_SYSCALL_BIT 0x40000000
#define CLONE_NS_FLAGS                                                                       \
  (CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER |           \
   CLONE_NEWPID | CLONE_NEWNET)

/* Besides the call table's rows: glibc's wrappers and the traced-process side of the agent. */
static const int SECCOMP_EXTRA[] = {
    SYS_openat, SYS_mknodat, SYS_unlinkat, SYS_exit_group, SYS_clock_nanosleep,
    SYS_rt_sigqueueinfo, SYS_getpid, SYS_gettid, SYS_getuid, SYS_geteuid, SYS_tgkill,
    SYS_rt_sigreturn, SYS_restart_syscall, SYS_recvfrom, SYS_sendto,
    SYS_sendmsg, SYS_recvmsg, SYS_socketpair, SYS_setsockopt, SYS_getsockopt, SYS_dup3,
    SYS_close_range, SYS_getrlimit, SYS_setrlimit, SYS_prlimit64, SYS_brk, SYS_mprotect,
    SYS_madvise, SYS_mremap, SYS_futex, SYS_sched_yield, SYS_set_robust_list, SYS_rseq,
    SYS_fstat, SYS_newfstatat, SYS_lseek, SYS_getrandom, SYS_semop, SYS_semtimedop,
    SYS_pause, SYS_rt_sigsuspend, SYS_wait4, SYS_umask, SYS_setpgid};

#define CALLS_ROWS (sizeof CALL_DESCS / sizeof CALL_DESCS[0])
#define EXTRA_ROWS (sizeof SECCOMP_EXTRA / sizeof SECCOMP_EXTRA[0])
#define FILTER_LEN_MAX (16 + 2 * (CALLS_ROWS + EXTRA_ROWS)) /* the fixed head, 2 per rule, end */

/* One rule: if nr == A then return `ret`. */
static int bpf_allow(struct sock_filter *f, int n, int nr, uint32_t ret) {
  f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)nr, 0, 1);
  f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, ret);
  return n;
}

/* Builds the filter into f; returns its length. */
static int seccomp_build(struct sock_filter *f) {
  int n = 0;
  f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
                                        offsetof(struct seccomp_data, arch));
  f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
  f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
  f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
                                        offsetof(struct seccomp_data, nr));
  f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, X32_SYSCALL_BIT, 0, 1);
  f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
  n = bpf_allow(f, n, SYS_clone3, SECCOMP_RET_ERRNO | ENOSYS);
  /* clone: allowed unless its flags (the low 32 bits of args[0]) ask for a namespace. */
  f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 0, 4);
  f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
                                        offsetof(struct seccomp_data, args[0]));
  f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_NS_FLAGS, 0, 1);
  f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
  f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  for (size_t i = 0; i < CALLS_ROWS; i++)
    if (CALL_DESCS[i].call < CALL_STORE) n = bpf_allow(f, n, CALL_DESCS[i].call, SECCOMP_RET_ALLOW);
  for (size_t i = 0; i < EXTRA_ROWS; i++)
    n = bpf_allow(f, n, SECCOMP_EXTRA[i], SECCOMP_RET_ALLOW);
  f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
  return n;
}

/* Installs no_new_privs and the filter in the calling (first traced) process. Returns false
 * with errno set if the kernel refused either. */
static bool seccomp_confine(void) {
  static struct sock_filter filter[FILTER_LEN_MAX];
  int n = seccomp_build(filter);
  struct sock_fprog prog = {.len = (unsigned short)n, .filter = filter};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) return false;
  return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0;
}
