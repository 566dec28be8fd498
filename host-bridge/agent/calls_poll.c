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
