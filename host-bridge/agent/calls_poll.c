/* calls_poll.c: poll and ppoll. The driver sends the pollfd array as the data string
 * (host-bridge/calls.ts pollfdBlob: struct pollfd as this machine lays it out) with `fdsset` 0
 * for a NULL array; the handler copies it into an aligned table, makes the raw call, and hands
 * the table back as the reply's data, from which procs.c result_json reads each revents.
 * Included by agent.c after calls.c.
 *
 * Timeouts are paced (time.c): poll's ms as a relative duration on CLOCK_MONOTONIC, rounded up
 * to the next ms (it then expires under 1 ms after its ideal instant, well inside the guard);
 * ppoll's timespec as any relative one. ppoll's written-back timespec is not reported. */

static struct pollfd pollfd_table[1025 + 1];

/* The array from the data string, or NULL when the trace's was null (fdsset 0). */
static struct pollfd *pollfds_arg(const struct cmd_msg *c, const uint8_t *data, int64_t set) {
  if (!set) return NULL;
  uint32_t len = c->data_len;
  if (len % sizeof(struct pollfd) || len > sizeof pollfd_table)
    fault("protocol: a malformed pollfd array");
  memcpy(pollfd_table, data, len);
  return pollfd_table;
}

static void pollfds_out(const struct cmd_msg *c, struct reply_msg *r, struct call_out *o,
                        const struct pollfd *fds) {
  if (r->ret < 0 || !fds) return;
  o->data = (const uint8_t *)fds;
  o->len = c->data_len;
}

/* poll(fds, nfds, timeout_ms): `fdsset nfds timeout`. */
CALL_HANDLER(poll) {
  struct pollfd *fds = pollfds_arg(c, data, A(0));
  int64_t ms = A(2);
  if (ms > 0) {
    int64_t sec = ms / 1000, nsec = ms % 1000 * 1000000;
    pace_rel(c, CLOCK_MONOTONIC, &sec, &nsec);
    ms = (sec * NSEC_PER_SEC + nsec + 999999) / 1000000;
  }
  set_ret(r, syscall(SYS_poll, fds, (unsigned int)A(1), (int)ms));
  pollfds_out(c, r, o, fds);
}

/* ppoll(fds, nfds, tsp, sigmask, 8): `fdsset nfds timed sec nsec maskset sigmask`. */
CALL_HANDLER(ppoll) {
  struct pollfd *fds = pollfds_arg(c, data, A(0));
  int64_t sec = A(3), nsec = A(4);
  pace_rel(c, CLOCK_MONOTONIC, &sec, &nsec);
  struct timespec ts = {(time_t)sec, (long)nsec};
  sigset_t set;
  mask_to_set((uint64_t)A(6), &set);
  set_ret(r, syscall(SYS_ppoll, fds, (unsigned int)A(1), A(2) ? &ts : NULL, A(5) ? &set : NULL,
                     (size_t)(_NSIG / 8)));
  pollfds_out(c, r, o, fds);
}

/* select's and pselect6's sets: the data string holds three (a presence byte, then 128 bytes
 * of bitmap); the handler passes the present ones and replies with all three bitmaps as the
 * data. out[2] has a bit for each set given, out[3] is 1 when select's timeval is given and not
 * zero, and out[0..1] is then the time left it holds (sec, usec): procs.c select_json. */
static fd_set select_sets[3];

static fd_set *select_set(const struct cmd_msg *c, const uint8_t *data, int k, int64_t *given) {
  if (c->data_len != 3 * (1 + sizeof(fd_set))) fault("protocol: malformed select sets");
  const uint8_t *at = data + k * (1 + sizeof(fd_set));
  memcpy(&select_sets[k], at + 1, sizeof(fd_set));
  if (!at[0]) return NULL;
  *given |= 1 << k;
  return &select_sets[k];
}

static void select_out(struct reply_msg *r, struct call_out *o, int64_t given, bool timed) {
  r->out[2] = given;
  r->out[3] = timed;
  r->nout = 4;
  if (r->ret < 0) return;
  o->data = (const uint8_t *)select_sets;
  o->len = sizeof select_sets;
}

/* A timeval's usec past a second carries into the seconds (kern_select), so a valid one is
 * paced as its timespec (time.c), rounded up to the next microsecond. */
static void pace_timeval(const struct cmd_msg *c, struct timeval *tv) {
  if (tv->tv_usec < 0) return;
  int64_t sec = tv->tv_sec + tv->tv_usec / 1000000, nsec = tv->tv_usec % 1000000 * 1000;
  pace_rel(c, CLOCK_MONOTONIC, &sec, &nsec);
  nsec = (nsec + 999) / 1000 * 1000;
  tv->tv_sec = (time_t)(sec + nsec / NSEC_PER_SEC);
  tv->tv_usec = (suseconds_t)(nsec % NSEC_PER_SEC / 1000);
}

/* select(n, in, out, ex, tv): `nfds tvset tvsec tvusec`. */
CALL_HANDLER(select) {
  int64_t given = 0;
  fd_set *in = select_set(c, data, 0, &given), *out = select_set(c, data, 1, &given);
  fd_set *ex = select_set(c, data, 2, &given);
  struct timeval tv = {(time_t)A(2), (suseconds_t)A(3)};
  bool timed = A(1) && (A(2) || A(3));
  pace_timeval(c, &tv);
  set_ret(r, syscall(SYS_select, (int)A(0), in, out, ex, A(1) ? &tv : NULL));
  r->out[0] = tv.tv_sec;
  r->out[1] = tv.tv_usec;
  select_out(r, o, given, timed);
}

/* pselect6(n, in, out, ex, ts, {sigmask, 8}): `nfds timed sec nsec maskset sigmask`. */
CALL_HANDLER(pselect6) {
  int64_t given = 0;
  fd_set *in = select_set(c, data, 0, &given), *out = select_set(c, data, 1, &given);
  fd_set *ex = select_set(c, data, 2, &given);
  int64_t sec = A(2), nsec = A(3);
  pace_rel(c, CLOCK_MONOTONIC, &sec, &nsec);
  struct timespec ts = {(time_t)sec, (long)nsec};
  sigset_t set;
  mask_to_set((uint64_t)A(5), &set);
  struct { const sigset_t *p; size_t size; } pack = {&set, (size_t)(_NSIG / 8)};
  set_ret(r, syscall(SYS_pselect6, (int)A(0), in, out, ex, A(1) ? &ts : NULL,
                     A(4) ? &pack : NULL));
  select_out(r, o, given, false);
}

#include "calls_epoll.c"
