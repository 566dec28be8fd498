/* calls_epoll.c: epoll_ctl, epoll_wait, epoll_pwait (epoll_create1 is a plain call).
 * epoll_ctl's event comes as `evset evevents evdata` (evset 0: a NULL pointer); epoll_wait's
 * events array is a static table the handler hands back as the reply's data (struct
 * epoll_event as this machine packs it), from which procs.c events_json reads the ret events.
 * Included at the end of calls_poll.c.
 *
 * A trace's maxevents reaches Linux unchanged (EINVAL for <= 0 or past EP_MAX_EVENTS); the
 * table holds more events than a trace's interest lists can make ready at once. */

#define EPOLL_TABLE 1024
static struct epoll_event epoll_table[EPOLL_TABLE];

/* A poll-style timeout in ms, paced (time.c) and rounded up to the next ms. */
static int64_t pace_ms(const struct cmd_msg *c, int64_t ms) {
  if (ms <= 0) return ms;
  int64_t sec = ms / 1000, nsec = ms % 1000 * 1000000;
  pace_rel(c, CLOCK_MONOTONIC, &sec, &nsec);
  return (sec * NSEC_PER_SEC + nsec + 999999) / 1000000;
}

static void epoll_out(struct reply_msg *r, struct call_out *o) {
  if (r->ret <= 0 || r->ret > EPOLL_TABLE) return;
  o->data = (const uint8_t *)epoll_table;
  o->len = (uint32_t)(r->ret * (int64_t)sizeof(struct epoll_event));
}

/* epoll_ctl(epfd, op, fd, event): `epfd op fd evset evevents evdata`. */
CALL_HANDLER(epoll_ctl) {
  struct epoll_event ev = {.events = (uint32_t)A(4), .data = {.u64 = (uint64_t)A(5)}};
  set_ret(r, syscall(SYS_epoll_ctl, (int)A(0), (int)A(1), (int)A(2), A(3) ? &ev : NULL));
}

/* epoll_wait(epfd, events, maxevents, timeout): `epfd maxevents timeout`. */
CALL_HANDLER(epoll_wait) {
  memset(epoll_table, 0, sizeof epoll_table);
  set_ret(r, syscall(SYS_epoll_wait, (int)A(0), epoll_table, (int)A(1), (int)pace_ms(c, A(2))));
  epoll_out(r, o);
}

/* epoll_pwait(epfd, events, maxevents, timeout, sigmask, 8): `epfd maxevents timeout maskset
 * sigmask`. */
CALL_HANDLER(epoll_pwait) {
  memset(epoll_table, 0, sizeof epoll_table);
  sigset_t set;
  mask_to_set((uint64_t)A(4), &set);
  set_ret(r, syscall(SYS_epoll_pwait, (int)A(0), epoll_table, (int)A(1), (int)pace_ms(c, A(2)),
                     A(3) ? &set : NULL, (size_t)(_NSIG / 8)));
  epoll_out(r, o);
}
