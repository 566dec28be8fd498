// An AF_UNIX socket's byte queue: the bytes of its receive queue's buffers, in order, in pages
// from mem.ts (Linux keeps them in each sk_buff's head and frags; one queue per socket is the
// model's, as the stream reader and MSG_PEEK read them in order anyway).
//
//   directory page: | page 0 | page 1 | ... | page 1023 |   (a ring of page addresses, qFirst
//   the first's slot); bytes: from qOff in the first page, qBytes long.
//
// Differences from Linux: at most 1023 pages (4 MiB) a socket (ENOBUFS past them:
// docs/differences.md `unix-limits`).

import { EFAULT, ENOBUFS } from "./abi";
import { pageAlloc, pagePut } from "./mem";
import { PAGE_SIZE } from "./param";
import { Proc } from "./proc";
import { copyFromUserAt, copyToUserAt } from "./uio";
import { Sock } from "./unix";

/** Pages one byte queue's directory ring holds (one page of addresses). */
const QDIR_SLOTS: i32 = PAGE_SIZE / <i32>sizeof<usize>();

@inline export function qSlot(s: Sock, k: i32): usize {
  return s.qDir + <usize>((s.qFirst + k) & (QDIR_SLOTS - 1)) * sizeof<usize>();
}

/** Append n bytes from user memory at va (through the I/O vector: uio.ts). */
export function qPush(p: Proc, s: Sock, va: u32, n: i32): i32 {
  if (n == 0) return 0;
  if (s.qDir == 0) {
    s.qDir = pageAlloc();
    if (s.qDir == 0) return -ENOBUFS;
  }
  const start = s.qBytes;
  let done = 0;
  while (done < n) {
    const end = s.qOff + s.qBytes;
    const k = end / PAGE_SIZE;
    if (k == s.qPages) {
      const page = k < QDIR_SLOTS - 1 ? pageAlloc() : 0;
      if (page == 0) {
        qTruncate(s, start);
        return -ENOBUFS;
      }
      store<usize>(qSlot(s, k), page);
      s.qPages++;
    }
    const at = end % PAGE_SIZE;
    const chunk = min(n - done, PAGE_SIZE - at);
    const page = load<usize>(qSlot(s, k));
    if (copyFromUserAt(p, page + <usize>at, va + <u32>done, <u32>chunk) < <u32>chunk) {
      qTruncate(s, start);
      return -EFAULT;
    }
    s.qBytes += chunk;
    done += chunk;
  }
  return 0;
}

/** Copy n bytes from byte offset `off` of the queue to user memory at va; bytes copied. */
export function qCopyOut(p: Proc, s: Sock, off: i32, va: u32, n: i32): i32 {
  let done = 0;
  while (done < n) {
    const at = s.qOff + off + done;
    const page = load<usize>(qSlot(s, at / PAGE_SIZE));
    const chunk = min(n - done, PAGE_SIZE - at % PAGE_SIZE);
    const c = copyToUserAt(p, va + <u32>done, page + <usize>(at % PAGE_SIZE), <u32>chunk);
    done += <i32>c;
    if (c < <u32>chunk) break;
  }
  return done;
}

/** Remove n bytes from the head, freeing the pages they leave (all of them once empty). */
export function qDrop(s: Sock, n: i32): void {
  assert(n >= 0 && n <= s.qBytes, "qDrop past the queue");
  s.qOff += n;
  s.qBytes -= n;
  while (s.qPages > 0 && (s.qOff >= PAGE_SIZE || s.qBytes == 0)) {
    pagePut(load<usize>(qSlot(s, 0)));
    s.qFirst = (s.qFirst + 1) & (QDIR_SLOTS - 1);
    s.qPages--;
    s.qOff = s.qOff >= PAGE_SIZE ? s.qOff - PAGE_SIZE : 0;
  }
  if (s.qBytes == 0) s.qOff = 0;
}

/** Cut the queue back to `bytes` (a failed append), freeing the pages past it. */
export function qTruncate(s: Sock, bytes: i32): void {
  s.qBytes = bytes;
  const need = s.qBytes == 0 ? 0 : (s.qOff + s.qBytes + PAGE_SIZE - 1) / PAGE_SIZE;
  while (s.qPages > need) {
    s.qPages--;
    pagePut(load<usize>(qSlot(s, s.qPages)));
  }
  if (s.qPages == 0) s.qOff = 0;
}
