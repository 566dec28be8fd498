// File locks (lock-*): flock(2), fcntl's POSIX and OFD record locks, their release on close and
// exit, EDEADLK, the blocker tree's wake order, signals. Linux: fs/locks.c (flock_lock_inode,
// posix_lock_inode, posix_test_lock, posix_locks_deadlock, __locks_insert_block,
// __locks_wake_up_blocks, locks_remove_posix, locks_remove_file), fs/fcntl.c (do_fcntl).
// Recorded from Linux by record.mjs.

const S = (pid, call, args = {}) => ({ pid, call, ...args });

export const cases = [];
const add = (name, description, steps) => cases.push({ name, description, steps });

/** A struct flock: l_whence and l_pid only when given (0: SEEK_SET, 0). */
const FL = (t, s = 0, l = 0, w, pid) => ({
  l_type: t, l_start: s, l_len: l, ...(w ? { l_whence: w } : {}),
  ...(pid !== undefined ? { l_pid: pid } : {}),
});
const fc = (pid, fd, cmd, arg) => S(pid, "fcntl", { fd, cmd, arg });
const setlk = (pid, fd, t, s, l, w, cmd = "F_SETLK") => fc(pid, fd, cmd, FL(t, s, l, w));
const getlk = (pid, fd, t, s, l, w, cmd = "F_GETLK") => fc(pid, fd, cmd, FL(t, s, l, w));
const setlkw = (pid, fd, t, s, l) => fc(pid, fd, "F_SETLKW", FL(t, s, l));
const ofd = (pid, fd, t, s, l, cmd = "F_OFD_SETLK") => fc(pid, fd, cmd, FL(t, s, l));
const flock = (pid, fd, ...op) =>
  S(pid, "flock", { fd, op: typeof op[0] === "number" ? op[0] : op });
const fifo = [S(2, "mkfifo", { path: "f", mode: "0644" })];
const open = (pid, ...flags) => S(pid, "open", { path: "f", flags });
const RDWR = "O_RDWR";

add("lock-flock",
  "flock(2): shared locks coexist across open file descriptions; LOCK_NB gives EAGAIN " +
  "(EWOULDBLOCK) at a conflict; a conversion is not atomic: the old lock goes first " +
  "(flock_lock_inode), so a failed LOCK_EX|LOCK_NB upgrade leaves no lock; a process forked " +
  "with the same description shares the lock; a blocked flock is woken by LOCK_UN; the " +
  "operation is checked before the descriptor (EINVAL), then the descriptor (EBADF, also " +
  "O_PATH); LOCK_MAND is ignored; a pipe's two ends are one inode; the description's last " +
  "close drops its lock (fs/locks.c SYSCALL_DEFINE2(flock), flock_lock_inode, " +
  "locks_remove_file).",
  [
    ...fifo, open(2, RDWR), open(2, RDWR),
    flock(2, 3, "LOCK_SH"), flock(2, 4, "LOCK_SH", "LOCK_NB"), flock(2, 4, "LOCK_EX", "LOCK_NB"),
    flock(2, 3, "LOCK_EX", "LOCK_NB"), flock(2, 3, "LOCK_EX", "LOCK_NB"),
    flock(2, 4, "LOCK_SH", "LOCK_NB"), S(2, "fork"), flock(3, 3, "LOCK_SH", "LOCK_NB"),
    flock(3, 4, "LOCK_SH"), flock(2, 3, "LOCK_UN"), flock(3, 4, "LOCK_EX"), flock(2, 3, "LOCK_SH"),
    flock(3, 4, "LOCK_UN"), S(3, "close", { fd: 4 }), S(2, "close", { fd: 4 }),
    flock(2, 3, 16), flock(2, 99, "LOCK_SH"), flock(2, 99, 16), flock(2, 3, "LOCK_SH", "LOCK_EX"),
    flock(2, 3, "LOCK_MAND"), flock(2, 99, "LOCK_MAND"), flock(2, 3, "LOCK_UN", "LOCK_NB"),
    flock(2, 3, "LOCK_UN"), open(2, "O_PATH"), flock(2, 4, "LOCK_SH"), flock(2, 4, "LOCK_UN"),
    S(2, "pipe"), flock(2, 5, "LOCK_EX"), flock(2, 6, "LOCK_EX", "LOCK_NB"),
    flock(2, 6, "LOCK_SH", "LOCK_NB"), S(2, "close", { fd: 5 }), flock(2, 6, "LOCK_EX", "LOCK_NB"),
    // Not /dev/null (fds 0-2): on the host its inode is every process's, and a lock there
    // would meet other programs' (two test runs at once).
    S(3, "exit", { status: 0 }),
  ]);

/** Another process's F_GETLK probe of bytes [s, s+l) (fd 3 of pid 3). */
const probe = (s, l, t = "F_WRLCK") => getlk(3, 3, t, s, l);
add("lock-fcntl-ranges",
  "POSIX record locks as posix_lock_inode keeps them, seen by another process's F_GETLK: " +
  "adjacent or overlapping locks of one type merge, a lock of another type inside one splits " +
  "it, an unlock cuts a hole, a lock replaces the locks it covers; l_len 0 locks to the end of " +
  "the file and past it, a negative l_len locks the bytes before l_start; SEEK_CUR and " +
  "SEEK_END count from 0 on a FIFO (a stream, size 0) and SEEK_END from 80 on a queue " +
  "descriptor (ipc/mqueue.c: FILENT_SIZE); F_GETLK reports the first conflicting lock in list " +
  "order as SEEK_SET with its pid, or changes only l_type to F_UNLCK (fs/locks.c " +
  "flock64_to_posix_lock, posix_lock_inode, posix_test_lock, posix_lock_to_flock).",
  [
    ...fifo, open(2, RDWR),
    S(2, "mq_open", { name: "/lockq", flags: ["O_CREAT", "O_RDWR"], mode: "0600" }),
    S(2, "fork"),
    setlk(2, 3, "F_WRLCK", 0, 100), setlk(2, 3, "F_RDLCK", 200, 100), probe(0, 0), probe(250, 1),
    probe(250, 1, "F_RDLCK"),
    setlk(2, 3, "F_WRLCK", 100, 100), probe(150, 1), probe(0, 0),
    setlk(2, 3, "F_RDLCK", 50, 10), probe(10, 1), probe(55, 1), probe(100, 1), probe(60, 1),
    setlk(2, 3, "F_UNLCK", 20, 10), probe(25, 1), probe(20, 10), probe(0, 0),
    setlk(2, 3, "F_WRLCK", 500, 0), probe(10 ** 12, 1), probe(400, 200),
    setlk(2, 3, "F_RDLCK", 1000, -100), probe(950, 1), probe(1000, 1), probe(899, 1),
    setlk(2, 3, "F_WRLCK", 900, 100), probe(950, 1), probe(899, 2),
    setlk(2, 3, "F_RDLCK", 0, 0), probe(0, 0), probe(300, 1),
    setlk(2, 3, "F_WRLCK", 10, 5, "SEEK_CUR"), probe(12, 1),
    setlk(2, 3, "F_WRLCK", 10, 5, "SEEK_END"), probe(14, 1),
    setlk(2, 3, "F_WRLCK", -1, 5, "SEEK_CUR"), setlk(2, 3, "F_WRLCK", 5, -6, "SEEK_SET"),
    setlk(2, 3, "F_UNLCK", 0, 0), probe(0, 0), probe(0, 0, "F_RDLCK"),
    setlk(2, 4, "F_WRLCK", 0, 10, "SEEK_END"), getlk(3, 4, "F_RDLCK", 0, 0),
    getlk(3, 4, "F_RDLCK", 0, 1, "SEEK_END"), getlk(3, 4, "F_RDLCK", -80, 1, "SEEK_END"),
    setlk(2, 4, "F_WRLCK", 2 ** 51, 2 ** 51), getlk(3, 4, "F_RDLCK", 2 ** 51, 1),
    S(3, "exit", { status: 0 }),
  ]);

add("lock-fcntl-errors",
  "fcntl's record-lock commands check, in fcntl_setlk's order: the struct is read first " +
  "(EFAULT), then l_whence (EINVAL), the start (EOVERFLOW past OFFSET_MAX, EINVAL below 0), " +
  "the length (EINVAL before 0, EOVERFLOW), l_type (EINVAL), then the descriptor's mode " +
  "(EBADF: a read lock needs it open for reading, a write lock for writing; a pipe's read end " +
  "takes F_RDLCK only), then an OFD command's l_pid (EINVAL unless 0); F_GETLK takes only " +
  "F_RDLCK and F_WRLCK and ignores l_pid; an O_PATH descriptor is EBADF (check_fcntl_cmd) " +
  "(fs/fcntl.c do_fcntl; fs/locks.c fcntl_setlk, fcntl_getlk, flock64_to_posix_lock, " +
  "check_fmode_for_setlk).",
  [
    ...fifo, open(2, "O_RDONLY", "O_NONBLOCK"), open(2, "O_WRONLY"), S(2, "pipe"),
    open(2, "O_PATH"),
    setlk(2, 3, "F_WRLCK", 0, 1), setlk(2, 3, "F_RDLCK", 0, 1), setlk(2, 4, "F_RDLCK", 0, 1),
    setlk(2, 4, "F_WRLCK", 0, 1), setlk(2, 5, "F_WRLCK", 0, 1), setlk(2, 5, "F_RDLCK", 0, 1),
    setlk(2, 6, "F_RDLCK", 0, 1), setlk(2, 6, "F_WRLCK", 0, 1), setlk(2, 3, "F_UNLCK", 0, 0),
    setlk(2, 4, "F_UNLCK", 0, 0), setlk(2, 7, "F_RDLCK", 0, 1), getlk(2, 7, "F_RDLCK", 0, 1),
    setlk(2, 99, "F_RDLCK", 0, 1),
    fc(2, 3, "F_SETLK", FL(3, 0, 1)), fc(2, 3, "F_SETLK", FL(-1, 0, 1)),
    fc(2, 3, "F_GETLK", FL("F_UNLCK", 0, 1)), fc(2, 3, "F_GETLK", FL(7, 0, 1)),
    fc(2, 3, "F_OFD_GETLK", FL(7, 0, 1)), fc(2, 3, "F_SETLK", FL("F_RDLCK", 0, 1, 3)),
    fc(2, 3, "F_GETLK", FL("F_RDLCK", 0, 1, -1)),
    setlk(2, 3, "F_RDLCK", -1, 1), setlk(2, 3, "F_RDLCK", 5, -6), setlk(2, 3, "F_RDLCK", 5, -5),
    setlk(2, 3, "F_RDLCK", 2 ** 53 - 1, 2 ** 53 - 1), fc(2, 3, "F_SETLK", FL(9, -1, 1)),
    fc(2, 3, "F_SETLK", FL("F_WRLCK", -1, 1)),
    fc(2, 3, "F_OFD_SETLK", FL("F_RDLCK", 0, 1, undefined, 2)),
    fc(2, 3, "F_OFD_SETLKW", FL("F_RDLCK", 0, 1, undefined, -1)),
    fc(2, 3, "F_OFD_GETLK", FL("F_RDLCK", 0, 1, undefined, 1)),
    fc(2, 3, "F_GETLK", FL("F_RDLCK", 0, 1, undefined, 77)),
    fc(2, 3, "F_SETLK", FL("F_RDLCK", 0, 1, undefined, 77)),
    fc(2, 3, "F_SETLK", 0), fc(2, 3, "F_GETLK", 0), fc(2, 3, "F_SETLKW", 0),
    fc(2, 3, "F_OFD_GETLK", 0), fc(2, 3, "F_SETLK", FL("F_WRLCK", 0, 1)), fc(2, 99, "F_SETLK", 0),
  ]);

add("lock-fcntl-release",
  "A process's POSIX locks on a file go when it closes ANY descriptor of the file, through " +
  "any description (filp_flush -> locks_remove_posix): another open of the FIFO, a dup, a " +
  "descriptor dup2 replaces; another process's close leaves them; a waiter is woken by the " +
  "release; exit releases them (close of every descriptor) and wakes waiters; an OFD lock " +
  "stays until its description's last close (locks_remove_file from __fput) (fs/file.c " +
  "filp_flush, do_dup2; fs/locks.c locks_remove_posix, locks_remove_file).",
  [
    ...fifo, open(2, RDWR), open(2, RDWR), S(2, "fork"),
    setlk(2, 3, "F_WRLCK", 0, 10), probe(0, 0), S(2, "close", { fd: 4 }), probe(0, 0),
    setlk(2, 3, "F_WRLCK", 0, 10), S(2, "dup", { fd: 3 }), S(2, "close", { fd: 4 }), probe(0, 0),
    setlk(2, 3, "F_WRLCK", 0, 10), S(3, "close", { fd: 4 }), probe(0, 0),
    setlkw(3, 3, "F_WRLCK", 0, 10), open(2, "O_RDONLY", "O_NONBLOCK"), S(2, "close", { fd: 4 }),
    setlk(3, 3, "F_UNLCK", 0, 0),
    setlk(2, 3, "F_WRLCK", 0, 10), S(2, "pipe"), S(2, "dup2", { oldfd: 4, newfd: 3 }),
    probe(0, 0), S(2, "close", { fd: 4 }), S(2, "close", { fd: 5 }), open(2, RDWR),
    S(2, "fork"),
    setlk(4, 3, "F_WRLCK", 5, 5), setlkw(2, 3, "F_WRLCK", 0, 0), S(4, "exit", { status: 0 }),
    probe(0, 0), setlk(2, 3, "F_UNLCK", 0, 0),
    ofd(2, 3, "F_WRLCK", 0, 10), open(2, RDWR), S(2, "close", { fd: 4 }), probe(0, 0),
    S(2, "dup", { fd: 3 }), S(2, "close", { fd: 3 }), probe(0, 0), S(2, "close", { fd: 4 }),
    probe(0, 0),
    S(3, "exit", { status: 0 }),
  ]);

/** n children of pid 2 (pids first..), each locking byte `pid` of fd 3, then each waiting
 * for the next one's byte, the last for the first's. */
function ring(first, n) {
  const pids = Array.from({ length: n }, (_, i) => first + i);
  return [
    ...pids.map(() => S(2, "fork")),
    ...pids.map((p) => setlk(p, 3, "F_WRLCK", p, 1)),
    ...pids.map((p, i) => setlkw(p, 3, "F_WRLCK", pids[(i + 1) % n], 1)),
  ];
}
const killAll = (first, n) =>
  Array.from({ length: n }, (_, i) => S(2, "kill", { target: first + i, sig: "SIGKILL" }));
add("lock-deadlock",
  "F_SETLKW gives EDEADLK when its wait would close a cycle of POSIX lock owners, each " +
  "waiting for a byte the next holds: rings of 2, 3 and 12 processes; posix_locks_deadlock " +
  "follows at most MAX_DEADLK_ITERATIONS + 1 = 11 hops of what_owner_is_waiting_for, so a " +
  "ring of 13 is not seen and its last process sleeps (a real deadlock, ended here by SIGKILL, " +
  "whose exit releases the locks and wakes the next waiter) (fs/locks.c posix_locks_deadlock, " +
  "what_owner_is_waiting_for).",
  [
    ...fifo, open(2, RDWR),
    ...ring(3, 2), setlk(4, 3, "F_UNLCK", 0, 0), ...killAll(3, 2),
    ...ring(5, 3), ...killAll(5, 3),
    ...ring(8, 12), ...killAll(8, 12),
    ...ring(20, 13), S(2, "kill", { target: 32, sig: "SIGKILL" }), ...killAll(20, 12),
  ]);

add("lock-ofd",
  "Open file description locks (F_OFD_SETLK, F_OFD_SETLKW, F_OFD_GETLK) belong to the " +
  "description: processes sharing it (fork) do not conflict and can change each other's " +
  "locks; another description conflicts, and so does a POSIX lock, even of the same process; " +
  "F_GETLK and F_OFD_GETLK report an OFD lock with l_pid -1; F_OFD_GETLK with F_UNLCK reports " +
  "the caller's own lock (posix_test_locks_conflict); closing another descriptor of the file " +
  "leaves it; two descriptions waiting for each other's OFD locks sleep, no EDEADLK " +
  "(posix_locks_deadlock skips OFD callers) (fs/locks.c fcntl_setlk, fcntl_getlk, " +
  "posix_lock_to_flock, locks_translate_pid).",
  [
    ...fifo, open(2, RDWR), S(2, "fork"), S(2, "fork"), open(2, RDWR),
    ofd(2, 3, "F_WRLCK", 0, 10), ofd(3, 3, "F_WRLCK", 5, 10), ofd(3, 3, "F_RDLCK", 0, 2),
    ofd(2, 4, "F_WRLCK", 0, 1), setlk(3, 3, "F_WRLCK", 0, 1), getlk(3, 3, "F_WRLCK", 0, 0),
    getlk(2, 4, "F_RDLCK", 3, 1, "SEEK_SET", "F_OFD_GETLK"),
    fc(2, 3, "F_OFD_GETLK", FL("F_UNLCK", 0, 0)), fc(2, 4, "F_OFD_GETLK", FL("F_UNLCK", 0, 0)),
    setlk(2, 4, "F_WRLCK", 100, 1), fc(2, 4, "F_OFD_GETLK", FL("F_WRLCK", 100, 1)),
    getlk(3, 3, "F_WRLCK", 100, 1), ofd(2, 4, "F_WRLCK", 100, 1), S(2, "close", { fd: 4 }),
    getlk(3, 3, "F_WRLCK", 100, 1), open(2, RDWR), ofd(2, 4, "F_WRLCK", 200, 1),
    ofd(3, 3, "F_WRLCK", 200, 1, "F_OFD_SETLKW"), ofd(2, 4, "F_WRLCK", 0, 1, "F_OFD_SETLKW"),
    S(4, "kill", { target: 3, sig: "SIGKILL" }), ofd(4, 3, "F_UNLCK", 0, 0),
    S(4, "exit", { status: 0 }),
  ]);

const exits = (...pids) => pids.map((p) => S(p, "exit", { status: 0 }));
add("lock-wake-order",
  "Waiters form Linux's blocker tree (__locks_insert_block): a request that conflicts with a " +
  "held lock waits under it, or under the first of its waiters that it conflicts with; a " +
  "change to a lock wakes only its direct waiters, first come first (__locks_wake_up_blocks); " +
  "a woken request that gets its lock takes its own waiters along (locks_move_blocks), one " +
  "that does not sleeps again: here trimming the holder's lock wakes pids 3, 4 and 5 but not " +
  "pids 6 and 7 (waiting under pid 3's request, which each conflicts with); pid 3 gets its " +
  "bytes, and pids 6 and 7 wait on under pid 3's new lock until pid 3 unlocks, then both get " +
  "theirs (fs/locks.c posix_lock_inode, __locks_insert_block, __locks_wake_up_blocks, " +
  "locks_move_blocks, locks_delete_block).",
  [
    ...fifo, open(2, RDWR), ...[3, 4, 5, 6, 7].map(() => S(2, "fork")),
    setlk(2, 3, "F_WRLCK", 0, 100), setlkw(3, 3, "F_WRLCK", 0, 10),
    setlkw(4, 3, "F_RDLCK", 50, 10), setlkw(5, 3, "F_RDLCK", 55, 10),
    setlkw(6, 3, "F_WRLCK", 5, 1), setlkw(7, 3, "F_RDLCK", 8, 1),
    setlk(2, 3, "F_UNLCK", 0, 50), setlk(3, 3, "F_UNLCK", 0, 0), setlk(2, 3, "F_UNLCK", 0, 0),
    setlk(6, 3, "F_UNLCK", 0, 0), ...exits(3, 4, 5, 6, 7),
  ]);

add("lock-eintr",
  "A signal ends an F_SETLKW or flock wait with -ERESTARTSYS: EINTR after a handler without " +
  "SA_RESTART, a new wait after one with SA_RESTART or after SIGSTOP and SIGCONT; the " +
  "interrupted request leaves the blocker tree and its own waiters are woken to try again " +
  "(do_lock_file_wait, flock_lock_inode_wait, locks_delete_block; signal(7): F_SETLKW and " +
  "flock restart with SA_RESTART).",
  [
    ...fifo, open(2, RDWR), open(2, RDWR), S(2, "fork"), S(2, "fork"),
    S(3, "sigaction", { sig: "SIGUSR1", handler: "catch", flags: [] }),
    S(3, "sigaction", { sig: "SIGUSR2", handler: "catch", flags: ["SA_RESTART"] }),
    setlk(2, 3, "F_WRLCK", 0, 1), setlkw(3, 3, "F_WRLCK", 0, 10), setlkw(4, 3, "F_WRLCK", 0, 5),
    S(2, "kill", { target: 3, sig: "SIGUSR1" }), setlkw(3, 3, "F_WRLCK", 0, 10),
    S(2, "kill", { target: 3, sig: "SIGUSR2" }), S(2, "kill", { target: 3, sig: "SIGSTOP" }),
    S(2, "kill", { target: 3, sig: "SIGCONT" }), setlk(2, 3, "F_UNLCK", 0, 0),
    setlk(4, 3, "F_UNLCK", 0, 0), setlk(3, 3, "F_UNLCK", 0, 0),
    flock(2, 4, "LOCK_EX"), flock(3, 3, "LOCK_SH"), S(2, "kill", { target: 3, sig: "SIGUSR1" }),
    flock(3, 3, "LOCK_SH"), S(2, "kill", { target: 3, sig: "SIGUSR2" }), flock(2, 4, "LOCK_UN"),
    ...exits(3, 4),
  ]);
