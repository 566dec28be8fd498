// The edges of the descriptor, pipe, process, signal and time calls, one case per group of rows
// of the audit tables (docs/audit/pipe.md, proc.md, signal.md, time.md): undefined flag bits,
// refused values and the order of the argument checks. Like sysv-audit.mjs these carry no
// hand-written expectations: record.mjs runs each on real Linux and writes what Linux did.

const S = (pid, call, args = {}) => ({ pid, call, ...args });

export const cases = [];
const add = (name, description, steps) => cases.push({ name, description, steps });

add("pipe-audit-edges",
  "pipe2: a bit outside the four flags is EINVAL (bit 31 too); O_NOTIFICATION_PIPE is ENOPKG " +
  "in a kernel without CONFIG_WATCH_QUEUE, before any fd is taken; read and write check the " +
  "descriptor and its access mode before a zero count returns 0 (fs/pipe.c __do_pipe_flags, " +
  "create_pipe_files; fs/read_write.c ksys_read, vfs_read, vfs_write)",
  [
    S(2, "pipe", { flags: 0x80000000 }),
    S(2, "pipe", { flags: 0o200 }),
    S(2, "pipe", { flags: ["O_CLOEXEC"] }),
    S(2, "read", { fd: 4, count: 0 }),
    S(2, "write", { fd: 3, data: "" }),
    S(2, "read", { fd: 77, count: 0 }),
    S(2, "write", { fd: -1, data: "" }),
    S(2, "read", { fd: 3, count: 0 }),
  ]);

add("fd-audit-dup-edges",
  "dup2 checks newfd against RLIMIT_NOFILE (EBADF, -1 is huge as unsigned) before oldfd; " +
  "dup2(fd, fd) of a closed fd is EBADF; newfd 1023 is fine; dup and close of -1 or a " +
  "number past the table are EBADF (fs/file.c ksys_dup3, ksys_dup, close_fd)",
  [
    S(2, "pipe", { flags: [] }),
    S(2, "dup2", { oldfd: 3, newfd: 1023 }),
    S(2, "dup2", { oldfd: 3, newfd: 1024 }),
    S(2, "dup2", { oldfd: 99, newfd: 1024 }),
    S(2, "dup2", { oldfd: 99, newfd: 99 }),
    S(2, "dup2", { oldfd: 3, newfd: -1 }),
    S(2, "dup2", { oldfd: -1, newfd: 5 }),
    S(2, "dup2", { oldfd: 1023, newfd: 1023 }),
    S(2, "dup", { fd: -1 }),
    S(2, "dup", { fd: 1024 }),
    S(2, "close", { fd: -1 }),
    S(2, "close", { fd: 2147483647 }),
    S(2, "close", { fd: 1023 }),
    S(2, "close", { fd: 1023 }),
  ]);

const __WCLONE = 0x80000000;
const __WALL = 0x40000000;
const __WNOTHREAD = 0x20000000;
const WNOHANG = 1;

add("proc-audit-wait-options",
  "wait4's options: a bit outside WNOHANG|WUNTRACED|WCONTINUED|__WNOTHREAD|__WCLONE|__WALL is " +
  "EINVAL first, then pid INT_MIN is ESRCH; __WCLONE alone selects no fork child (ECHILD even " +
  "with a zombie), __WALL selects all, __WNOTHREAD changes nothing here; exit(-1) is status " +
  "255 (kernel/exit.c kernel_wait4, eligible_child, do_exit)",
  [
    S(2, "fork"),
    S(3, "exit", { status: -1 }),
    S(2, "fork"),
    S(4, "exit", { status: 7 }),
    S(2, "waitpid", { target: -1, options: (__WCLONE | WNOHANG) >>> 0 }),
    S(2, "waitpid", { target: -1, options: __WCLONE }),
    S(2, "waitpid", { target: -2147483648, options: WNOHANG }),
    S(2, "waitpid", { target: -2147483648, options: 4 }),
    S(2, "waitpid", { target: -99, options: WNOHANG }),
    S(2, "waitpid", { target: 3, options: __WNOTHREAD | WNOHANG }),
    S(2, "waitpid", { target: 0, options: __WALL | WNOHANG }),
    S(2, "waitpid", { target: -1, options: WNOHANG }),
  ]);

add("sig-audit-kill-edges",
  "kill and sigqueue look the target up before the signal number: a missing pid is ESRCH " +
  "even for signal 99, an existing one EINVAL; pid INT_MIN is ESRCH; kill(-1) with no other " +
  "process is ESRCH, with one it reports the signal's check (EINVAL for 99, 0 for 0); " +
  "sigqueue to 0 or -1 is ESRCH (kernel/signal.c kill_something_info, kill_pid_info_type, " +
  "__kill_pgrp_info, check_kill_permission, do_rt_sigqueueinfo)",
  [
    S(2, "kill", { target: 99, sig: 99 }),
    S(2, "kill", { target: 2, sig: 99 }),
    S(2, "kill", { target: 2, sig: -1 }),
    S(2, "kill", { target: -2147483648, sig: 0 }),
    S(2, "kill", { target: -1, sig: 0 }),
    S(2, "kill", { target: -1, sig: 99 }),
    S(2, "kill", { target: 0, sig: 99 }),
    S(2, "kill", { target: -99, sig: 99 }),
    S(2, "kill", { target: 1, sig: 65 }),
    S(2, "sigqueue", { target: 99, sig: 99 }),
    S(2, "sigqueue", { target: 2, sig: 99 }),
    S(2, "sigqueue", { target: 0, sig: "SIGUSR1" }),
    S(2, "sigqueue", { target: -1, sig: "SIGUSR1" }),
    S(2, "sigqueue", { target: 2, sig: 0 }),
    S(2, "fork"),
    S(2, "kill", { target: -1, sig: 99 }),
    S(2, "kill", { target: -1, sig: 0 }),
  ]);

add("sig-audit-mask-edges",
  "sigaction refuses 0, 65 and any action for SIGKILL or SIGSTOP (EINVAL) and ignores unknown " +
  "sa_flags bits and SIGKILL/SIGSTOP in sa_mask; sigprocmask refuses a how outside " +
  "SIG_BLOCK/UNBLOCK/SETMASK and drops SIGKILL and SIGSTOP from the set (kernel/signal.c " +
  "do_sigaction, sigprocmask, sys_rt_sigprocmask)",
  [
    S(2, "sigaction", { sig: 0, handler: "SIG_IGN", flags: [], mask: [] }),
    S(2, "sigaction", { sig: 65, handler: "SIG_IGN", flags: [], mask: [] }),
    S(2, "sigaction", { sig: "SIGKILL", handler: "SIG_DFL", flags: [], mask: [] }),
    S(2, "sigaction", { sig: "SIGSTOP", handler: "SIG_IGN", flags: [], mask: [] }),
    S(2, "sigaction", { sig: "SIGUSR1", handler: "SIG_IGN", flags: 0x1000000,
      mask: ["SIGKILL", "SIGSTOP"] }),
    S(2, "sigprocmask", { how: 3, set: [] }),
    S(2, "sigprocmask", { how: -1, set: [] }),
    S(2, "sigprocmask", { how: "SIG_BLOCK", set: ["SIGKILL", "SIGSTOP", "SIGUSR1"] }),
    S(2, "sigprocmask", { how: "SIG_SETMASK", set: [] }),
    S(2, "sigpending"),
  ]);

add("time-audit-edges",
  "alarm takes an unsigned int: 4294967295 and 2^31 seconds are kept whole and returned whole " +
  "(issue 21: the model armed them as negative times); clock_nanosleep and timer_settime read " +
  "only TIMER_ABSTIME of their flags; clock_nanosleep checks the clock before the request; " +
  "timer_* of a deleted or unknown id is EINVAL (kernel/time/itimer.c alarm_setitimer, " +
  "kernel/time/posix-timers.c clock_nanosleep, do_timer_settime, __lock_timer)",
  [
    S(2, "alarm", { seconds: 4294967295 }),
    S(2, "alarm", { seconds: 2147483648 }),
    S(2, "alarm", { seconds: 0 }),
    S(2, "clock_nanosleep", { clock: "CLOCK_MONOTONIC", flags: 2, req: { sec: 0, nsec: 0 } }),
    S(2, "clock_nanosleep", { clock: "CLOCK_MONOTONIC", flags: 0xfffffffe,
      req: { sec: 0, nsec: 0 } }),
    S(2, "clock_nanosleep", { clock: 99, flags: [], req: { sec: -1, nsec: 0 } }),
    S(2, "timer_create", { clock: "CLOCK_MONOTONIC" }),
    S(2, "timer_settime", { timerid: 0, flags: 2, value: { value: { sec: 5, nsec: 0 } } }),
    S(2, "timer_settime", { timerid: 7, flags: [],
      value: { value: { sec: 5, nsec: 1000000000 } } }),
    S(2, "timer_settime", { timerid: 7, flags: [], value: { value: { sec: 5, nsec: 0 } } }),
    S(2, "timer_gettime", { timerid: -1 }),
    S(2, "timer_getoverrun", { timerid: 7 }),
    S(2, "timer_delete", { timerid: 0 }),
    S(2, "timer_delete", { timerid: 0 }),
    S(2, "setitimer", { which: 3, value: { value: { sec: 0, usec: 2000000 } } }),
    S(2, "getitimer", { which: -1 }),
  ]);

cases.push({
  name: "time-audit-after-2038",
  description: "time and gettimeofday past 2^31 seconds (after January 2038): the seconds are " +
    "returned whole (issue 21: the model's time() failed with an unknown errno) " +
    "(kernel/time/time.c SYSCALL_DEFINE1(time), SYSCALL_DEFINE2(gettimeofday))",
  realtime: 3000000000,
  steps: [S(2, "time"), S(2, "gettimeofday"), S(2, "clock_gettime", { clock: "CLOCK_REALTIME" })],
});
