// Signal behaviour cases: kill, sigaction, sigprocmask, sigpending, pause, sigsuspend, delivery,
// stop and continue, and what a signal does to each blocking call (linux-semantics.md 0.2, 1.9).
// Linux: kernel/signal.c, arch/x86/kernel/signal.c, kernel/exit.c, ipc/msg.c, ipc/sem.c,
// fs/pipe.c. Unlike the other areas, these cases carry no hand-written expectations: the
// recorder (record.mjs) runs each on real Linux and writes what Linux did.

const S = (pid, call, args = {}) => ({ pid, call, ...args });
const catchSig = (pid, sig, flags = [], mask = []) =>
  S(pid, "sigaction", { sig, handler: "catch", flags, mask });
const fork = (pid) => S(pid, "fork");
const kill = (pid, target, sig) => S(pid, "kill", { target, sig });

export const cases = [];
const add = (name, description, steps) => cases.push({ name, description, steps });

add("sig-kill-errors",
  "kill: no such pid gives ESRCH (also with a bad signal: the target is looked up first); a bad " +
  "signal number for an existing target gives EINVAL (65, -1); signal 0 checks existence; a " +
  "group that does not exist gives ESRCH; -1 with no other process gives ESRCH; INT_MIN gives " +
  "ESRCH (kernel/signal.c kill_something_info, check_kill_permission; linux-semantics.md 1.9 [C]).",
  [kill(2, 999999, 0), kill(2, 999999, 65), kill(2, 2, 65), kill(2, 2, -1), kill(2, 2, 0),
   kill(2, 0, 65), kill(2, -7, 0), kill(2, -1, 0), kill(2, -2147483648, 0), kill(2, 1, 0)]);

add("sig-kill-zombie-exists",
  "A zombie still exists: kill(zombie, 0) and kill(zombie, SIGKILL) return 0 and change nothing; " +
  "once reaped, ESRCH (linux-semantics.md 1.9 [C]).",
  [fork(2), S(3, "exit", { status: 7 }), kill(2, 3, 0), kill(2, 3, "SIGKILL"),
   S(2, "waitpid", { target: 3 }), kill(2, 3, 0)]);

add("sig-default-actions",
  "Default actions: SIGTERM and SIGUSR1 terminate, SIGQUIT terminates (no core bit: RLIMIT_CORE " +
  "0), SIGCHLD, SIGURG and SIGWINCH are ignored, SIGCONT to a running process does nothing " +
  "(signal(7); kernel/signal.c get_signal).",
  [fork(2), kill(2, 3, "SIGCHLD"), kill(2, 3, "SIGURG"), kill(2, 3, "SIGWINCH"),
   kill(2, 3, "SIGCONT"), kill(2, 3, "SIGTERM"), S(2, "waitpid", { target: 3 }), fork(2),
   kill(2, 4, "SIGQUIT"), S(2, "waitpid", { target: 4 }), fork(2), kill(5, 5, "SIGUSR1"),
   S(2, "waitpid", { target: 5 }), fork(2), kill(2, 6, "SIGRTMIN"),
   S(2, "waitpid", { target: 6 })]);

add("sig-init-immune",
  "Init (pid 1) gets only signals it has a handler for: SIGKILL, SIGSTOP and SIGUSR1 sent to it " +
  "return 0 and do nothing (kernel/signal.c sig_task_ignored, SIGNAL_UNKILLABLE; " +
  "linux-semantics.md 1.9 " +
  "[C]).",
  [kill(2, 1, "SIGKILL"), kill(2, 1, "SIGSTOP"), kill(2, 1, "SIGUSR1"), kill(2, 1, 0), fork(2),
   kill(3, 1, "SIGKILL")]);

add("sig-catch-idle",
  "A caught signal sent to an idle process runs its handler at once (a signal event); the " +
  "handler stays installed (kernel/signal.c complete_signal, get_signal).",
  [catchSig(2, "SIGUSR1"), fork(2), kill(2, 3, "SIGUSR1"), kill(3, 2, "SIGUSR1"),
   kill(2, 3, "SIGUSR1"), kill(2, 2, "SIGUSR1")]);

add("sig-standard-coalesce",
  "A blocked standard signal sent three times is pending once and delivered once on unblock; the " +
  "sender gets 0 each time (kernel/signal.c legacy_queue; linux-semantics.md 1.9 [C]).",
  [catchSig(2, "SIGUSR1"), S(2, "sigprocmask", { how: "SIG_BLOCK", set: ["SIGUSR1"] }), fork(2),
   kill(3, 2, "SIGUSR1"), kill(3, 2, "SIGUSR1"), kill(3, 2, "SIGUSR1"), S(2, "sigpending"),
   S(2, "sigprocmask", { how: "SIG_UNBLOCK", set: ["SIGUSR1"] }), S(2, "sigpending")]);

add("sig-realtime-queue",
  "Realtime signals queue: three SIGRTMIN and one SIGRTMIN+1 sent while blocked are delivered " +
  "four times; released with USR1 and USR2 the handlers run last-dequeued first (35, 34, 12, 10; " +
  "a second SIGRTMIN waits for the first handler's return) (kernel/signal.c collect_signal; " +
  "linux-semantics.md 1.9 [C]).",
  [catchSig(2, "SIGUSR1"), catchSig(2, "SIGUSR2"), catchSig(2, "SIGRTMIN"), catchSig(2, 35),
   S(2, "sigprocmask", { how: "SIG_SETMASK", set: ["SIGUSR1", "SIGUSR2", "SIGRTMIN", 35] }),
   kill(2, 2, 35), kill(2, 2, "SIGRTMIN"), kill(2, 2, "SIGUSR2"), kill(2, 2, "SIGRTMIN"),
   kill(2, 2, "SIGUSR1"), kill(2, 2, "SIGRTMIN"), S(2, "sigpending"),
   S(2, "sigprocmask", { how: "SIG_SETMASK", set: [] })]);

add("sig-handler-mask-order",
  "With a full sa_mask each handler blocks the rest, so the handlers run in dequeue order 10, " +
  "12, 34, 35 (arch/x86/kernel/signal.c handle_signal; linux-semantics.md 1.9 [C]).",
  (() => {
    const all = ["SIGUSR1", "SIGUSR2", "SIGRTMIN", 35];
    return [catchSig(2, "SIGUSR1", [], all), catchSig(2, "SIGUSR2", [], all),
      catchSig(2, "SIGRTMIN", [], all), catchSig(2, 35, [], all),
      S(2, "sigprocmask", { how: "SIG_BLOCK", set: all }),
      kill(2, 2, 35), kill(2, 2, "SIGRTMIN"), kill(2, 2, "SIGUSR2"), kill(2, 2, "SIGUSR1"),
      S(2, "sigprocmask", { how: "SIG_UNBLOCK", set: all })];
  })());

add("sig-ignore-discards-pending",
  "Setting SIG_IGN discards a pending signal even while blocked; SIG_DFL for a default-ignore " +
  "signal (SIGCHLD, SIGURG) does too; SIG_DFL for a terminating one keeps it pending; a blocked " +
  "signal is queued even when ignored (kernel/signal.c do_sigaction, sig_ignored; " +
  "linux-semantics.md 1.9 " +
  "[C]).",
  [S(2, "sigprocmask",
     { how: "SIG_BLOCK", set: ["SIGUSR1", "SIGUSR2", "SIGCHLD", "SIGURG", "SIGTERM"] }),
   kill(2, 2, "SIGUSR1"), kill(2, 2, "SIGCHLD"), kill(2, 2, "SIGURG"), kill(2, 2, "SIGTERM"),
   S(2, "sigpending"), S(2, "sigaction", { sig: "SIGUSR1", handler: "SIG_IGN" }),
   S(2, "sigaction", { sig: "SIGCHLD", handler: "SIG_DFL" }),
   S(2, "sigaction", { sig: "SIGTERM", handler: "SIG_DFL" }), S(2, "sigpending"),
   S(2, "sigaction", { sig: "SIGUSR2", handler: "SIG_IGN" }), kill(2, 2, "SIGUSR2"),
   S(2, "sigpending"), S(2, "sigaction", { sig: "SIGURG", handler: "SIG_IGN" }), S(2, "sigpending"),
   S(2, "sigaction", { sig: "SIGTERM", handler: "SIG_IGN" }), S(2, "sigpending"),
   S(2, "sigprocmask", { how: "SIG_SETMASK", set: [] }), kill(2, 2, "SIGUSR1"),
   S(2, "sigpending")]);

add("sig-sigaction-einval",
  "sigaction on SIGKILL, SIGSTOP, 0 and 65 gives EINVAL; on 32 and 33 glibc refuses (its own " +
  "signals); a handler mask naming SIGKILL is accepted and the mask drops it (kernel/signal.c " +
  "do_sigaction; nptl sigaction.c; linux-semantics.md 1.9 [C]).",
  [S(2, "sigaction", { sig: "SIGKILL", handler: "SIG_IGN" }),
   S(2, "sigaction", { sig: "SIGSTOP", handler: "catch" }),
   S(2, "sigaction", { sig: 0, handler: "SIG_DFL" }),
   S(2, "sigaction", { sig: 65, handler: "SIG_DFL" }),
   S(2, "sigaction", { sig: 32, handler: "catch" }),
   S(2, "sigaction", { sig: 33, handler: "SIG_IGN" }),
   S(2, "sigaction", { sig: "SIGRTMAX", handler: "catch", mask: ["SIGKILL", "SIGUSR1"] }),
   kill(2, 2, "SIGRTMAX")]);

add("sig-sigprocmask",
  "sigprocmask: SIG_BLOCK adds, SIG_UNBLOCK removes, SIG_SETMASK replaces, each returning the " +
  "old mask; SIGKILL and SIGSTOP are silently never blocked; a bad how gives EINVAL and changes " +
  "nothing (kernel/signal.c sigprocmask, rt_sigprocmask; linux-semantics.md 1.9 [C]).",
  [S(2, "sigprocmask", { how: "SIG_BLOCK", set: ["SIGUSR1", "SIGKILL", "SIGSTOP", "SIGTERM"] }),
   S(2, "sigprocmask", { how: "SIG_UNBLOCK", set: ["SIGTERM"] }),
   S(2, "sigprocmask", { how: "SIG_SETMASK", set: ["SIGRTMIN", "SIGRTMAX", "SIGHUP"] }),
   S(2, "sigprocmask", { how: 3, set: ["SIGUSR2"] }), S(2, "sigprocmask", { how: -1, set: [] }),
   S(2, "sigprocmask", { how: "SIG_BLOCK", set: [] }), fork(2),
   S(3, "sigprocmask", { how: "SIG_SETMASK", set: [] })]);

add("sig-fork-inherits",
  "fork copies the dispositions and the mask; the child's pending set is empty (kernel/fork.c " +
  "copy_process: init_sigpending; linux-semantics.md 1.9).",
  [catchSig(2, "SIGUSR2"), S(2, "sigaction", { sig: "SIGTERM", handler: "SIG_IGN" }),
   S(2, "sigprocmask", { how: "SIG_BLOCK", set: ["SIGUSR1"] }), kill(2, 2, "SIGUSR1"), fork(2),
   S(3, "sigpending"), S(2, "sigpending"), kill(2, 3, "SIGUSR2"), kill(2, 3, "SIGTERM"),
   kill(2, 3, "SIGUSR1"), S(3, "sigpending"),
   S(3, "sigprocmask", { how: "SIG_SETMASK", set: [] })]);

add("sig-resethand",
  "SA_RESETHAND: the first delivery runs the handler and resets it to SIG_DFL, so the second " +
  "SIGUSR1 terminates (kernel/signal.c get_signal: SA_ONESHOT).",
  [fork(2), catchSig(3, "SIGUSR1", ["SA_RESETHAND"]), kill(2, 3, "SIGUSR1"), kill(2, 3, "SIGUSR1"),
   S(2, "waitpid", { target: 3 })]);

add("sig-stop-continue-waitpid",
  "SIGSTOP stops an idle child (stop event), waitpid(WUNTRACED) reports it once, SIGCONT " +
  "continues it (cont event) and waitpid(WCONTINUED) reports that once; a second SIGCONT does " +
  "nothing; the parent's SIGCHLD handler runs on stop and on continue (kernel/signal.c " +
  "do_signal_stop, do_notify_parent_cldstop, prepare_signal; kernel/exit.c wait_task_stopped, " +
  "wait_task_continued; linux-semantics.md 1.9 [C]).",
  [catchSig(2, "SIGCHLD"), fork(2), kill(2, 3, "SIGSTOP"),
   S(2, "waitpid", { target: 3, options: ["WNOHANG"] }),
   S(2, "waitpid", { target: 3, options: ["WUNTRACED", "WNOHANG"] }),
   S(2, "waitpid", { target: 3, options: ["WUNTRACED", "WNOHANG"] }), kill(2, 3, "SIGSTOP"),
   kill(2, 3, "SIGCONT"), kill(2, 3, "SIGCONT"),
   S(2, "waitpid", { target: -1, options: ["WCONTINUED", "WUNTRACED"] }),
   S(2, "waitpid", { target: -1, options: ["WCONTINUED", "WNOHANG"] }), kill(2, 3, "SIGTSTP"),
   kill(2, 3, "SIGCONT"), S(2, "waitpid", { target: 3, options: ["WUNTRACED", "WNOHANG"] }),
   S(3, "exit", { status: 0 }), S(2, "waitpid", { target: 3, options: ["WCONTINUED"] })]);

add("sig-nocldstop",
  "SA_NOCLDSTOP: the parent's SIGCHLD handler does not run when a child stops or continues, only " +
  "when it exits (kernel/signal.c do_notify_parent_cldstop).",
  [catchSig(2, "SIGCHLD", ["SA_NOCLDSTOP"]), fork(2), kill(2, 3, "SIGSTOP"), kill(2, 3, "SIGCONT"),
   kill(2, 3, "SIGKILL"), S(2, "waitpid", { target: 3 })]);

add("sig-stopped-keeps-signals",
  "A stopped process takes no signal but SIGKILL and SIGCONT: a caught SIGUSR1 and a fatal " +
  "SIGTERM stay pending and act after SIGCONT (handler first, then the termination); SIGKILL " +
  "kills a stopped process at once (kernel/signal.c complete_signal: wants_signal is false for a " +
  "stopped task).",
  [fork(2), catchSig(3, "SIGUSR1"), kill(2, 3, "SIGSTOP"), kill(2, 3, "SIGUSR1"),
   kill(2, 3, "SIGHUP"), kill(2, 3, "SIGCONT"), S(2, "waitpid", { target: 3 }), fork(2),
   kill(2, 4, "SIGSTOP"), kill(2, 4, "SIGKILL"), S(2, "waitpid", { target: 4 })]);

add("sig-stop-cont-discard",
  "Generating SIGCONT discards pending stop signals, and generating a stop signal discards a " +
  "pending SIGCONT, even while they are blocked (kernel/signal.c prepare_signal; " +
  "linux-semantics.md 1.9 " +
  "[C]).",
  [S(2, "sigprocmask", { how: "SIG_BLOCK", set: ["SIGTSTP", "SIGTTIN", "SIGCONT"] }),
   kill(2, 2, "SIGTSTP"), kill(2, 2, "SIGTTIN"), S(2, "sigpending"), kill(2, 2, "SIGCONT"),
   S(2, "sigpending"), kill(2, 2, "SIGTSTP"), S(2, "sigpending"),
   S(2, "sigaction", { sig: "SIGTSTP", handler: "SIG_IGN" }), S(2, "sigpending")]);

add("sig-self-stop",
  "A process that stops itself (kill(getpid(), SIGSTOP)) does not return until continued: its " +
  "step is blocked, and SIGCONT from its parent completes it with 0 (kernel/signal.c " +
  "do_signal_stop on the way out of kill).",
  [fork(2), kill(3, 3, "SIGSTOP"), kill(2, 3, "SIGCONT"), S(3, "exit", { status: 1 }),
   S(2, "waitpid", { target: 3 })]);

add("sig-tstp-caught",
  "A caught stop signal does not stop: SIGTSTP with a handler runs it; SIGTTIN ignored does " +
  "nothing; SIGSTOP cannot be caught (signal(7)).",
  [fork(2), catchSig(3, "SIGTSTP"), S(3, "sigaction", { sig: "SIGTTIN", handler: "SIG_IGN" }),
   kill(2, 3, "SIGTSTP"), kill(2, 3, "SIGTTIN"), kill(2, 3, "SIGTTOU"), kill(2, 3, "SIGCONT"),
   kill(2, 3, "SIGKILL")]);

add("sig-pipe-read-eintr",
  "A reader blocked on an empty pipe: a handler without SA_RESTART makes read fail with EINTR " +
  "(fs/pipe.c anon_pipe_read returns -ERESTARTSYS; arch/x86/kernel/signal.c handle_signal; " +
  "linux-semantics.md 0.2 [C]).",
  [S(2, "pipe"), fork(2), catchSig(3, "SIGUSR1"), S(3, "read", { fd: 3, count: 10 }),
   kill(2, 3, "SIGUSR1"), S(2, "write", { fd: 4, data: "hi" }),
   S(3, "read", { fd: 3, count: 10 })]);

add("sig-pipe-read-restart",
  "A reader blocked on an empty pipe with an SA_RESTART handler: the handler runs and read " +
  "sleeps again; the next write completes it (linux-semantics.md 0.2 [C]).",
  [S(2, "pipe"), fork(2), catchSig(3, "SIGUSR1", ["SA_RESTART"]),
   S(3, "read", { fd: 3, count: 10 }), kill(2, 3, "SIGUSR1"), kill(2, 3, "SIGUSR1"),
   S(2, "write", { fd: 4, data: "hi" })]);

add("sig-pipe-write-partial",
  "A writer blocked on a full pipe after moving 65536 of 70000 bytes returns the partial count " +
  "when a handler interrupts it, with or without SA_RESTART; a write that moved nothing fails " +
  "with EINTR (fs/pipe.c anon_pipe_write; linux-semantics.md 0.2).",
  [S(2, "pipe"), fork(2), catchSig(3, "SIGUSR1", ["SA_RESTART"]),
   S(3, "write", { fd: 4, data: { fill: 120, count: 70000 } }), kill(2, 3, "SIGUSR1"),
   catchSig(3, "SIGUSR2"), S(3, "write", { fd: 4, data: "x" }), kill(2, 3, "SIGUSR2"),
   S(2, "read", { fd: 3, count: 100 })]);

add("sig-pipe-stop-restart",
  "SIGSTOP then SIGCONT with no handler restarts a blocked pipe read: it sleeps again and gets " +
  "the data written later; data written while it is stopped is read after SIGCONT " +
  "(linux-semantics.md 0.2).",
  [S(2, "pipe"), fork(2), S(3, "read", { fd: 3, count: 10 }), kill(2, 3, "SIGSTOP"),
   kill(2, 3, "SIGCONT"), S(2, "write", { fd: 4, data: "a" }), S(3, "read", { fd: 3, count: 10 }),
   kill(2, 3, "SIGSTOP"), S(2, "write", { fd: 4, data: "b" }), kill(2, 3, "SIGCONT")]);

add("sig-fifo-open-interrupted",
  "A blocking FIFO open: a handler without SA_RESTART gives EINTR (and the reader count is " +
  "undone: a writer's O_NONBLOCK open then gets ENXIO); with SA_RESTART the open sleeps again; " +
  "SIGSTOP and SIGCONT restart it (fs/pipe.c fifo_open: -ERESTARTSYS; linux-semantics.md 0.2).",
  [S(2, "mkfifo", { path: "f", mode: "0600" }), fork(2), catchSig(3, "SIGUSR1"),
   catchSig(3, "SIGUSR2", ["SA_RESTART"]), S(3, "open", { path: "f", flags: ["O_RDONLY"] }),
   kill(2, 3, "SIGUSR1"), S(2, "open", { path: "f", flags: ["O_WRONLY", "O_NONBLOCK"] }),
   S(3, "open", { path: "f", flags: ["O_RDONLY"] }), kill(2, 3, "SIGUSR2"), kill(2, 3, "SIGSTOP"),
   kill(2, 3, "SIGCONT"), S(2, "open", { path: "f", flags: ["O_WRONLY"] })]);

add("sig-waitpid-interrupted",
  "A parent blocked in waitpid: a handler without SA_RESTART gives EINTR; with SA_RESTART it " +
  "sleeps again; after SIGSTOP and SIGCONT it sleeps again; a child's exit then completes it " +
  "(kernel/exit.c do_wait: -ERESTARTSYS; linux-semantics.md 0.2).",
  [fork(2), fork(2), catchSig(3, "SIGUSR1"), catchSig(3, "SIGUSR2", ["SA_RESTART"]), fork(3),
   S(3, "waitpid", { target: -1 }), kill(2, 3, "SIGUSR1"), S(3, "waitpid", { target: -1 }),
   kill(2, 3, "SIGUSR2"), kill(2, 3, "SIGSTOP"), kill(2, 3, "SIGCONT"),
   S(5, "exit", { status: 3 })]);

add("sig-sigchld-wakes-waitpid",
  "A parent blocked in waitpid with a SIGCHLD handler (no SA_RESTART): the child's exit both " +
  "wakes it and signals it; waitpid re-checks first and reaps the child, then the handler runs " +
  "(kernel/exit.c do_wait checks before signal_pending).",
  [catchSig(2, "SIGCHLD"), fork(2), S(2, "waitpid", { target: 3 }), S(3, "exit", { status: 4 })]);

add("sig-msg-interrupted",
  "msgrcv and msgsnd fail with EINTR when a handler runs, even with SA_RESTART; after SIGSTOP " +
  "and SIGCONT with no handler they restart (ipc/msg.c do_msgrcv/do_msgsnd: -ERESTARTNOHAND; " +
  "linux-semantics.md 0.2 [C]).",
  [S(2, "msgget", { key: "IPC_PRIVATE", flags: ["IPC_CREAT"], mode: "0600" }), fork(2),
   catchSig(3, "SIGUSR1", ["SA_RESTART"]), S(3, "msgrcv", { msqid: 0, size: 100, msgtyp: 0 }),
   kill(2, 3, "SIGUSR1"), S(3, "msgrcv", { msqid: 0, size: 100, msgtyp: 0 }), kill(2, 3, "SIGSTOP"),
   kill(2, 3, "SIGCONT"), S(2, "msgsnd", { msqid: 0, mtype: 1, data: "m" }),
   S(2, "msgctl", { msqid: 0, cmd: "IPC_SET", buf: { msg_qbytes: 1 } }),
   S(3, "msgsnd", { msqid: 0, mtype: 1, data: "" }),
   S(3, "msgsnd", { msqid: 0, mtype: 1, data: "ab" }), kill(2, 3, "SIGUSR1"),
   S(3, "msgsnd", { msqid: 0, mtype: 1, data: "ab" }), kill(2, 3, "SIGSTOP"), kill(2, 3, "SIGCONT"),
   S(2, "msgrcv", { msqid: 0, size: 100, msgtyp: 0 })]);

add("sig-semop-interrupted",
  "semop fails with EINTR when a handler runs (with SA_RESTART too) and also after SIGSTOP and " +
  "SIGCONT with no handler; the interrupted sleeper is gone from semncnt (ipc/sem.c " +
  "__do_semtimedop; linux-semantics.md 0.2 [C]).",
  [S(2, "semget", { key: "IPC_PRIVATE", nsems: 1, flags: ["IPC_CREAT"], mode: "0600" }), fork(2),
   catchSig(3, "SIGUSR1", ["SA_RESTART"]), S(3, "semop", { semid: 0, sops: [{ num: 0, op: -1 }] }),
   S(2, "semctl", { semid: 0, semnum: 0, cmd: "GETNCNT" }), kill(2, 3, "SIGUSR1"),
   S(2, "semctl", { semid: 0, semnum: 0, cmd: "GETNCNT" }),
   S(3, "semop", { semid: 0, sops: [{ num: 0, op: -1 }] }), kill(2, 3, "SIGSTOP"),
   kill(2, 3, "SIGCONT"), S(2, "semctl", { semid: 0, semnum: 0, cmd: "GETNCNT" })]);

add("sig-pause",
  "pause returns EINTR once a caught signal arrives; an ignored or default-ignored signal " +
  "(SIGCHLD, SIGURG) does not wake it; SIGSTOP and SIGCONT leave it paused (kernel/signal.c " +
  "sys_pause: -ERESTARTNOHAND; linux-semantics.md 0.2).",
  [fork(2), catchSig(3, "SIGUSR1"), S(3, "sigaction", { sig: "SIGUSR2", handler: "SIG_IGN" }),
   S(3, "pause"), kill(2, 3, "SIGCHLD"), kill(2, 3, "SIGURG"), kill(2, 3, "SIGUSR2"),
   kill(2, 3, "SIGSTOP"), kill(2, 3, "SIGCONT"), kill(2, 3, "SIGUSR1"), kill(2, 3, "SIGTERM"),
   S(2, "waitpid", { target: 3 })]);

add("sig-sigsuspend",
  "sigsuspend replaces the mask until a caught signal arrives (EINTR), then the old mask is " +
  "back; a pending signal it unblocks ends it at once; a blocked signal stays pending until the " +
  "mask allows it (kernel/signal.c sigsuspend, set_restore_sigmask; linux-semantics.md 0.2).",
  [catchSig(2, "SIGUSR1"), catchSig(2, "SIGUSR2"),
   S(2, "sigprocmask", { how: "SIG_BLOCK", set: ["SIGUSR1"] }), fork(2),
   S(2, "sigsuspend", { mask: ["SIGUSR2"] }), kill(3, 2, "SIGUSR2"), kill(3, 2, "SIGUSR1"),
   S(2, "sigprocmask", { how: "SIG_BLOCK", set: [] }), kill(3, 2, "SIGUSR1"),
   S(2, "sigsuspend", { mask: [] }), S(2, "sigprocmask", { how: "SIG_BLOCK", set: [] }),
   S(2, "sigsuspend", { mask: ["SIGUSR1"] }), kill(3, 2, "SIGSTOP"), kill(3, 2, "SIGCONT"),
   kill(3, 2, "SIGUSR2")]);

add("sig-sigchld-ignored-autoreap",
  "With SIGCHLD set to SIG_IGN children are reaped as they exit: kill(child, 0) gives ESRCH and " +
  "waitpid gives ECHILD, after blocking until the last child is gone (kernel/signal.c " +
  "do_notify_parent: autoreap; linux-semantics.md 1.9 [C]).",
  [S(2, "sigaction", { sig: "SIGCHLD", handler: "SIG_IGN" }), fork(2), fork(2),
   S(3, "exit", { status: 0 }), kill(2, 3, 0), S(2, "waitpid", { target: -1 }),
   S(4, "exit", { status: 0 })]);

add("sig-nocldwait-handler",
  "SA_NOCLDWAIT with a handler: the child is reaped at exit and SIGCHLD is still sent (the " +
  "handler runs); waitpid gives ECHILD (kernel/signal.c do_notify_parent).",
  [catchSig(2, "SIGCHLD", ["SA_NOCLDWAIT"]), fork(2), S(3, "exit", { status: 5 }),
   S(2, "waitpid", { target: -1 })]);

add("sig-kill-group",
  "kill(0, sig) signals every process of the caller's group, the caller too; kill(-2, sig) names " +
  "the same group; kill(-1, sig) every process but init and the caller (kernel/signal.c " +
  "__kill_pgrp_info, kill_something_info).",
  [catchSig(2, "SIGUSR1"), fork(2), fork(2), kill(3, 0, "SIGUSR1"), kill(4, -2, "SIGUSR1"),
   kill(3, -1, "SIGUSR1"), S(4, "exit", { status: 0 }), kill(2, 0, 0), kill(3, -1, "SIGUSR1")]);

add("sig-waitpid-wuntraced-wakes",
  "A parent blocked in waitpid(WUNTRACED) is woken by its child's stop and reports it; one " +
  "blocked in waitpid(WCONTINUED) by the continue (kernel/signal.c do_notify_parent_cldstop: " +
  "__wake_up_parent).",
  [fork(2), fork(2), S(2, "waitpid", { target: 3, options: ["WUNTRACED"] }), kill(3, 3, "SIGTSTP"),
   S(2, "waitpid", { target: 3, options: ["WCONTINUED"] }), kill(4, 3, "SIGCONT"),
   S(3, "exit", { status: 0 }), S(2, "waitpid", { target: 3 })]);

add("sig-sigchld-race",
  "Two children killed in one step by a sibling's kill(-1, SIGTERM), with the parent catching " +
  "SIGCHLD: Linux runs the parent's handler once or twice (the second SIGCHLD may come before or " +
  "after the first is taken), and the model allows both; a stopped child continued with a fatal " +
  "signal pending gives its parent CLD_CONTINUED and then CLD_KILLED, again one or two handler " +
  "runs (kernel/signal.c do_notify_parent, legacy_queue).",
  [catchSig(2, "SIGCHLD"), catchSig(2, "SIGTERM"), fork(2), fork(2), fork(2),
   S(5, "sigaction", { sig: "SIGTERM", handler: "SIG_DFL" }),
   S(3, "sigaction", { sig: "SIGTERM", handler: "SIG_DFL" }),
   S(4, "sigaction", { sig: "SIGTERM", handler: "SIG_DFL" }), kill(5, -1, "SIGTERM"),
   S(2, "waitpid", { target: -1 }), S(2, "waitpid", { target: -1 }), fork(2), kill(2, 6, "SIGSTOP"),
   kill(2, 6, "SIGHUP"), kill(2, 6, "SIGCONT"), S(2, "waitpid", { target: 6 })]);

add("sig-sigsuspend-stop-restore",
  "sigsuspend stopped and continued restarts: the saved mask comes back first, so a signal " +
  "pending under the suspend mask is delivered before the restart; a caught one runs its handler " +
  "and sigsuspend sleeps again (the restart decision stands), an uncaught fatal one kills " +
  "(arch/x86/kernel/signal.c arch_do_signal_or_restart: restore_saved_sigmask after the restart " +
  "decision).",
  [fork(2), catchSig(3, "SIGUSR1"), S(3, "sigsuspend", { mask: ["SIGUSR1"] }),
   kill(2, 3, "SIGUSR1"), kill(2, 3, "SIGSTOP"), kill(2, 3, "SIGCONT"), kill(2, 3, "SIGUSR1"),
   kill(2, 3, "SIGUSR2"), fork(2), S(4, "sigsuspend", { mask: ["SIGUSR1"] }), kill(2, 4, "SIGUSR1"),
   kill(2, 4, "SIGSTOP"), kill(2, 4, "SIGCONT"), S(2, "waitpid", { target: -1 }),
   S(2, "waitpid", { target: -1 })]);

add("sig-stop-partial-write-cont-caught",
  "A writer that moved 65536 of 70000 bytes and is then stopped returns the partial count once " +
  "continued; a caught SIGCONT runs its handler on continue and also when the process was not " +
  "stopped; kill(0, SIGCONT) reaches the caller too (fs/pipe.c anon_pipe_write; kernel/signal.c " +
  "prepare_signal).",
  [S(2, "pipe"), fork(2), catchSig(3, "SIGCONT"),
   S(3, "write", { fd: 4, data: { fill: 65, count: 70000 } }), kill(2, 3, "SIGSTOP"),
   S(2, "read", { fd: 3, count: 100 }), kill(2, 3, "SIGCONT"), S(3, "read", { fd: 3, count: 10 }),
   kill(2, 3, "SIGCONT"), catchSig(2, "SIGCONT"), kill(2, 0, "SIGCONT")]);

add("sig-child-stop-interrupts-waitpid",
  "A parent blocked in waitpid without WUNTRACED and catching SIGCHLD (no SA_RESTART): its " +
  "child's stop sends SIGCHLD, waitpid finds nothing to report and fails with EINTR; with " +
  "SA_NOCLDSTOP nothing happens (kernel/signal.c do_notify_parent_cldstop; kernel/exit.c do_wait).",
  [catchSig(2, "SIGCHLD"), fork(2), fork(2), S(2, "waitpid", { target: 3 }), kill(4, 3, "SIGSTOP"),
   catchSig(2, "SIGCHLD", ["SA_NOCLDSTOP"]), S(2, "waitpid", { target: 3 }), kill(4, 3, "SIGCONT"),
   kill(4, 3, "SIGKILL")]);

add("sig-resethand-nodefer",
  "Two queued SIGRTMIN with SA_RESETHAND: the handler runs once (its frame blocks the second), " +
  "then the second instance finds SIG_DFL and terminates; with SA_RESETHAND|SA_NODEFER the " +
  "second is dequeued before the first handler runs and terminates at once (no handler event); " +
  "with SA_NODEFER alone both handlers run (kernel/signal.c get_signal SA_ONESHOT; " +
  "arch/x86/kernel/signal.c handle_signal).",
  [fork(2), catchSig(3, "SIGRTMIN", ["SA_RESETHAND"]),
   S(3, "sigprocmask", { how: "SIG_BLOCK", set: ["SIGRTMIN"] }), kill(2, 3, "SIGRTMIN"),
   kill(2, 3, "SIGRTMIN"), S(3, "sigprocmask", { how: "SIG_SETMASK", set: [] }), fork(2),
   catchSig(4, "SIGRTMIN", ["SA_RESETHAND", "SA_NODEFER"]),
   S(4, "sigprocmask", { how: "SIG_BLOCK", set: ["SIGRTMIN"] }), kill(2, 4, "SIGRTMIN"),
   kill(2, 4, "SIGRTMIN"), S(4, "sigprocmask", { how: "SIG_SETMASK", set: [] }), fork(2),
   catchSig(5, "SIGRTMIN", ["SA_NODEFER"]),
   S(5, "sigprocmask", { how: "SIG_BLOCK", set: ["SIGRTMIN"] }), kill(2, 5, "SIGRTMIN"),
   kill(2, 5, "SIGRTMIN"), S(5, "sigprocmask", { how: "SIG_SETMASK", set: [] })]);

add("sig-sigqueue",
  "sigqueue (rt_sigqueueinfo with SI_QUEUE) names one process: a target <= 0 or a missing one " +
  "gives ESRCH before the signal is checked (EINVAL), signal 0 checks existence; the " +
  "handler's signal event carries si_value. A standard signal coalesces and keeps the first " +
  "instance's siginfo (kill's SI_USER has none); realtime instances queue in order with " +
  "theirs, kill's included; a zombie still takes one, a reaped pid does not (kernel/signal.c " +
  "do_rt_sigqueueinfo, kill_proc_info, send_signal_locked, collect_signal; sigqueue(3)).",
  [
    S(2, "sigqueue", { target: 0, sig: "SIGUSR1", value: 1 }),
    S(2, "sigqueue", { target: -1, sig: "SIGUSR1", value: 1 }),
    S(2, "sigqueue", { target: 9999, sig: 65, value: 1 }),
    S(2, "sigqueue", { target: 2, sig: 65, value: 1 }),
    S(2, "sigqueue", { target: 2, sig: -1, value: 1 }),
    S(2, "sigqueue", { target: 2, sig: 0 }),
    S(2, "sigqueue", { target: 1, sig: 0 }),
    S(2, "sigaction", { sig: "SIGUSR1", handler: "catch" }),
    S(2, "sigaction", { sig: "SIGRTMIN", handler: "catch" }),
    S(2, "sigprocmask", { how: "SIG_BLOCK", set: ["SIGUSR1", "SIGRTMIN"] }),
    S(2, "sigqueue", { target: 2, sig: "SIGUSR1", value: 5 }),
    S(2, "sigqueue", { target: 2, sig: "SIGUSR1", value: 6 }),
    S(2, "kill", { target: 2, sig: "SIGUSR1" }),
    S(2, "sigqueue", { target: 2, sig: "SIGRTMIN", value: 7 }),
    S(2, "kill", { target: 2, sig: "SIGRTMIN" }),
    S(2, "sigqueue", { target: 2, sig: "SIGRTMIN", value: -8 }),
    S(2, "sigpending"),
    S(2, "sigprocmask", { how: "SIG_UNBLOCK", set: ["SIGUSR1", "SIGRTMIN"] }),
    S(2, "sigprocmask", { how: "SIG_BLOCK", set: ["SIGUSR1"] }),
    S(2, "kill", { target: 2, sig: "SIGUSR1" }),
    S(2, "sigqueue", { target: 2, sig: "SIGUSR1", value: 9 }),
    S(2, "sigprocmask", { how: "SIG_UNBLOCK", set: ["SIGUSR1"] }),
    S(2, "fork"),
    S(3, "sigaction", { sig: "SIGUSR2", handler: "catch" }),
    S(3, "pause"),
    S(2, "sigqueue", { target: 3, sig: "SIGUSR2", value: 42 }),
    S(2, "sigqueue", { target: 3, sig: "SIGTERM", value: 3 }),
    S(2, "sigqueue", { target: 3, sig: "SIGTERM", value: 3 }),
    S(2, "waitpid", { target: 3 }),
    S(2, "sigqueue", { target: 3, sig: "SIGTERM", value: 3 }),
  ]);
