/* maps.c: the memory a trace made, as its traced process keeps it.
 *
 * store and load are CPU accesses the traced process makes for the trace. Its address space
 * also holds the agent's own code, data, stack and libraries, which are the host's, not the
 * trace's: a store there would corrupt the bridge, a load would copy host memory into a
 * recorded trace. So a traced process keeps the ranges its trace mapped (mmap, shmat) and
 * unmapped (munmap, shmdt), and store/load (and mprotect) touch memory only inside them:
 * - an access inside: made for real (a PROT_NONE page still raises SIGSEGV, as on Linux);
 * - an access outside, at an address a ref gave (`{"ref": k, "offset": n}`): in the trace's
 *   world nothing is mapped there, so Linux raises SIGSEGV; the process raises it with a real
 *   fault on a non-canonical address (maps_fault), never touching what is there;
 * - an access outside, at an integer address the trace wrote (CMD_ADDR_LITERAL): refused (a
 *   host fault naming the address), as the model refuses it (sim/model/mem.ts).
 *
 * The table is in the process's own memory, so a fork's child starts with its parent's
 * (mappings are inherited: mm/mmap.c dup_mmap()), and it dies with the process.
 *
 * Invariants: ranges are page-aligned, sorted, disjoint and not adjacent (merged); at most
 * MAPS_MAX of them (more is a host fault: the reply's bridge_errno is ENOMEM).
 */

#define MAPS_MAX 4096
#define MAPS_PAGE 4096ull

struct map_range {
  uint64_t start, end; /* [start, end) */
};

static struct map_range maps[MAPS_MAX];
static int maps_count;

static uint64_t page_up(uint64_t v) { return (v + MAPS_PAGE - 1) & ~(MAPS_PAGE - 1); }

/* Removes [start, end) from the table (munmap, shmdt, and before an add). */
static bool maps_remove(uint64_t start, uint64_t end) {
  struct map_range out[MAPS_MAX + 1]; /* [start, end) splits at most one range in two */
  int n = 0;
  for (int i = 0; i < maps_count; i++) {
    struct map_range m = maps[i];
    if (m.end <= start || m.start >= end) {
      out[n++] = m;
      continue;
    }
    if (m.start < start) out[n++] = (struct map_range){m.start, start};
    if (m.end > end) out[n++] = (struct map_range){end, m.end};
  }
  if (n > MAPS_MAX) return false;
  memcpy(maps, out, (size_t)n * sizeof out[0]);
  maps_count = n;
  return true;
}

/* Adds [start, end) (mmap, shmat: a MAP_FIXED or SHM_REMAP mapping replaces what was there). */
static bool maps_add(uint64_t start, uint64_t end) {
  if (!maps_remove(start, end) || maps_count == MAPS_MAX) return false;
  int i = 0;
  while (i < maps_count && maps[i].start < start) i++;
  memmove(&maps[i + 1], &maps[i], (size_t)(maps_count - i) * sizeof maps[0]);
  maps[i] = (struct map_range){start, end};
  maps_count++;
  if (i + 1 < maps_count && maps[i].end == maps[i + 1].start) { /* merge the right */
    maps[i].end = maps[i + 1].end;
    memmove(&maps[i + 1], &maps[i + 2], (size_t)(maps_count - i - 2) * sizeof maps[0]);
    maps_count--;
  }
  if (i > 0 && maps[i - 1].end == maps[i].start) { /* merge the left */
    maps[i - 1].end = maps[i].end;
    memmove(&maps[i], &maps[i + 1], (size_t)(maps_count - i - 1) * sizeof maps[0]);
    maps_count--;
  }
  return true;
}

/* Is every byte of [addr, addr + len) inside one range? (Ranges are merged, so a covered access
 * is inside one.) An empty access touches nothing. */
static bool maps_cover(uint64_t addr, uint64_t len) {
  if (len == 0) return true;
  if (addr + len < addr) return false;
  for (int i = 0; i < maps_count; i++)
    if (maps[i].start <= addr && addr + len <= maps[i].end) return true;
  return false;
}

/* The end of the run of the trace's memory that holds addr (ranges are merged, so the range
 * that holds it), or addr when none does. */
static uint64_t maps_run_end(uint64_t addr) {
  for (int i = 0; i < maps_count; i++)
    if (maps[i].start <= addr && addr < maps[i].end) return maps[i].end;
  return addr;
}

/* The start of the lowest range that overlaps [addr, end), or end when none does. */
static uint64_t maps_first_in(uint64_t addr, uint64_t end) {
  for (int i = 0; i < maps_count; i++)
    if (maps[i].end > addr && maps[i].start < end)
      return maps[i].start > addr ? maps[i].start : addr;
  return end;
}

/* The size of the segment that shmat attached (ipc/shm.c do_shmat() maps the whole pages). */
static uint64_t shm_pages_bytes(int shmid) {
  struct shmid_ds ds;
  return shmctl(shmid, IPC_STAT, &ds) < 0 ? 0 : page_up(ds.shm_segsz);
}

/* ---- the calls' bookkeeping (calls.c) ---- */

static void maps_after_mmap(struct reply_msg *r, uint64_t length) {
  if (r->ret == -1 || maps_add((uint64_t)r->ret, (uint64_t)r->ret + page_up(length))) return;
  r->bridge_errno = ENOMEM; /* the mapping exists but the table is full: a host fault */
}

static void maps_after_munmap(const struct reply_msg *r, uint64_t addr, uint64_t length) {
  if (r->ret == 0) (void)maps_remove(addr, addr + page_up(length));
}

/* Attachments: shmdt takes only the address, so each attach remembers its size. */
#define SHM_ATTACH_MAX 4096
static struct map_range shm_attached[SHM_ATTACH_MAX];
static int shm_attached_count;

static void maps_after_shmat(struct reply_msg *r, uint64_t bytes) {
  if (r->ret == -1) return;
  uint64_t at = (uint64_t)r->ret;
  if (bytes && shm_attached_count < SHM_ATTACH_MAX && maps_add(at, at + bytes)) {
    shm_attached[shm_attached_count++] = (struct map_range){at, at + bytes};
    return;
  }
  r->bridge_errno = ENOMEM;
}

/* Is the page at addr mapped? madvise(MADV_NORMAL) answers ENOMEM for an unmapped page
 * (mm/madvise.c madvise_walk_vmas()) and changes nothing a trace can see (the model has no
 * madvise, so every trace mapping already has the normal advice). It needs no fd, so it works
 * when a trace has used up RLIMIT_NOFILE, where reading /proc/self/maps would not. */
static bool page_mapped(uint64_t addr) {
  return madvise((void *)(uintptr_t)addr, MAPS_PAGE, MADV_NORMAL) == 0 || errno != ENOMEM;
}

/* shmdt unmaps only the segment's own pages from the attach address on (ipc/shm.c
 * ksys_shmdt() walks the vmas whose vm_file is the segment's and whose offset matches): a
 * mapping the trace made in a hole of the attachment (munmap, then mmap there) stays. So of
 * the attachment's range the table keeps the pages it held before that are still mapped
 * after; a page it did not hold (the agent's own, say) is never added. */
static void maps_after_shmdt(struct reply_msg *r, uint64_t addr) {
  if (r->ret != 0) return;
  for (int i = 0; i < shm_attached_count; i++) {
    if (shm_attached[i].start != addr) continue;
    struct map_range a = shm_attached[i];
    shm_attached[i] = shm_attached[--shm_attached_count];
    int saved = errno;
    uint64_t gone = a.end; /* the start of the run of unmapped pages being gathered */
    for (uint64_t p = a.start; p <= a.end; p += MAPS_PAGE) {
      bool unmapped = p < a.end && maps_cover(p, MAPS_PAGE) && !page_mapped(p);
      if (unmapped && gone == a.end) gone = p;
      if (unmapped || gone == a.end) continue;
      if (!maps_remove(gone, p)) r->bridge_errno = ENOMEM; /* the table is full */
      gone = a.end;
    }
    errno = saved;
    return;
  }
}

/* A real SIGSEGV without touching any memory: x86-64 refuses a non-canonical address with a
 * general protection fault, which Linux delivers as a forced SIGSEGV (arch/x86/kernel/traps.c
 * exc_general_protection()); a handler that returns gets the same fault again, as for an
 * unmapped page. */
static void maps_fault(bool write) {
  volatile uint8_t *bad = (volatile uint8_t *)(uintptr_t)0x8000000000000000ull;
  if (write) *bad = 0;
  else (void)*bad;
}

/* May store/load touch [addr, addr + len)? If not, it does not return (a SIGSEGV), or returns
 * false after setting the reply's bridge_errno (EFAULT: an integer address outside the trace's
 * mappings, which the agent reports as a host fault naming it). */
static bool maps_access_ok(const struct cmd_msg *c, struct reply_msg *r, uint64_t addr,
                           uint64_t len, bool write) {
  if (maps_cover(addr, len)) return true;
  if (c->flags & CMD_ADDR_LITERAL) {
    r->bridge_errno = EFAULT;
    return false;
  }
  for (;;) maps_fault(write);
}

/* A syscall's result into the reply (calls.c set_ret, which comes after this file). */
static void maps_ret(struct reply_msg *r, long v) {
  r->ret = v;
  r->err = v == -1 ? errno : 0;
}

#ifndef PROT_SEM
#define PROT_SEM 0x8 /* include/uapi/asm-generic/mman-common.h; glibc does not define it */
#endif

/* mprotect (calls.c): the checks Linux makes before it looks at memory (mm/mprotect.c
 * do_mprotect_pkey: the GROWS bits, the alignment, a zero length, a wrapping range, unknown
 * prot bits) are asked of Linux as they are. The rest must never reach the agent's own memory:
 * what the trace did not map is a hole in its world (the model's I/O area included). So Linux
 * is asked when the trace's memory runs to the end of the range or up to a page the host has
 * no mapping at either (a real hole: Linux changes the regions before it and stops there with
 * ENOMEM, or finds nothing at the start), and otherwise the agent answers as Linux would at a
 * hole: a start outside the trace's memory is ENOMEM, and a run followed by the agent's memory
 * is changed for real, then ENOMEM. PROT_GROWSDOWN from outside starts at the range's first
 * mapping of the trace's (Linux takes the first region's start). */
static void maps_mprotect(struct reply_msg *r, uint64_t addr, uint64_t len, long prot) {
  long grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
  uint64_t end = addr + page_up(len);
  long bits = prot & ~(PROT_GROWSDOWN | PROT_GROWSUP);
  if (grows == (PROT_GROWSDOWN | PROT_GROWSUP) || (addr & (MAPS_PAGE - 1)) || len == 0 ||
      end <= addr || (bits & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM))) {
    maps_ret(r, mprotect((void *)(uintptr_t)addr, (size_t)len, (int)prot));
    return;
  }
  int saved = errno;
  uint64_t start = addr;
  if (!maps_cover(addr, 1)) {
    if (!(grows & PROT_GROWSDOWN) && !page_mapped(addr)) { /* Linux finds the hole */
      errno = saved;
      maps_ret(r, mprotect((void *)(uintptr_t)addr, (size_t)len, (int)prot));
      return;
    }
    start = (grows & PROT_GROWSDOWN) ? maps_first_in(addr, end) : end;
  }
  uint64_t stop = start < end ? maps_run_end(start) : start;
  if (stop == start) { /* nothing of the trace's there */
    errno = saved;
    r->ret = -1, r->err = ENOMEM;
    return;
  }
  bool hole = stop < end && !page_mapped(stop);
  errno = saved;
  uint64_t upto = stop < end && !hole ? stop : end;
  maps_ret(r, mprotect((void *)(uintptr_t)start, (size_t)(upto - start), (int)prot));
  if (r->ret == 0 && upto < end) r->ret = -1, r->err = ENOMEM;
}
