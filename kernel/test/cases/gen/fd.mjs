// Descriptors: close(2), dup(2), dup2(2), fcntl(2) (F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD,
// F_GETFL, F_SETFL), RLIMIT_NOFILE (1024 in the model and the bridge).
// Linux: fs/file.c (alloc_fd, ksys_dup, ksys_dup3, dup2), fs/fcntl.c (do_fcntl, setfl, f_dupfd),
// fs/open.c (close).

import { BLOCKED, Case, EOF, err, got, ok, repeat, wake } from "./lib.mjs";

export const cases = [];
const add = (f) => cases.push(f);

add(() => {
  const c = new Case("fd-closed-ebadf",
    "Every call on a descriptor that is not open gives EBADF: a closed fd, a negative fd, an fd " +
    "at or past RLIMIT_NOFILE; closing twice gives EBADF the second time (close(2), read(2), " +
    "write(2), dup(2), fcntl(2) ERRORS: EBADF; fs/file.c close_fd, fs/fcntl.c: fdget before the " +
    "command is looked at).");
  c.step(2, "pipe", {}, ok(0, { fds: [3, 4] }));
  c.step(2, "close", { fd: 4 }, ok(0));
  c.step(2, "close", { fd: 4 }, err("EBADF"));
  c.step(2, "write", { fd: 4, data: "x" }, err("EBADF"));
  c.step(2, "read", { fd: 4, count: 1 }, err("EBADF"));
  c.step(2, "dup", { fd: 4 }, err("EBADF"));
  c.step(2, "dup2", { oldfd: 4, newfd: 10 }, err("EBADF"));
  c.step(2, "fcntl", { fd: 4, cmd: "F_GETFL" }, err("EBADF"));
  c.step(2, "fcntl", { fd: 4, cmd: "F_GETPIPE_SZ" }, err("EBADF"));
  c.note("EBADF before the command is checked: an unknown command on a bad fd");
  c.step(2, "fcntl", { fd: 4, cmd: 9999 }, err("EBADF"));
  c.step(2, "close", { fd: -1 }, err("EBADF"));
  c.step(2, "close", { fd: 1024 }, err("EBADF"));
  c.step(2, "read", { fd: -1, count: 1 }, err("EBADF"));
  c.step(2, "write", { fd: 1023, data: "x" }, err("EBADF"));
  c.step(2, "dup", { fd: 100000 }, err("EBADF"));
  c.note("a zero-length read or write on a bad fd is still EBADF");
  c.step(2, "read", { fd: 4, count: 0 }, err("EBADF"));
  c.step(2, "write", { fd: 4, data: "" }, err("EBADF"));
  c.note("the read end is untouched; with the write end gone it reads EOF");
  c.step(2, "read", { fd: 3, count: 1 }, EOF);
  return c;
});

add(() => {
  const c = new Case("fd-dup-lowest",
    "dup returns the lowest free descriptor; the copy shares the open file description (status " +
    "flags, pipe end) but not the FD_CLOEXEC descriptor flag (dup(2): 'The two file descriptors " +
    "... share file status flags ... The close-on-exec flag for the duplicate descriptor is " +
    "off'; fs/file.c ksys_dup -> get_unused_fd_flags(0)).");
  c.step(2, "pipe", { flags: ["O_CLOEXEC"] }, ok(0, { fds: [3, 4] }));
  c.step(2, "dup", { fd: 4 }, ok(5));
  c.step(2, "fcntl", { fd: 5, cmd: "F_GETFD" }, ok(0));
  c.step(2, "fcntl", { fd: 4, cmd: "F_GETFD" }, ok(1));
  c.note("a status flag set through one is seen through the other");
  c.step(2, "fcntl", { fd: 5, cmd: "F_SETFL", arg: ["O_NONBLOCK"] }, ok(0));
  c.step(2, "fcntl", { fd: 4, cmd: "F_GETFL" }, ok(2049));
  c.step(2, "write", { fd: 5, data: "via 5" }, ok(5));
  c.step(2, "close", { fd: 4 }, ok(0));
  c.step(2, "read", { fd: 3, count: 10 }, got("via 5"));
  c.note("the lowest free fd: 0 after closing it, then 4");
  c.step(2, "close", { fd: 0 }, ok(0));
  c.step(2, "dup", { fd: 3 }, ok(0));
  c.step(2, "dup", { fd: 3 }, ok(4));
  c.step(2, "dup", { fd: 3 }, ok(6));
  return c;
});

add(() => {
  const c = new Case("fd-dup2",
    "dup2(oldfd, newfd) makes newfd a copy of oldfd, closing newfd first if it was open (here " +
    "the only write end: the reader then sees EOF); oldfd == newfd returns newfd if it is valid, " +
    "else EBADF; a bad oldfd gives EBADF and leaves newfd open; newfd at or past RLIMIT_NOFILE " +
    "or negative gives EBADF; the copy has FD_CLOEXEC off (dup2(2); fs/file.c SYSCALL dup2, " +
    "ksys_dup3, do_dup2).");
  c.step(2, "pipe", { flags: ["O_NONBLOCK"] }, ok(0, { fds: [3, 4] }));
  c.step(2, "dup2", { oldfd: 3, newfd: 3 }, ok(3));
  c.step(2, "dup2", { oldfd: 9, newfd: 9 }, err("EBADF"));
  c.step(2, "dup2", { oldfd: 3, newfd: 1024 }, err("EBADF"));
  c.step(2, "dup2", { oldfd: 3, newfd: -1 }, err("EBADF"));
  c.step(2, "dup2", { oldfd: 9, newfd: 4 }, err("EBADF"));
  c.note("fd 4 is still the write end");
  c.step(2, "write", { fd: 4, data: "x" }, ok(1));
  c.step(2, "dup2", { oldfd: 4, newfd: 1023 }, ok(1023));
  c.step(2, "write", { fd: 1023, data: "y" }, ok(1));
  c.step(2, "close", { fd: 1023 }, ok(0));
  c.note("dup2 over the last write end closes it: fd 4 becomes a read end");
  c.step(2, "dup2", { oldfd: 3, newfd: 4 }, ok(4));
  c.step(2, "read", { fd: 4, count: 10 }, got("xy"));
  c.step(2, "read", { fd: 3, count: 10 }, EOF);
  c.step(2, "write", { fd: 4, data: "z" }, err("EBADF"));
  c.note("FD_CLOEXEC is not copied");
  c.step(2, "fcntl", { fd: 3, cmd: "F_SETFD", arg: ["FD_CLOEXEC"] }, ok(0));
  c.step(2, "dup2", { oldfd: 3, newfd: 20 }, ok(20));
  c.step(2, "fcntl", { fd: 20, cmd: "F_GETFD" }, ok(0));
  c.note("dup2 onto an fd holding the same description still works (and resets FD_CLOEXEC)");
  c.step(2, "fcntl", { fd: 20, cmd: "F_SETFD", arg: ["FD_CLOEXEC"] }, ok(0));
  c.step(2, "dup2", { oldfd: 3, newfd: 20 }, ok(20));
  c.step(2, "fcntl", { fd: 20, cmd: "F_GETFD" }, ok(0));
  return c;
});

add(() => {
  const c = new Case("fd-fcntl-dupfd",
    "F_DUPFD returns the lowest free descriptor >= arg; F_DUPFD_CLOEXEC also sets FD_CLOEXEC; " +
    "arg at or past RLIMIT_NOFILE (or negative, huge as unsigned) gives EINVAL; with no free fd " +
    ">= arg, EMFILE (fcntl(2) F_DUPFD ERRORS EINVAL/EMFILE; fs/fcntl.c f_dupfd: from >= " +
    "rlimit(RLIMIT_NOFILE) -> -EINVAL; fs/file.c alloc_fd).");
  c.step(2, "pipe", {}, ok(0, { fds: [3, 4] }));
  c.step(2, "fcntl", { fd: 4, cmd: "F_DUPFD", arg: 10 }, ok(10));
  c.step(2, "fcntl", { fd: 4, cmd: "F_DUPFD", arg: 10 }, ok(11));
  c.step(2, "fcntl", { fd: 4, cmd: "F_DUPFD", arg: 0 }, ok(5));
  c.step(2, "fcntl", { fd: 10, cmd: "F_GETFD" }, ok(0));
  c.step(2, "fcntl", { fd: 4, cmd: "F_DUPFD_CLOEXEC", arg: 10 }, ok(12));
  c.step(2, "fcntl", { fd: 12, cmd: "F_GETFD" }, ok(1));
  c.step(2, "fcntl", { fd: 4, cmd: "F_DUPFD", arg: 1024 }, err("EINVAL"));
  c.step(2, "fcntl", { fd: 4, cmd: "F_DUPFD_CLOEXEC", arg: 1024 }, err("EINVAL"));
  c.step(2, "fcntl", { fd: 4, cmd: "F_DUPFD", arg: -1 }, err("EINVAL"));
  c.step(2, "fcntl", { fd: 4, cmd: "F_DUPFD", arg: 1023 }, ok(1023));
  c.step(2, "fcntl", { fd: 4, cmd: "F_DUPFD", arg: 1023 }, err("EMFILE"));
  c.note("the copies are write ends of the same pipe");
  c.step(2, "write", { fd: 1023, data: "a" }, ok(1));
  c.step(2, "write", { fd: 12, data: "b" }, ok(1));
  c.step(2, "read", { fd: 3, count: 10 }, got("ab"));
  return c;
});

add(() => {
  const c = new Case("fd-fcntl-fd-flags",
    "F_GETFD/F_SETFD read and set the per-descriptor FD_CLOEXEC flag (only that bit of arg " +
    "counts); it belongs to the descriptor, not the description, and fork copies it (fcntl(2) " +
    "F_SETFD; fs/fcntl.c do_fcntl: set_close_on_exec(fd, argi & FD_CLOEXEC); fs/file.c dup_fd " +
    "copies close_on_exec).");
  c.step(2, "pipe", {}, ok(0, { fds: [3, 4] }));
  c.step(2, "fcntl", { fd: 3, cmd: "F_GETFD" }, ok(0));
  c.step(2, "fcntl", { fd: 3, cmd: "F_SETFD", arg: ["FD_CLOEXEC"] }, ok(0));
  c.step(2, "fcntl", { fd: 3, cmd: "F_GETFD" }, ok(1));
  c.note("the other end and a dup are not affected");
  c.step(2, "fcntl", { fd: 4, cmd: "F_GETFD" }, ok(0));
  c.step(2, "dup", { fd: 3 }, ok(5));
  c.step(2, "fcntl", { fd: 5, cmd: "F_GETFD" }, ok(0));
  c.note("bits other than FD_CLOEXEC are ignored: 0xfe clears it, 0xff sets it");
  c.step(2, "fcntl", { fd: 3, cmd: "F_SETFD", arg: 254 }, ok(0));
  c.step(2, "fcntl", { fd: 3, cmd: "F_GETFD" }, ok(0));
  c.step(2, "fcntl", { fd: 3, cmd: "F_SETFD", arg: 255 }, ok(0));
  c.step(2, "fcntl", { fd: 3, cmd: "F_GETFD" }, ok(1));
  c.note("fork copies the descriptor flags");
  c.step(2, "fork", {}, ok(3));
  c.step(3, "fcntl", { fd: 3, cmd: "F_GETFD" }, ok(1));
  c.step(3, "fcntl", { fd: 5, cmd: "F_GETFD" }, ok(0));
  c.step(3, "fcntl", { fd: 3, cmd: "F_SETFD", arg: 0 }, ok(0));
  c.step(2, "fcntl", { fd: 3, cmd: "F_GETFD" }, ok(1));
  return c;
});

add(() => {
  const c = new Case("fd-fcntl-setfl-mask",
    "F_SETFL sets only O_APPEND, O_NONBLOCK, O_DIRECT, O_NOATIME and O_ASYNC; the access mode " +
    "and the other open flags in arg are ignored; F_GETFL returns access mode | status flags " +
    "(fcntl(2) F_SETFL: 'File access mode and file creation flags in arg are ignored'; " +
    "fs/fcntl.c setfl: SETFL_MASK). O_ASYNC is not exercised (it would arm SIGIO).");
  c.step(2, "pipe", {}, ok(0, { fds: [3, 4] }));
  c.note("O_WRONLY|O_APPEND|O_NONBLOCK|O_DIRECT = 043001");
  c.step(2, "fcntl", { fd: 4, cmd: "F_SETFL", arg: ["O_APPEND", "O_NONBLOCK", "O_DIRECT"] }, ok(0));
  c.step(2, "fcntl", { fd: 4, cmd: "F_GETFL" }, ok(19457));
  c.note("O_RDWR|O_CREAT|O_EXCL|O_TRUNC|O_NOCTTY|O_CLOEXEC: " +
    "all ignored, the settable flags are cleared");
  const ignored = ["O_RDWR", "O_CREAT", "O_EXCL", "O_TRUNC", "O_NOCTTY", "O_CLOEXEC"];
  c.step(2, "fcntl", { fd: 4, cmd: "F_SETFL", arg: ignored }, ok(0));
  c.step(2, "fcntl", { fd: 4, cmd: "F_GETFL" }, ok(1));
  c.step(2, "fcntl", { fd: 4, cmd: "F_GETFD" }, ok(0));
  c.note("O_NOATIME (01000000) | O_NONBLOCK on the read end: the pipe's owner may set O_NOATIME");
  c.step(2, "fcntl", { fd: 3, cmd: "F_SETFL", arg: 264192 }, ok(0));
  c.step(2, "fcntl", { fd: 3, cmd: "F_GETFL" }, ok(264192));
  c.step(2, "read", { fd: 3, count: 1 }, err("EAGAIN"));
  c.note("the access mode stays O_WRONLY: the write end still cannot read");
  c.step(2, "read", { fd: 4, count: 1 }, err("EBADF"));
  return c;
});

add(() => {
  const c = new Case("fd-fcntl-setfl-names",
    "F_SETFL takes any open-style flag name: the ones outside SETFL_MASK (O_SYNC, O_DSYNC, " +
    "O_PATH, O_TMPFILE, O_DIRECTORY, O_NOFOLLOW, O_LARGEFILE, ...) are ignored, as Linux " +
    "ignores them; O_NDELAY is O_NONBLOCK (fs/fcntl.c setfl: SETFL_MASK; docs/audit/names.md; " +
    "issue 21: the trace format refused these names before Linux could).");
  c.step(2, "pipe", {}, ok(0, { fds: [3, 4] }));
  const ignored = [
    "O_SYNC", "O_DSYNC", "__O_SYNC", "O_RSYNC", "O_PATH", "O_TMPFILE", "O_DIRECTORY",
    "O_NOFOLLOW", "O_LARGEFILE", "O_ACCMODE",
  ];
  c.step(2, "fcntl", { fd: 4, cmd: "F_SETFL", arg: ignored }, ok(0));
  c.note("the write end is still just O_WRONLY");
  c.step(2, "fcntl", { fd: 4, cmd: "F_GETFL" }, ok(1));
  c.step(2, "fcntl", { fd: 4, cmd: "F_SETFL", arg: ["O_NDELAY", "O_FSYNC"] }, ok(0));
  c.note("O_WRONLY|O_NONBLOCK = 04001");
  c.step(2, "fcntl", { fd: 4, cmd: "F_GETFL" }, ok(2049));
  return c;
});

add(() => {
  const c = new Case("fd-fcntl-bad-cmd",
    "An unknown fcntl command gives EINVAL; F_GETPIPE_SZ and F_SETPIPE_SZ on a file that is not " +
    "a pipe or FIFO give EBADF (fcntl(2) ERRORS: EINVAL 'The value specified in cmd is not " +
    "recognized by this kernel'; fs/fcntl.c do_fcntl default -EINVAL; fs/pipe.c pipe_fcntl: " +
    "!get_pipe_info -> -EBADF; linux-semantics.md 1.1 [C]).");
  c.step(2, "pipe", {}, ok(0, { fds: [3, 4] }));
  c.step(2, "fcntl", { fd: 3, cmd: 9999 }, err("EINVAL"));
  c.step(2, "fcntl", { fd: 3, cmd: 12345, arg: 1 }, err("EINVAL"));
  c.note("fd 0 is /dev/null");
  c.step(2, "fcntl", { fd: 0, cmd: "F_GETPIPE_SZ" }, err("EBADF"));
  c.step(2, "fcntl", { fd: 0, cmd: "F_SETPIPE_SZ", arg: 4096 }, err("EBADF"));
  c.step(2, "fcntl", { fd: 0, cmd: 9999 }, err("EINVAL"));
  return c;
});

add(() => {
  const c = new Case("fd-devnull",
    "The first process starts with fds 0, 1 and 2 open on /dev/null, O_RDWR: reads give 0 (EOF), " +
    "writes succeed whole; open() adds O_LARGEFILE, so F_GETFL is 0100002; closing them frees " +
    "the lowest fds (drivers/char/mem.c read_null/write_null; the trace contract's initial " +
    "state); F_SETFL O_DIRECT on it gives EINVAL (fs/fcntl.c setfl: !S_ISFIFO && O_DIRECT && " +
    "!FMODE_CAN_ODIRECT -> -EINVAL; confirmed on Linux 6.18).");
  c.step(2, "read", { fd: 0, count: 10 }, EOF);
  c.step(2, "write", { fd: 1, data: "discarded" }, ok(9));
  c.step(2, "write", { fd: 2, data: "" }, ok(0));
  c.step(2, "read", { fd: 2, count: 10 }, EOF);
  c.step(2, "fcntl", { fd: 0, cmd: "F_GETFL" }, ok(32770));
  c.step(2, "fcntl", { fd: 1, cmd: "F_GETFD" }, ok(0));
  c.note("0, 1 and 2 are one open file description: a status flag set through 0 shows through 2");
  c.step(2, "fcntl", { fd: 0, cmd: "F_SETFL", arg: ["O_NONBLOCK"] }, ok(0));
  c.step(2, "fcntl", { fd: 2, cmd: "F_GETFL" }, ok(34818));
  c.note("O_DIRECT is packet mode only on pipes and FIFOs; " +
    "/dev/null cannot do direct I/O: EINVAL, nothing changes");
  c.step(2, "fcntl", { fd: 0, cmd: "F_SETFL", arg: ["O_DIRECT"] }, err("EINVAL"));
  c.step(2, "fcntl", { fd: 0, cmd: "F_GETFL" }, ok(34818));
  c.step(2, "fcntl", { fd: 1, cmd: "F_SETFL", arg: [] }, ok(0));
  c.step(2, "fcntl", { fd: 0, cmd: "F_GETFL" }, ok(32770));
  c.step(2, "close", { fd: 1 }, ok(0));
  c.step(2, "pipe", {}, ok(0, { fds: [1, 3] }));
  return c;
});

add(() => {
  const c = new Case("fd-fork-shares-descriptions",
    "fork gives the child a copy of the descriptor table naming the same open file descriptions: " +
    "status flags set by one process are seen by the other, while closing a descriptor affects " +
    "only the process that closes it (fork(2): 'The child inherits copies of the parent's set of " +
    "open file descriptors ... refer to the same open file descriptions'; kernel/fork.c " +
    "copy_files -> dup_fd).");
  c.step(2, "pipe", {}, ok(0, { fds: [3, 4] }));
  c.step(2, "fork", {}, ok(3));
  c.step(3, "fcntl", { fd: 3, cmd: "F_SETFL", arg: ["O_NONBLOCK"] }, ok(0));
  c.step(2, "fcntl", { fd: 3, cmd: "F_GETFL" }, ok(2048));
  c.step(2, "read", { fd: 3, count: 1 }, err("EAGAIN"));
  c.step(3, "close", { fd: 4 }, ok(0));
  c.step(2, "write", { fd: 4, data: "p" }, ok(1));
  c.step(3, "read", { fd: 3, count: 1 }, got("p"));
  c.note("the child's new descriptors are its own");
  c.step(3, "dup", { fd: 3 }, ok(4));
  c.step(2, "dup", { fd: 3 }, ok(5));
  return c;
});

add(() => {
  const c = new Case("fd-emfile",
    "With RLIMIT_NOFILE 1024, once fds 0..1023 are all open, dup, F_DUPFD, pipe and open give " +
    "EMFILE (open before looking at the path); pipe needs two free fds and a failed pipe leaves " +
    "none taken (dup(2), pipe(2), open(2) ERRORS: EMFILE; fs/file.c alloc_fd: fd >= end -> " +
    "-EMFILE; fs/open.c do_sys_openat2 takes the fd before do_filp_open; fs/pipe.c " +
    "__do_pipe_flags put_unused_fd).");
  c.step(2, "mkfifo", { path: "f", mode: "0644" }, ok(0));
  c.note("1021 dups of fd 0 fill fds 3..1023");
  for (let fd = 3; fd < 1024; fd++) c.step(2, "dup", { fd: 0 }, ok(fd));
  c.step(2, "dup", { fd: 0 }, err("EMFILE"));
  c.step(2, "fcntl", { fd: 0, cmd: "F_DUPFD", arg: 0 }, err("EMFILE"));
  c.step(2, "pipe", {}, err("EMFILE"));
  c.step(2, "open", { path: "f", flags: ["O_RDWR"] }, err("EMFILE"));
  c.step(2, "open", { path: "missing", flags: ["O_RDWR"] }, err("EMFILE"));
  c.note("dup2 onto an open fd needs no new one");
  c.step(2, "dup2", { oldfd: 0, newfd: 1000 }, ok(1000));
  c.note("one free fd: pipe still fails, and gives it back");
  c.step(2, "close", { fd: 1000 }, ok(0));
  c.step(2, "pipe", {}, err("EMFILE"));
  c.step(2, "dup", { fd: 0 }, ok(1000));
  c.step(2, "close", { fd: 1000 }, ok(0));
  c.step(2, "close", { fd: 7 }, ok(0));
  c.step(2, "pipe", {}, ok(0, { fds: [7, 1000] }));
  c.step(2, "close", { fd: 1023 }, ok(0));
  c.step(2, "open", { path: "f", flags: ["O_RDWR"] }, ok(1023));
  c.step(2, "fcntl", { fd: 0, cmd: "F_DUPFD", arg: 0 }, err("EMFILE"));
  return c;
});

add(() => {
  const c = new Case("fd-close-last-reference",
    "close drops one reference to the open file description; only the last reference releases " +
    "the pipe end, so closing one of two copies of the last write end does not wake a blocked " +
    "reader (fs/open.c close -> filp_close -> fput; fs/file_table.c __fput -> pipe_release runs " +
    "once per description).");
  c.step(2, "pipe", {}, ok(0, { fds: [3, 4] }));
  c.step(2, "dup", { fd: 4 }, ok(5));
  c.step(2, "fork", {}, ok(3));
  c.step(3, "close", { fd: 4 }, ok(0));
  c.step(3, "close", { fd: 5 }, ok(0));
  const r = c.step(3, "read", { fd: 3, count: 10 }, BLOCKED);
  c.step(2, "close", { fd: 4 }, ok(0));
  c.step(2, "close", { fd: 5 }, ok(0), [wake(3, r, EOF)]);
  return c;
});
