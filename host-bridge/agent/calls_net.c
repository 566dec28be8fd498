/* calls_net.c: the socket calls (AF_UNIX). Included at the end of calls_sig.c; the handlers
 * run in the traced process, as calls.c's. send and recv are sendto and recvfrom with a null
 * address, as glibc makes them. */

#include <sys/socket.h>

CALL_HANDLER(socketpair) {
  int fds[2] = {-1, -1};
  set_ret(r, socketpair((int)A(0), (int)A(1), (int)A(2), fds));
  r->out[0] = fds[0];
  r->out[1] = fds[1];
  r->nout = 2;
}

CALL_HANDLER(sendto) {
  set_ret(r, sendto((int)A(0), data, c->data_len, (int)A(1), NULL, 0));
}

/* A count past our buffer is cut to it, as read's (calls.c), unless it is past the address
 * space, which Linux refuses (EFAULT). With MSG_TRUNC a datagram's ret is its whole length:
 * the data is what fit. */
CALL_HANDLER(recvfrom) {
  uint64_t count = (uint64_t)A(1);
  if (count > data_bytes_max && count < (1ull << 47)) count = data_bytes_max;
  set_ret(r, recvfrom((int)A(0), scratch, count, (int)A(2), NULL, NULL));
  if (r->ret >= 0) {
    o->data = scratch;
    o->len = (uint32_t)((uint64_t)r->ret < count ? (uint64_t)r->ret : count);
  }
}

/* An int option: the trace's value at optval, of length optlen (a shorter length is Linux's
 * EINVAL to give). */
CALL_HANDLER(setsockopt) {
  int v = (int)A(3);
  set_ret(r, setsockopt((int)A(0), (int)A(1), (int)A(2), &v, (socklen_t)A(4)));
}

/* The value's first bytes as a little-endian int (zero past what was written) and the length
 * written. The buffer outsizes any SOL_SOCKET option; a longer optlen is cut to it. */
CALL_HANDLER(getsockopt) {
  unsigned char buf[256] = {0};
  socklen_t len = (socklen_t)A(3);
  if ((int)len > (int)sizeof buf) len = sizeof buf;
  set_ret(r, getsockopt((int)A(0), (int)A(1), (int)A(2), buf, &len));
  int32_t v;
  memcpy(&v, buf, sizeof v);
  r->out[0] = v;
  r->out[1] = (int32_t)len;
  r->nout = 2;
}
