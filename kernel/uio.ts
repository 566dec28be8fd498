// I/O vectors (readv, writev): while one is set, copyFromUserAt and copyToUserAt take `va` as an
// offset into the concatenation of its segments, so the read and write paths (pipe.ts,
// regfile.ts, mqueue.ts) walk the segments in order as they walk one buffer, and a pipe takes a
// vector as one write (its PIPE_BUF atomicity and packets span the segments), as Linux's
// iov_iter does. sys_iov.ts sets it around one call and clears it before returning.
// Linux: lib/iov_iter.c (copy_from_iter, copy_to_iter), include/linux/uio.h.

import { Proc } from "./proc";
import { copyFromUser, copyToUser } from "./vm";

/** include/uapi/linux/uio.h UIO_MAXIOV. */
export const UIO_MAXIOV: i32 = 1024;

const bases: usize = memory.data(UIO_MAXIOV * 4, 16);
const lens: usize = memory.data(UIO_MAXIOV * 4, 16);
/** Segments of the vector in use; 0: none (plain buffers). */
let segs: i32 = 0;

export function iovSet(i: i32, base: u32, len: u32): void {
  store<u32>(bases + <usize>i * 4, base);
  store<u32>(lens + <usize>i * 4, len);
  if (i + 1 > segs) segs = i + 1;
}

export function iovClear(): void {
  segs = 0;
}

/** Copy n bytes from offset `off` of the vector (or from user address off with none) to dst:
 * the bytes copied (fewer where a segment faults). */
export function copyFromUserAt(p: Proc, dst: usize, off: u32, n: u32): u32 {
  if (segs == 0) return copyFromUser(p, dst, off, n);
  return walk(p, dst, off, n, true);
}

/** Copy n bytes from src to offset `off` of the vector (or to user address off with none). */
export function copyToUserAt(p: Proc, off: u32, src: usize, n: u32): u32 {
  if (segs == 0) return copyToUser(p, off, src, n);
  return walk(p, src, off, n, false);
}

function walk(p: Proc, buf: usize, off: u32, n: u32, fromUser: bool): u32 {
  let done: u32 = 0;
  let start: u32 = 0;
  for (let i = 0; i < segs && done < n; i++) {
    const len = load<u32>(lens + <usize>i * 4);
    const end = start + len;
    const at = off + done;
    if (at < end) {
      const inSeg = at - start;
      const chunk = n - done < len - inSeg ? n - done : len - inSeg;
      const va = load<u32>(bases + <usize>i * 4) + inSeg;
      const c = fromUser
        ? copyFromUser(p, buf + <usize>done, va, chunk)
        : copyToUser(p, va, buf + <usize>done, chunk);
      done += c;
      if (c < chunk) return done;
    }
    start = end;
  }
  return done;
}
