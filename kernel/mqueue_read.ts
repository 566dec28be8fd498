// read(2) of a POSIX message queue's descriptor (ipc/mqueue.c mqueue_read_file): its status
// line.

import { EFAULT, SIGEV_SIGNAL } from "./abi";
import { file } from "./file";
import { FILENT_SIZE, queue } from "./mqueue";
import { Proc } from "./proc";
import { copyToUserAt } from "./uio";

const qsizeLine: usize = memory.data(FILENT_SIZE, 8);

/** read(fd) of a queue (mqueue_read_file): the line
 * "QSIZE:%-10lu NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n" (the queued bytes, the owner's
 * sigev_notify, its signal when SIGEV_SIGNAL, its pid; 0s without an owner), read from the
 * description's position (pread64: from `offset`, the position kept) on as
 * simple_read_from_buffer does: 0 past the end, a partial copy, EFAULT when nothing copied. */
export function mqReadFile(p: Proc, fi: i32, va: u32, count: u32, offset: i32 = -1): i32 {
  const q = queue(file(fi).inode);
  const owned = q.notifyPid != 0;
  let at = put(0, "QSIZE:", <i64>q.qsize, 10);
  at = put(at, " NOTIFY:", owned ? q.notifyHow : 0, 5);
  at = put(at, " SIGNO:", owned && q.notifyHow == SIGEV_SIGNAL ? q.notifySigno : 0, 5);
  at = put(at, " NOTIFY_PID:", q.notifyPid, 6);
  store<u8>(qsizeLine + <usize>at, 10);
  at++;
  const pos = offset >= 0 ? offset : file(fi).pos;
  if (pos >= at || count == 0) return 0;
  const n = min(count, <u32>(at - pos));
  const done = copyToUserAt(p, va, qsizeLine + <usize>pos, n);
  if (done == 0) return -EFAULT;
  if (offset < 0) file(fi).pos = pos + <i32>done;
  return <i32>done;
}

/** Appends label and value (never negative here), left-aligned in width columns (printf's
 * %-Nd), at `at`. */
function put(at: i32, label: string, value: i64, width: i32): i32 {
  for (let i = 0; i < label.length; i++) putChar(at + i, <u8>label.charCodeAt(i));
  at += label.length;
  let digits = 1;
  for (let x = value; x >= 10; x /= 10) digits++;
  let v = value;
  for (let d = digits - 1; d >= 0; d--, v /= 10) putChar(at + d, <u8>(48 + <i32>(v % 10)));
  for (let n = digits; n < width; n++) putChar(at + n, 32);
  return at + max(digits, width);
}

@inline function putChar(at: i32, c: u8): void { store<u8>(qsizeLine + <usize>at, c); }
