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
 * not grow; id = seq << 15 | idx). A key that names an object the host had before the agent
 * started is refused (the fallback must never touch IPC objects that are not its own), and the
 * agent removes every object it created when it exits.
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
static int *host_ids[KINDS]; /* ids that existed on the host before the agent started */
static int host_ids_count[KINDS];

static void fault(const char *fmt, ...); /* procs.c */
static void guard_note_ipc(int kind, int real_id); /* guard.c */

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

static void idmap_init_kind(int kind, const char *path) {
  ipc_allocs[kind].last_idx = -1;
  FILE *f = fopen(path, "r");
  if (!f) return;
  char line[512];
  host_ids[kind] = calloc(IPC_OBJECTS_MAX, sizeof(int));
  if (!fgets(line, sizeof line, f)) line[0] = 0; /* header line */
  while (fgets(line, sizeof line, f) && host_ids_count[kind] < IPC_OBJECTS_MAX) {
    long key, id;
    if (sscanf(line, "%ld %ld", &key, &id) == 2) host_ids[kind][host_ids_count[kind]++] = (int)id;
  }
  fclose(f);
}

/* Without namespaces: remember the host's own objects, which the agent must never touch. */
static void idmap_init(bool namespaces) {
  ns_mode = namespaces;
  for (int k = 0; k < KINDS; k++) ipc_allocs[k].last_idx = -1;
  if (ns_mode) return;
  idmap_init_kind(KIND_MSG, "/proc/sysvipc/msg");
  idmap_init_kind(KIND_SEM, "/proc/sysvipc/sem");
  idmap_init_kind(KIND_SHM, "/proc/sysvipc/shm");
}

static struct ipc_obj *obj_by_real(int kind, int real_id) {
  for (int i = ipc_objs_count - 1; i >= 0; i--)
    if (ipc_objs[i].kind == kind && ipc_objs[i].real_id == real_id && ipc_objs[i].live)
      return &ipc_objs[i];
  return NULL;
}

/* A SysV id argument: model -> real. An id the model never gave stays invalid on the host. */
static int64_t id_to_real(int kind, int64_t model_id) {
  if (ns_mode || model_id < 0) return model_id;
  for (int i = ipc_objs_count - 1; i >= 0; i--)
    if (ipc_objs[i].kind == kind && ipc_objs[i].model_id == model_id) return ipc_objs[i].real_id;
  return INT_MAX;
}

/* The id a successful *get returned: real -> model, registering a new object. */
static int64_t id_from_get(int kind, int64_t real_id) {
  if (ns_mode || real_id < 0) return real_id;
  struct ipc_obj *o = obj_by_real(kind, (int)real_id);
  if (o) return o->model_id;
  for (int i = 0; i < host_ids_count[kind]; i++)
    if (host_ids[kind][i] == real_id)
      fault("the key names IPC object %" PRId64 " that belongs to the host, not to this trace;"
            " without namespaces the bridge cannot isolate it (use another key)", real_id);
  if (ipc_objs_count == IPC_OBJECTS_MAX) fault("more than %d IPC objects", IPC_OBJECTS_MAX);
  o = &ipc_objs[ipc_objs_count++];
  *o = (struct ipc_obj){kind, ipc_model_alloc(kind), (int)real_id, true, false};
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

/* Removes every object the agent created (fallback exit). */
static void idmap_remove_all(void) {
  for (int i = 0; i < ipc_objs_count; i++) {
    struct ipc_obj *o = &ipc_objs[i];
    if (!o->live) continue;
    if (o->kind == KIND_MSG) msgctl(o->real_id, IPC_RMID, NULL);
    if (o->kind == KIND_SEM) semctl(o->real_id, 0, IPC_RMID);
    if (o->kind == KIND_SHM) shmctl(o->real_id, IPC_RMID, NULL);
    o->live = false;
  }
}
