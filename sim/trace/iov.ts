// readv's and writev's I/O vectors as a trace writes them (docs/trace-format.md "Vectors"):
// writev's `iov` is an array of byte strings (each as `data` is written), readv's `counts` an
// array of segment sizes (size_t, so a negative one is what C makes of it: EINVAL). At most
// UIO_MAXIOV + 1 segments, so that EINVAL for too many is testable.

import { At, arrayAt, bytesAt } from "./decode.js";

/** include/uapi/linux/uio.h UIO_MAXIOV: the most segments a call takes. */
const UIO_MAXIOV = 1024;

function segmentsAt(v: unknown, at: At, what: string): unknown[] {
  const list = arrayAt(v, at, what);
  if (list.length > UIO_MAXIOV + 1) {
    at.fail(`${list.length} segments (at most ${UIO_MAXIOV + 1}: UIO_MAXIOV and one more)`);
  }
  return list;
}

export function iovAt(v: unknown, at: At): Uint8Array[] {
  return segmentsAt(v, at, 'an array of byte strings like ["head", "body"]')
    .map((x, i) => bytesAt(x, at.item(i)));
}

export function countsAt(v: unknown, at: At): number[] {
  return segmentsAt(v, at, "an array of segment sizes like [4, 16]").map((x, i) => {
    if (typeof x === "number" && Number.isSafeInteger(x)) return x;
    return at.item(i).expected("an integer size", x);
  });
}
