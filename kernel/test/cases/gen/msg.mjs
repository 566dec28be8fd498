// SysV message queues: msgget(2), msgsnd(2), msgrcv(2), msgctl(2), and the id allocator they
// share with sem and shm. Linux: ipc/msg.c (do_msgsnd, do_msgrcv, pipelined_send, ss_wakeup,
// expunge_all, msgctl_down), ipc/util.c (ipcget_public, ipc_addid, ipc_idr_alloc, ipcperms);
// docs/linux-semantics.md sections 0.1, 0.3, 1.3 and 2.1. The expectations were checked on
// Linux through the host bridge (host-bridge/diff.test.ts runs every case there).

import { BLOCKED, Case, PRIVATE, err, fill, ipcPerm, ok, wake, why } from "./lib.mjs";

export const cases = [];
const add = (f) => cases.push(f);

const get = (key = PRIVATE, flags = [], mode = "0600") => ({ key, flags, mode });
const snd = (msqid, mtype, data, flags = []) => ({ msqid, mtype, data, flags });
const rcv = (msqid, size, msgtyp, flags = []) => ({ msqid, size, msgtyp, flags });
const ctl = (msqid, cmd, buf) => (buf === undefined ? { msqid, cmd } : { msqid, cmd, buf });
/** msgrcv's result: the byte count, the bytes and the type. */
const rcvd = (data, mtype) => ({ ret: Buffer.byteLength(data, "utf8"), data, mtype });
/** IPC_STAT's msqid64_ds: a new empty queue of root's, and the fields that differ. */
function qstat({ cbytes = 0, lrpid = 0, lspid = 0, qbytes = 16384, qnum = 0, perm = {} } = {}) {
  const stat = { msg_cbytes: cbytes, msg_lrpid: lrpid, msg_lspid: lspid, msg_perm: ipcPerm(perm),
    msg_qbytes: qbytes, msg_qnum: qnum };
  return ok(0, { stat });
}

add(() => {
  const c = new Case("msg-ctl",
    "msgctl: msqid < 0 or cmd < 0 or an unknown cmd give EINVAL; IPC_INFO/MSG_INFO return the " +
    "highest used index; MSG_STAT takes an index and returns the full id", { banner: false });
  c.step(2, "msgget", get(), ok(0));
  c.step(2, "msgget", get(), ok(1));
  c.step(2, "msgctl", ctl(0, "IPC_RMID"), ok(0));
  c.step(2, "msgget", get(), ok(2));
  c.step(2, "msgctl", ctl(-1, "IPC_STAT"), err("EINVAL"));
  c.step(2, "msgctl", ctl(1, -1), err("EINVAL"));
  c.step(2, "msgctl", ctl(1, 99), err("EINVAL"));
  c.step(2, "msgctl", ctl(0, "IPC_INFO"), ok(2));
  c.step(2, "msgctl", ctl(0, "MSG_INFO"), ok(2));
  c.step(2, "msgctl", ctl(2, "MSG_STAT"), ok(2));
  c.step(2, "msgctl", why(ctl(0, "MSG_STAT"), "index 0 is free"), err("EINVAL"));
  c.step(2, "msgctl", why(ctl(1, 13), "MSG_STAT_ANY"), ok(1));
  c.step(2, "msgctl", why(ctl(32770, "MSG_STAT"), "only the index part counts"), ok(2));
  c.step(2, "msgctl", ctl(1, "IPC_RMID"), ok(0));
  c.step(2, "msgctl", ctl(2, "IPC_RMID"), ok(0));
  c.step(2, "msgctl", why(ctl(0, "IPC_INFO"), "no queue: 0"), ok(0));
  return c;
});

add(() => {
  const c = new Case("msg-get-eexist",
    "an existing key with IPC_CREAT|IPC_EXCL gives EEXIST; IPC_CREAT alone returns the " +
    "existing id", { banner: false });
  c.step(2, "msgget", get(4660, ["IPC_CREAT", "IPC_EXCL"]), ok(0));
  c.step(2, "msgget", get(4660, ["IPC_CREAT", "IPC_EXCL"]), err("EEXIST"));
  c.step(2, "msgget", get(4660, ["IPC_CREAT"], "0666"), ok(0));
  c.step(2, "msgctl", why(ctl(0, "IPC_STAT"), "the mode of the second msgget is not applied"),
    qstat({ perm: { key: 4660 } }));
  return c;
});

add(() => {
  const c = new Case("msg-get-enoent",
    "a missing key without IPC_CREAT gives ENOENT (ipc/util.c ipcget_public)", { banner: false });
  c.step(2, "msgget", get(4660), err("ENOENT"));
  c.step(2, "msgget", why(get(4660, ["IPC_EXCL"]), "IPC_EXCL alone does not create"),
    err("ENOENT"));
  c.step(2, "msgget", get(4660, ["IPC_CREAT"]), ok(0));
  c.step(2, "msgget", why(get(4660, [], "0000"), "now found"), ok(0));
  return c;
});

add(() => {
  const c = new Case("msg-get-enospc",
    "more than kernel.msgmni queues gives ENOSPC (ipc/util.c ipc_addid); a removed queue frees " +
    "its slot", { params: { "kernel.msgmni": 2 }, banner: false });
  c.step(2, "msgget", get(), ok(0));
  c.step(2, "msgget", get(17, ["IPC_CREAT"]), ok(1));
  c.step(2, "msgget", get(), err("ENOSPC"));
  c.step(2, "msgget", get(18, ["IPC_CREAT"]), err("ENOSPC"));
  c.step(2, "msgget", why(get(17), "an existing key is still found"), ok(1));
  c.step(2, "msgctl", ctl(0, "IPC_RMID"), ok(0));
  c.step(2, "msgget", get(18, ["IPC_CREAT"]), ok(2));
  return c;
});

add(() => {
  const c = new Case("msg-get-perms",
    "ipcperms checks only the mode bits asked for, and root has CAP_IPC_OWNER: a 0000 queue is " +
    "usable by root for every bit; EEXIST is checked before the permission", { banner: false });
  c.step(2, "msgget", get(4660, ["IPC_CREAT"], "0000"), ok(0));
  c.step(2, "msgget", get(4660, [], "0000"), ok(0));
  c.step(2, "msgget", get(4660), ok(0));
  c.step(2, "msgget", get(4660, ["IPC_CREAT", "IPC_EXCL"]), err("EEXIST"));
  c.step(2, "msgsnd", snd(0, 1, "x"), ok(0));
  c.step(2, "msgrcv", rcv(0, 8, 0), rcvd("x", 1));
  c.step(2, "msgctl", ctl(0, "IPC_STAT"),
    qstat({ lrpid: 2, lspid: 2, perm: { key: 4660, mode: "0000" } }));
  return c;
});

add(() => {
  const c = new Case("msg-get-private",
    "IPC_PRIVATE always creates a new queue, with or without IPC_CREAT; ids of a fresh " +
    "namespace start at 0 (ipc/util.c ipcget_new)", { banner: false });
  c.step(2, "msgget", get(), ok(0));
  c.step(2, "msgget", get(PRIVATE, ["IPC_CREAT", "IPC_EXCL"]), ok(1));
  c.step(2, "msgget", get(PRIVATE, ["IPC_CREAT"], "0640"), ok(2));
  c.step(2, "msgctl",
    why(ctl(2, "IPC_STAT"),
        "key 0, mode from the flag argument, qbytes = msgmnb, nothing sent or received yet"),
    qstat({ perm: { mode: "0640" } }));
  return c;
});

add(() => {
  const c = new Case("msg-handoff-e2big",
    "a matching blocked receiver whose buffer is too small fails with E2BIG and the walk goes " +
    "on; if nobody takes the message it is queued; a MSG_NOERROR receiver takes it truncated",
    { banner: false });
  c.step(2, "msgget", get(), ok(0));
  c.step(2, "fork", {}, ok(3));
  c.step(2, "fork", {}, ok(4));
  const s3 = c.step(3, "msgrcv", rcv(0, 2, 0), BLOCKED);
  const s4 = c.step(4, "msgrcv", rcv(0, 64, 0), BLOCKED);
  c.step(2, "msgsnd", snd(0, 1, "too long"), ok(0),
    [wake(4, s4, rcvd("too long", 1)), wake(3, s3, err("E2BIG"))]);
  const s6 = c.step(3, "msgrcv", rcv(0, 2, 0), BLOCKED);
  c.step(2, "msgsnd",
    why(snd(0, 1, "too long"), "only the small receiver: E2BIG, and the message is queued"), ok(0),
    [wake(3, s6, err("E2BIG"))]);
  c.step(2, "msgctl", ctl(0, "IPC_STAT"), qstat({ cbytes: 8, lrpid: 4, lspid: 2, qnum: 1 }));
  c.step(2, "msgrcv", rcv(0, 64, 0), rcvd("too long", 1));
  const s10 = c.step(3, "msgrcv", rcv(0, 3, 0, ["MSG_NOERROR"]), BLOCKED);
  c.step(2, "msgsnd", snd(0, 4, "truncated"), ok(0), [wake(3, s10, rcvd("tru", 4))]);
  c.step(2, "msgctl", ctl(0, "IPC_STAT"), qstat({ lrpid: 3, lspid: 2 }));
  return c;
});

add(() => {
  const c = new Case("msg-handoff-order",
    "blocked receivers are served in blocking order by hand-off (pipelined_send): A then B " +
    "block for any type; M1 goes to A, M2 to B; a handed-off message never shows in msg_qnum; " +
    "lrpid is the receiver", { banner: false });
  c.step(2, "msgget", get(), ok(0));
  c.step(2, "fork", {}, ok(3));
  c.step(2, "fork", {}, ok(4));
  const s3 = c.step(3, "msgrcv", rcv(0, 16, 0), BLOCKED);
  const s4 = c.step(4, "msgrcv", rcv(0, 16, 0), BLOCKED);
  c.step(2, "msgsnd", snd(0, 1, "M1"), ok(0), [wake(3, s3, rcvd("M1", 1))]);
  c.step(2, "msgctl", ctl(0, "IPC_STAT"), qstat({ lrpid: 3, lspid: 2 }));
  c.step(2, "msgsnd", snd(0, 2, "M2"), ok(0), [wake(4, s4, rcvd("M2", 2))]);
  c.step(2, "msgctl", ctl(0, "IPC_STAT"), qstat({ lrpid: 4, lspid: 2 }));
  c.step(2, "msgsnd", why(snd(0, 3, "M3"), "nobody waits: queued"), ok(0));
  c.step(2, "msgctl", ctl(0, "IPC_STAT"), qstat({ cbytes: 2, lrpid: 4, lspid: 2, qnum: 1 }));
  return c;
});

add(() => {
  const c = new Case("msg-handoff-type",
    "the first blocked receiver whose type matches gets the message: R1 waits for type 2, R2 " +
    "for any; a type-1 send goes to R2, a type-2 send to R1; MSG_EXCEPT and msgtyp < 0 " +
    "receivers are matched the same way", { banner: false });
  c.step(2, "msgget", get(), ok(0));
  c.step(2, "fork", {}, ok(3));
  c.step(2, "fork", {}, ok(4));
  c.step(2, "fork", {}, ok(5));
  const s4 = c.step(3, "msgrcv", rcv(0, 16, 2), BLOCKED);
  const s5 = c.step(4, "msgrcv", rcv(0, 16, 0), BLOCKED);
  c.step(2, "msgsnd", snd(0, 1, "one"), ok(0), [wake(4, s5, rcvd("one", 1))]);
  c.step(2, "msgsnd", snd(0, 2, "two"), ok(0), [wake(3, s4, rcvd("two", 2))]);
  const s8 = c.step(3, "msgrcv", rcv(0, 16, 5, ["MSG_EXCEPT"]), BLOCKED);
  const s9 = c.step(4, "msgrcv", rcv(0, 16, -3), BLOCKED);
  const s10 = c.step(5, "msgrcv", rcv(0, 16, 5), BLOCKED);
  c.step(2, "msgsnd",
    why(snd(0, 5, "five"), "R3 (pid 3) excepts 5, pid 4 wants <= 3: pid 5 gets it"), ok(0),
    [wake(5, s10, rcvd("five", 5))]);
  c.step(2, "msgsnd", why(snd(0, 3, "three"), "pid 3 (not 5) is first and matches"), ok(0),
    [wake(3, s8, rcvd("three", 3))]);
  c.step(2, "msgsnd", why(snd(0, 3, "three"), "pid 4: 3 <= 3"), ok(0),
    [wake(4, s9, rcvd("three", 3))]);
  c.step(2, "msgctl", ctl(0, "IPC_STAT"), qstat({ lrpid: 4, lspid: 2 }));
  return c;
});

add(() => {
  const c = new Case("msg-ids",
    "ids are seq * 32768 + idx, idx taken cyclically (ipc/util.c ipc_idr_alloc): remove 0 and " +
    "the next is 3, not 0; the semaphore allocator is separate (its first id is 0); IPC_STAT " +
    "reports seq", { banner: false });
  c.step(2, "msgget", get(), ok(0));
  c.step(2, "msgget", get(), ok(1));
  c.step(2, "msgget", get(), ok(2));
  c.step(2, "msgctl", ctl(0, "IPC_RMID"), ok(0));
  c.step(2, "msgget", get(), ok(3));
  c.step(2, "semget", { key: "IPC_PRIVATE", nsems: 1, flags: [], mode: "0600" }, ok(0));
  c.step(2, "msgctl", ctl(3, "IPC_STAT"), qstat());
  return c;
});

add(() => {
  const c = new Case("msg-next-id",
    "kernel.msg_next_id forces the next id and resets to -1 without moving the cyclic cursor " +
    "or seq: 3 * 32768 + 5 gives 98309 and the next id is 0",
    { params: { "kernel.msg_next_id": 98309 }, banner: false });
  c.step(2, "msgget", get(), ok(98309));
  c.step(2, "msgget", get(), ok(0));
  c.step(2, "msgget", get(), ok(1));
  c.step(2, "msgctl", ctl(98309, "IPC_STAT"), qstat({ perm: { __seq: 3 } }));
  c.step(2, "msgctl", why(ctl(5, "IPC_STAT"), "idx 5 with seq 0 is not that queue"), err("EINVAL"));
  return c;
});

add(() => {
  const c = new Case("msg-rcv-copy",
    "MSG_COPY copies the message at a 0-based index without removing it; it needs IPC_NOWAIT " +
    "and refuses MSG_EXCEPT (EINVAL); an index past the end gives ENOMSG; a small buffer gives " +
    "E2BIG, and with MSG_NOERROR the copy buffer check gives EINVAL", { banner: false });
  c.step(2, "msgget", get(), ok(0));
  c.step(2, "msgsnd", snd(0, 5, "first"), ok(0));
  c.step(2, "msgsnd", snd(0, 7, "second!"), ok(0));
  c.step(2, "msgrcv", why(rcv(0, 16, 1, ["MSG_COPY"]), "without IPC_NOWAIT"), err("EINVAL"));
  c.step(2, "msgrcv", rcv(0, 16, 1, ["MSG_COPY", "IPC_NOWAIT", "MSG_EXCEPT"]), err("EINVAL"));
  c.step(2, "msgrcv", rcv(0, 16, 1, ["MSG_COPY", "IPC_NOWAIT"]), rcvd("second!", 7));
  c.step(2, "msgrcv", rcv(0, 16, 0, ["MSG_COPY", "IPC_NOWAIT"]), rcvd("first", 5));
  c.step(2, "msgrcv", rcv(0, 16, 2, ["MSG_COPY", "IPC_NOWAIT"]), err("ENOMSG"));
  c.step(2, "msgrcv", rcv(0, 16, -1, ["MSG_COPY", "IPC_NOWAIT"]), err("ENOMSG"));
  c.step(2, "msgrcv", rcv(0, 3, 1, ["MSG_COPY", "IPC_NOWAIT"]), err("E2BIG"));
  c.step(2, "msgrcv", rcv(0, 3, 1, ["MSG_COPY", "IPC_NOWAIT", "MSG_NOERROR"]), err("EINVAL"));
  c.step(2, "msgctl", why(ctl(0, "IPC_STAT"), "both messages still queued"),
    qstat({ cbytes: 12, lspid: 2, qnum: 2 }));
  c.step(2, "msgrcv",
    why(rcv(9, 16, 0, ["MSG_COPY", "IPC_NOWAIT"]), "bad id after the flag checks"), err("EINVAL"));
  return c;
});

add(() => {
  const c = new Case("msg-rcv-e2big",
    "a message larger than the buffer gives E2BIG and stays queued; with MSG_NOERROR it is " +
    "truncated and removed", { banner: false });
  c.step(2, "msgget", get(), ok(0));
  c.step(2, "msgsnd", snd(0, 1, "hello world"), ok(0));
  c.step(2, "msgrcv", rcv(0, 5, 0, ["IPC_NOWAIT"]), err("E2BIG"));
  c.step(2, "msgctl", ctl(0, "IPC_STAT"), qstat({ cbytes: 11, lspid: 2, qnum: 1 }));
  c.step(2, "msgrcv", rcv(0, 5, 0, ["IPC_NOWAIT", "MSG_NOERROR"]), rcvd("hello", 1));
  c.step(2, "msgctl", why(ctl(0, "IPC_STAT"), "removed: qnum 0, cbytes 0"),
    qstat({ lrpid: 2, lspid: 2 }));
  c.step(2, "msgsnd", snd(0, 1, "z"), ok(0));
  c.step(2, "msgrcv", why(rcv(0, 0, 0, ["IPC_NOWAIT"]), "a 0-byte buffer: E2BIG"), err("E2BIG"));
  c.step(2, "msgrcv",
    why(rcv(0, 0, 0, ["IPC_NOWAIT", "MSG_NOERROR"]), "truncated to nothing, and removed"),
    rcvd("", 1));
  c.step(2, "msgctl", ctl(0, "IPC_STAT"), qstat({ lrpid: 2, lspid: 2 }));
  return c;
});

add(() => {
  const c = new Case("msg-rcv-einval",
    "msgrcv: msqid < 0 or a negative size gives EINVAL before the lookup; an unknown id EINVAL",
    { banner: false });
  c.step(2, "msgget", get(), ok(0));
  c.step(2, "msgrcv", rcv(-1, 16, 0, ["IPC_NOWAIT"]), err("EINVAL"));
  c.step(2, "msgrcv", rcv(0, -1, 0, ["IPC_NOWAIT"]), err("EINVAL"));
  c.step(2, "msgrcv", rcv(1, 16, 0, ["IPC_NOWAIT"]), err("EINVAL"));
  c.step(2, "msgrcv", rcv(32768, 16, 0, ["IPC_NOWAIT"]), err("EINVAL"));
  c.step(2, "msgrcv", rcv(0, 16, 0, ["IPC_NOWAIT"]), err("ENOMSG"));
  return c;
});

add(() => {
  const c = new Case("msg-rcv-enomsg",
    "no matching message with IPC_NOWAIT gives ENOMSG, not EAGAIN", { banner: false });
  c.step(2, "msgget", get(), ok(0));
  c.step(2, "msgrcv", rcv(0, 16, 0, ["IPC_NOWAIT"]), err("ENOMSG"));
  c.step(2, "msgsnd", snd(0, 2, "x"), ok(0));
  c.step(2, "msgrcv", rcv(0, 16, 1, ["IPC_NOWAIT"]), err("ENOMSG"));
  c.step(2, "msgrcv", rcv(0, 16, -1, ["IPC_NOWAIT"]), err("ENOMSG"));
  c.step(2, "msgrcv", rcv(0, 16, 2, ["IPC_NOWAIT", "MSG_EXCEPT"]), err("ENOMSG"));
  c.step(2, "msgctl", ctl(0, "IPC_STAT"), qstat({ cbytes: 1, lspid: 2, qnum: 1 }));
  return c;
});

add(() => {
  const c = new Case("msg-rcv-except",
    "MSG_EXCEPT with msgtyp > 0 takes the first message of another type; with msgtyp 0 it is " +
    "ignored; with msgtyp < 0 it is ignored too (convert_mode)", { banner: false });
  c.step(2, "msgget", get(), ok(0));
  c.step(2, "msgsnd", snd(0, 4, "a4"), ok(0));
  c.step(2, "msgsnd", snd(0, 4, "b4"), ok(0));
  c.step(2, "msgsnd", snd(0, 6, "c6"), ok(0));
  c.step(2, "msgsnd", snd(0, 2, "d2"), ok(0));
  c.step(2, "msgrcv", rcv(0, 16, 4, ["IPC_NOWAIT", "MSG_EXCEPT"]), rcvd("c6", 6));
  c.step(2, "msgrcv",
    why(rcv(0, 16, -3, ["IPC_NOWAIT", "MSG_EXCEPT"]), "LESSEQUAL: MSG_EXCEPT ignored"),
    rcvd("d2", 2));
  c.step(2, "msgrcv", why(rcv(0, 16, 0, ["IPC_NOWAIT", "MSG_EXCEPT"]), "ANY: MSG_EXCEPT ignored"),
    rcvd("a4", 4));
  c.step(2, "msgrcv", why(rcv(0, 16, 4, ["IPC_NOWAIT", "MSG_EXCEPT"]), "only type 4 left"),
    err("ENOMSG"));
  return c;
});

add(() => {
  const c = new Case("msg-rcv-long-type",
    "mtype and msgtyp are C longs: types above 2^32 are kept and compared in full; a buffer " +
    "size above INT_MAX is simply larger than any message", { banner: false });
  c.step(2, "msgget", get(), ok(0));
  c.step(2, "msgsnd", snd(0, 1099511627776, "big"), ok(0));
  c.step(2, "msgsnd", snd(0, 4294967296, "2^32"), ok(0));
  c.step(2, "msgrcv", why(rcv(0, 16, 1, ["IPC_NOWAIT"]), "2^32 + 1 would truncate to 1 in 32 bits"),
    err("ENOMSG"));
  c.step(2, "msgrcv", rcv(0, 16, -4294967296, ["IPC_NOWAIT"]), rcvd("2^32", 4294967296));
  c.step(2, "msgrcv", rcv(0, 4294967296, 1099511627776, ["IPC_NOWAIT"]),
    rcvd("big", 1099511627776));
  return c;
});

add(() => {
  const c = new Case("msg-rcv-typed",
    "msgtyp 0 takes the first message; > 0 the first of that type; < 0 the lowest type <= " +
    "|msgtyp|, earliest first (queue [3,1,2,1] with -3 yields 1,1,2,3); a type equal to " +
    "|msgtyp| qualifies (ipc/msg.c find_msg)", { banner: false });
  c.step(2, "msgget", get(), ok(0));
  c.step(2, "msgsnd", snd(0, 3, "a3"), ok(0));
  c.step(2, "msgsnd", snd(0, 1, "b1"), ok(0));
  c.step(2, "msgsnd", snd(0, 2, "c2"), ok(0));
  c.step(2, "msgsnd", snd(0, 1, "d1"), ok(0));
  c.step(2, "msgrcv", rcv(0, 16, -3, ["IPC_NOWAIT"]), rcvd("b1", 1));
  c.step(2, "msgrcv", rcv(0, 16, -3, ["IPC_NOWAIT"]), rcvd("d1", 1));
  c.step(2, "msgrcv", rcv(0, 16, -3, ["IPC_NOWAIT"]), rcvd("c2", 2));
  c.step(2, "msgrcv", rcv(0, 16, -3, ["IPC_NOWAIT"]), rcvd("a3", 3));
  c.step(2, "msgsnd", snd(0, 5, "e5"), ok(0));
  c.step(2, "msgrcv", why(rcv(0, 16, -4, ["IPC_NOWAIT"]), "5 > 4: nothing"), err("ENOMSG"));
  c.step(2, "msgrcv", why(rcv(0, 16, -5, ["IPC_NOWAIT"]), "5 <= 5"), rcvd("e5", 5));
  c.step(2, "msgsnd", snd(0, 9, "f9"), ok(0));
  c.step(2, "msgsnd", snd(0, 8, "g8"), ok(0));
  c.step(2, "msgsnd", snd(0, 9, "h9"), ok(0));
  c.step(2, "msgrcv", why(rcv(0, 16, 9, ["IPC_NOWAIT"]), "the first type 9"), rcvd("f9", 9));
  c.step(2, "msgrcv", why(rcv(0, 16, 0, ["IPC_NOWAIT"]), "the first message"), rcvd("g8", 8));
  c.step(2, "msgrcv", rcv(0, 16, 9, ["IPC_NOWAIT"]), rcvd("h9", 9));
  return c;
});

add(() => {
  const c = new Case("msg-rmid",
    "IPC_RMID is immediate: blocked receivers and senders get EIDRM (they were inside the " +
    "call); later use of the id gives EINVAL", { params: { "kernel.msgmnb": 4 }, banner: false });
  c.step(2, "msgget", get(77, ["IPC_CREAT"]), ok(0));
  c.step(2, "fork", {}, ok(3));
  c.step(2, "fork", {}, ok(4));
  const s3 = c.step(3, "msgrcv", rcv(0, 16, 9), BLOCKED);
  c.step(2, "msgsnd", snd(0, 1, "full"), ok(0));
  const s5 = c.step(4, "msgsnd", snd(0, 1, "more"), BLOCKED);
  c.step(2, "msgctl", ctl(0, "IPC_RMID"), ok(0),
    [wake(3, s3, err("EIDRM")), wake(4, s5, err("EIDRM"))]);
  c.step(2, "msgctl", ctl(0, "IPC_STAT"), err("EINVAL"));
  c.step(2, "msgctl", ctl(0, "IPC_RMID"), err("EINVAL"));
  c.step(3, "msgrcv", rcv(0, 16, 0), err("EINVAL"));
  c.step(2, "msgget", why(get(77), "the key went with it"), err("ENOENT"));
  return c;
});

add(() => {
  const c = new Case("msg-set-requeue",
    "IPC_SET wakes every blocked receiver to re-check (expunge_all(-EAGAIN) is a retry in " +
    "do_msgrcv); they queue again in the order they run, which is the scheduler's: the next " +
    "message may go to either (the model allows both)", { banner: false });
  c.step(2, "msgget", get(), ok(0));
  c.step(2, "fork", {}, ok(3));
  c.step(2, "fork", {}, ok(4));
  const s3 = c.step(3, "msgrcv", rcv(0, 16, 0), BLOCKED);
  const s4 = c.step(4, "msgrcv", rcv(0, 16, 0), BLOCKED);
  c.step(2, "msgctl", ctl(0, "IPC_SET", { msg_perm: { mode: "0660" } }), ok(0));
  c.step(2, "msgsnd", snd(0, 1, "first"), ok(0), [wake(3, s3, rcvd("first", 1))]);
  c.step(2, "msgsnd", snd(0, 1, "second"), ok(0), [wake(4, s4, rcvd("second", 1))]);
  return c;
});

add(() => {
  const c = new Case("msg-set-wakes",
    "IPC_SET runs ss_wakeup: raising qbytes lets a blocked sender send; it also wakes blocked " +
    "receivers, which re-check and sleep again",
    { params: { "kernel.msgmnb": 20 }, banner: false });
  c.step(2, "msgget", get(), ok(0));
  c.step(2, "msgctl", ctl(0, "IPC_SET", { msg_qbytes: 4 }), ok(0));
  c.step(2, "fork", {}, ok(3));
  c.step(2, "fork", {}, ok(4));
  const s4 = c.step(3, "msgsnd", snd(0, 2, "0123456789"), BLOCKED);
  const s5 = c.step(4, "msgrcv", rcv(0, 16, 1), BLOCKED);
  c.step(2, "msgctl", ctl(0, "IPC_SET", { msg_qbytes: 20 }), ok(0), [wake(3, s4, ok(0))]);
  c.step(2, "msgctl", ctl(0, "IPC_STAT"), qstat({ cbytes: 10, lspid: 3, qbytes: 20, qnum: 1 }));
  c.step(2, "msgsnd", snd(0, 1, "for 4"), ok(0), [wake(4, s5, rcvd("for 4", 1))]);
  return c;
});

add(() => {
  const c = new Case("msg-set",
    "IPC_SET changes uid, gid, the low 9 mode bits and qbytes; qbytes above msgmnb needs " +
    "CAP_SYS_RESOURCE (EPERM; root here lacks it); a uid of -1 is EINVAL; cuid and cgid stay; " +
    "the owner keeps IPC_SET/IPC_RMID rights", { banner: false });
  c.step(2, "msgget", get(), ok(0));
  c.step(2, "msgctl",
    ctl(0, "IPC_SET", { msg_perm: { uid: 1000, gid: 100, mode: "07644" }, msg_qbytes: 100 }),
    ok(0));
  c.step(2, "msgctl", ctl(0, "IPC_STAT"),
    qstat({ qbytes: 100, perm: { gid: 100, mode: "0644", uid: 1000 } }));
  c.step(2, "msgctl", ctl(0, "IPC_SET", { msg_qbytes: 16385 }), err("EPERM"));
  c.step(2, "msgctl", ctl(0, "IPC_SET", { msg_qbytes: 16384 }), ok(0));
  c.step(2, "msgctl", ctl(0, "IPC_SET", { msg_perm: { uid: 4294967295 } }), err("EINVAL"));
  c.step(2, "msgctl",
    why(ctl(0, "IPC_SET", { msg_perm: { uid: 4294967295 }, msg_qbytes: 20000 }),
        "the qbytes EPERM comes first"),
    err("EPERM"));
  c.step(2, "msgctl", ctl(0, "IPC_STAT"), qstat({ perm: { gid: 100, mode: "0644", uid: 1000 } }));
  c.step(2, "msgctl", ctl(3, "IPC_SET", { msg_qbytes: 10 }), err("EINVAL"));
  c.step(2, "msgctl", ctl(0, "IPC_RMID"), ok(0));
  return c;
});

add(() => {
  const c = new Case("msg-stat-names",
    "IPC_STAT's fields may be expected in glibc's names (msg_perm.__key, __seq, msg_cbytes: " +
    "sys/ipc.h, sys/msg.h) or the kernel's (key, seq, and glibc's __msg_cbytes is the " +
    "kernel's msg_cbytes: include/uapi/asm-generic/ipcbuf.h, asm/msgbuf.h); the times are " +
    "CLOCK_REALTIME seconds, 0 until set: msg_stime at msgsnd, msg_rtime at msgrcv, msg_ctime " +
    "at msgget (ipc/msg.c newque, do_msgsnd, do_msgrcv; docs/audit/names.md; issue 21).");
  const T = 1767225600; // the trace's CLOCK_REALTIME (docs/trace-format.md "Time")
  c.step(2, "msgget", get(4660, ["IPC_CREAT"]), ok(0));
  c.note("the kernel's spelling; nothing sent or received yet");
  c.step(2, "msgctl", ctl(0, "IPC_STAT"), ok(0, { stat: {
    msg_perm: { key: 4660, seq: 0, mode: "0600" }, __msg_cbytes: 0, msg_qnum: 0,
    msg_stime: 0, msg_rtime: 0, msg_ctime: T } }));
  c.step(2, "msgsnd", snd(0, 1, "hello"), ok(0));
  c.note("glibc's spelling; sent, not received");
  c.step(2, "msgctl", ctl(0, "IPC_STAT"), ok(0, { stat: {
    msg_perm: { __key: 4660, __seq: 0 }, msg_cbytes: 5, msg_qnum: 1, msg_stime: T,
    msg_rtime: 0 } }));
  c.step(2, "msgrcv", rcv(0, 16, 0), rcvd("hello", 1));
  c.note("a mix; received");
  c.step(2, "msgctl", ctl(0, "IPC_STAT"), ok(0, { stat: {
    msg_perm: { __key: 4660, seq: 0 }, __msg_cbytes: 0, msg_stime: T, msg_rtime: T,
    msg_ctime: T } }));
  return c;
});

add(() => {
  const c = new Case("msg-snd-block",
    "a sender that does not fit sleeps; a receive that frees room wakes it and it sends " +
    "(ss_wakeup, then the sender re-checks); lspid is the last sender",
    { params: { "kernel.msgmnb": 8 }, banner: false });
  c.step(2, "msgget", get(), ok(0));
  c.step(2, "msgsnd", snd(0, 1, "aaaaaa"), ok(0));
  c.step(2, "fork", {}, ok(3));
  const s3 = c.step(3, "msgsnd", snd(0, 2, "bbbbbb"), BLOCKED);
  c.step(2, "msgctl", ctl(0, "IPC_STAT"), qstat({ cbytes: 6, lspid: 2, qbytes: 8, qnum: 1 }));
  c.step(2, "msgrcv", rcv(0, 16, 0), rcvd("aaaaaa", 1), [wake(3, s3, ok(0))]);
  c.step(2, "msgctl", ctl(0, "IPC_STAT"),
    qstat({ cbytes: 6, lrpid: 2, lspid: 3, qbytes: 8, qnum: 1 }));
  c.step(2, "msgrcv", rcv(0, 16, 0), rcvd("bbbbbb", 2));
  return c;
});

add(() => {
  const c = new Case("msg-snd-count",
    "qbytes also limits the number of messages: with qbytes 3, three 0-byte messages fit and " +
    "the fourth gives EAGAIN", { params: { "kernel.msgmnb": 3 }, banner: false });
  c.step(2, "msgget", get(), ok(0));
  c.step(2, "msgsnd", snd(0, 1, "", ["IPC_NOWAIT"]), ok(0));
  c.step(2, "msgsnd", snd(0, 2, "", ["IPC_NOWAIT"]), ok(0));
  c.step(2, "msgsnd", snd(0, 3, "", ["IPC_NOWAIT"]), ok(0));
  c.step(2, "msgsnd", snd(0, 4, "", ["IPC_NOWAIT"]), err("EAGAIN"));
  c.step(2, "msgctl", ctl(0, "IPC_STAT"), qstat({ lspid: 2, qbytes: 3, qnum: 3 }));
  c.step(2, "msgrcv", why(rcv(0, 0, 0), "a 0-byte message is received with a 0-byte buffer"),
    rcvd("", 1));
  c.step(2, "msgsnd", snd(0, 4, "", ["IPC_NOWAIT"]), ok(0));
  return c;
});

add(() => {
  const c = new Case("msg-snd-eagain",
    "a message fits iff size + cbytes <= qbytes and qnum + 1 <= qbytes; otherwise IPC_NOWAIT " +
    "gives EAGAIN; a 0-byte message still fits a queue full by bytes",
    { params: { "kernel.msgmnb": 10 }, banner: false });
  c.step(2, "msgget", get(), ok(0));
  c.step(2, "msgsnd", snd(0, 1, "0123456789", ["IPC_NOWAIT"]), ok(0));
  c.step(2, "msgsnd", snd(0, 1, "x", ["IPC_NOWAIT"]), err("EAGAIN"));
  c.step(2, "msgsnd",
    why(snd(0, 1, "", ["IPC_NOWAIT"]), "full by bytes, but 0 + 10 <= 10 and 2 <= 10"), ok(0));
  c.step(2, "msgctl", ctl(0, "IPC_STAT"), qstat({ cbytes: 10, lspid: 2, qbytes: 10, qnum: 2 }));
  return c;
});

add(() => {
  const c = new Case("msg-snd-einval",
    "msgsnd: size above msgmax, msqid < 0 and mtype < 1 give EINVAL before the lookup; an " +
    "unknown or stale id gives EINVAL, not EIDRM (ipc/msg.c do_msgsnd)",
    { params: { "kernel.msgmax": 8 }, banner: false });
  c.step(2, "msgget", get(), ok(0));
  c.step(2, "msgsnd", why(snd(0, 1, "12345678"), "exactly msgmax fits"), ok(0));
  c.step(2, "msgsnd", snd(0, 1, "123456789"), err("EINVAL"));
  c.step(2, "msgsnd", snd(0, 0, "x"), err("EINVAL"));
  c.step(2, "msgsnd", snd(0, -5, "x"), err("EINVAL"));
  c.step(2, "msgsnd", snd(-1, 1, "x"), err("EINVAL"));
  c.step(2, "msgsnd", why(snd(7, 1, "x"), "never used"), err("EINVAL"));
  c.step(2, "msgsnd", why(snd(32768, 1, "x"), "idx 0 with the wrong seq"), err("EINVAL"));
  c.step(2, "msgctl", ctl(0, "IPC_RMID"), ok(0));
  c.step(2, "msgsnd", why(snd(0, 1, "x"), "removed"), err("EINVAL"));
  return c;
});

add(() => {
  const c = new Case("msg-snd-full-zero",
    "with the queue full by bytes (2 x 8192 of 16384), a further message waits or gives " +
    "EAGAIN, but a 0-byte message is still accepted", { banner: false });
  c.step(2, "msgget", get(), ok(0));
  c.step(2, "msgsnd", snd(0, 1, fill("a", 8192)), ok(0));
  c.step(2, "msgsnd", snd(0, 1, fill("b", 8192)), ok(0));
  c.step(2, "msgsnd", snd(0, 1, "c", ["IPC_NOWAIT"]), err("EAGAIN"));
  c.step(2, "msgsnd", snd(0, 1, "", ["IPC_NOWAIT"]), ok(0));
  c.step(2, "msgctl", ctl(0, "IPC_STAT"), qstat({ cbytes: 16384, lspid: 2, qnum: 3 }));
  return c;
});

add(() => {
  const c = new Case("msg-snd-wakeup-fit",
    "ss_wakeup wakes only the blocked senders whose message now fits, in order; the others " +
    "keep sleeping (moved to the tail in their order)",
    { params: { "kernel.msgmnb": 10 }, banner: false });
  c.step(2, "msgget", get(), ok(0));
  c.step(2, "msgsnd", snd(0, 1, "xxxx"), ok(0));
  c.step(2, "msgsnd", snd(0, 2, "yyyy"), ok(0));
  c.step(2, "fork", {}, ok(3));
  c.step(2, "fork", {}, ok(4));
  c.step(2, "fork", {}, ok(5));
  c.step(3, "msgsnd", why(snd(0, 3, "big big"), "7 bytes: needs 7 free"), BLOCKED);
  c.step(4, "msgsnd", why(snd(0, 4, "sm"), "2 bytes fit now? 8 + 2 = 10: yes"), ok(0));
  const s8 = c.step(5, "msgsnd", why(snd(0, 5, "mid!"), "4 bytes: 14 > 10, sleeps"), BLOCKED);
  c.step(2, "msgrcv",
    why(rcv(0, 16, 1), "frees 4: 6 of 10 used; pid 3 (7) does not fit, pid 5 (4) does"),
    rcvd("xxxx", 1), [wake(5, s8, ok(0))]);
  c.step(2, "msgctl", ctl(0, "IPC_STAT"),
    qstat({ cbytes: 10, lrpid: 2, lspid: 5, qbytes: 10, qnum: 3 }));
  c.step(2, "msgrcv", why(rcv(0, 16, 2), "frees 4 more: 6 used; pid 3 (7) still does not fit"),
    rcvd("yyyy", 2));
  c.step(2, "msgrcv", why(rcv(0, 16, 4), "frees 2: 4 used; pid 3 fits"), rcvd("sm", 4));
  c.step(2, "msgctl", ctl(0, "IPC_STAT"),
    qstat({ cbytes: 4, lrpid: 2, lspid: 5, qbytes: 10, qnum: 1 }));
  return c;
});

add(() => {
  const c = new Case("msg-ids-cycle",
    "a create/remove loop in a fresh namespace gives ids 0..63, then 32768 (max_idx = 64 while " +
    "in_use is small: the cursor wraps and seq grows); 100 live queues then take idx 1..100 with " +
    "seq 1 (max_idx grows with in_use); removing them all and creating one more gives 65536 (the " +
    "cursor at 101 is past max_idx 64: it wraps and seq is 2)",
    { banner: false });
  for (let id = 0; id < 64; id++) {
    c.step(2, "msgget", get(), ok(id));
    c.step(2, "msgctl", ctl(id, "IPC_RMID"), ok(0));
  }
  c.step(2, "msgget", get(), ok(32768));
  c.step(2, "msgctl", ctl(32768, "IPC_RMID"), ok(0));
  const live = Array.from({ length: 100 }, (_, i) => 32769 + i);
  for (const id of live) c.step(2, "msgget", get(), ok(id));
  for (const id of live) c.step(2, "msgctl", ctl(id, "IPC_RMID"), ok(0));
  c.step(2, "msgget", get(), ok(65536));
  c.step(2, "msgctl", ctl(65536, "IPC_STAT"), qstat({ perm: { __seq: 2 } }));
  return c;
});
