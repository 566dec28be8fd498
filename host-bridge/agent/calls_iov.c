/* calls_iov.c: readv and writev. The driver sends a vector as one data string (host-bridge/
 * calls.ts iovBlob): the segment count and each segment's size as little-endian int64s, then,
 * for writev, the segments' bytes end to end. The handler builds the struct iovec array and
 * makes the raw call. Included by agent.c after calls.c, whose scratch buffer readv fills.
 *
 * A readv segment is cut to what is left of the scratch buffer (the reply's limit, far above
 * any pipe); a size past the address space is passed as is (Linux: EFAULT in access_ok), a
 * negative one too (EINVAL). */

#define iov_table (space->iov) /* a frame's own (calls.c struct call_space) */

/* The vector's sizes from the data string: their number (at most UIO_MAXIOV + 1, what a trace
 * may write), or -1 for a malformed string. `*rest` is past the sizes. */
static int64_t iov_sizes(const uint8_t *data, uint32_t len, int64_t *sizes,
                         const uint8_t **rest) {
  int64_t n;
  if (len < sizeof n) return -1;
  memcpy(&n, data, sizeof n);
  if (n < 0 || n > UIO_MAXIOV + 1 || (uint64_t)len < (uint64_t)(n + 1) * sizeof n) return -1;
  memcpy(sizes, data + sizeof n, (size_t)n * sizeof n);
  *rest = data + (size_t)(n + 1) * sizeof n;
  return n;
}

CALL_HANDLER(writev) {
  static int64_t sizes[UIO_MAXIOV + 1];
  const uint8_t *bytes;
  int64_t n = iov_sizes(data, c->data_len, sizes, &bytes);
  if (n < 0) fault("protocol: a malformed writev vector");
  for (int64_t i = 0; i < n; i++) {
    iov_table[i].iov_base = (void *)bytes;
    iov_table[i].iov_len = (size_t)sizes[i];
    bytes += sizes[i];
  }
  set_ret(r, syscall(SYS_writev, (int)A(0), iov_table, (int)n));
}

CALL_HANDLER(readv) {
  static int64_t sizes[UIO_MAXIOV + 1];
  const uint8_t *rest;
  int64_t n = iov_sizes(data, c->data_len, sizes, &rest);
  if (n < 0) fault("protocol: a malformed readv vector");
  uint64_t used = 0;
  for (int64_t i = 0; i < n; i++) {
    uint64_t size = (uint64_t)sizes[i];
    if (size > data_bytes_max - used && size < (1ull << 47)) size = data_bytes_max - used;
    iov_table[i].iov_base = scratch + used;
    iov_table[i].iov_len = (size_t)size;
    if (size < (1ull << 47)) used += size;
  }
  set_ret(r, syscall(SYS_readv, (int)A(0), iov_table, (int)n));
  if (r->ret >= 0) o->data = scratch, o->len = (uint32_t)r->ret;
}
