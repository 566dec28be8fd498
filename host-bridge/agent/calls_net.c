/* calls_net.c: the socket calls (AF_UNIX). Included at the end of calls_sig.c; the handlers
 * run in the traced process, as calls.c's. send and recv are sendto and recvfrom with a null
 * address, as glibc makes them. */

#include <sys/socket.h>
#include <sys/un.h>

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

/* bind's and connect's sockaddr_un: the trace's bytes, as long as the address (a path with its
 * NUL, an abstract name after its leading NUL, the family alone). */
static int sockaddr_call(int call, int fd, const uint8_t *data, uint32_t len) {
  struct sockaddr_storage sa;
  memset(&sa, 0, sizeof sa);
  memcpy(&sa, data, len < sizeof sa ? len : sizeof sa);
  if (call == SYS_bind) return bind(fd, (struct sockaddr *)&sa, (socklen_t)len);
  return connect(fd, (struct sockaddr *)&sa, (socklen_t)len);
}

/* Without namespaces: a path stays in the work directory (path_ok), and the host's abstract
 * names are not touched. */
static bool sockaddr_ok(int call, const uint8_t *data, uint32_t len) {
  if (call != SYS_bind && call != SYS_connect) return true;
  if (len <= 2 || data[0] != AF_UNIX) return true;
  if (data[2] == 0) return false;
  const uint8_t *nul = memchr(data + 2, 0, len - 2);
  return path_ok(data + 2, nul ? (uint32_t)(nul - data - 2) : len - 2);
}

CALL_HANDLER(socket) { set_ret(r, socket((int)A(0), (int)A(1), (int)A(2))); }
CALL_HANDLER(bind) { set_ret(r, sockaddr_call(SYS_bind, (int)A(0), data, c->data_len)); }
CALL_HANDLER(listen) { set_ret(r, listen((int)A(0), (int)A(1))); }
CALL_HANDLER(connect) { set_ret(r, sockaddr_call(SYS_connect, (int)A(0), data, c->data_len)); }

/* An address result: the name's bytes as data, as long as the length Linux wrote back (at
 * most sizeof(struct sockaddr_un): the buffer the model passes too). */
static void addr_out(struct call_out *o, struct sockaddr_un *sa, socklen_t len) {
  memcpy(scratch, sa, len < sizeof *sa ? len : sizeof *sa);
  o->data = scratch;
  o->len = len < sizeof *sa ? len : sizeof *sa;
}

CALL_HANDLER(accept4) {
  struct sockaddr_un sa;
  socklen_t len = sizeof sa;
  set_ret(r, accept4((int)A(0), (struct sockaddr *)&sa, &len, (int)A(1)));
  if (r->ret >= 0) addr_out(o, &sa, len);
}

CALL_HANDLER(getsockname) {
  struct sockaddr_un sa;
  socklen_t len = sizeof sa;
  set_ret(r, getsockname((int)A(0), (struct sockaddr *)&sa, &len));
  if (r->ret >= 0) addr_out(o, &sa, len);
}

CALL_HANDLER(getpeername) {
  struct sockaddr_un sa;
  socklen_t len = sizeof sa;
  set_ret(r, getpeername((int)A(0), (struct sockaddr *)&sa, &len));
  if (r->ret >= 0) addr_out(o, &sa, len);
}
