// IPC_STAT's field names as C programmers write them. Where glibc's structs (sys/ipc.h
// bits/ipc-perm.h, sys/msg.h bits/msq.h) and the kernel's (include/uapi/asm-generic/ipcbuf.h,
// arch/x86/include/uapi/asm/msgbuf.h) name a field differently, a trace's `stat` (an
// expectation, an IPC_SET buffer) may use either spelling, and every output (the model's
// results, the host bridge's, written traces, the strace view, a scenario's IPC_STAT) uses
// glibc's: the name a C program compiles. docs/audit/names.md has the whole table.
//
//   kernel (ipc64_perm, msqid64_ds)   glibc (ipc_perm, msqid_ds)     output
//   key                               __key                          __key
//   seq                               __seq                          __seq
//   msg_cbytes                        __msg_cbytes, and msg_cbytes   msg_cbytes
//                                     (bits/msq.h #define, __USE_MISC: every default build)
//
// Every other field IPC_STAT reports has one name in both (uid gid cuid cgid mode; msg_*,
// sem_*, shm_*); the padding (__pad*, __unused*, __glibc_reserved*, *_high) is never reported.

/** The other spelling of a field, and the one every output uses. */
const CANONICAL: ReadonlyMap<string, string> = new Map([
  ["key", "__key"],
  ["seq", "__seq"],
  ["__msg_cbytes", "msg_cbytes"],
]);

/** The spelling outputs use for a field written `key` (itself when it has one spelling); with
 * `siblings` (the object it is in), undefined when they hold its other spelling too. */
export function statFieldName(key: string, siblings?: object): string | undefined {
  const name = CANONICAL.get(key);
  if (name === undefined) return key;
  return siblings !== undefined && Object.hasOwn(siblings, name) ? undefined : name;
}

/** `o` with every field, at every level, renamed to the output spelling. A field given in
 * both spellings keeps the output spelling's value (the decoder refuses such a trace). */
export function canonicalStat(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(o)) {
    const name = statFieldName(key, o);
    if (name !== undefined) out[name] = isPlainObject(v) ? canonicalStat(v) : v;
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/** A stat field holding a mode, written as an octal string: IPC_STAT's `mode`, a file's
 * `st_mode`. */
export function isModeField(key: string): boolean {
  return key === "mode" || key === "st_mode";
}
