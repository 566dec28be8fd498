// FIFOs: mkfifo(3), open(2) of a FIFO, unlink(2), fifo(7).
// Linux: fs/pipe.c fifo_open (a 6.18 tree), fs/namei.c, fs/open.c; docs/linux-semantics.md 1.2.

import { BLOCKED, Case, EOF, err, fill, got, killed, ok, reapedBy, repeat, wake } from "./lib.mjs";

const RDONLY = ["O_RDONLY"];
const WRONLY = ["O_WRONLY"];
const RDWR = ["O_RDWR"];
const RD_NB = ["O_RDONLY", "O_NONBLOCK"];
const WR_NB = ["O_WRONLY", "O_NONBLOCK"];
const RDWR_NB = ["O_RDWR", "O_NONBLOCK"];
const mkfifo = (c, path = "f") => c.step(2, "mkfifo", { path, mode: "0644" }, ok(0));

export const cases = [];
const add = (f) => cases.push(f);

add(() => {
  const c = new Case("fifo-mkfifo-eexist",
    "mkfifo of an existing name gives EEXIST; unlink removes the name, after which the name can " +
    "be made again; unlink of a missing name gives ENOENT (fs/namei.c do_mknodat, do_unlinkat; " +
    "mkfifo(3) ERRORS: EEXIST; unlink(2) ERRORS: ENOENT; linux-semantics.md 1.2 [C]).");
  mkfifo(c);
  c.step(2, "mkfifo", { path: "f", mode: "0600" }, err("EEXIST"));
  c.step(2, "mkfifo", { path: "g", mode: "0644" }, ok(0));
  c.step(2, "unlink", { path: "f" }, ok(0));
  c.step(2, "unlink", { path: "f" }, err("ENOENT"));
  c.step(2, "mkfifo", { path: "f", mode: "0644" }, ok(0));
  c.step(2, "unlink", { path: "missing" }, err("ENOENT"));
  c.note("mkfifo takes no descriptor");
  c.step(2, "pipe", {}, ok(0, { fds: [3, 4] }));
  return c;
});

add(() => {
  const c = new Case("fifo-open-errors",
    "open of a FIFO path: a missing name gives ENOENT; a path through a FIFO as if it were a " +
    "directory gives ENOTDIR (through a missing name ENOENT); O_ACCMODE 3 gives EINVAL " +
    "(OPEN_FMODE(3) has neither FMODE_READ nor FMODE_WRITE, fs/pipe.c fifo_open default case); " +
    "O_CREAT|O_EXCL on an existing name gives EEXIST, O_CREAT alone opens it; failed opens take " +
    "no fd (open(2) ERRORS; fs/namei.c path_openat, do_open).");
  c.step(2, "open", { path: "missing", flags: RDWR }, err("ENOENT"));
  mkfifo(c);
  c.step(2, "open", { path: "f/x", flags: RDWR }, err("ENOTDIR"));
  c.step(2, "open", { path: "missing/x", flags: RDWR }, err("ENOENT"));
  c.step(2, "open", { path: "f", flags: 3 }, err("EINVAL"));
  c.note("O_DIRECTORY (0200000) on a FIFO");
  c.step(2, "open", { path: "f", flags: 65536 }, err("ENOTDIR"));
  c.step(2, "open", { path: "f", flags: ["O_RDWR", "O_CREAT", "O_EXCL"] }, err("EEXIST"));
  c.step(2, "open", { path: "f", flags: ["O_RDWR", "O_CREAT"] }, ok(3));
  c.note("O_TRUNC means nothing to a FIFO");
  c.step(2, "open", { path: "f", flags: ["O_RDWR", "O_TRUNC"] }, ok(4));
  return c;
});

add(() => {
  const c = new Case("fifo-path-errors",
    "Path errors of mkfifo, open and unlink: an empty path gives ENOENT; a component longer than " +
    "NAME_MAX (255) or a path of PATH_MAX (4096) bytes or more gives ENAMETOOLONG, while a " +
    "255-byte name works; a FIFO used as a directory gives ENOTDIR, a missing directory ENOENT " +
    "(fs/namei.c getname_flags: empty -> ENOENT, len == PATH_MAX -> ENAMETOOLONG; the " +
    "filesystem's lookup: d_name.len > NAME_MAX -> ENAMETOOLONG; link_path_walk: a non-directory " +
    "in the middle -> ENOTDIR; mkfifo(3), open(2), unlink(2) ERRORS).");
  const n255 = "n".repeat(255);
  const n256 = "n".repeat(256);
  c.step(2, "mkfifo", { path: "", mode: "0644" }, err("ENOENT"));
  c.step(2, "open", { path: "", flags: RDWR }, err("ENOENT"));
  c.step(2, "unlink", { path: "" }, err("ENOENT"));
  c.step(2, "mkfifo", { path: n256, mode: "0644" }, err("ENAMETOOLONG"));
  c.step(2, "open", { path: n256, flags: RDWR }, err("ENAMETOOLONG"));
  c.step(2, "unlink", { path: n256 }, err("ENAMETOOLONG"));
  c.step(2, "open", { path: "p".repeat(4096), flags: RDWR }, err("ENAMETOOLONG"));
  c.step(2, "mkfifo", { path: n255, mode: "0644" }, ok(0));
  c.step(2, "open", { path: n255, flags: RDWR }, ok(3));
  c.step(2, "unlink", { path: n255 }, ok(0));
  mkfifo(c);
  c.step(2, "mkfifo", { path: "f/x", mode: "0644" }, err("ENOTDIR"));
  c.step(2, "unlink", { path: "f/x" }, err("ENOTDIR"));
  c.step(2, "mkfifo", { path: "missing/x", mode: "0644" }, err("ENOENT"));
  c.step(2, "unlink", { path: "missing/x" }, err("ENOENT"));
  return c;
});

add(() => {
  const c = new Case("fifo-open-direct-einval",
    "open of a FIFO with O_DIRECT gives EINVAL, but only after fifo_open has run: a blocking " +
    "O_RDONLY|O_DIRECT open still waits for a writer (which it lets open), and a failing " +
    "O_RDONLY|O_NONBLOCK|O_DIRECT open still releases a writer blocked in open, which then has " +
    "no reader; O_WRONLY|O_NONBLOCK|O_DIRECT without a reader gives ENXIO first (fs/open.c " +
    "do_dentry_open: the O_DIRECT && !FMODE_CAN_ODIRECT check follows f_op->open, then the file " +
    "is fput and pipe_release runs). Confirmed on Linux 6.18.");
  mkfifo(c);
  c.step(2, "open", { path: "f", flags: ["O_WRONLY", "O_NONBLOCK", "O_DIRECT"] }, err("ENXIO"));
  c.step(2, "open", { path: "f", flags: ["O_RDWR", "O_DIRECT"] }, err("EINVAL"));
  c.step(2, "fork", {}, ok(3));
  const r = c.step(3, "open", { path: "f", flags: ["O_RDONLY", "O_DIRECT"] }, BLOCKED);
  c.note("the blocked reader counts as a reader: " +
    "a non-blocking writer may open; the reader then fails");
  c.step(2, "open", { path: "f", flags: WR_NB }, ok(3), [wake(3, r, err("EINVAL"))]);
  c.step(2, "close", { fd: 3 }, ok(0));
  c.note("a writer blocked in open is released by a reader open that then fails");
  const w = c.step(3, "open", { path: "f", flags: WRONLY }, BLOCKED);
  c.step(2, "open", { path: "f", flags: ["O_RDONLY", "O_NONBLOCK", "O_DIRECT"] }, err("EINVAL"),
    [wake(3, w, ok(3))]);
  c.step(3, "write", { fd: 3, data: "x" }, undefined, [killed(3, "SIGPIPE")]);
  c.step(2, "waitpid", { target: -1 }, reapedBy(3, "SIGPIPE"));
  return c;
});

add(() => {
  const c = new Case("fifo-rdonly-blocks-until-writer",
    "open(O_RDONLY) of a FIFO with no writer blocks until a writer opens it; the writer's open " +
    "does not block, since a reader (the sleeping one) is counted; then data flows and the " +
    "writer's close gives EOF (fs/pipe.c fifo_open FMODE_READ: " +
    "wait_for_partner(&pipe->w_counter); fifo(7); linux-semantics.md 1.2 [C]).");
  mkfifo(c);
  c.step(2, "fork", {}, ok(3));
  const r = c.step(3, "open", { path: "f", flags: RDONLY }, BLOCKED);
  c.step(2, "open", { path: "f", flags: WRONLY }, ok(3), [wake(3, r, ok(3))]);
  c.step(2, "write", { fd: 3, data: "hi" }, ok(2));
  c.step(3, "read", { fd: 3, count: 10 }, got("hi"));
  c.step(2, "close", { fd: 3 }, ok(0));
  c.step(3, "read", { fd: 3, count: 10 }, EOF);
  return c;
});

add(() => {
  const c = new Case("fifo-wronly-blocks-until-reader",
    "open(O_WRONLY) of a FIFO with no reader blocks until a reader opens it; the reader's open " +
    "does not block (fs/pipe.c fifo_open FMODE_WRITE: wait_for_partner(&pipe->r_counter); " +
    "fifo(7); linux-semantics.md 1.2 [C]).");
  mkfifo(c);
  c.step(2, "fork", {}, ok(3));
  const w = c.step(3, "open", { path: "f", flags: WRONLY }, BLOCKED);
  c.step(2, "open", { path: "f", flags: RDONLY }, ok(3), [wake(3, w, ok(3))]);
  c.step(3, "write", { fd: 3, data: "hi" }, ok(2));
  c.step(2, "read", { fd: 3, count: 10 }, got("hi"));
  return c;
});

add(() => {
  const c = new Case("fifo-rdonly-nonblock",
    "open(O_RDONLY|O_NONBLOCK) of a FIFO returns at once; before any writer a read gives 0 " +
    "(EOF), not EAGAIN; with a writer open and the FIFO empty, EAGAIN; after the writer closes, " +
    "0 again (fs/pipe.c fifo_open, anon_pipe_read; open(2) O_NONBLOCK; linux-semantics.md 1.2 " +
    "[C]).");
  mkfifo(c);
  c.step(2, "open", { path: "f", flags: RD_NB }, ok(3));
  c.step(2, "read", { fd: 3, count: 10 }, EOF);
  c.step(2, "open", { path: "f", flags: WR_NB }, ok(4));
  c.step(2, "read", { fd: 3, count: 10 }, err("EAGAIN"));
  c.step(2, "write", { fd: 4, data: "hi" }, ok(2));
  c.step(2, "read", { fd: 3, count: 10 }, got("hi"));
  c.step(2, "read", { fd: 3, count: 10 }, err("EAGAIN"));
  c.step(2, "close", { fd: 4 }, ok(0));
  c.step(2, "read", { fd: 3, count: 10 }, EOF);
  return c;
});

add(() => {
  const c = new Case("fifo-wronly-nonblock-enxio",
    "open(O_WRONLY|O_NONBLOCK) of a FIFO with no reader gives ENXIO, and succeeds while a reader " +
    "is open (fs/pipe.c fifo_open: O_NONBLOCK && !pipe->readers -> -ENXIO; open(2) ERRORS: " +
    "ENXIO; linux-semantics.md 1.2 [C][S]).");
  mkfifo(c);
  c.step(2, "open", { path: "f", flags: WR_NB }, err("ENXIO"));
  c.step(2, "open", { path: "f", flags: RD_NB }, ok(3));
  c.step(2, "open", { path: "f", flags: WR_NB }, ok(4));
  c.step(2, "close", { fd: 3 }, ok(0));
  c.note("no reader again (fd 4 is a writer)");
  c.step(2, "open", { path: "f", flags: WR_NB }, err("ENXIO"));
  c.note("an O_RDWR end is a reader");
  c.step(2, "open", { path: "f", flags: RDWR }, ok(3));
  c.step(2, "open", { path: "f", flags: WR_NB }, ok(5));
  return c;
});

add(() => {
  const c = new Case("fifo-rdwr-never-blocks",
    "open(O_RDWR) of a FIFO never blocks, even with no other party; the process can talk to " +
    "itself, and its end counts as both reader and writer for later opens (fs/pipe.c fifo_open: " +
    "'This implementation will NEVER block on a O_RDWR open'; fifo(7); linux-semantics.md 1.2 " +
    "[C][S]).");
  mkfifo(c);
  c.step(2, "open", { path: "f", flags: RDWR }, ok(3));
  c.note("O_RDWR|O_LARGEFILE (0100002): open() on x86_64 forces O_LARGEFILE");
  c.step(2, "fcntl", { fd: 3, cmd: "F_GETFL" }, ok(32770));
  c.step(2, "write", { fd: 3, data: "abc" }, ok(3));
  c.step(2, "read", { fd: 3, count: 10 }, got("abc"));
  c.step(2, "open", { path: "f", flags: RDONLY }, ok(4));
  c.step(2, "open", { path: "f", flags: WRONLY }, ok(5));
  c.step(2, "open", { path: "f", flags: RDWR_NB }, ok(6));
  return c;
});

add(() => {
  const c = new Case("fifo-blocked-opener-released",
    "A blocked FIFO opener is released by any open of the other side: an O_RDWR open, or an " +
    "O_RDONLY|O_NONBLOCK open (fs/pipe.c fifo_open: r_counter/w_counter move and " +
    "wake_up_partner; linux-semantics.md 1.2 [S]).");
  mkfifo(c);
  c.step(2, "fork", {}, ok(3));
  const w1 = c.step(3, "open", { path: "f", flags: WRONLY }, BLOCKED);
  c.step(2, "open", { path: "f", flags: RDWR }, ok(3), [wake(3, w1, ok(3))]);
  c.step(2, "close", { fd: 3 }, ok(0));
  c.step(3, "close", { fd: 3 }, ok(0));
  const w2 = c.step(3, "open", { path: "f", flags: WRONLY }, BLOCKED);
  c.step(2, "open", { path: "f", flags: RD_NB }, ok(3), [wake(3, w2, ok(3))]);
  c.step(3, "write", { fd: 3, data: "hey" }, ok(3));
  c.step(2, "read", { fd: 3, count: 10 }, got("hey"));
  c.step(2, "close", { fd: 3 }, ok(0));
  c.note("a reader blocked in open, released by an O_RDWR open");
  c.step(3, "close", { fd: 3 }, ok(0));
  const r = c.step(3, "open", { path: "f", flags: RDONLY }, BLOCKED);
  c.step(2, "open", { path: "f", flags: RDWR }, ok(3), [wake(3, r, ok(3))]);
  return c;
});

add(() => {
  const c = new Case("fifo-nonblock-writer-sees-blocked-reader",
    "A reader blocked in open is already counted as a reader, so an O_WRONLY|O_NONBLOCK open " +
    "succeeds instead of giving ENXIO, and releases it (fs/pipe.c fifo_open: pipe->readers++ " +
    "before wait_for_partner).");
  mkfifo(c);
  c.step(2, "fork", {}, ok(3));
  const r = c.step(3, "open", { path: "f", flags: RDONLY }, BLOCKED);
  c.step(2, "open", { path: "f", flags: WR_NB }, ok(3), [wake(3, r, ok(3))]);
  c.step(2, "write", { fd: 3, data: "ok" }, ok(2));
  c.step(3, "read", { fd: 3, count: 10 }, got("ok"));
  return c;
});

add(() => {
  const c = new Case("fifo-open-wakes-all-blocked",
    "One open of the other side releases every opener blocked on the FIFO: wake_up_partner wakes " +
    "all of them (fs/pipe.c wake_up_partner -> wake_up_interruptible_all(&pipe->rd_wait)).");
  mkfifo(c);
  c.step(2, "fork", {}, ok(3));
  c.step(2, "fork", {}, ok(4));
  const a = c.step(3, "open", { path: "f", flags: RDONLY }, BLOCKED);
  const b = c.step(4, "open", { path: "f", flags: RDONLY }, BLOCKED);
  c.step(2, "open", { path: "f", flags: WRONLY }, ok(3), [wake(3, a, ok(3)), wake(4, b, ok(3))]);
  return c;
});

add(() => {
  const c = new Case("fifo-blocked-reader-woken",
    "Reads and writes on a FIFO are pipe reads and writes: a read of an empty FIFO with a writer " +
    "sleeps until data comes, and the writer's last close gives a sleeping reader EOF (fs/pipe.c " +
    "fifo_pipe_read/fifo_pipe_write wrap anon_pipe_read/anon_pipe_write; pipe_release; " +
    "linux-semantics.md 1.2).");
  mkfifo(c);
  c.step(2, "fork", {}, ok(3));
  const o = c.step(3, "open", { path: "f", flags: RDONLY }, BLOCKED);
  c.step(2, "open", { path: "f", flags: WRONLY }, ok(3), [wake(3, o, ok(3))]);
  const r1 = c.step(3, "read", { fd: 3, count: 10 }, BLOCKED);
  c.step(2, "write", { fd: 3, data: "data" }, ok(4), [wake(3, r1, got("data"))]);
  const r2 = c.step(3, "read", { fd: 3, count: 10 }, BLOCKED);
  c.step(2, "close", { fd: 3 }, ok(0), [wake(3, r2, EOF)]);
  return c;
});

add(() => {
  const c = new Case("fifo-capacity",
    "A FIFO's buffer is a pipe's: 16 slots (F_GETPIPE_SZ 65536), 16 non-blocking 4096-byte " +
    "writes then EAGAIN, and F_SETPIPE_SZ works on it (fs/pipe.c: FIFOs use alloc_pipe_info and " +
    "pipe_fcntl).");
  mkfifo(c);
  c.step(2, "open", { path: "f", flags: RDWR_NB }, ok(3));
  c.step(2, "fcntl", { fd: 3, cmd: "F_GETPIPE_SZ" }, ok(65536));
  repeat(c, 16, 2, "write", { fd: 3, data: fill("x", 4096) }, ok(4096));
  c.step(2, "write", { fd: 3, data: "x" }, err("EAGAIN"));
  c.step(2, "fcntl", { fd: 3, cmd: "F_SETPIPE_SZ", arg: 32768 }, err("EBUSY"));
  c.step(2, "fcntl", { fd: 3, cmd: "F_SETPIPE_SZ", arg: 131072 }, ok(131072));
  c.step(2, "write", { fd: 3, data: "x" }, ok(1));
  return c;
});

add(() => {
  const c = new Case("fifo-data-lost-on-last-close",
    "FIFO data lives only while some end is open: with another end still open the data survives " +
    "a writer's close; when the last end closes the pipe is freed and unread data is lost, so a " +
    "new open finds the FIFO empty (fs/pipe.c pipe_release -> put_pipe_info -> free_pipe_info; " +
    "fifo(7); linux-semantics.md 1.2 [S]).");
  mkfifo(c);
  c.step(2, "open", { path: "f", flags: RDWR }, ok(3));
  c.step(2, "write", { fd: 3, data: "kept" }, ok(4));
  c.step(2, "open", { path: "f", flags: RD_NB }, ok(4));
  c.step(2, "close", { fd: 3 }, ok(0));
  c.step(2, "read", { fd: 4, count: 10 }, got("kept"));
  c.step(2, "read", { fd: 4, count: 10 }, EOF);
  c.step(2, "open", { path: "f", flags: WR_NB }, ok(3));
  c.step(2, "write", { fd: 3, data: "lost" }, ok(4));
  c.step(2, "close", { fd: 3 }, ok(0));
  c.step(2, "close", { fd: 4 }, ok(0));
  c.note("every end closed: the 4 bytes are gone");
  c.step(2, "open", { path: "f", flags: RDWR_NB }, ok(3));
  c.step(2, "read", { fd: 3, count: 10 }, err("EAGAIN"));
  return c;
});

add(() => {
  const c = new Case("fifo-unlink-while-open",
    "unlink of an open FIFO removes only the name: the open ends keep working on the same pipe, " +
    "the name no longer opens (ENOENT), and a new mkfifo of the name is a different FIFO " +
    "(fs/namei.c do_unlinkat; unlink(2): 'If the name was the last link to a file but any " +
    "processes still have the file open, the file will remain in existence until the last file " +
    "descriptor referring to it is closed').");
  mkfifo(c);
  c.step(2, "open", { path: "f", flags: RDWR }, ok(3));
  c.step(2, "unlink", { path: "f" }, ok(0));
  c.step(2, "write", { fd: 3, data: "still" }, ok(5));
  c.step(2, "read", { fd: 3, count: 10 }, got("still"));
  c.step(2, "open", { path: "f", flags: RDWR }, err("ENOENT"));
  mkfifo(c);
  c.step(2, "open", { path: "f", flags: RD_NB }, ok(4));
  c.step(2, "write", { fd: 3, data: "old" }, ok(3));
  c.note("the new FIFO has no writer and none of the old data");
  c.step(2, "read", { fd: 4, count: 10 }, EOF);
  c.step(2, "read", { fd: 3, count: 10 }, got("old"));
  return c;
});

add(() => {
  const c = new Case("fifo-status-flags",
    "F_GETFL of a FIFO opened with open() is its access mode and status flags plus O_LARGEFILE " +
    "(0100000), never O_CLOEXEC (a descriptor flag, seen with F_GETFD); open's " +
    "O_CREAT/O_EXCL/O_NOCTTY/O_TRUNC are dropped; F_SETFL replaces only the settable flags " +
    "(fs/open.c build_open_flags forces O_LARGEFILE on 64-bit, do_dentry_open clears " +
    "O_CREAT|O_EXCL|O_NOCTTY|O_TRUNC; fs/fcntl.c setfl SETFL_MASK, O_DIRECT allowed when " +
    "S_ISFIFO; fs/pipe.c is_packetized).");
  mkfifo(c);
  c.note("O_RDONLY|O_NONBLOCK|O_LARGEFILE = 0104000");
  c.step(2, "open", { path: "f", flags: ["O_RDONLY", "O_NONBLOCK", "O_CLOEXEC"] }, ok(3));
  c.step(2, "fcntl", { fd: 3, cmd: "F_GETFL" }, ok(34816));
  c.step(2, "fcntl", { fd: 3, cmd: "F_GETFD" }, ok(1));
  c.note("O_WRONLY|O_APPEND|O_LARGEFILE = 0102001");
  c.step(2, "open", { path: "f", flags: ["O_WRONLY", "O_APPEND", "O_CREAT", "O_TRUNC"] }, ok(4));
  c.step(2, "fcntl", { fd: 4, cmd: "F_GETFL" }, ok(33793));
  c.step(2, "fcntl", { fd: 4, cmd: "F_GETFD" }, ok(0));
  c.note("F_SETFL O_NONBLOCK clears O_APPEND and keeps the access mode and O_LARGEFILE");
  c.step(2, "fcntl", { fd: 4, cmd: "F_SETFL", arg: ["O_NONBLOCK"] }, ok(0));
  c.step(2, "fcntl", { fd: 4, cmd: "F_GETFL" }, ok(34817));
  c.note("O_DIRECT is allowed on a FIFO (S_ISFIFO) and makes its writes packets, as on a pipe");
  c.step(2, "fcntl", { fd: 4, cmd: "F_SETFL", arg: ["O_NONBLOCK", "O_DIRECT"] }, ok(0));
  c.step(2, "fcntl", { fd: 4, cmd: "F_GETFL" }, ok(51201));
  c.step(2, "write", { fd: 4, data: "ab" }, ok(2));
  c.step(2, "write", { fd: 4, data: "cd" }, ok(2));
  c.step(2, "read", { fd: 3, count: 10 }, got("ab"));
  c.step(2, "read", { fd: 3, count: 10 }, got("cd"));
  return c;
});

add(() => {
  const c = new Case("fifo-writer-sigpipe",
    "A FIFO writer whose readers have all closed gets SIGPIPE (killed by default) and EPIPE, as " +
    "on a pipe (fs/pipe.c fifo_pipe_write -> anon_pipe_write; fifo(7)).");
  mkfifo(c);
  c.step(2, "fork", {}, ok(3));
  c.step(2, "open", { path: "f", flags: RD_NB }, ok(3));
  c.step(3, "open", { path: "f", flags: WRONLY }, ok(3));
  c.step(3, "write", { fd: 3, data: "a" }, ok(1));
  c.step(2, "close", { fd: 3 }, ok(0));
  c.step(3, "write", { fd: 3, data: "b" }, undefined, [killed(3, "SIGPIPE")]);
  c.step(2, "waitpid", { target: 3 }, reapedBy(3, "SIGPIPE"));
  return c;
});
