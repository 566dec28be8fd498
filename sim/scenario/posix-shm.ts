// POSIX shared memory objects and named semaphores as glibc builds them on a tmpfs at /dev/shm,
// in the scenario library: shm_open, shm_unlink, sem_open, sem_close, sem_unlink. Each is the
// calls glibc's C makes (open, link, mmap, ...), so a run's trace shows them and the host
// bridge replays them on Linux.
//
// Read side by side with glibc 2.36: rt/shm_open.c, rt/shm_unlink.c, posix/shm-directory.c
// (__shm_get_name), nptl/sem_open.c, nptl/sem_close.c, nptl/sem_unlink.c,
// nptl/sem_routines.c (__sem_check_add_mapping, __sem_remove_mapping).
//
// - shm_open(name, oflag, mode) opens "/dev/shm/NAME" with O_NOFOLLOW|O_CLOEXEC added;
//   shm_unlink unlinks it. A name is the part after any leading slashes: empty, or holding
//   another slash, is EINVAL; longer than NAME_MAX, ENAMETOOLONG.
// - sem_open(name, oflag, mode, value) names "/dev/shm/sem.NAME". Without O_CREAT|O_EXCL it
//   first opens an existing one (O_RDWR); to create, it writes an initialised sem_t (nptl.ts's
//   layout, process-shared) into a new temporary file, maps it and link()s it to the name, so
//   the semaphore appears whole or not at all; a link that finds the name taken (EEXIST) opens
//   that one instead unless O_EXCL. The descriptor is closed once the sem_t is mapped; the
//   address is the sem_t, for nptl.ts's sem_wait/sem_post. sem_close unmaps it (a process's
//   second sem_open of one name shares the first's mapping, counted); sem_unlink unlinks the
//   name.
//
// Differences from glibc: the trace's tree starts empty, so the library makes /dev and
// /dev/shm (mode 01777) the first time a name is created there and its directory is missing
// (two mkdir steps, which Linux's always-mounted /dev/shm never needs); glibc's temporary name
// is six random letters, here "/dev/shm/sem.tmp.PID.N" (deterministic); the sharing of
// mappings between sem_opens is per process object (a fork child's first sem_open maps anew,
// where glibc's child inherits the parent's table).

import type { Os } from "./os.js";
import { ErrnoError } from "./errors.js";
import {
  MAP_SHARED, O_CLOEXEC, O_CREAT, O_EXCL, O_NOFOLLOW, O_RDWR, PROT_READ,
  PROT_WRITE, errno,
} from "./constants.js";
import { SEM_T_BYTES, SEM_VALUE_MAX } from "./nptl.js";
import type { ErrnoName } from "../../wasm/abi.js";

const SHM_DIR = "/dev/shm/";
const NAME_MAX = 255;
const O_ACCMODE = 3;

function fail(os: Os, code: ErrnoName, fn: string): never {
  throw new ErrnoError(code, errno[code], fn, os.getpid());
}

function isErrno(e: unknown, code: ErrnoName): boolean {
  return e instanceof ErrnoError && e.code === code;
}

/** __shm_get_name: the path of `name` in /dev/shm ("sem." before it for a semaphore). */
function shmPath(os: Os, name: string, sem: boolean, fn: string): string {
  const base = name.replace(/^\/+/, "");
  if (base === "" || base.includes("/")) fail(os, "EINVAL", fn);
  const file = sem ? `sem.${base}` : base;
  if (new TextEncoder().encode(file).length > NAME_MAX) fail(os, "ENAMETOOLONG", fn);
  return SHM_DIR + file;
}

/** /dev/shm, made when a name is created there and it is missing (see the header). */
async function makeShmDir(os: Os): Promise<void> {
  for (const [dir, mode] of [["/dev", 0o755], ["/dev/shm", 0o1777]] as const) {
    try {
      await os.mkdir(dir, mode);
    } catch (e) {
      if (!isErrno(e, "EEXIST")) throw e;
    }
  }
}

/** open(path, flags, mode), making /dev/shm first when a create finds it missing. */
async function openShm(os: Os, path: string, flags: number, mode: number): Promise<number> {
  try {
    return await os.open(path, flags, mode);
  } catch (e) {
    if (!isErrno(e, "ENOENT") || (flags & O_CREAT) === 0) throw e;
  }
  await makeShmDir(os);
  return os.open(path, flags, mode);
}

/** shm_open(3): the descriptor of /dev/shm/NAME, opened with O_NOFOLLOW | O_CLOEXEC added. */
export async function shm_open(os: Os, name: string, oflag: number, mode = 0o600) {
  const path = shmPath(os, name, false, "shm_open");
  return openShm(os, path, oflag | O_NOFOLLOW | O_CLOEXEC, mode);
}

/** shm_unlink(3): removes /dev/shm/NAME (mapped objects live on). */
export async function shm_unlink(os: Os, name: string): Promise<number> {
  return os.unlink(shmPath(os, name, false, "shm_unlink"));
}

// ---- named semaphores ----

/** A process's mappings of named semaphores, by path: the address and sem_open count. */
const mappings = new WeakMap<Os, Map<string, { addr: number; refs: number }>>();
/** A process's temporary files so far (their names' N). */
const temps = new WeakMap<Os, number>();

function mapsOf(os: Os) {
  let m = mappings.get(os);
  if (!m) mappings.set(os, (m = new Map()));
  return m;
}

/** __sem_check_add_mapping: this process's mapping of path, or a new one of fd. */
async function addMapping(os: Os, path: string, fd: number): Promise<number> {
  const known = mapsOf(os).get(path);
  if (known) {
    known.refs++;
    return known.addr;
  }
  const addr = await os.mmap(0, SEM_T_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  mapsOf(os).set(path, { addr, refs: 1 });
  return addr;
}

/** The bytes of a new process-shared sem_t holding value (nptl.ts's layout). */
function initialSem(value: number): Uint8Array {
  const b = new Uint8Array(SEM_T_BYTES);
  new DataView(b.buffer).setUint32(0, (value << 1) >>> 0, true);
  return b;
}

/** sem_open: the sem_t's address (see the header). */
export async function sem_open(
  os: Os, name: string, oflag: number, mode = 0o600, value = 0,
): Promise<number> {
  const path = shmPath(os, name, true, "sem_open");
  const both = O_CREAT | O_EXCL;
  if ((oflag & both) !== both) {
    const existing = await openExisting(os, path, oflag);
    if (existing !== null) return existing;
  }
  if (value > SEM_VALUE_MAX || value < 0) fail(os, "EINVAL", "sem_open");
  for (;;) {
    const created = await createSem(os, path, oflag, mode, value);
    if (created !== null) return created;
    const existing = await openExisting(os, path, oflag);
    if (existing !== null) return existing;
  }
}

/** The semaphore at path when it exists; null when it does not and O_CREAT asks to make it. */
async function openExisting(os: Os, path: string, oflag: number): Promise<number | null> {
  const flags = (oflag & ~(O_CREAT | O_ACCMODE)) | O_NOFOLLOW | O_RDWR | O_CLOEXEC;
  let fd: number;
  try {
    fd = await os.open(path, flags);
  } catch (e) {
    if (isErrno(e, "ENOENT") && (oflag & O_CREAT) !== 0) return null;
    throw e;
  }
  try {
    return await addMapping(os, path, fd);
  } finally {
    await os.close(fd);
  }
}

/** try_create: the new semaphore's address, or null when another process linked the name
 * first (EEXIST without O_EXCL: open that one). */
async function createSem(
  os: Os, path: string, oflag: number, mode: number, value: number,
): Promise<number | null> {
  const n = temps.get(os) ?? 0;
  temps.set(os, n + 1);
  const tmp = `${SHM_DIR}sem.tmp.${os.getpid()}.${n}`;
  const fd = await openShm(os, tmp, O_RDWR | O_CREAT | O_EXCL, mode);
  try {
    await os.write(fd, initialSem(value));
    const addr = await os.mmap(0, SEM_T_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    try {
      await os.link(tmp, path);
    } catch (e) {
      await os.munmap(addr, SEM_T_BYTES);
      if (isErrno(e, "EEXIST") && (oflag & O_EXCL) === 0) return null;
      throw e;
    }
    mapsOf(os).set(path, { addr, refs: 1 });
    return addr;
  } finally {
    await os.unlink(tmp);
    await os.close(fd);
  }
}

/** sem_close: one sem_open fewer; the last unmaps the sem_t. EINVAL for an address no
 * sem_open of this process returned. */
export async function sem_close(os: Os, sem: number): Promise<number> {
  for (const [path, m] of mapsOf(os)) {
    if (m.addr !== sem) continue;
    if (--m.refs === 0) {
      mapsOf(os).delete(path);
      await os.munmap(sem, SEM_T_BYTES);
    }
    return 0;
  }
  return fail(os, "EINVAL", "sem_close");
}

/** sem_unlink(3): removes /dev/shm/sem.NAME (open semaphores live on). */
export async function sem_unlink(os: Os, name: string): Promise<number> {
  return os.unlink(shmPath(os, name, true, "sem_unlink"));
}
