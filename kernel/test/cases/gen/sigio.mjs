// Signal-driven I/O cases: fcntl F_SETOWN, F_GETOWN, F_SETOWN_EX, F_GETOWN_EX, F_SETSIG,
// F_GETSIG, O_ASYNC by F_SETFL on pipes and FIFOs, and the SIGIO that fs/pipe.c's kill_fasync
// calls send (docs/audit/sigio.md). Linux: fs/fcntl.c, fs/pipe.c. Steps only: the recorder
// (record.mjs) runs each on real Linux and writes what Linux did.
// Issue 21: before kernel/fasync.ts the model answered F_SETOWN, F_GETOWN, F_SETSIG, F_GETSIG
// and the _EX forms with EINVAL, so every one of these cases failed on the model.

const S = (pid, call, args = {}) => ({ pid, call, ...args });
const fcntl = (pid, fd, cmd, arg) => S(pid, "fcntl", arg === undefined ? { fd, cmd } :
  { fd, cmd, arg });
const catchSig = (pid, sig) => S(pid, "sigaction", { sig, handler: "catch" });
const fork = (pid) => S(pid, "fork");
const write = (pid, fd, data) => S(pid, "write", { fd, data });
const read = (pid, fd, count) => S(pid, "read", { fd, count });
const ASYNC = ["O_ASYNC"];

export const cases = [];
const add = (name, description, steps) => cases.push({ name, description, steps });

add("sigio-write-kills-owner",
  "O_ASYNC on a pipe's read end with an owner: a write sends SIGIO to the owner (POLL_IN), whose " +
  "default action terminates it, in the writer's step; F_GETFL shows O_ASYNC once armed " +
  "(fs/pipe.c anon_pipe_write kill_fasync, pipe_fasync; fs/fcntl.c send_sigio; signal(7)).",
  [S(2, "pipe"), fork(2), fcntl(2, 3, "F_SETOWN", 3), fcntl(2, 3, "F_GETFL"),
   fcntl(2, 3, "F_SETFL", ASYNC), fcntl(2, 3, "F_GETFL"), write(2, 4, "x"),
   S(2, "waitpid", { target: 3 })]);

add("sigio-handler-caught",
  "A caught SIGIO runs the owner's handler in the step of the write that sent it, whoever " +
  "writes (another process, or the owner itself: delivered on its return); a read sends " +
  "POLL_OUT only to the writers' list, empty here, and a reader going to sleep sends nothing; a " +
  "writer that fills the pipe signals before it sleeps and when it ends (fs/pipe.c " +
  "anon_pipe_write, anon_pipe_read; fs/fcntl.c send_sigio).",
  [catchSig(2, "SIGIO"), S(2, "pipe"), fcntl(2, 3, "F_SETOWN", 2), fcntl(2, 3, "F_SETFL", ASYNC),
   fork(2), write(3, 4, "a"), write(2, 4, "b"), read(2, 3, 10), read(3, 3, 10),
   write(2, 4, "c"), write(2, 4, { fill: "x", count: 70000 }), read(3, 3, 65536)]);

add("sigio-getown",
  "F_GETOWN before any owner is 0; F_SETOWN pid and -pgid round-trip (a group reads back " +
  "negative); a pid nobody has is ESRCH and keeps the owner; INT_MIN is EINVAL; 0 clears; an " +
  "owner that exited reads back while a zombie and as 0 once reaped; a pid that names no group " +
  "is accepted and reads back 0; the _EX forms with a NULL pointer give EFAULT " +
  "(fs/fcntl.c f_setown, f_getown, f_setown_ex, f_getown_ex).",
  [S(2, "pipe"), fcntl(2, 3, "F_GETOWN"), fcntl(2, 0, "F_GETOWN"), fork(2),
   fcntl(2, 3, "F_SETOWN", 3), fcntl(2, 3, "F_GETOWN"), fcntl(2, 3, "F_SETOWN", -2),
   fcntl(2, 3, "F_GETOWN"), fcntl(2, 3, "F_SETOWN", 999999), fcntl(2, 3, "F_GETOWN"),
   fcntl(2, 3, "F_SETOWN", -2147483648), fcntl(2, 3, "F_SETOWN", 0), fcntl(2, 3, "F_GETOWN"),
   fcntl(2, 4, "F_SETOWN", 3), S(3, "exit", { status: 0 }), fcntl(2, 4, "F_GETOWN"),
   S(2, "waitpid", { target: 3 }), fcntl(2, 4, "F_GETOWN"), fcntl(2, 4, "F_SETOWN", 3),
   fcntl(2, 4, "F_GETOWN"), fork(2), fcntl(2, 4, "F_SETOWN", -4), fcntl(2, 4, "F_GETOWN"),
   fcntl(2, 4, "F_SETOWN", 1), fcntl(2, 4, "F_GETOWN"), fcntl(2, 4, "F_SETOWN_EX", 0),
   fcntl(2, 4, "F_GETOWN_EX", 0), fcntl(2, 99, "F_GETOWN"), fcntl(2, 99, "F_SETOWN", 2)]);

add("sigio-setsig-realtime",
  "F_SETSIG with SIGRTMIN queues one realtime signal per write (blocked: three pending " +
  "instances, three handler runs on unblock); F_GETSIG reads it back; 65 and -1 are EINVAL; a " +
  "standard signal chosen by F_SETSIG coalesces; SIGURG's default action ignores it; 0 " +
  "restores SIGIO, whose default action kills the owner (fs/fcntl.c f_owner_sig, " +
  "send_sigio_to_task; kernel/signal.c).",
  [catchSig(2, "SIGRTMIN"), catchSig(2, "SIGUSR1"), S(2, "pipe"), fcntl(2, 3, "F_GETSIG"),
   fcntl(2, 3, "F_SETOWN", 2), fcntl(2, 3, "F_SETFL", ASYNC), fcntl(2, 3, "F_SETSIG", "SIGRTMIN"),
   fcntl(2, 3, "F_GETSIG"), fcntl(2, 3, "F_SETSIG", 65), fcntl(2, 3, "F_SETSIG", -1),
   fcntl(2, 3, "F_GETSIG"), fork(2), write(3, 4, "a"),
   S(2, "sigprocmask", { how: "SIG_BLOCK", set: ["SIGRTMIN", "SIGUSR1"] }),
   write(3, 4, "b"), write(3, 4, "c"), write(3, 4, "d"), S(2, "sigpending"),
   S(2, "sigprocmask", { how: "SIG_UNBLOCK", set: ["SIGRTMIN"] }),
   fcntl(2, 3, "F_SETSIG", "SIGUSR1"), write(3, 4, "e"), write(3, 4, "f"), S(2, "sigpending"),
   S(2, "sigprocmask", { how: "SIG_UNBLOCK", set: ["SIGUSR1"] }),
   fcntl(2, 3, "F_SETSIG", "SIGURG"), write(3, 4, "g"), fcntl(2, 3, "F_SETSIG", 0),
   fcntl(2, 3, "F_GETSIG"), write(3, 4, "h")]);

add("sigio-no-owner",
  "O_ASYNC without an owner sends nothing (kill_fasync finds no f_owner, or one without a pid " +
  "after F_SETSIG); /dev/null has no fasync handler: F_SETFL O_ASYNC succeeds and F_GETFL does " +
  "not show it; pipe2 refuses O_ASYNC (8192): EINVAL (fs/fcntl.c setfl, kill_fasync_rcu, " +
  "send_sigio; fs/pipe.c do_pipe2).",
  [S(2, "pipe"), fcntl(2, 3, "F_SETFL", ASYNC), fcntl(2, 3, "F_GETFL"), fork(2), write(3, 4, "a"),
   fcntl(2, 3, "F_SETSIG", "SIGUSR1"), write(3, 4, "b"), read(3, 3, 10),
   fcntl(2, 0, "F_SETFL", ASYNC), fcntl(2, 0, "F_GETFL"), fcntl(2, 0, "F_SETOWN", 2),
   fcntl(2, 0, "F_GETOWN"), S(2, "pipe", { flags: 8192 }),
   S(2, "waitpid", { target: -1, options: ["WNOHANG"] })]);

add("sigio-reader-side",
  "An armed write end hears the readers: every read sends POLL_OUT to its owner (data read, " +
  "EAGAIN on an empty O_NONBLOCK pipe, a reader going to sleep and its wake-up), and the last " +
  "reader's close does too, as does the last writer's close to the read end's owner " +
  "(fs/pipe.c anon_pipe_read, pipe_release).",
  [catchSig(2, "SIGIO"), S(2, "pipe"), fcntl(2, 4, "F_SETOWN", 2), fcntl(2, 4, "F_SETFL", ASYNC),
   fork(2), write(3, 4, "ab"), read(3, 3, 1), read(3, 3, 1),
   fcntl(3, 3, "F_SETFL", ["O_NONBLOCK"]), read(3, 3, 1), fcntl(3, 3, "F_SETFL", []),
   read(3, 3, 1), write(2, 4, "c"), S(2, "close", { fd: 3 }),
   S(3, "close", { fd: 3 }), S(2, "close", { fd: 4 }), S(3, "close", { fd: 4 })]);

add("sigio-group-owner",
  "A group owner (F_SETOWN -pgid) gets SIGIO in every member, the writer included; the close " +
  "of the last writer sends POLL_IN to the read end's owner (fs/fcntl.c send_sigio " +
  "do_each_pid_task; fs/pipe.c pipe_release).",
  [catchSig(2, "SIGIO"), S(2, "pipe"), fork(2), fork(2), fcntl(2, 3, "F_SETOWN", -2),
   fcntl(2, 3, "F_SETFL", ASYNC), fcntl(2, 3, "F_GETOWN"), write(4, 4, "x"),
   S(2, "close", { fd: 4 }), S(3, "close", { fd: 4 }), S(4, "close", { fd: 4 })]);

add("sigio-fifo",
  "A FIFO opened O_RDWR and armed is on both lists: a write (POLL_IN) and a read (POLL_OUT) each " +
  "signal its owner; O_ASYNC given to open is kept in f_flags but arms nothing, and F_SETFL " +
  "without it then leaves it set (fs/open.c do_dentry_open calls no ->fasync; fs/fcntl.c " +
  "setfl; fs/pipe.c fifo_open, pipe_fasync).",
  [catchSig(2, "SIGIO"), S(2, "mkfifo", { path: "f" }),
   S(2, "open", { path: "f", flags: ["O_RDWR"] }), fcntl(2, 3, "F_SETOWN", 2),
   fcntl(2, 3, "F_SETFL", ASYNC), fork(2), write(3, 3, "x"), read(3, 3, 1),
   S(3, "open", { path: "f", flags: ["O_RDONLY", "O_NONBLOCK", "O_ASYNC"] }),
   fcntl(3, 4, "F_GETFL"), fcntl(3, 4, "F_SETOWN", 3), S(3, "sigaction", {
     sig: "SIGIO", handler: "catch" }), write(2, 3, "y"), fcntl(3, 4, "F_SETFL", ["O_NONBLOCK"]),
   fcntl(3, 4, "F_GETFL"), S(2, "unlink", { path: "f" })]);

add("sigio-interrupted-write",
  "A writer asleep for room signals the read end's owner before it sleeps and again on its " +
  "way out when a caught signal ends the sleep (the partial count returned) (fs/pipe.c " +
  "anon_pipe_write: kill_fasync before wait_event and at out).",
  [catchSig(2, "SIGIO"), S(2, "pipe"), fcntl(2, 3, "F_SETOWN", 2), fcntl(2, 3, "F_SETFL", ASYNC),
   fork(2), catchSig(3, "SIGUSR1"), write(3, 4, { fill: "x", count: 70000 }),
   S(2, "kill", { target: 3, sig: "SIGUSR1" }), read(2, 3, 65536)]);

const ownerEx = (type, pid) => ({ type, pid });
const getownEx = (fd) => fcntl(2, fd, "F_GETOWN_EX", {});
const setownEx = (fd, type, pid) => fcntl(2, fd, "F_SETOWN_EX", ownerEx(type, pid));
add("sigio-owner-ex",
  "F_GETOWN_EX before any owner is {F_OWNER_TID, 0}; F_SETOWN_EX with F_OWNER_TID, F_OWNER_PGRP " +
  "and F_OWNER_PID reads back by F_GETOWN_EX with its type (F_GETOWN: the pid, or minus the " +
  "group); a type outside the three is EINVAL and a pid nobody has (or a negative one) ESRCH, " +
  "both keeping the owner; with O_ASYNC a write sends SIGIO to the owner: a thread's handler " +
  "runs, a process with the default action dies, a group's members all get it; an owner reaped " +
  "reads back as pid 0; pid 0 clears the owner and keeps the type (fs/fcntl.c f_setown_ex, " +
  "f_getown_ex, send_sigio; fs/pipe.c anon_pipe_write).",
  [catchSig(2, "SIGIO"), S(2, "pipe"), fork(2), fork(2), S(3, "sigaction",
    { sig: "SIGIO", handler: "SIG_DFL" }),
   getownEx(3), setownEx(3, "F_OWNER_TID", 4), getownEx(3), fcntl(2, 3, "F_GETOWN"),
   setownEx(3, "F_OWNER_PGRP", 2), getownEx(3), fcntl(2, 3, "F_GETOWN"),
   setownEx(3, 3, 3), setownEx(3, -1, 3), getownEx(3),
   setownEx(3, "F_OWNER_PID", 999999), setownEx(3, "F_OWNER_PID", -3), getownEx(3),
   fcntl(2, 3, "F_SETFL", ASYNC),
   setownEx(3, "F_OWNER_TID", 4), write(2, 4, "a"),
   setownEx(3, "F_OWNER_PID", 3), getownEx(3), write(2, 4, "b"), S(2, "waitpid", { target: 3 }),
   getownEx(3),
   setownEx(3, "F_OWNER_PGRP", 2), write(2, 4, "c"),
   setownEx(3, "F_OWNER_PID", 0), getownEx(3), fcntl(2, 3, "F_GETOWN")]);
