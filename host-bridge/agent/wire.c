/* wire.c: the bytes the agent exchanges.
 *
 * - Control sockets: one SOCK_SEQPACKET socketpair per traced process. SEQPACKET keeps message
 *   boundaries, so a reply and a message sent by a signal handler in the middle of it never mix,
 *   and one message carries a whole command or reply (the send buffer is raised to fit
 *   DATA_BYTES_MAX; without CAP_NET_ADMIN the limit is what SO_SNDBUF allows, see data_bytes_max).
 * - Control sockets live on fds FDS_RESERVED_BASE.. (1040..), above the soft RLIMIT_NOFILE of
 *   traced processes (1024, the model's): Linux keeps an fd above the soft limit open, it only
 *   refuses to allocate new ones there (fs/file.c alloc_fd). So a traced process has exactly
 *   the fds 0..1023 of the model (its first pipe is [3, 4], EMFILE comes at 1024).
 * - Output to the driver: JSON lines built in a growable buffer; bytes as lowercase hex.
 */

static size_t data_bytes_max = DATA_BYTES_MAX;

/* Fatal error in the agent itself (not in a step): one line on stderr, exit status 2. */
static _Noreturn void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("ipcsim-agent: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(2);
}

/* The agent itself may use every fd up to the hard limit (a socket and /proc files per process);
 * the hard limit must leave room for the reserved fds above the traced processes' limit. */
static void fds_reserve_init(void) {
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) < 0) die("getrlimit: %s", strerror(errno));
  if (rl.rlim_max < AGENT_NOFILE) { /* root may raise it (up to fs.nr_open): 32,768 processes */
    struct rlimit more = {AGENT_NOFILE, AGENT_NOFILE};
    if (setrlimit(RLIMIT_NOFILE, &more) == 0) rl = more;
  }
  if (rl.rlim_max < FDS_RESERVED_BASE + FDS_RESERVED_COUNT)
    die("the hard RLIMIT_NOFILE (%lu) must be at least %d", (unsigned long)rl.rlim_max,
        FDS_RESERVED_BASE + FDS_RESERVED_COUNT);
  rl.rlim_cur = rl.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &rl) < 0) die("setrlimit: %s", strerror(errno));
}

static bool fd_is_reserved(int64_t fd) {
  return fd >= FDS_RESERVED_BASE && fd < FDS_RESERVED_BASE + FDS_RESERVED_COUNT;
}

/* Moves fd into the reserved range (close-on-exec) and returns its new number. */
static int fd_move_high(int fd) {
  int high = fcntl(fd, F_DUPFD_CLOEXEC, FDS_RESERVED_BASE);
  if (high < 0) return -1;
  close(fd);
  return high;
}

/* Raises the send buffer so that one message holds a whole command or reply. SO_SNDBUFFORCE
 * needs CAP_NET_ADMIN; without it SO_SNDBUF is capped by net.core.wmem_max. */
static void sock_grow(int fd) {
  int bytes = 2 * DATA_BYTES_MAX + 65536;
  if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &bytes, sizeof bytes) < 0)
    (void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bytes, sizeof bytes);
}

/* Linux: net/unix/af_unix.c unix_dgram_sendmsg() refuses len > sk_sndbuf - 32 (EMSGSIZE). */
static void data_limit_init(int fd) {
  int sndbuf = 0;
  socklen_t len = sizeof sndbuf;
  if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, &len) < 0)
    die("SO_SNDBUF: %s", strerror(errno));
  long room = (long)sndbuf - 32 - (long)sizeof(struct reply_msg) - 256;
  if (room < 4096) die("control socket buffer too small (%d bytes)", sndbuf);
  if ((size_t)room < data_bytes_max) data_bytes_max = (size_t)room;
}

/* Sends one message: header, data, and optionally one fd (SCM_RIGHTS). Retries EINTR. */
static int msg_send(int fd, const void *hdr, size_t hdr_len, const void *data, size_t data_len,
                    int pass_fd) {
  struct iovec iov[2] = {{(void *)hdr, hdr_len}, {(void *)data, data_len}};
  struct msghdr mh = {.msg_iov = iov, .msg_iovlen = data_len ? 2 : 1};
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } ctl;
  if (pass_fd >= 0) {
    memset(&ctl, 0, sizeof ctl);
    mh.msg_control = ctl.buf;
    mh.msg_controllen = sizeof ctl.buf;
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &pass_fd, sizeof(int));
  }
  for (;;) {
    if (sendmsg(fd, &mh, MSG_NOSIGNAL) >= 0) return 0;
    if (errno != EINTR) return -1;
  }
}

/* Receives one message without waiting. Returns its length, 0 at EOF, -1 with errno (EAGAIN when
 * nothing is there). A passed fd is stored in *passed_fd (else -1). */
static ssize_t msg_recv_now(int fd, void *buf, size_t cap, int *passed_fd) {
  struct iovec iov = {buf, cap};
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } ctl;
  struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
                      .msg_controllen = sizeof ctl.buf};
  *passed_fd = -1;
  ssize_t n;
  do n = recvmsg(fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n <= 0) return n;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
      memcpy(passed_fd, CMSG_DATA(c), sizeof(int));
  if (mh.msg_flags & MSG_TRUNC) die("control message truncated (%zd bytes)", n);
  if (mh.msg_flags & MSG_CTRUNC) *passed_fd = -2; /* the fd was lost: no fd left (RLIMIT) */
  return n;
}

/* ---- JSON output ---- */

struct jbuf {
  char *p;
  size_t len, cap;
};

static void jb_reserve(struct jbuf *b, size_t more) {
  if (b->len + more + 1 <= b->cap) return;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->len + more + 1) cap *= 2;
  b->p = realloc(b->p, cap);
  if (!b->p) die("out of memory");
  b->cap = cap;
}

static void jb_raw(struct jbuf *b, const char *s) {
  size_t n = strlen(s);
  jb_reserve(b, n);
  memcpy(b->p + b->len, s, n + 1);
  b->len += n;
}

static void jb_fmt(struct jbuf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  jb_reserve(b, (size_t)n);
  va_start(ap, fmt);
  vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

/* A JSON string literal (messages only: printable ASCII plus escapes). */
static void jb_str(struct jbuf *b, const char *s) {
  jb_raw(b, "\"");
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') jb_fmt(b, "\\%c", *s);
    else if ((unsigned char)*s < 0x20) jb_fmt(b, "\\u%04x", *s);
    else jb_fmt(b, "%c", *s);
  }
  jb_raw(b, "\"");
}

static void jb_hex(struct jbuf *b, const uint8_t *d, size_t n) {
  static const char digits[] = "0123456789abcdef";
  jb_reserve(b, 2 * n + 2);
  char *o = b->p + b->len;
  *o++ = '"';
  for (size_t i = 0; i < n; i++) {
    *o++ = digits[d[i] >> 4];
    *o++ = digits[d[i] & 15];
  }
  *o++ = '"';
  *o = 0;
  b->len += 2 * n + 2;
}

static void jb_reset(struct jbuf *b) {
  b->len = 0;
  if (b->p) b->p[0] = 0;
}

static void cleanup_and_exit(int status); /* agent.c */

/* Writes a whole line to stdout (the driver). */
static void emit_line(struct jbuf *b) {
  jb_raw(b, "\n");
  size_t off = 0;
  while (off < b->len) {
    ssize_t n = write(STDOUT_FILENO, b->p + off, b->len - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) cleanup_and_exit(0); /* the driver is gone */
    off += (size_t)n;
  }
}

/* Decodes lowercase or uppercase hex; "-" is empty. Returns the byte count or -1. */
static long hex_decode(const char *s, uint8_t *out, size_t cap) {
  if (strcmp(s, "-") == 0) return 0;
  size_t n = strlen(s);
  if (n % 2 || n / 2 > cap) return -1;
  for (size_t i = 0; i < n / 2; i++) {
    int v = 0;
    for (int k = 0; k < 2; k++) {
      char c = s[2 * i + k];
      int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) return -1;
      v = v * 16 + d;
    }
    out[i] = (uint8_t)v;
  }
  return (long)(n / 2);
}

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}
