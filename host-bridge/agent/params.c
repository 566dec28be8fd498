/* The sysctl parameters and tmpfs options of a trace's header line
 * ("# kernel.msgmax=... tmpfs.size=... realtime=...").
 * Included by agent.c after note() and fault(): the agent is one translation unit. */

static bool param_namespaced(const char *name) {
  static const char *const names[] = {
      "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmmax",
      "kernel.shmall", "kernel.shmmni", "kernel.shm_rmid_forced", "kernel.msg_next_id",
      "kernel.sem_next_id", "kernel.shm_next_id"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcmp(name, names[i]) == 0) return true;
  return strncmp(name, "fs.mqueue.", 10) == 0;
}

static bool param_known(const char *name) {
  return param_namespaced(name) || strcmp(name, "fs.pipe-max-size") == 0 ||
         strcmp(name, "fs.pipe-user-pages-soft") == 0;
}

/* "1 2  3\n" and "1,2,3" compare equal. */
static bool same_values(const char *a, const char *b) {
  for (;;) {
    while (*a == ' ' || *a == '\t' || *a == ',' || *a == '\n') a++;
    while (*b == ' ' || *b == '\t' || *b == ',' || *b == '\n') b++;
    if (!*a || !*b) return !*a && !*b;
    if (*a++ != *b++) return false;
  }
}

static void set_param(const char *name, char *value) {
  if (!param_known(name)) fault("unknown parameter %s", name);
  char path[128], current[256] = "";
  snprintf(path, sizeof path, "/proc/sys/%s", name);
  for (char *s = path + 10; *s; s++)
    if (*s == '.') *s = '/';
  for (char *s = value; *s; s++)
    if (*s == ',') *s = ' ';
  FILE *f = fopen(path, "r");
  if (f) {
    if (!fgets(current, sizeof current, f)) current[0] = 0;
    fclose(f);
  }
  if (same_values(current, value)) return;
  if (!ns_mode || !param_namespaced(name)) {
    current[strcspn(current, "\n")] = 0;
    note("%s=%s not set: %s; the host keeps %s", name, value,
         ns_mode ? "it is not namespaced" : "no IPC namespace", current);
    return;
  }
  f = fopen(path, "w");
  if (!f || fputs(value, f) < 0 || fclose(f) != 0)
    fault("cannot set %s=%s: %s", name, value, strerror(errno));
}

/* tmpfs.size and tmpfs.nr_inodes: the run's tmpfs (agent.c become_namespace_init) mounted
 * again with them before the first process starts, when it holds only its root. Without a
 * mount namespace there is no tmpfs of the run's own: noted, as a sysctl is. */
static void set_tmpfs_option(const char *name, const char *value) {
  if (!ns_mode) {
    note("%s=%s not set: no mount namespace (no tmpfs of the run's own)", name, value);
    return;
  }
  if (strspn(value, "0123456789") != strlen(value) || !*value)
    fault("bad value for %s: %s", name, value);
  char opt[64];
  snprintf(opt, sizeof opt, "%s=%s", name + 6, value);
  if (mount(NULL, workdir, NULL, MS_REMOUNT | MS_NOSUID | MS_NODEV, opt) < 0)
    fault("cannot remount the run's tmpfs with %s: %s", opt, strerror(errno));
}

static void run_init_line(char *line) {
  char *save = NULL;
  for (char *tok = strtok_r(line + 1, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save)) {
    char *eq = strchr(tok, '=');
    if (!eq) fault("bad parameter %s", tok);
    *eq = 0;
    if (strcmp(tok, "realtime") == 0) realtime_start_sec = strtoll(eq + 1, NULL, 10);
    else if (strncmp(tok, "tmpfs.", 6) == 0) set_tmpfs_option(tok, eq + 1);
    else set_param(tok, eq + 1);
  }
}

