// open(2)'s flags at the edges: build_open_flags' normalisation and refusals, what F_GETFL then
// reports, trailing slashes, and which errno wins (open-*; docs/audit/open.md). Linux:
// fs/open.c (build_open_how, build_open_flags, do_sys_openat2, do_dentry_open), fs/namei.c
// (path_openat, open_last_lookups, do_open, filename_create, do_unlinkat). Like the mmap cases
// these carry no hand-written expectations: record.mjs runs each on real Linux.

const S = (pid, call, args = {}) => ({ pid, call, ...args });

export const cases = [];
const add = (name, description, steps) => cases.push({ name, description, steps });

const O = {
  RDONLY: 0, WRONLY: 1, RDWR: 2, CREAT: 0o100, EXCL: 0o200, NOCTTY: 0o400, TRUNC: 0o1000,
  APPEND: 0o2000, NONBLOCK: 0o4000, DSYNC: 0o10000, ASYNC: 0o20000, DIRECT: 0o40000,
  LARGEFILE: 0o100000, DIRECTORY: 0o200000, NOFOLLOW: 0o400000, NOATIME: 0o1000000,
  CLOEXEC: 0o2000000, __O_SYNC: 0o4000000, PATH: 0o10000000, __O_TMPFILE: 0o20000000,
};
const mkfifo = (path = "f") => S(2, "mkfifo", { path, mode: "0644" });
const open = (flags, path = "f") => S(2, "open", { path, flags: flags >>> 0 });
const getfl = (fd) => S(2, "fcntl", { fd, cmd: "F_GETFL" });
const getfd = (fd) => S(2, "fcntl", { fd, cmd: "F_GETFD" });

add("open-flags-getfl",
  "open(2) keeps only VALID_OPEN_FLAGS (build_open_how), __O_SYNC brings O_DSYNC, O_LARGEFILE " +
  "is forced on 64-bit (force_o_largefile), do_dentry_open drops O_CREAT, O_EXCL, O_NOCTTY " +
  "and O_TRUNC; F_GETFL shows the rest, O_CLOEXEC is FD_CLOEXEC on the descriptor (fs/open.c " +
  "build_open_how, build_open_flags, do_dentry_open; fs/fcntl.c do_fcntl F_GETFL)",
  [
    mkfifo(),
    open(O.RDWR | 0x40000000 | 0x80000000),
    getfl(3),
    open(O.RDWR | O.__O_SYNC),
    getfl(4),
    open(O.RDWR | O.DSYNC | O.APPEND | O.NOATIME | O.NOFOLLOW),
    getfl(5),
    open(O.RDWR | O.CREAT | O.NOCTTY | O.TRUNC | O.CLOEXEC | O.LARGEFILE),
    getfl(6),
    getfd(6),
    open(O.RDWR | O.NONBLOCK | O.ASYNC),
    getfl(7),
    open(O.RDONLY | O.NONBLOCK | 0o40000000),
    getfl(8),
  ]);

add("open-flags-einval",
  "build_open_flags refuses before any lookup: O_CREAT|O_DIRECTORY, O_TMPFILE without write " +
  "access, __O_TMPFILE without O_DIRECTORY, O_TMPFILE with O_CREAT all give EINVAL, even for " +
  "a name that does not exist or is empty; the access mode 3 is refused only by the FIFO's " +
  "open (fs/open.c build_open_flags, do_sys_openat2: flags before getname; fs/pipe.c " +
  "fifo_open)",
  [
    mkfifo(),
    open(O.RDWR | O.CREAT | O.DIRECTORY),
    open(O.RDWR | O.CREAT | O.DIRECTORY, "missing"),
    open(O.RDWR | O.CREAT | O.DIRECTORY, ""),
    open(O.RDONLY | O.__O_TMPFILE | O.DIRECTORY, "missing"),
    open(O.RDWR | O.__O_TMPFILE, "missing"),
    open(O.RDWR | O.__O_TMPFILE | O.DIRECTORY | O.CREAT, "missing"),
    open(O.RDWR | O.CREAT | O.EXCL | O.DIRECTORY, ""),
    open(3),
    open(3 | O.NONBLOCK, "missing"),
    open(O.RDWR | O.DIRECTORY),
    open(O.RDWR | O.CREAT | O.EXCL),
    open(O.RDONLY | O.TRUNC | O.__O_TMPFILE | O.DIRECTORY, "missing"),
    open(3 | O.__O_TMPFILE | O.DIRECTORY, "missing"),
    open(O.PATH | O.CREAT | O.DIRECTORY | O.__O_TMPFILE, "missing"),
  ]);

add("open-trailing-slash",
  "a trailing slash asks for a directory: a FIFO named \"f/\" gives ENOTDIR for open, unlink " +
  "and mkfifo (EEXIST: the name exists), a missing \"x/\" gives ENOENT for open and unlink and " +
  "EISDIR for open with O_CREAT; mkfifo of \"x/\" gives ENOENT (fs/namei.c " +
  "open_last_lookups, do_open, filename_create, do_unlinkat)",
  [
    mkfifo(),
    open(O.RDWR, "f/"),
    open(O.RDWR | O.CREAT, "f/"),
    open(O.RDWR, "x/"),
    open(O.RDWR | O.CREAT, "x/"),
    open(O.RDWR | O.CREAT | O.EXCL, "x/"),
    mkfifo("f/"),
    mkfifo("x/"),
    S(2, "unlink", { path: "f/" }),
    S(2, "unlink", { path: "x/" }),
    open(O.RDWR, "f"),
  ]);

add("open-path-tmpfile",
  "O_PATH opens the FIFO without fifo_open (no wait for a partner) and keeps only O_PATH, " +
  "O_DIRECTORY, O_NOFOLLOW and O_CLOEXEC; its descriptor allows only F_DUPFD, F_DUPFD_CLOEXEC, " +
  "F_GETFD, F_SETFD, F_GETFL, F_DUPFD_QUERY and F_CREATED_QUERY (others EBADF), and read " +
  "and write give EBADF; O_TMPFILE on " +
  "a FIFO gives ENOTDIR (fs/open.c build_open_flags, do_dentry_open FMODE_PATH; fs/fcntl.c " +
  "check_fcntl_cmd)",
  [
    mkfifo(),
    open(O.PATH | O.RDONLY | O.NONBLOCK | O.APPEND | O.CLOEXEC),
    getfl(3),
    getfd(3),
    S(2, "fcntl", { fd: 3, cmd: "F_SETFL", arg: ["O_NONBLOCK"] }),
    S(2, "fcntl", { fd: 3, cmd: "F_GETPIPE_SZ" }),
    S(2, "fcntl", { fd: 3, cmd: "F_DUPFD", arg: 10 }),
    S(2, "fcntl", { fd: 3, cmd: "F_DUPFD_QUERY", arg: 10 }),
    S(2, "fcntl", { fd: 3, cmd: "F_CREATED_QUERY" }),
    S(2, "fcntl", { fd: 3, cmd: "F_GETLEASE" }),
    S(2, "fcntl", { fd: 3, cmd: "F_NOTIFY", arg: 0 }),
    S(2, "fcntl", { fd: 3, cmd: "F_SETFD", arg: 0 }),
    getfd(3),
    S(2, "read", { fd: 3, count: 1 }),
    S(2, "write", { fd: 3, data: "x" }),
    S(2, "close", { fd: 10 }),
    S(2, "close", { fd: 3 }),
    open(O.PATH | O.WRONLY),
    getfl(3),
    open(O.RDWR | O.__O_TMPFILE | O.DIRECTORY),
    open(O.RDWR | O.__O_TMPFILE | O.DIRECTORY, "missing"),
  ]);
