/* frames.c: the agent's books of "calls" signal handlers (traced.c run_frame).
 *
 * A process that enters a calls handler sends a FRAME_ENTERED signal message, then sleeps in the
 * handler's recv() as an idle process does in its loop's; its next commands are served there.
 * The call it was making when the handler began (the step's own, or a sleeping call the signal
 * interrupted) has not returned to the main code: it stays outstanding in the frame
 * (frame_push), and a step whose own call it is gets "blocked". The sigreturn reply closes the
 * frame (frame_pop): the outstanding call is in progress again, so quiescence waits for its
 * reply (a wake event: EINTR, or what a restarted call returned) or sees it asleep in it again.
 * A handler begun while the process was idle leaves it idle. Frames nest as the handlers do.
 *
 * A process's messages arrive in the order it sent them (one SEQPACKET socket), so the agent's
 * view when FRAME_ENTERED arrives tells what the handler interrupted: a call the process has not
 * replied to, or none. A dead process is in a call if it died in one (died_in_call: its reply
 * may still be queued), so a frame message or sigreturn reply read after its death is booked
 * the same way.
 */

static bool in_call(const struct proc *p) {
  return p->state == P_IN_CALL || p->state == P_BLOCKED ||
         (p->state >= P_DYING && p->died_in_call);
}

static void frame_push(struct proc *p) {
  if (p->depth == p->frames_cap) {
    int cap = p->frames_cap ? 2 * p->frames_cap : 4;
    struct frame *grown = realloc(p->frames, (size_t)cap * sizeof *grown);
    if (!grown) fault("pid %d: no memory for a signal handler frame", p->pid);
    p->frames = grown, p->frames_cap = cap;
  }
  struct frame *f = &p->frames[p->depth++];
  f->outstanding = in_call(p);
  f->cmd = p->cmd;
  if (p->state >= P_DYING) p->died_in_call = false;
  else p->state = P_IDLE;
}

static void frame_pop(struct proc *p) {
  if (p->depth == 0) fault("pid %d: sigreturn outside a signal handler", p->pid);
  const struct frame *f = &p->frames[--p->depth];
  p->cmd = f->cmd;
  if (p->state >= P_DYING) p->died_in_call = f->outstanding;
  else p->state = f->outstanding ? P_IN_CALL : P_IDLE;
}

/* Is the call of `step` outstanding in one of p's frames (its result is "blocked")? */
static bool frame_holds_step(const struct proc *p, int step) {
  for (int i = 0; i < p->depth; i++)
    if (p->frames[i].outstanding && p->frames[i].cmd.step == step) return true;
  return false;
}

/* Why a live caller cannot make `call` in or out of a handler, or NULL. A fork inside one is
 * refused (the model refuses it too): the child would be in the handler, and its sigreturn would
 * finish the parent's interrupted call. */
static const char *frame_problem(const struct proc *p, int call, char *buf, size_t cap) {
  if (call == CALL_sigreturn && p->depth == 0) {
    snprintf(buf, cap, "pid %d is not in a signal handler", p->pid);
    return buf;
  }
  if (call == SYS_fork && p->depth > 0) return "fork inside a signal handler is not modelled";
  return NULL;
}

/* The end of a step. A sigreturn's reply goes out before the real rt_sigreturn (traced.c
 * run_frame), so a process that then died within the step did not return from it: a fatal
 * signal the restored mask unblocked was delivered as rt_sigreturn returned to user space, or
 * the call it restarted killed it (SIGPIPE). That step has no result, as any call's whose
 * caller dies in it. Nothing else can kill the caller of a sigreturn step: no other process
 * makes a call, and no time passes. */
static void frames_step_over(void) {
  const struct proc *p = cur.caller >= 2 ? &procs[cur.caller] : NULL;
  if (p && cur.sigreturned && p->state >= P_DYING) cur.has_result = false;
  cur.sigreturned = false;
}
