import { expect, test } from "vitest";
import { CALL_NAMES, callSpec } from "../../wasm/calls.js";
import { describesWait } from "./deadlock.js";
import type { Os } from "./os.js";

test("the deadlock explainer describes the wait of every call the table says can block", () => {
  const blocking = CALL_NAMES.filter((c) => callSpec(c).blocks !== undefined);
  expect(blocking.length).toBeGreaterThan(0);
  expect(blocking.filter((c) => !describesWait(c))).toEqual([]);
});

test("a msgrcv wait is described as msgrcv(2) describes msgtyp (main said " +
  "`a message of type 0`)", async () => {
  const { run } = await import("./run.js");
  const { IPC_CREAT, IPC_PRIVATE } = await import("./constants.js");
  const { wantedMessage } = await import("./deadlock.js");
  const r = await run(async (os) => {
    const q = await os.msgget(IPC_PRIVATE, IPC_CREAT | 0o600);
    await os.msgrcv(q, 16, 0, 0);
  });
  expect(r.verdict.kind).toBe("deadlock");
  expect(r.text().join("\n")).toContain("waiting for any message (msgtyp 0) on queue 0");
  expect(wantedMessage(-3, 0)).toBe("a message of type at most 3 (msgtyp -3: lowest first)");
  expect(wantedMessage(4, 0)).toBe("a message of type 4");
  expect(wantedMessage(4, 0o20000)).toBe("a message of any type but 4 (MSG_EXCEPT)");
});

test("a lock wait is described with its range, its file and its holder, following the " +
  "holders' own waits (an OFD cycle: no EDEADLK)", async () => {
  const { run } = await import("./run.js");
  const { F_OFD_SETLKW, F_WRLCK, O_RDWR } = await import("./constants.js");
  const r = await run(async (os) => {
    await os.mkfifo("counter");
    const lock = (os: Os, fd: number, start: number) =>
      os.fcntl(fd, F_OFD_SETLKW, { l_type: F_WRLCK, l_start: start, l_len: 100 });
    const [rd, wr] = await os.pipe();
    const fd = await os.open("counter", O_RDWR);
    await lock(os, fd, 0);
    await os.fork(async (os) => {
      const mine = await os.open("counter", O_RDWR);
      await lock(os, mine, 100);
      await os.write(wr, "x"); // bytes 100-199 are the child's
      await lock(os, mine, 0);
    });
    await os.read(rd, 1);
    await lock(os, fd, 100);
  });
  expect(r.verdict.kind).toBe("deadlock");
  const text = r.text().join("\n");
  expect(text).toContain('waits for bytes 100-199 of FIFO "counter" (a write lock, OFD), ' +
    "held by pid 3 (through its OFD lock), which waits for bytes 0-99");
  expect(text).toContain("wait-for cycle: pid 2 -> pid 3 -> pid 2");
});

test("a poll wait names its descriptors and their events; os.poll resolves to revents",
  async () => {
    const { run } = await import("./run.js");
    const { POLLIN, POLLOUT, POLLRDNORM } = await import("./constants.js");
    let seen: number[] = [];
    const ok = await run(async (os) => {
      const [rd, wr] = await os.pipe();
      await os.fork(async (os) => {
        await os.write(wr, "x");
      });
      seen = await os.poll([{ fd: rd, events: POLLIN }, { fd: -1, events: POLLIN }]);
    });
    expect(ok.verdict.kind).not.toBe("deadlock");
    expect(seen).toEqual([POLLIN, 0]);
    const r = await run(async (os) => {
      const [rd] = await os.pipe();
      const [, wr2] = await os.pipe();
      await os.write(wr2, "x".repeat(65536));
      await os.ppoll([{ fd: rd, events: POLLIN | POLLRDNORM }, { fd: wr2, events: POLLOUT }]);
    });
    expect(r.verdict.kind).toBe("deadlock");
    expect(r.text().join("\n"))
      .toContain("waiting in ppoll for fds 3 (POLLIN|POLLRDNORM), 6 (POLLOUT)");
  });
test("an epoll wait names its epoll and the items' descriptors and events; os.epoll_wait " +
  "resolves to the events", async () => {
  const { run } = await import("./run.js");
  const { EPOLL_CTL_ADD, EPOLLIN, EPOLLET, EPOLLOUT } = await import("./constants.js");
  let seen: unknown = null;
  const ok = await run(async (os) => {
    const [rd, wr] = await os.pipe();
    const ep = await os.epoll_create1();
    await os.epoll_ctl(ep, EPOLL_CTL_ADD, rd, { events: EPOLLIN, data: 7 });
    await os.fork(async (os) => {
      await os.write(wr, "x");
    });
    seen = await os.epoll_wait(ep, 4);
  });
  expect(ok.verdict.kind).not.toBe("deadlock");
  expect(seen).toEqual([{ events: EPOLLIN, data: 7 }]);
  const r = await run(async (os) => {
    const [rd] = await os.pipe();
    const [, wr2] = await os.pipe();
    await os.write(wr2, "x".repeat(65536));
    const ep = await os.epoll_create1();
    await os.epoll_ctl(ep, EPOLL_CTL_ADD, rd, { events: EPOLLIN | EPOLLET });
    await os.epoll_ctl(ep, EPOLL_CTL_ADD, wr2, { events: EPOLLOUT });
    await os.epoll_wait(ep, 4);
  });
  expect(r.verdict.kind).toBe("deadlock");
  expect(r.text().join("\n"))
    .toContain("waiting in epoll_wait on epoll fd 7 for fds 3 (EPOLLIN|EPOLLET), 6 (EPOLLOUT)");
});
test("a socket wait names the socket and who holds its peer: two processes each receiving " +
  "on a stream socketpair before sending", async () => {
  const { run } = await import("./run.js");
  const { AF_UNIX, SOCK_STREAM } = await import("./constants.js");
  const r = await run(async (os) => {
    const [a, b] = await os.socketpair(AF_UNIX, SOCK_STREAM);
    await os.fork(async (os) => {
      await os.close(a);
      await os.recv(b, 10);
      await os.send(b, "pong");
    });
    await os.close(b);
    await os.recv(a, 10);
    await os.send(a, "ping");
  });
  expect(r.verdict.kind).toBe("deadlock");
  const text = r.text().join("\n");
  expect(text).toMatch(new RegExp("recvfrom\\(.*\\) \\(step \\d+\\) on socket #1 \\(nothing to " +
    "read\\), until one of pid 3 \\(fd 4[^)]*\\) writes to it \\(socket #2\\)"));
  expect(text).toContain("wait-for cycle: pid 2 -> pid 3 -> pid 2");
});

test("a receive on a connection not yet accepted waits for whoever holds the listener to " +
  "accept it", async () => {
  const { run } = await import("./run.js");
  const { AF_UNIX, SOCK_STREAM } = await import("./constants.js");
  const r = await run(async (os) => {
    const l = await os.socket(AF_UNIX, SOCK_STREAM);
    await os.bind(l, { path: "s0" });
    await os.listen(l, 1);
    await os.fork(async (os) => {
      await os.close(l);
      const c = await os.socket(AF_UNIX, SOCK_STREAM);
      await os.connect(c, { path: "s0" });
      await os.recv(c, 4);
    });
    const [rd] = await os.pipe();
    await os.read(rd, 1); // never accepts
  });
  expect(r.verdict.kind).toBe("deadlock");
  const text = r.text().join("\n");
  expect(text).toMatch(/on socket #\d+ \(nothing to read\), its peer \(socket #\d+\) not yet /);
  expect(text).toContain("accepted from the queue of socket #1 bound to s0, until one of pid 2 " +
    "(fd 3) accepts it");
});

test("an accept wait names its listener and its name; a connect wait, the full listener and " +
  "who holds it", async () => {
  const { run } = await import("./run.js");
  const { AF_UNIX, SOCK_STREAM } = await import("./constants.js");
  const alone = await run(async (os) => {
    const fd = await os.socket(AF_UNIX, SOCK_STREAM);
    await os.bind(fd, { path: "s0" });
    await os.listen(fd, 0);
    await os.accept(fd);
  });
  expect(alone.verdict.kind).toBe("deadlock");
  expect(alone.text().join("\n")).toContain("waiting in accept on socket #1 bound to s0");
  const full = await run(async (os) => {
    const fd = await os.socket(AF_UNIX, SOCK_STREAM);
    await os.bind(fd, { abstract: "srv" });
    await os.listen(fd, 0);
    for (let i = 0; i < 2; i++) {
      await os.connect(await os.socket(AF_UNIX, SOCK_STREAM), { abstract: "srv" });
    }
  });
  expect(full.verdict.kind).toBe("deadlock");
  expect(full.text().join("\n")).toContain("waiting in connect to @srv, its listener's queue " +
    "full, until one of pid 2 (fd 3) accepts");
});
