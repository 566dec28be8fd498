// Anonymous pipes, continued from pipe.mjs: blocking reads and writes and who wakes them
// (fs/pipe.c anon_pipe_read, anon_pipe_write, pipe_release). pipe.mjs appends these cases to its
// own, so the generated files name gen/pipe.mjs.

import { BLOCKED, Case, EOF, fill, got, killed, ok, reaped, reapedBy, wake } from "./lib.mjs";

export const cases = [];
const add = (f) => cases.push(f);

add(() => {
  const c = new Case("pipe-blocked-reader-woken",
    "A read of an empty pipe with a writer sleeps; a write wakes it and it returns what was " +
    "written, at most its count; the rest stays for the next read (fs/pipe.c anon_pipe_read " +
    "wait_event_interruptible_exclusive(rd_wait), anon_pipe_write: was_empty -> wake rd_wait).");
  c.step(2, "pipe", {}, ok(0, { fds: [3, 4] }));
  c.step(2, "fork", {}, ok(3));
  c.step(3, "close", { fd: 4 }, ok(0));
  const r1 = c.step(3, "read", { fd: 3, count: 10 }, BLOCKED);
  c.step(2, "write", { fd: 4, data: "hi" }, ok(2), [wake(3, r1, got("hi"))]);
  const r2 = c.step(3, "read", { fd: 3, count: 3 }, BLOCKED);
  c.step(2, "write", { fd: 4, data: "hello" }, ok(5), [wake(3, r2, got("hel"))]);
  c.step(3, "read", { fd: 3, count: 10 }, got("lo"));
  return c;
});

add(() => {
  const c = new Case("pipe-wake-next-reader",
    "A write into an empty pipe wakes one reader (exclusive wait, in the order they slept); a " +
    "woken reader that leaves data behind wakes the next one (fs/pipe.c anon_pipe_write wakes " +
    "rd_wait once when was_empty; anon_pipe_read wake_next_reader; linux-semantics.md 1.1 " +
    "wake-ups).");
  c.step(2, "pipe", {}, ok(0, { fds: [3, 4] }));
  c.step(2, "fork", {}, ok(3));
  c.step(2, "fork", {}, ok(4));
  const a = c.step(3, "read", { fd: 3, count: 1 }, BLOCKED);
  const b = c.step(4, "read", { fd: 3, count: 1 }, BLOCKED);
  c.note("one byte: the first sleeper (pid 3) is woken and takes it; pid 4 sleeps on");
  c.step(2, "write", { fd: 4, data: "a" }, ok(1), [wake(3, a, got("a"))]);
  const a2 = c.step(3, "read", { fd: 3, count: 1 }, BLOCKED);
  c.note("two bytes: pid 4 (now first in line) takes 'b' and, leaving 'c', wakes pid 3");
  c.step(2, "write", { fd: 4, data: "bc" }, ok(2), [wake(4, b, got("b")), wake(3, a2, got("c"))]);
  return c;
});

add(() => {
  const c = new Case("pipe-blocked-writer-woken",
    "A blocking write into a full pipe sleeps until a read frees a slot: a read that only " +
    "shortens the first page frees none and the writer sleeps on; the read that empties a page " +
    "wakes it (fs/pipe.c anon_pipe_read: wake_writer only when a slot of a full pipe is " +
    "released; anon_pipe_write waits on wr_wait).");
  c.step(2, "pipe", {}, ok(0, { fds: [3, 4] }));
  c.step(2, "fork", {}, ok(3));
  c.step(3, "close", { fd: 3 }, ok(0));
  c.step(2, "close", { fd: 4 }, ok(0));
  c.step(3, "write", { fd: 4, data: fill("x", 65536) }, ok(65536));
  const w = c.step(3, "write", { fd: 4, data: "abc" }, BLOCKED);
  c.step(2, "read", { fd: 3, count: 100 }, got(fill("x", 100)));
  c.step(2, "read", { fd: 3, count: 3996 }, got(fill("x", 3996)), [wake(3, w, ok(3))]);
  c.step(2, "read", { fd: 3, count: 61440 }, got(fill("x", 61440)));
  c.step(2, "read", { fd: 3, count: 100 }, got("abc"));
  return c;
});

add(() => {
  const c = new Case("pipe-blocking-write-in-pieces",
    "A blocking write larger than the pipe moves what fits, sleeps, and continues as a reader " +
    "drains; it returns only when every byte is written (fs/pipe.c anon_pipe_write loop: wait on " +
    "wr_wait, retry with ret bytes already copied; pipe(7) 'O_NONBLOCK disabled, n > PIPE_BUF: " +
    "... write(2) blocks until n bytes have been written').");
  c.step(2, "pipe", {}, ok(0, { fds: [3, 4] }));
  c.step(2, "fork", {}, ok(3));
  c.step(3, "close", { fd: 3 }, ok(0));
  c.step(2, "close", { fd: 4 }, ok(0));
  c.note("65536 of the 100000 bytes go in; 34464 remain");
  const w = c.step(3, "write", { fd: 4, data: fill("x", 100000) }, BLOCKED);
  c.note("each freed slot takes one more page; the writer sleeps again (30368, then 26272 left)");
  c.step(2, "read", { fd: 3, count: 4096 }, got(fill("x", 4096)));
  c.step(2, "read", { fd: 3, count: 4096 }, got(fill("x", 4096)));
  c.note("emptying the pipe lets the last 26272 bytes in: the write returns 100000");
  c.step(2, "read", { fd: 3, count: 65536 }, got(fill("x", 65536)), [wake(3, w, ok(100000))]);
  c.step(2, "read", { fd: 3, count: 100000 }, got(fill("x", 26272)));
  c.exit(3, 0);
  c.step(2, "read", { fd: 3, count: 100000 }, EOF);
  return c;
});

add(() => {
  const c = new Case("pipe-blocked-writer-reader-exits",
    "A blocking write(100000) sleeps after 65536 bytes; when the last reader exits without " +
    "reading, the writer is woken, finds no readers and gets SIGPIPE, whose default action kills " +
    "it, though the call had moved bytes (fs/pipe.c pipe_release wakes wr_wait; anon_pipe_write: " +
    "!pipe->readers -> send_sig(SIGPIPE) even with ret > 0; the signal is acted on before the " +
    "call returns to user space).");
  c.step(2, "pipe", {}, ok(0, { fds: [3, 4] }));
  c.step(2, "fork", {}, ok(3));
  c.step(2, "fork", {}, ok(4));
  c.step(2, "close", { fd: 3 }, ok(0));
  c.step(2, "close", { fd: 4 }, ok(0));
  c.note("pid 3 writes, pid 4 holds the only read end");
  c.step(3, "close", { fd: 3 }, ok(0));
  c.step(4, "close", { fd: 4 }, ok(0));
  c.step(3, "write", { fd: 4, data: fill("x", 100000) }, BLOCKED);
  c.exit(4, 0, [killed(3, "SIGPIPE")]);
  c.note("both are zombies now; waitpid(-1) reaps the older child first");
  c.step(2, "waitpid", { target: -1 }, reapedBy(3, "SIGPIPE"));
  c.step(2, "waitpid", { target: -1 }, reaped(4, 0));
  return c;
});

add(() => {
  const c = new Case("pipe-last-writer-wakes-all-readers",
    "The last close of the write side wakes every sleeping reader, and each sees EOF (fs/pipe.c " +
    "pipe_release: last writer but not last reader -> wake_up_interruptible_all on rd_wait and " +
    "wr_wait).");
  c.step(2, "pipe", {}, ok(0, { fds: [3, 4] }));
  c.step(2, "fork", {}, ok(3));
  c.step(2, "fork", {}, ok(4));
  c.step(3, "close", { fd: 4 }, ok(0));
  c.step(4, "close", { fd: 4 }, ok(0));
  const a = c.step(3, "read", { fd: 3, count: 10 }, BLOCKED);
  const b = c.step(4, "read", { fd: 3, count: 10 }, BLOCKED);
  c.step(2, "close", { fd: 4 }, ok(0), [wake(3, a, EOF), wake(4, b, EOF)]);
  return c;
});

add(() => {
  const c = new Case("pipe-last-reader-kills-writers",
    "The last close of the read side wakes every writer sleeping for space; each finds no " +
    "readers, gets SIGPIPE and is killed (fs/pipe.c pipe_release " +
    "wake_up_interruptible_all(wr_wait); anon_pipe_write -> send_sig(SIGPIPE), -EPIPE).");
  c.step(2, "pipe", {}, ok(0, { fds: [3, 4] }));
  c.step(2, "write", { fd: 4, data: fill("x", 65536) }, ok(65536));
  c.step(2, "fork", {}, ok(3));
  c.step(2, "fork", {}, ok(4));
  c.step(3, "close", { fd: 3 }, ok(0));
  c.step(4, "close", { fd: 3 }, ok(0));
  c.step(3, "write", { fd: 4, data: "a" }, BLOCKED);
  c.step(4, "write", { fd: 4, data: "b" }, BLOCKED);
  c.step(2, "close", { fd: 3 }, ok(0), [killed(3, "SIGPIPE"), killed(4, "SIGPIPE")]);
  c.step(2, "waitpid", { target: -1 }, reapedBy(3, "SIGPIPE"));
  c.step(2, "waitpid", { target: -1 }, reapedBy(4, "SIGPIPE"));
  return c;
});
