// Anonymous pipes: pipe(2)/pipe2(2), read(2), write(2), pipe(7), F_SETPIPE_SZ (fcntl(2)).
// Linux: fs/pipe.c (a 6.18 tree); docs/linux-semantics.md section 1.1.
// The blocking and wake-up cases are in pipe-wait.mjs; `cases` ends with them.

import { BLOCKED, Case, EOF, err, exited, fill, got, killed, ok, reaped, reapedBy, repeat, wake }
  from "./lib.mjs";
import { cases as waitCases } from "./pipe-wait.mjs";

const NB = { flags: ["O_NONBLOCK"] };
const W4096 = { fd: 4, data: fill("x", 4096) };

export const cases = [];
const add = (f) => cases.push(f);

add(() => {
  const c = new Case("pipe-fds-lowest",
    "pipe2 gives the read end the lowest free fd and the write end the next lowest free one: two " +
    "get_unused_fd_flags calls, read end first (fs/pipe.c __do_pipe_flags; " +
    "linux-semantics.md 1.1).");
  c.note("fds 0, 1, 2 are /dev/null, so the first pipe is [3, 4]");
  c.step(2, "pipe", {}, ok(0, { fds: [3, 4] }));
  c.step(2, "pipe", {}, ok(0, { fds: [5, 6] }));
  c.note("free 0 and 4: the read end takes 0, the write end 4");
  c.step(2, "close", { fd: 4 }, ok(0));
  c.step(2, "close", { fd: 0 }, ok(0));
  c.step(2, "pipe", {}, ok(0, { fds: [0, 4] }));
  c.note("free only 5: the read end takes 5, the write end the lowest free one after it, 7");
  c.step(2, "close", { fd: 5 }, ok(0));
  c.step(2, "pipe", {}, ok(0, { fds: [5, 7] }));
  return c;
});

add(() => {
  const c = new Case("pipe-pipe2-flags",
    "pipe2 flags: O_NONBLOCK on both ends, O_CLOEXEC as FD_CLOEXEC on both fds, O_DIRECT on the " +
    "write end only (fs/pipe.c create_pipe_files: the write file gets O_WRONLY|(flags & " +
    "(O_NONBLOCK|O_DIRECT)), its clone O_RDONLY|(flags & O_NONBLOCK)); F_GETFL of a pipe end has " +
    "no O_LARGEFILE (alloc_file_pseudo, not open).");
  c.step(2, "pipe", NB, ok(0, { fds: [3, 4] }));
  c.note("O_RDONLY|O_NONBLOCK = 04000, O_WRONLY|O_NONBLOCK = 04001");
  c.step(2, "fcntl", { fd: 3, cmd: "F_GETFL" }, ok(2048));
  c.step(2, "fcntl", { fd: 4, cmd: "F_GETFL" }, ok(2049));
  c.step(2, "fcntl", { fd: 3, cmd: "F_GETFD" }, ok(0));
  c.step(2, "read", { fd: 3, count: 10 }, err("EAGAIN"));
  c.step(2, "pipe", { flags: ["O_CLOEXEC"] }, ok(0, { fds: [5, 6] }));
  c.step(2, "fcntl", { fd: 5, cmd: "F_GETFD" }, ok(1));
  c.step(2, "fcntl", { fd: 6, cmd: "F_GETFD" }, ok(1));
  c.note("O_CLOEXEC is a descriptor flag, not a status flag: F_GETFL does not show it");
  c.step(2, "fcntl", { fd: 5, cmd: "F_GETFL" }, ok(0));
  c.step(2, "fcntl", { fd: 6, cmd: "F_GETFL" }, ok(1));
  c.step(2, "pipe", { flags: ["O_DIRECT"] }, ok(0, { fds: [7, 8] }));
  c.note("O_DIRECT (040000) only on the write end");
  c.step(2, "fcntl", { fd: 7, cmd: "F_GETFL" }, ok(0));
  c.step(2, "fcntl", { fd: 8, cmd: "F_GETFL" }, ok(16385));
  c.step(2, "pipe", { flags: ["O_NONBLOCK", "O_CLOEXEC", "O_DIRECT"] }, ok(0, { fds: [9, 10] }));
  c.step(2, "fcntl", { fd: 9, cmd: "F_GETFL" }, ok(2048));
  c.step(2, "fcntl", { fd: 10, cmd: "F_GETFL" }, ok(18433));
  c.step(2, "fcntl", { fd: 10, cmd: "F_GETFD" }, ok(1));
  return c;
});

add(() => {
  const c = new Case("pipe-pipe2-einval",
    "pipe2 with a flag outside O_CLOEXEC|O_NONBLOCK|O_DIRECT|O_NOTIFICATION_PIPE gives EINVAL " +
    "before any fd is taken (fs/pipe.c __do_pipe_flags; pipe(2) ERRORS: EINVAL (pipe2()) Invalid " +
    "value in flags; linux-semantics.md 1.1 [C: O_APPEND]).");
  c.note("O_APPEND (02000)");
  c.step(2, "pipe", { flags: 1024 }, err("EINVAL"));
  c.note("O_CREAT (0100), O_WRONLY (1), O_RDWR (2), O_TRUNC (01000), O_APPEND|O_NONBLOCK");
  c.step(2, "pipe", { flags: 64 }, err("EINVAL"));
  c.step(2, "pipe", { flags: 1 }, err("EINVAL"));
  c.step(2, "pipe", { flags: 2 }, err("EINVAL"));
  c.step(2, "pipe", { flags: 512 }, err("EINVAL"));
  c.step(2, "pipe", { flags: 3072 }, err("EINVAL"));
  c.note("no fd was consumed by the failures");
  c.step(2, "pipe", {}, ok(0, { fds: [3, 4] }));
  return c;
});

add(() => {
  const c = new Case("pipe-pipe2-flag-names",
    "pipe2 takes any open-style flag name, and Linux answers for it: every O_ name of " +
    "include/uapi/asm-generic/fcntl.h and glibc's <fcntl.h> outside O_CLOEXEC|O_NONBLOCK|" +
    "O_DIRECT|O_NOTIFICATION_PIPE gives EINVAL, any undefined bit too; O_NDELAY is " +
    "O_NONBLOCK and O_RDONLY is 0 (fs/pipe.c __do_pipe_flags; docs/audit/names.md; " +
    "issue 21: the trace format refused these names before Linux could).");
  const refused = [
    "O_WRONLY", "O_RDWR", "O_ACCMODE", "O_CREAT", "O_NOCTTY", "O_TRUNC", "O_APPEND", "O_DSYNC",
    "O_SYNC", "O_RSYNC", "O_FSYNC", "__O_SYNC", "O_ASYNC", "FASYNC", "O_LARGEFILE",
    "O_DIRECTORY", "O_NOFOLLOW", "O_NOATIME", "O_PATH", "O_TMPFILE", "__O_TMPFILE",
  ];
  for (const name of refused) c.step(2, "pipe", { flags: [name] }, err("EINVAL"));
  c.note("one refused bit among accepted ones is enough; an undefined bit too");
  c.step(2, "pipe", { flags: ["O_NONBLOCK", "O_CLOEXEC", "O_APPEND"] }, err("EINVAL"));
  c.step(2, "pipe", { flags: 2147483648 }, err("EINVAL"));
  c.note("no fd was consumed; O_NDELAY is O_NONBLOCK (F_GETFL: O_RDONLY|O_NONBLOCK = 04000)");
  c.step(2, "pipe", { flags: ["O_NDELAY"] }, ok(0, { fds: [3, 4] }));
  c.step(2, "fcntl", { fd: 3, cmd: "F_GETFL" }, ok(2048));
  c.step(2, "read", { fd: 3, count: 1 }, err("EAGAIN"));
  c.step(2, "pipe", { flags: ["O_RDONLY"] }, ok(0, { fds: [5, 6] }));
  return c;
});

add(() => {
  const c = new Case("pipe-wrong-end-ebadf",
    "write on the read end and read on the write end give EBADF: the file is not open for that " +
    "access (fs/read_write.c vfs_read/vfs_write check FMODE_READ/FMODE_WRITE; read(2)/write(2) " +
    "ERRORS: EBADF fd is not open for reading/writing; linux-semantics.md 1.1).");
  c.step(2, "pipe", {}, ok(0, { fds: [3, 4] }));
  c.step(2, "write", { fd: 3, data: "x" }, err("EBADF"));
  c.step(2, "read", { fd: 4, count: 10 }, err("EBADF"));
  c.note("EBADF comes before anything else: a zero-length call on the wrong end still fails");
  c.step(2, "write", { fd: 3, data: "" }, err("EBADF"));
  c.step(2, "read", { fd: 4, count: 0 }, err("EBADF"));
  c.step(2, "write", { fd: 4, data: "ok" }, ok(2));
  c.step(2, "read", { fd: 3, count: 10 }, got("ok"));
  return c;
});

add(() => {
  const c = new Case("pipe-zero-length",
    "A zero-length read or write returns 0 at once: no wait on an empty pipe, and nothing is put " +
    "into the pipe (fs/pipe.c anon_pipe_read 'Null read succeeds', anon_pipe_write 'Null write " +
    "succeeds').");
  c.step(2, "pipe", {}, ok(0, { fds: [3, 4] }));
  c.note("blocking read end, empty pipe, a writer exists: a 0-byte read still returns 0");
  c.step(2, "read", { fd: 3, count: 0 }, EOF);
  c.step(2, "write", { fd: 4, data: "" }, ok(0));
  c.step(2, "fcntl", { fd: 3, cmd: "F_SETFL", arg: ["O_NONBLOCK"] }, ok(0));
  c.note("the empty write added nothing");
  c.step(2, "read", { fd: 3, count: 10 }, err("EAGAIN"));
  c.step(2, "write", { fd: 4, data: "ab" }, ok(2));
  c.step(2, "read", { fd: 3, count: 0 }, EOF);
  c.step(2, "read", { fd: 3, count: 10 }, got("ab"));
  return c;
});

add(() => {
  const c = new Case("pipe-zero-write-no-sigpipe",
    "A zero-length write to a pipe with no reader returns 0 without SIGPIPE: the null-write " +
    "check comes before the readers check; a 1-byte write then raises SIGPIPE, whose default " +
    "action kills the writer (fs/pipe.c anon_pipe_write; linux-semantics.md 1.1 step 1 [C]).");
  c.step(2, "pipe", {}, ok(0, { fds: [3, 4] }));
  c.step(2, "close", { fd: 3 }, ok(0));
  c.step(2, "fork", {}, ok(3));
  c.step(3, "write", { fd: 4, data: "" }, ok(0));
  c.note("the writer is killed inside the call: no result, only its exit event");
  c.step(3, "write", { fd: 4, data: "x" }, undefined, [killed(3, "SIGPIPE")]);
  c.step(2, "waitpid", { target: -1 }, reapedBy(3, "SIGPIPE"));
  return c;
});

add(() => {
  const c = new Case("pipe-epipe-sigpipe",
    "Writing to a pipe whose every read end is closed sends SIGPIPE to the writer (default " +
    "action: terminate) and fails with EPIPE; the read ends of all processes count (fs/pipe.c " +
    "anon_pipe_write: !pipe->readers -> send_sig(SIGPIPE), -EPIPE; write(2) ERRORS: EPIPE; " +
    "signal(7): SIGPIPE Term).");
  c.step(2, "pipe", {}, ok(0, { fds: [3, 4] }));
  c.step(2, "fork", {}, ok(3));
  c.step(3, "close", { fd: 4 }, ok(0));
  c.note("the child still holds a read end, so the parent can write");
  c.step(2, "close", { fd: 3 }, ok(0));
  c.step(2, "write", { fd: 4, data: "hi" }, ok(2));
  c.step(3, "read", { fd: 3, count: 10 }, got("hi"));
  c.note("the reader exits: its read end closes with it");
  c.exit(3, 0);
  c.note("a new child inherits only the write end; its write is fatal");
  c.step(2, "fork", {}, ok(4));
  c.step(4, "write", { fd: 4, data: "x" }, undefined, [killed(4, "SIGPIPE")]);
  c.note("a non-blocking write end makes no difference");
  c.step(2, "fcntl", { fd: 4, cmd: "F_SETFL", arg: ["O_NONBLOCK"] }, ok(0));
  c.step(2, "fork", {}, ok(5));
  c.step(5, "write", { fd: 4, data: "y" }, undefined, [killed(5, "SIGPIPE")]);
  c.step(2, "waitpid", { target: -1 }, reaped(3, 0));
  c.step(2, "waitpid", { target: -1 }, reapedBy(4, "SIGPIPE"));
  c.step(2, "waitpid", { target: -1 }, reapedBy(5, "SIGPIPE"));
  return c;
});

add(() => {
  const c = new Case("pipe-read-returns-available",
    "A read returns as soon as it has anything: it copies from successive slots until the " +
    "request is met or the pipe is empty and never waits to fill the buffer; a short read leaves " +
    "the rest in order (fs/pipe.c anon_pipe_read; linux-semantics.md 1.1 read path).");
  c.step(2, "pipe", {}, ok(0, { fds: [3, 4] }));
  c.step(2, "write", { fd: 4, data: "hello world" }, ok(11));
  c.step(2, "read", { fd: 3, count: 5 }, got("hello"));
  c.note("blocking read end: 6 bytes are there, the read returns them instead of waiting for 100");
  c.step(2, "read", { fd: 3, count: 100 }, got(" world"));
  c.note("3000 + 2000 bytes sit in two slots; one read takes both");
  c.step(2, "write", { fd: 4, data: fill("a", 3000) }, ok(3000));
  c.step(2, "write", { fd: 4, data: fill("a", 2000) }, ok(2000));
  c.step(2, "read", { fd: 3, count: 100000 }, got(fill("a", 5000)));
  return c;
});

add(() => {
  const c = new Case("pipe-eof-after-data",
    "With every write end closed, a read first returns the buffered bytes, then 0 (end of file) " +
    "for ever (fs/pipe.c anon_pipe_read: empty and !pipe->writers -> return 0; pipe(7): 'If all " +
    "file descriptors referring to the write end of a pipe have been closed, then an attempt to " +
    "read(2) from the pipe will see end-of-file').");
  c.step(2, "pipe", {}, ok(0, { fds: [3, 4] }));
  c.step(2, "write", { fd: 4, data: "abc" }, ok(3));
  c.step(2, "close", { fd: 4 }, ok(0));
  c.step(2, "read", { fd: 3, count: 2 }, got("ab"));
  c.step(2, "read", { fd: 3, count: 10 }, got("c"));
  c.step(2, "read", { fd: 3, count: 10 }, EOF);
  c.step(2, "read", { fd: 3, count: 10 }, EOF);
  return c;
});

add(() => {
  const c = new Case("pipe-eof-every-writer",
    "EOF only when every write end is closed, including copies made by dup and inherited by " +
    "children; the last close (here by exit) wakes the blocked reader with 0 (fs/pipe.c " +
    "pipe_release: last writer -> wake_up_interruptible_all(rd_wait); pipe(7)).");
  c.step(2, "pipe", {}, ok(0, { fds: [3, 4] }));
  c.step(2, "fork", {}, ok(3));
  c.step(2, "close", { fd: 4 }, ok(0));
  c.note("the child's inherited write end keeps the pipe open for writing");
  const r1 = c.step(2, "read", { fd: 3, count: 10 }, BLOCKED);
  c.step(3, "write", { fd: 4, data: "x" }, ok(1), [wake(2, r1, got("x"))]);
  const r2 = c.step(2, "read", { fd: 3, count: 10 }, BLOCKED);
  c.note("a dup is one more write end: closing fd 4 is not the last close");
  c.step(3, "dup", { fd: 4 }, ok(5));
  c.step(3, "close", { fd: 4 }, ok(0));
  c.note("exit closes fd 5, the last write end: the reader sees EOF");
  c.exit(3, 0, [wake(2, r2, EOF)]);
  c.step(2, "read", { fd: 3, count: 10 }, EOF);
  c.step(2, "waitpid", { target: -1 }, reaped(3, 0));
  return c;
});

add(() => {
  const c = new Case("pipe-nonblock-read",
    "A read of an empty pipe that still has a writer gives EAGAIN with O_NONBLOCK (set by pipe2 " +
    "or F_SETFL) and blocks without it; an empty pipe without writers gives 0, not EAGAIN " +
    "(fs/pipe.c anon_pipe_read; read(2) ERRORS: EAGAIN; linux-semantics.md 1.1 [C]).");
  c.step(2, "pipe", NB, ok(0, { fds: [3, 4] }));
  c.step(2, "read", { fd: 3, count: 10 }, err("EAGAIN"));
  c.step(2, "write", { fd: 4, data: "a" }, ok(1));
  c.step(2, "read", { fd: 3, count: 10 }, got("a"));
  c.step(2, "read", { fd: 3, count: 10 }, err("EAGAIN"));
  c.step(2, "close", { fd: 4 }, ok(0));
  c.step(2, "read", { fd: 3, count: 10 }, EOF);
  c.note("a blocking pipe made non-blocking with F_SETFL, then blocking again");
  c.step(2, "pipe", {}, ok(0, { fds: [4, 5] }));
  c.step(2, "fork", {}, ok(3));
  c.step(2, "fcntl", { fd: 4, cmd: "F_SETFL", arg: ["O_NONBLOCK"] }, ok(0));
  c.step(2, "read", { fd: 4, count: 10 }, err("EAGAIN"));
  c.step(2, "fcntl", { fd: 4, cmd: "F_SETFL", arg: [] }, ok(0));
  const r = c.step(2, "read", { fd: 4, count: 10 }, BLOCKED);
  c.step(3, "write", { fd: 5, data: "z" }, ok(1), [wake(2, r, got("z"))]);
  return c;
});

add(() => {
  const c = new Case("pipe-100-byte-writes",
    "Capacity is counted in page slots: 100-byte non-blocking writes merge 40 to a page, the " +
    "41st starts a new slot, so 640 succeed (64000 bytes, not 65536) and the 641st gives EAGAIN; " +
    "a write that fits the last page's remainder merges, one that does not needs a slot " +
    "(fs/pipe.c anon_pipe_write merge rule; linux-semantics.md 1.1 [C]).");
  c.step(2, "pipe", NB, ok(0, { fds: [3, 4] }));
  c.note("640 writes of 100 bytes");
  repeat(c, 640, 2, "write", { fd: 4, data: fill("x", 100) }, ok(100));
  c.note("the 641st: 16 slots of 4000 bytes, the last cannot take 100 more");
  c.step(2, "write", { fd: 4, data: fill("x", 100) }, err("EAGAIN"));
  c.step(2, "fcntl", { fd: 4, cmd: "F_GETPIPE_SZ" }, ok(65536));
  c.note("reading one page's worth (4000 bytes) frees one slot");
  c.step(2, "read", { fd: 3, count: 4000 }, got(fill("x", 4000)));
  c.step(2, "write", { fd: 4, data: fill("x", 100) }, ok(100));
  c.note("the ring is full again; the last page holds 100 bytes: 3996 more merge, 3997 do not");
  c.step(2, "write", { fd: 4, data: fill("x", 3997) }, err("EAGAIN"));
  c.step(2, "write", { fd: 4, data: fill("x", 3996) }, ok(3996));
  c.step(2, "write", { fd: 4, data: "x" }, err("EAGAIN"));
  return c;
});

add(() => {
  const c = new Case("pipe-4096-byte-writes",
    "16 non-blocking writes of 4096 bytes fill the 16 slots of a default pipe (F_GETPIPE_SZ " +
    "65536) and the 17th gives EAGAIN, as does a 1-byte write (no page has room); one read takes " +
    "all 65536 bytes (fs/pipe.c anon_pipe_write, PIPE_DEF_BUFFERS; linux-semantics.md 1.1 [C]).");
  c.step(2, "pipe", NB, ok(0, { fds: [3, 4] }));
  c.step(2, "fcntl", { fd: 3, cmd: "F_GETPIPE_SZ" }, ok(65536));
  repeat(c, 16, 2, "write", W4096, ok(4096));
  c.step(2, "write", W4096, err("EAGAIN"));
  c.step(2, "write", { fd: 4, data: "x" }, err("EAGAIN"));
  c.step(2, "read", { fd: 3, count: 100000 }, got(fill("x", 65536)));
  c.step(2, "read", { fd: 3, count: 100000 }, err("EAGAIN"));
  return c;
});

add(() => {
  const c = new Case("pipe-1-byte-then-4096",
    "After one 1-byte write only 15 writes of 4096 succeed: the 1-byte page cannot take a whole " +
    "page, so it uses a slot of its own; with the ring full nothing merges into the last (full) " +
    "page, not even 1 byte (fs/pipe.c anon_pipe_write: merge only into the last buffer; " +
    "linux-semantics.md 1.1 [C]).");
  c.step(2, "pipe", NB, ok(0, { fds: [3, 4] }));
  c.step(2, "write", { fd: 4, data: "x" }, ok(1));
  repeat(c, 15, 2, "write", W4096, ok(4096));
  c.step(2, "write", W4096, err("EAGAIN"));
  c.note("the first page has 4095 bytes free but is not the last one");
  c.step(2, "write", { fd: 4, data: fill("x", 4095) }, err("EAGAIN"));
  c.step(2, "write", { fd: 4, data: "x" }, err("EAGAIN"));
  c.step(2, "read", { fd: 3, count: 100000 }, got(fill("x", 61441)));
  return c;
});

add(() => {
  const c = new Case("pipe-1-byte-writes-merge",
    "1-byte writes merge into the last page: 4096 of them use one slot, after which 15 writes of " +
    "4096 fill the pipe and the 16th gives EAGAIN (fs/pipe.c anon_pipe_write merge step: chars = " +
    "len % PAGE_SIZE merged when offset + chars <= PAGE_SIZE; linux-semantics.md 1.1 [C]: " +
    "65536 1-byte " +
    "writes succeed).");
  c.step(2, "pipe", NB, ok(0, { fds: [3, 4] }));
  repeat(c, 4096, 2, "write", { fd: 4, data: "x" }, ok(1));
  repeat(c, 15, 2, "write", W4096, ok(4096));
  c.step(2, "write", W4096, err("EAGAIN"));
  c.step(2, "write", { fd: 4, data: "x" }, err("EAGAIN"));
  return c;
});

add(() => {
  const c = new Case("pipe-nonblock-partial-write",
    "A non-blocking write larger than the free space is partial: write(100000) into an empty " +
    "pipe returns 65536, the bytes that fit; then EAGAIN (fs/pipe.c anon_pipe_write: O_NONBLOCK " +
    "with ret > 0 returns ret; pipe(7) 'O_NONBLOCK enabled, n > PIPE_BUF: ... partial write'; " +
    "linux-semantics.md 1.1 [C]).");
  c.step(2, "pipe", NB, ok(0, { fds: [3, 4] }));
  c.step(2, "write", { fd: 4, data: fill("x", 100000) }, ok(65536));
  c.step(2, "write", { fd: 4, data: "x" }, err("EAGAIN"));
  c.step(2, "read", { fd: 3, count: 100000 }, got(fill("x", 65536)));
  c.step(2, "read", { fd: 3, count: 100000 }, err("EAGAIN"));
  return c;
});

add(() => {
  const c = new Case("pipe-15-slots-write-4097",
    "With 15 full slots, a non-blocking write(4097) returns 4096: the 1-byte remainder cannot " +
    "merge into the full last page, the free slot takes 4096 bytes, then the ring is full and " +
    "the last byte is not written (fs/pipe.c anon_pipe_write; linux-semantics.md 1.1 [C]).");
  c.step(2, "pipe", NB, ok(0, { fds: [3, 4] }));
  repeat(c, 15, 2, "write", W4096, ok(4096));
  c.step(2, "write", { fd: 4, data: fill("x", 4097) }, ok(4096));
  c.step(2, "write", { fd: 4, data: "x" }, err("EAGAIN"));
  return c;
});

add(() => {
  const c = new Case("pipe-15-slots-plus-10",
    "With 15 full slots and 10 bytes in a 16th, write(4096) gives EAGAIN (it is atomic, 4096 % " +
    "4096 = 0 so it does not merge, and no slot is free) while write(4086) succeeds by merging " +
    "into the last page; write(4087) cannot merge and gives EAGAIN (fs/pipe.c anon_pipe_write; " +
    "pipe(7) PIPE_BUF; linux-semantics.md 1.1 [C]).");
  c.step(2, "pipe", NB, ok(0, { fds: [3, 4] }));
  repeat(c, 15, 2, "write", W4096, ok(4096));
  c.step(2, "write", { fd: 4, data: fill("x", 10) }, ok(10));
  c.step(2, "write", W4096, err("EAGAIN"));
  c.step(2, "write", { fd: 4, data: fill("x", 4087) }, err("EAGAIN"));
  c.step(2, "write", { fd: 4, data: fill("x", 4086) }, ok(4086));
  c.step(2, "write", { fd: 4, data: "x" }, err("EAGAIN"));
  c.step(2, "read", { fd: 3, count: 100000 }, got(fill("x", 65536)));
  return c;
});

add(() => {
  const c = new Case("pipe-3000-then-2000",
    "write(3000) then write(2000) use 2 slots: the second does not fit the 1096 bytes left in " +
    "the first page, so it takes a new one (F_GETPIPE_SZ stays 65536, and 14 more 4096-byte " +
    "writes fit, not 15); 2096 bytes then merge into the second page (fs/pipe.c anon_pipe_write; " +
    "linux-semantics.md 1.1 [C]).");
  c.step(2, "pipe", NB, ok(0, { fds: [3, 4] }));
  c.step(2, "write", { fd: 4, data: fill("x", 3000) }, ok(3000));
  c.step(2, "write", { fd: 4, data: fill("x", 2000) }, ok(2000));
  c.step(2, "write", { fd: 4, data: fill("x", 2096) }, ok(2096));
  repeat(c, 14, 2, "write", W4096, ok(4096));
  c.step(2, "write", W4096, err("EAGAIN"));
  c.step(2, "write", { fd: 4, data: "x" }, err("EAGAIN"));
  c.step(2, "read", { fd: 3, count: 100000 }, got(fill("x", 7096 + 14 * 4096)));
  return c;
});

add(() => {
  const c = new Case("pipe-pipe-buf-atomic-nonblock",
    "PIPE_BUF atomicity in non-blocking mode: a write of n <= PIPE_BUF (4096) bytes is written " +
    "whole or fails with EAGAIN, never split; a larger write may be partial (pipe(7) 'O_NONBLOCK " +
    "enabled, n <= PIPE_BUF: if there is room, all n bytes; otherwise EAGAIN'; fs/pipe.c " +
    "anon_pipe_write).");
  c.step(2, "pipe", NB, ok(0, { fds: [3, 4] }));
  repeat(c, 15, 2, "write", W4096, ok(4096));
  c.step(2, "write", { fd: 4, data: fill("x", 3996) }, ok(3996));
  c.note("100 bytes of room in the last page, no free slot");
  c.step(2, "write", { fd: 4, data: fill("x", 101) }, err("EAGAIN"));
  c.step(2, "write", { fd: 4, data: fill("x", 100) }, ok(100));
  c.step(2, "write", { fd: 4, data: "x" }, err("EAGAIN"));
  c.note("one slot free: write(8192) > PIPE_BUF is partial, write(4096) fits whole");
  c.step(2, "read", { fd: 3, count: 4096 }, got(fill("x", 4096)));
  c.step(2, "write", { fd: 4, data: fill("x", 8192) }, ok(4096));
  c.step(2, "read", { fd: 3, count: 4096 }, got(fill("x", 4096)));
  c.step(2, "write", W4096, ok(4096));
  c.step(2, "write", W4096, err("EAGAIN"));
  return c;
});

add(() => {
  const c = new Case("pipe-setpipe-sz-rounding",
    "F_SETPIPE_SZ rounds the size up to a page (below 4096, 0 included) or else to a power of " +
    "two (5000 -> 8192) and returns it; F_GETPIPE_SZ reports it on either end; a size above 2^31 " +
    "gives EINVAL; growing past fs.pipe-max-size (1048576) without CAP_SYS_RESOURCE gives EPERM, " +
    "2^31 included (fs/pipe.c round_pipe_size, pipe_set_size; fcntl(2) F_SETPIPE_SZ; " +
    "linux-semantics.md 1.1 [S][C]).");
  c.step(2, "pipe", {}, ok(0, { fds: [3, 4] }));
  c.step(2, "fcntl", { fd: 4, cmd: "F_GETPIPE_SZ" }, ok(65536));
  c.step(2, "fcntl", { fd: 4, cmd: "F_SETPIPE_SZ", arg: 5000 }, ok(8192));
  c.step(2, "fcntl", { fd: 3, cmd: "F_GETPIPE_SZ" }, ok(8192));
  c.step(2, "fcntl", { fd: 3, cmd: "F_SETPIPE_SZ", arg: 0 }, ok(4096));
  c.step(2, "fcntl", { fd: 3, cmd: "F_SETPIPE_SZ", arg: 1 }, ok(4096));
  c.step(2, "fcntl", { fd: 3, cmd: "F_SETPIPE_SZ", arg: 4096 }, ok(4096));
  c.step(2, "fcntl", { fd: 3, cmd: "F_SETPIPE_SZ", arg: 4097 }, ok(8192));
  c.step(2, "fcntl", { fd: 3, cmd: "F_SETPIPE_SZ", arg: 65535 }, ok(65536));
  c.step(2, "fcntl", { fd: 3, cmd: "F_SETPIPE_SZ", arg: 100000 }, ok(131072));
  c.step(2, "fcntl", { fd: 3, cmd: "F_SETPIPE_SZ", arg: 1048576 }, ok(1048576));
  c.step(2, "fcntl", { fd: 3, cmd: "F_GETPIPE_SZ" }, ok(1048576));
  c.note("above pipe-max-size: EPERM; the size is unchanged");
  c.step(2, "fcntl", { fd: 3, cmd: "F_SETPIPE_SZ", arg: 1048577 }, err("EPERM"));
  c.step(2, "fcntl", { fd: 3, cmd: "F_SETPIPE_SZ", arg: 2147483648 }, err("EPERM"));
  c.note("-1 is 0xffffffff as the unsigned int argument, above 2^31: " +
    "round_pipe_size gives 0, EINVAL");
  c.step(2, "fcntl", { fd: 3, cmd: "F_SETPIPE_SZ", arg: -1 }, err("EINVAL"));
  c.step(2, "fcntl", { fd: 3, cmd: "F_SETPIPE_SZ", arg: 2147483649 }, err("EINVAL"));
  c.step(2, "fcntl", { fd: 3, cmd: "F_GETPIPE_SZ" }, ok(1048576));
  c.note("shrinking an empty pipe is always allowed");
  c.step(2, "fcntl", { fd: 3, cmd: "F_SETPIPE_SZ", arg: 4096 }, ok(4096));
  c.step(2, "fcntl", { fd: 4, cmd: "F_GETPIPE_SZ" }, ok(4096));
  return c;
});

add(() => {
  const c = new Case("pipe-setpipe-sz-capacity",
    "The new size is the new number of slots: after F_SETPIPE_SZ 8192 two non-blocking 4096-byte " +
    "writes fit and the third gives EAGAIN; after growing to 131072, 32 fit in all (fs/pipe.c " +
    "pipe_set_size, pipe_resize_ring: max_usage = nr_slots).");
  c.step(2, "pipe", NB, ok(0, { fds: [3, 4] }));
  c.step(2, "fcntl", { fd: 4, cmd: "F_SETPIPE_SZ", arg: 8192 }, ok(8192));
  repeat(c, 2, 2, "write", W4096, ok(4096));
  c.step(2, "write", W4096, err("EAGAIN"));
  c.note("growing keeps the buffered data and adds slots");
  c.step(2, "fcntl", { fd: 4, cmd: "F_SETPIPE_SZ", arg: 131072 }, ok(131072));
  repeat(c, 30, 2, "write", W4096, ok(4096));
  c.step(2, "write", W4096, err("EAGAIN"));
  c.step(2, "read", { fd: 3, count: 200000 }, got(fill("x", 131072)));
  return c;
});

add(() => {
  const c = new Case("pipe-setpipe-sz-ebusy",
    "F_SETPIPE_SZ below the number of occupied slots gives EBUSY: 20000 bytes sit in 5 slots, so " +
    "16384 (4 slots) fails and 32768 succeeds; slots, not bytes, decide (fs/pipe.c " +
    "pipe_resize_ring: nr_slots < occupancy -> -EBUSY; fcntl(2) F_SETPIPE_SZ EBUSY; " +
    "linux-semantics.md 1.1 [C]).");
  c.step(2, "pipe", NB, ok(0, { fds: [3, 4] }));
  c.step(2, "write", { fd: 4, data: fill("x", 20000) }, ok(20000));
  c.step(2, "fcntl", { fd: 4, cmd: "F_SETPIPE_SZ", arg: 16384 }, err("EBUSY"));
  c.step(2, "fcntl", { fd: 4, cmd: "F_GETPIPE_SZ" }, ok(65536));
  c.note("20480 rounds up to 32768 (8 slots)");
  c.step(2, "fcntl", { fd: 4, cmd: "F_SETPIPE_SZ", arg: 20480 }, ok(32768));
  c.note("3 free slots: 3 more pages, then the ring is full");
  repeat(c, 3, 2, "write", W4096, ok(4096));
  c.step(2, "write", W4096, err("EAGAIN"));
  c.note("the data survived the resize");
  c.step(2, "read", { fd: 3, count: 100000 }, got(fill("x", 20000 + 3 * 4096)));
  c.step(2, "write", W4096, ok(4096));
  c.note("one occupied slot: shrinking to one slot is allowed");
  c.step(2, "fcntl", { fd: 4, cmd: "F_SETPIPE_SZ", arg: 4096 }, ok(4096));
  c.step(2, "write", { fd: 4, data: "x" }, err("EAGAIN"));
  return c;
});

add(() => {
  const c = new Case("pipe-setpipe-sz-wakes-writer",
    "Growing a full pipe with F_SETPIPE_SZ wakes a writer blocked for space, which then " +
    "completes (fs/pipe.c pipe_resize_ring: 'This might have made more room for writers' -> " +
    "wake_up_interruptible(&pipe->wr_wait)).");
  c.step(2, "pipe", {}, ok(0, { fds: [3, 4] }));
  c.step(2, "fcntl", { fd: 4, cmd: "F_SETPIPE_SZ", arg: 4096 }, ok(4096));
  c.step(2, "fork", {}, ok(3));
  c.note("one slot: the first 4096 bytes go in, the writer then sleeps");
  const w = c.step(3, "write", { fd: 4, data: fill("x", 8192) }, BLOCKED);
  c.step(2, "fcntl", { fd: 3, cmd: "F_SETPIPE_SZ", arg: 8192 }, ok(8192), [wake(3, w, ok(8192))]);
  c.step(2, "read", { fd: 3, count: 10000 }, got(fill("x", 8192)));
  return c;
});

add(() => {
  const c = new Case("pipe-packet-mode",
    "O_DIRECT (packet mode): each write is one packet (its own slot, no merging), a read returns " +
    "at most one packet, and the rest of a packet read short is discarded; a write larger than a " +
    "page is several packets (fs/pipe.c anon_pipe_write PIPE_BUF_FLAG_PACKET, anon_pipe_read " +
    "'Was it a packet buffer? Clean up and exit'; pipe2(2) O_DIRECT; linux-semantics.md 1.1 [C]).");
  c.step(2, "pipe", { flags: ["O_DIRECT", "O_NONBLOCK"] }, ok(0, { fds: [3, 4] }));
  c.step(2, "write", { fd: 4, data: "hello" }, ok(5));
  c.step(2, "write", { fd: 4, data: "world" }, ok(5));
  c.step(2, "read", { fd: 3, count: 100 }, got("hello"));
  c.note("a short read of a packet: 'ld' is discarded");
  c.step(2, "read", { fd: 3, count: 3 }, got("wor"));
  c.step(2, "read", { fd: 3, count: 100 }, err("EAGAIN"));
  c.note("5000 bytes are two packets, 4096 and 904");
  c.step(2, "write", { fd: 4, data: fill("p", 5000) }, ok(5000));
  c.step(2, "read", { fd: 3, count: 10000 }, got(fill("p", 4096)));
  c.step(2, "read", { fd: 3, count: 10000 }, got(fill("p", 904)));
  c.note("packets never merge: 16 one-byte packets fill the 16 slots");
  repeat(c, 16, 2, "write", { fd: 4, data: "a" }, ok(1));
  c.step(2, "write", { fd: 4, data: "a" }, err("EAGAIN"));
  c.step(2, "read", { fd: 3, count: 100 }, got("a"));
  return c;
});

add(() => {
  const c = new Case("pipe-packet-mode-setfl",
    "Packet mode follows the write end's O_DIRECT status flag, which F_SETFL can set and clear: " +
    "packets written meanwhile stay packets, later writes merge again (fs/pipe.c is_packetized " +
    "tests filp->f_flags & O_DIRECT per write; fs/fcntl.c setfl: O_DIRECT is in SETFL_MASK and " +
    "allowed on FIFOs and pipes).");
  c.step(2, "pipe", NB, ok(0, { fds: [3, 4] }));
  c.step(2, "fcntl", { fd: 4, cmd: "F_SETFL", arg: ["O_NONBLOCK", "O_DIRECT"] }, ok(0));
  c.step(2, "fcntl", { fd: 4, cmd: "F_GETFL" }, ok(18433));
  c.step(2, "write", { fd: 4, data: "ab" }, ok(2));
  c.step(2, "write", { fd: 4, data: "cd" }, ok(2));
  c.step(2, "fcntl", { fd: 4, cmd: "F_SETFL", arg: ["O_NONBLOCK"] }, ok(0));
  c.note("'ef' cannot merge into the packet 'cd'; 'gh' merges into 'ef'");
  c.step(2, "write", { fd: 4, data: "ef" }, ok(2));
  c.step(2, "write", { fd: 4, data: "gh" }, ok(2));
  c.step(2, "read", { fd: 3, count: 10 }, got("ab"));
  c.step(2, "read", { fd: 3, count: 10 }, got("cd"));
  c.step(2, "read", { fd: 3, count: 10 }, got("efgh"));
  return c;
});

add(() => {
  const c = new Case("pipe-read-efault",
    "A read whose buffer range is not a valid user range gives EFAULT before anything else, even " +
    "on an empty pipe (fs/read_write.c vfs_read: access_ok(buf, count); read(2) ERRORS: EFAULT). " +
    "A count of -1 is SIZE_MAX, past any address space; the buffered data is untouched.");
  c.step(2, "pipe", NB, ok(0, { fds: [3, 4] }));
  c.step(2, "read", { fd: 3, count: -1 }, err("EFAULT"));
  c.step(2, "write", { fd: 4, data: "abc" }, ok(3));
  c.step(2, "read", { fd: 3, count: -1 }, err("EFAULT"));
  c.step(2, "read", { fd: 3, count: 10 }, got("abc"));
  return c;
});

cases.push(...waitCases);
