// The inspectors' readers against kernel states built by short traces: a SysV queue with two
// messages and a typed receiver asleep, a blocked semop and an undo adjustment, a forked
// process sharing a segment's page and a private page copy-on-write, a two-process deadlock's
// wait-for cycle (and none while a process that could end the waits runs), a POSIX queue's
// messages by priority, sockets and an epoll instance in a descriptor table.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseTrace } from "../trace/parse.js";
import { followTrace, type ViewState } from "./flows.js";

const HEAD = '{"trace":"ipcsim","version":1,"name":"t"}';

/** The state after each step of a trace given as its step lines (JSON objects). */
function states(...steps: object[]): ViewState[] {
  const text = [HEAD, ...steps.map((s) => JSON.stringify(s))].join("\n");
  return followTrace(parseTrace(text, "t.jsonl"), undefined, true).states;
}

const msgsnd = (pid: number, mtype: number, data: string) =>
  ({ pid, call: "msgsnd", msqid: 0, mtype, data, flags: [] });
const semop = (pid: number, sops: object[]) => ({ pid, call: "semop", semid: 0, sops });

describe("the inspectors' kernel readers", () => {
  it("a descriptor table names sockets (type, peer, name, unread bytes) and epoll", () => {
    const s = states(
      { pid: 2, call: "socketpair", domain: "AF_UNIX", type: ["SOCK_DGRAM"] },
      { pid: 2, call: "write", fd: 3, data: "hello" },
      { pid: 2, call: "socket", domain: "AF_UNIX", type: ["SOCK_SEQPACKET"] },
      { pid: 2, call: "bind", fd: 5, addr: { abstract: "srv" } },
      { pid: 2, call: "epoll_create1", flags: [] },
    ).at(-1)!;
    expect(s.detail.processes[0].fds.slice(3).map((f) => f.what)).toEqual([
      "socket #1 datagram, peer #2", "socket #2 datagram, peer #1, 5 bytes unread",
      'socket #3 seqpacket, bound "@srv"', "epoll (0 watched)",
    ]);
  });

  it("a SysV queue: its messages in order, cbytes against qbytes, a typed receiver", () => {
    const s = states(
      { pid: 2, call: "msgget", key: "IPC_PRIVATE", flags: [], mode: "0600" },
      msgsnd(2, 1, "hello"), msgsnd(2, 7, "a longer message, cut"),
      { pid: 2, call: "fork" },
      { pid: 3, call: "msgrcv", msqid: 0, size: 64, msgtyp: 3, flags: [] },
    ).at(-1)!;
    const [q] = s.detail.msgQueues;
    expect(q.id).toBe(0);
    expect(q.cbytes).toBe(26);
    expect(q.qbytes).toBe(16384);
    expect(q.messages.map((m) => [m.type, m.size, m.text])).toEqual([
      [1, 5, '"hello"'], [7, 21, '"a longer message"...'],
    ]);
    expect(q.receivers).toEqual([{ pid: 3, msgtyp: 3, flags: 0 }]);
    expect(q.senders).toEqual([]);
  });

  it("a semaphore set: a blocked semop on its semaphore's alter list, an undo adjustment", () => {
    const s = states(
      { pid: 2, call: "semget", key: "IPC_PRIVATE", nsems: 2, flags: [], mode: "0600" },
      semop(2, [{ num: 1, op: 2, flags: ["SEM_UNDO"] }]),
      { pid: 2, call: "fork" },
      semop(3, [{ num: 0, op: -1, flags: [] }]),
      semop(2, [{ num: 1, op: 0, flags: [] }]),
    );
    const after = s[3];
    expect(after.detail.semSets).toEqual([{ id: 0, values: [0, 2], waiters: [
      { pid: 3, list: "alter", num: 0, sops: [{ num: 0, op: -1, flags: 0 }], blocking: 0 },
    ] }]);
    const parent = after.detail.processes.find((p) => p.pid === 2)!;
    expect(parent.undo).toEqual([{ semid: 0, adj: [0, -2] }]);
    // The child inherits no undo records (fork clears them: copy_semundo without CLONE_SYSVSEM).
    expect(after.detail.processes.find((p) => p.pid === 3)!.undo).toEqual([]);
    // A wait for zero goes on its semaphore's const list.
    const zero = s[4].detail.semSets[0].waiters;
    expect(zero.map((w) => [w.pid, w.list, w.num])).toEqual([[3, "alter", 0], [2, "const", 1]]);
  });

  it("a forked process shares a segment's frame; a private page is copy-on-write", () => {
    const s = states(
      { pid: 2, call: "shmget", key: 0, size: 4096, flags: [], mode: "0600" },
      { pid: 2, call: "shmat", shmid: 0, flags: [] },
      { pid: 2, call: "store", addr: { ref: 1 }, data: "shared" },
      { pid: 2, call: "mmap", length: 4096, prot: ["PROT_READ", "PROT_WRITE"],
        flags: ["MAP_PRIVATE", "MAP_ANONYMOUS"] },
      { pid: 2, call: "store", addr: { ref: 3 }, data: "private" },
      { pid: 2, call: "fork" },
    );
    const [parent, child] = s.at(-1)!.detail.processes;
    expect(parent.pid).toBe(2);
    expect(child.pid).toBe(3);
    expect(parent.pages.length).toBe(2);
    for (const [i, page] of parent.pages.entries()) {
      const twin = child.pages[i];
      expect(twin.va).toBe(page.va);
      expect(twin.frame).toBe(page.frame);
    }
    const seg = s.at(-1)!.processes[0].mappings.find((m) => m.shmid === 0)!;
    const shared = parent.pages.find((p) => p.va === seg.start)!;
    const priv = parent.pages.find((p) => p.va !== seg.start)!;
    // The segment's frame: two entries and the segment's own page index hold it.
    expect(shared).toMatchObject({ writable: true, cow: false, refs: 3 });
    expect(priv).toMatchObject({ writable: false, cow: true, refs: 2 });
  });

  it("a two-process deadlock: each waits for the other, the cycle found at the step", () => {
    const s = states(
      { pid: 2, call: "semget", key: "IPC_PRIVATE", nsems: 2, flags: [], mode: "0600" },
      { pid: 2, call: "semctl", semid: 0, semnum: 0, cmd: "SETVAL", arg: 1 },
      { pid: 2, call: "semctl", semid: 0, semnum: 1, cmd: "SETVAL", arg: 1 },
      { pid: 2, call: "fork" },
      semop(2, [{ num: 0, op: -1, flags: [] }]),
      semop(3, [{ num: 1, op: -1, flags: [] }]),
      semop(2, [{ num: 1, op: -1, flags: [] }]),
      semop(3, [{ num: 0, op: -1, flags: [] }]),
    );
    expect(s[5].detail.waits).toBeUndefined();
    const one = s[6].detail.waits!;
    expect(one.edges).toEqual([[2, 3]]);
    expect(one.cycle).toEqual([]);
    expect(one.lines[0]).toMatch(/^pid 2 blocked in semop/);
    const g = s[7].detail.waits!;
    expect(g.nodes).toEqual([{ pid: 2, blocked: true }, { pid: 3, blocked: true }]);
    expect(g.edges).toEqual([[2, 3], [3, 2]]);
    expect(g.cycle).toEqual([2, 3, 2]);
    expect(g.lines.length).toBe(2);
  });

  it("no cycle while a process that could end the waits still runs", () => {
    const rcv = (pid: number) => ({ pid, call: "msgrcv", msqid: 0, size: 8, msgtyp: 0, flags: [] });
    const s = states(
      { pid: 2, call: "msgget", key: "IPC_PRIVATE", flags: [], mode: "0600" },
      { pid: 2, call: "fork" }, { pid: 2, call: "fork" }, rcv(2), rcv(3), rcv(4),
    );
    // pid 2 and pid 3 wait for a message any other process could send: pid 4 runs.
    expect(s[4].detail.waits!.edges).toEqual([[2, 3], [2, 4], [3, 2], [3, 4]]);
    expect(s[4].detail.waits!.cycle).toEqual([]);
    expect(s[5].detail.waits!.cycle).toEqual([2, 3, 2]);
    // A consumer's V ends a producer's P though it never took a unit: no cycle at any step.
    const path = "examples/traces/sem-producer-consumer.jsonl";
    const pc = followTrace(parseTrace(readFileSync(path, "utf8"), path), undefined, true).states;
    expect(pc.some((x) => x.detail.waits)).toBe(true);
    expect(pc.every((x) => !x.detail.waits?.cycle.length)).toBe(true);
  });

  it("a POSIX queue: its messages by priority, its attributes", () => {
    const send = (data: string, prio: number) =>
      ({ pid: 2, call: "mq_timedsend", mqd: 3, data, prio });
    const s = states(
      { pid: 2, call: "mq_open", name: "/q", flags: ["O_RDWR", "O_CREAT"], mode: "0600",
        attr: { maxmsg: 4, msgsize: 32 } },
      send("low", 1), send("high", 9), send("low2", 1),
    ).at(-1)!;
    expect(s.detail.posixQueues).toEqual([{ name: "q", maxmsg: 4, msgsize: 32, curmsgs: 3,
      receivers: [],
      senders: [], messages: [{ prio: 9, size: 4, text: '"high"' },
        { prio: 1, size: 3, text: '"low"' }, { prio: 1, size: 4, text: '"low2"' }] }]);
  });
});
