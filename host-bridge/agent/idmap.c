/* idmap.c: pid and SysV id numbering between the model and the host.
 *
 * With namespaces (the normal case) numbers are the kernel's own: the agent is pid 1 of a fresh
 * PID namespace and every IPC object lives in a fresh IPC namespace, so pids and ids equal what a
 * model of a fresh namespace gives, and every function here is the identity.
 *
 * Without namespaces (fallback) the host's numbers are arbitrary. Pids are then mapped by order
 * of creation (the n-th traced process is model pid n+1), and SysV ids by a copy of Linux's
 * allocator run on the model's side: ipc/util.c ipc_idr_alloc() with idr_alloc_cyclic()
 * (idx = lowest free at or after the cursor, below max(in_use * 3/2, 64); seq++ when idx does
 * not grow; id = seq << 15 | idx). The agent removes every object it created when it exits.
 *
 * The fallback never touches an IPC object that is not the run's own (the host's, made before
 * or during the run). The run's table (ipc_objs: kind, key, model id, real id) is the only
 * authority, checked at each call, never a snapshot of the host's:
 * - an id argument maps only to a live object of the table; any other id becomes INVALID_REAL_ID
 *   (the host's EINVAL, as the model's for an id it never gave);
 * - a *get with a key that no live object of the table has may only create: IPC_EXCL is added
 *   to IPC_CREAT, and EEXIST then, or success without IPC_CREAT, means the key is the host's: a
 *   host fault (idmap_check_get), the object is never registered, never operated on;
 * - a *get with a key of the table must return that object's id;
 * - *_STAT, *_STAT_ANY and *_INFO read the host's whole table: a host fault (idmap_guard);
 * - at exit only the table's live objects are removed, each after checking its key.
 *
 * Known missing in the fallback: kernel.*_next_id, and any other sysctl parameter.
 */

enum { KIND_MSG, KIND_SEM, KIND_SHM, KINDS };
#define IPC_IDX_MAX 32768  /* ipc_mni without the ipcmni_extend boot option */
#define IPC_MIN_CYCLE 64   /* ipc_min_cycle */
#define IPC_SEQ_MAX 65536  /* ipcid_seq_max(): INT_MAX >> 15, exclusive */
#define PID_NONE 0x3fffffff /* above any pid_max: kill/waitpid on it give ESRCH/ECHILD */

static bool ns_mode = true;

struct ipc_obj {
  int kind, model_id, real_id;
  int64_t key; /* IPC_PRIVATE (0) or the key it was created with */
  bool live;
  bool shm_removed; /* IPC_RMID done; the segment lives until its last detach */
};

struct ipc_alloc {
  int in_use, last_idx, seq, cursor;
  bool used[IPC_IDX_MAX];
};

static struct ipc_obj ipc_objs[IPC_OBJECTS_MAX];
static int ipc_objs_count;
static struct ipc_alloc ipc_allocs[KINDS];
#define INVALID_REAL_ID INT_MAX /* what an id outside the run's table becomes: EINVAL */

static void fault(const char *fmt, ...); /* procs.c */
static void guard_note_ipc(int kind, int real_id); /* guard.c */
static const char *call_name(int call); /* agent.c */

static int alloc_idx(struct ipc_alloc *a, int end) {
  for (int idx = a->cursor; idx < end; idx++)
    if (!a->used[idx]) return idx;
  for (int idx = 0; idx < end && idx < a->cursor; idx++)
    if (!a->used[idx]) return idx;
  return -1;
}

/* Linux: ipc/util.c ipc_idr_alloc(). Returns the model's id for a new object. */
static int ipc_model_alloc(int kind) {
  struct ipc_alloc *a = &ipc_allocs[kind];
  int end = a->in_use * 3 / 2 > IPC_MIN_CYCLE ? a->in_use * 3 / 2 : IPC_MIN_CYCLE;
  if (end > IPC_IDX_MAX) end = IPC_IDX_MAX;
  int idx = alloc_idx(a, end);
  if (idx < 0) fault("the model's id space is full (fallback id mapping)");
  a->cursor = idx + 1;
  if (idx <= a->last_idx && ++a->seq >= IPC_SEQ_MAX) a->seq = 0;
  a->last_idx = idx;
  a->used[idx] = true;
  a->in_use++;
  return a->seq << 15 | idx;
}

static void idmap_init(bool namespaces) {
  ns_mode = namespaces;
  for (int k = 0; k < KINDS; k++) ipc_allocs[k].last_idx = -1;
}

static struct ipc_obj *obj_by_real(int kind, int real_id) {
  for (int i = ipc_objs_count - 1; i >= 0; i--)
    if (ipc_objs[i].kind == kind && ipc_objs[i].real_id == real_id && ipc_objs[i].live)
      return &ipc_objs[i];
  return NULL;
}

/* A SysV id argument: model -> real. Only a live object of the run's table maps; any other id
 * (never given, or removed: its real id may be the host's by now) stays invalid on the host. */
static int64_t id_to_real(int kind, int64_t model_id) {
  if (ns_mode || model_id < 0) return model_id;
  for (int i = ipc_objs_count - 1; i >= 0; i--) {
    const struct ipc_obj *o = &ipc_objs[i];
    if (o->kind == kind && o->model_id == model_id && o->live) return o->real_id;
  }
  return INVALID_REAL_ID;
}

/* The live object of the run's table that owns `key` (a segment marked removed owns none:
 * ipc/shm.c do_shm_rmid() makes its key IPC_PRIVATE). */
static struct ipc_obj *obj_by_key(int kind, int64_t key) {
  if (key == IPC_PRIVATE) return NULL;
  for (int i = ipc_objs_count - 1; i >= 0; i--) {
    struct ipc_obj *o = &ipc_objs[i];
    if (o->kind == kind && o->key == key && o->live && !o->shm_removed) return o;
  }
  return NULL;
}

/* The id a successful *get returned (idmap_check_get has vetted it): real -> model, registering
 * a new object of the run. */
static int64_t id_from_get(int kind, int64_t key, int64_t real_id) {
  if (ns_mode || real_id < 0) return real_id;
  struct ipc_obj *o = obj_by_real(kind, (int)real_id);
  if (o) return o->model_id;
  if (ipc_objs_count == IPC_OBJECTS_MAX) fault("more than %d IPC objects", IPC_OBJECTS_MAX);
  o = &ipc_objs[ipc_objs_count++];
  *o = (struct ipc_obj){kind, ipc_model_alloc(kind), (int)real_id, key, true, false};
  guard_note_ipc(kind, (int)real_id);
  return o->model_id;
}

static void obj_free(struct ipc_obj *o) {
  struct ipc_alloc *a = &ipc_allocs[o->kind];
  o->live = false;
  a->used[o->model_id & (IPC_IDX_MAX - 1)] = false;
  a->in_use--;
}

/* A successful IPC_RMID on a model id. msg and sem objects go at once; a shm segment goes at
 * its last detach (ipc/shm.c do_shm_rmid), which idmap_after_step() notices. */
static void id_removed(int kind, int64_t model_id) {
  if (ns_mode) return;
  int64_t real_id = id_to_real(kind, model_id);
  struct ipc_obj *o = obj_by_real(kind, (int)real_id);
  if (!o) return;
  if (kind == KIND_SHM) o->shm_removed = true;
  else obj_free(o);
}

static void idmap_after_step(void) {
  struct shmid_ds ds;
  for (int i = 0; i < ipc_objs_count; i++) {
    struct ipc_obj *o = &ipc_objs[i];
    if (o->live && o->shm_removed && shmctl(o->real_id, IPC_STAT, &ds) < 0) obj_free(o);
  }
}

/* The model's seq of a real id (IPC_STAT's __seq). */
static int64_t seq_to_model(int kind, int64_t model_id, int64_t real_seq) {
  (void)kind;
  return ns_mode ? real_seq : model_id >> 15;
}

/* The key the host has for a real id now, or false if it has no such object. */
static bool real_key(int kind, int real_id, int64_t *key) {
  struct msqid_ds m;
  struct semid_ds s;
  struct shmid_ds h;
  int r = kind == KIND_MSG   ? msgctl(real_id, IPC_STAT, &m)
          : kind == KIND_SEM ? semctl(real_id, 0, IPC_STAT, &s)
                             : shmctl(real_id, IPC_STAT, &h);
  if (r < 0) return false;
  *key = kind == KIND_MSG ? m.msg_perm.__key
         : kind == KIND_SEM ? s.sem_perm.__key : h.shm_perm.__key;
  return true;
}

/* Removes every object the run created (fallback exit), each only if the host's object with its
 * id still has its key. A segment already removed is left to its last detach. */
static void idmap_remove_all(void) {
  for (int i = 0; i < ipc_objs_count; i++) {
    struct ipc_obj *o = &ipc_objs[i];
    int64_t key;
    if (!o->live || o->shm_removed || !real_key(o->kind, o->real_id, &key) || key != o->key)
      continue;
    if (o->kind == KIND_MSG) msgctl(o->real_id, IPC_RMID, NULL);
    if (o->kind == KIND_SEM) semctl(o->real_id, 0, IPC_RMID);
    if (o->kind == KIND_SHM) shmctl(o->real_id, IPC_RMID, NULL);
    o->live = false;
  }
}

/* ---- the fallback's checks at each call (see the header) ---- */

/* A *get's key and flags (IPC_CREAT, IPC_EXCL and the mode), from its command; -1 if not a get.
 * `flags_arg` is the position of the flags argument (the mode follows it). */
static int get_kind(const struct cmd_msg *c, int64_t *key, int *flags_arg) {
  *key = (key_t)c->args[0];
  switch (c->call) {
  case SYS_msgget: *flags_arg = 1; return KIND_MSG;
  case SYS_semget: *flags_arg = 2; return KIND_SEM;
  case SYS_shmget: *flags_arg = 2; return KIND_SHM;
  default: return -1;
  }
}

/* Is this ctl command one that reads the host's whole table (an index, not an id, or global
 * counts)? Linux: ipc/msg.c ksys_msgctl(), ipc/sem.c ksys_semctl(), ipc/shm.c ksys_shmctl(). */
static bool ctl_reads_host_table(int call, int64_t cmd) {
  if (cmd == IPC_INFO) return true;
  if (call == SYS_msgctl) return cmd == MSG_STAT || cmd == MSG_INFO || cmd == MSG_STAT_ANY;
  if (call == SYS_semctl) return cmd == SEM_STAT || cmd == SEM_INFO || cmd == SEM_STAT_ANY;
  if (call == SYS_shmctl) return cmd == SHM_STAT || cmd == SHM_INFO || cmd == SHM_STAT_ANY;
  return false;
}

/* Before a call is sent (fallback): `wire` is the command in host numbering. A *get whose key
 * the run does not own may only create (IPC_EXCL added); a ctl that reads the host's table is a
 * host fault. */
static void idmap_guard(const struct cmd_msg *c, struct cmd_msg *wire) {
  if (ns_mode) return;
  int64_t key;
  int flags_arg;
  int kind = get_kind(c, &key, &flags_arg);
  if (kind >= 0) {
    if (key != IPC_PRIVATE && !obj_by_key(kind, key) && (c->args[flags_arg] & IPC_CREAT))
      wire->args[flags_arg] |= IPC_EXCL;
    return;
  }
  bool ctl = c->call == SYS_msgctl || c->call == SYS_semctl || c->call == SYS_shmctl;
  int64_t cmd = c->call == SYS_semctl ? c->args[2] : c->args[1];
  if (ctl && ctl_reads_host_table(c->call, cmd))
    fault("%s command %" PRId64 " reads the host's whole IPC table; without an IPC namespace"
          " the bridge cannot run it", call_name(c->call), cmd);
}

/* After a *get returned (fallback): was the object the run's? A key the run does not own that
 * exists on the host (EEXIST although the trace did not ask for IPC_EXCL... or did: either way
 * the model has no such object), or an open that found one, is a host fault; so is an id that
 * is not the one the run's object with this key has. */
static void idmap_check_get(const struct cmd_msg *c, const struct reply_msg *r) {
  int64_t key;
  int flags_arg;
  int kind = get_kind(c, &key, &flags_arg);
  if (ns_mode || kind < 0 || key == IPC_PRIVATE) return;
  const struct ipc_obj *own = obj_by_key(kind, key);
  bool host_owned = own ? r->err == 0 && r->ret != own->real_id
                        : (r->err == EEXIST) || (r->err == 0 && !(c->args[flags_arg] & IPC_CREAT));
  if (host_owned)
    fault("key %" PRId64 " names an IPC object of the host, not of this trace; without"
          " namespaces the bridge never touches it (use another key)", key);
}
