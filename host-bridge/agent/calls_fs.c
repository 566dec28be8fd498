/* calls_fs.c: the handlers of the tree's and regular files' calls (wasm/calls-files.ts), the
 * traced processes' root being the run's own tmpfs (agent.c become_namespace_init, traced.c
 * traced_start). Included by agent.c after calls.c, whose path_arg and set_ret it uses. */

/* Without namespaces (no tmpfs root): a path must be relative and without ".." (agent.c
 * refuses the step otherwise). */
static bool path_ok(const uint8_t *p, uint32_t len) {
  if (len == 0) return true; /* Linux: ENOENT */
  if (p[0] == '/' || memchr(p, 0, len)) return false;
  for (uint32_t i = 0; i + 1 < len; i++)
    if (p[i] == '.' && p[i + 1] == '.' && (i == 0 || p[i - 1] == '/') &&
        (i + 2 == len || p[i + 2] == '/'))
      return false;
  return true;
}

/* The data's path or two paths ("old\0new") are each path_ok. */
static bool paths_ok(enum data_kind kind, const uint8_t *p, uint32_t len) {
  if (kind == DATA_PATH) return path_ok(p, len);
  if (kind != DATA_PATHS) return true;
  const uint8_t *nul = memchr(p, 0, len);
  if (!nul) return false;
  uint32_t first = (uint32_t)(nul - p);
  return path_ok(p, first) && path_ok(nul + 1, len - first - 1);
}

#define PATH path_arg(data, c->data_len)
CALL_HANDLER(openat) { set_ret(r, openat((int)A(0), PATH, (int)A(1), (mode_t)A(2))); }
CALL_HANDLER(mkdir) { set_ret(r, mkdir(PATH, (mode_t)A(0))); }
CALL_HANDLER(rmdir) { set_ret(r, rmdir(PATH)); }
CALL_HANDLER(unlinkat) { set_ret(r, unlinkat((int)A(0), PATH, (int)A(1))); }
CALL_HANDLER(chdir) { set_ret(r, chdir(PATH)); }
CALL_HANDLER(chmod) { set_ret(r, chmod(PATH, (mode_t)A(0))); }
CALL_HANDLER(access) { set_ret(r, access(PATH, (int)A(0))); }
CALL_HANDLER(truncate) { set_ret(r, truncate(PATH, (off_t)A(0))); }
/* The *at family as raw syscalls: glibc's wrappers emulate flags (faccessat) or pick another
 * syscall (fstatat may be statx). */
CALL_HANDLER(mkdirat) { set_ret(r, mkdirat((int)A(0), PATH, (mode_t)A(1))); }
CALL_HANDLER(fchmodat) { set_ret(r, syscall(SYS_fchmodat, (int)A(0), PATH, (mode_t)A(1))); }
CALL_HANDLER(faccessat) { set_ret(r, syscall(SYS_faccessat, (int)A(0), PATH, (int)A(1))); }
CALL_HANDLER(faccessat2) {
  set_ret(r, syscall(SYS_faccessat2, (int)A(0), PATH, (int)A(1), (int)A(2)));
}
#undef PATH

/* The second of two paths ("old\0new": agent.c checked there is a NUL). */
static const char *second_path(const uint8_t *data, uint32_t len) {
  path_arg(data, len);
  return (const char *)scratch + strlen((const char *)scratch) + 1;
}
CALL_HANDLER(rename) {
  const char *to = second_path(data, c->data_len);
  set_ret(r, rename((const char *)scratch, to));
}
CALL_HANDLER(link) {
  const char *to = second_path(data, c->data_len);
  set_ret(r, link((const char *)scratch, to));
}
CALL_HANDLER(symlink) {
  const char *to = second_path(data, c->data_len);
  set_ret(r, symlink((const char *)scratch, to));
}
CALL_HANDLER(renameat) {
  const char *to = second_path(data, c->data_len);
  set_ret(r, syscall(SYS_renameat, (int)A(0), (const char *)scratch, (int)A(1), to));
}
CALL_HANDLER(renameat2) {
  const char *to = second_path(data, c->data_len);
  set_ret(r, syscall(SYS_renameat2, (int)A(0), (const char *)scratch, (int)A(1), to,
                     (unsigned int)A(2)));
}
CALL_HANDLER(linkat) {
  const char *to = second_path(data, c->data_len);
  set_ret(r, syscall(SYS_linkat, (int)A(0), (const char *)scratch, (int)A(1), to, (int)A(2)));
}
CALL_HANDLER(symlinkat) {
  const char *to = second_path(data, c->data_len);
  set_ret(r, syscall(SYS_symlinkat, (const char *)scratch, (int)A(0), to));
}

/* The target, cut to the count: the kernel writes at most the link's length (under a page),
 * so any count is safe with this buffer. */
CALL_HANDLER(readlink) {
  static char target[PATH_MAX + 1];
  set_ret(r, readlink(path_arg(data, c->data_len), target, (size_t)A(0)));
  if (r->ret >= 0) memcpy(scratch, target, (size_t)r->ret), o->data = scratch,
      o->len = (uint32_t)r->ret;
}

CALL_HANDLER(readlinkat) {
  static char target[PATH_MAX + 1];
  const char *path = path_arg(data, c->data_len);
  set_ret(r, syscall(SYS_readlinkat, (int)A(0), path, target, (size_t)A(1)));
  if (r->ret >= 0) memcpy(scratch, target, (size_t)r->ret), o->data = scratch,
      o->len = (uint32_t)r->ret;
}

/* The raw syscall (glibc's getcwd allocates for size 0): ret counts the NUL, data has none. */
CALL_HANDLER(getcwd) {
  uint64_t size = (uint64_t)A(0);
  if (size > data_bytes_max && size < (1ull << 47)) size = data_bytes_max;
  set_ret(r, syscall(SYS_getcwd, scratch, size));
  if (r->ret > 0) o->data = scratch, o->len = (uint32_t)r->ret - 1;
}

/* The tmpfs's device (traced_start: the root, or the work directory without namespaces):
 * st_ino is reported only for its files. */
static dev_t tmpfs_dev;

/* struct stat as outputs 0..11: on the tmpfs, ino, mode, nlink, size, blocks, then st_atim,
 * st_mtim, st_ctim as sec, nsec (raw CLOCK_REALTIME: procs.c puts them on the timeline). */
static void stat_out(struct reply_msg *r, const struct stat *st) {
  r->out[0] = st->st_dev == tmpfs_dev;
  r->out[1] = (int64_t)st->st_ino;
  r->out[2] = st->st_mode;
  r->out[3] = (int64_t)st->st_nlink;
  r->out[4] = st->st_size;
  r->out[5] = st->st_blocks;
  const struct timespec *times[] = {&st->st_atim, &st->st_mtim, &st->st_ctim};
  for (int i = 0; i < 3; i++) {
    r->out[6 + 2 * i] = times[i]->tv_sec;
    r->out[7 + 2 * i] = times[i]->tv_nsec;
  }
  r->nout = 12;
}
CALL_HANDLER(stat) {
  struct stat st;
  set_ret(r, stat(path_arg(data, c->data_len), &st));
  if (r->ret == 0) stat_out(r, &st);
}
CALL_HANDLER(lstat) {
  struct stat st;
  set_ret(r, lstat(path_arg(data, c->data_len), &st));
  if (r->ret == 0) stat_out(r, &st);
}
CALL_HANDLER(newfstatat) {
  struct stat st;
  set_ret(r, syscall(SYS_newfstatat, (int)A(0), path_arg(data, c->data_len), &st, (int)A(1)));
  if (r->ret == 0) stat_out(r, &st);
}
CALL_HANDLER(fstat) {
  struct stat st;
  set_ret(r, fstat((int)A(0), &st));
  if (r->ret == 0) stat_out(r, &st);
}

/* The records as the kernel wrote them; procs.c lists them. */
CALL_HANDLER(getdents64) {
  uint64_t count = (uint64_t)A(1);
  if (count > data_bytes_max && count < (1ull << 47)) count = data_bytes_max;
  set_ret(r, syscall(SYS_getdents64, (int)A(0), scratch, count));
  if (r->ret >= 0) o->data = scratch, o->len = (uint32_t)r->ret;
}

/* The count is cut to the reply's buffer as read's is. */
CALL_HANDLER(pread64) {
  uint64_t count = (uint64_t)A(1);
  if (count > data_bytes_max && count < (1ull << 47)) count = data_bytes_max;
  set_ret(r, pread((int)A(0), scratch, count, (off_t)A(2)));
  if (r->ret >= 0) o->data = scratch, o->len = (uint32_t)r->ret;
}

CALL_HANDLER(pwrite64) { set_ret(r, pwrite((int)A(0), data, c->data_len, (off_t)A(1))); }

