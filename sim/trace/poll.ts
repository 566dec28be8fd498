// Readiness calls in traces (docs/trace-format.md "Readiness"): poll's and ppoll's `fds`, an
// array of `{"fd": 3, "events": ["POLLIN"]}` (a struct pollfd array in user memory, or null
// for a NULL pointer), their `nfds` (the array's length unless written: a larger one may only
// be past RLIMIT_NOFILE, which Linux refuses before reading the array, or go with a null
// array), ppoll's `sigmask` (a signal set, or null: no mask change), and the result's
// `revents`: one list of names per entry, in array order (`[]` for none).

import { NAMES, splitFlags } from "./calls.js";
import { At, arrayAt, checkKeys, cIntAt, flagsAt, obj, required, show } from "./decode.js";

/** One struct pollfd as a trace writes it: the fd (any int: a negative one is skipped) and the
 * events (a short's bits). */
export interface PollFd {
  fd: number;
  events: number;
}

/** RLIMIT_NOFILE of the traced processes: the most entries poll takes (kernel/param.ts). */
const NOFILE = 1024;

export function pollfdsAt(v: unknown, at: At): PollFd[] | null {
  if (v === null) return null;
  const list = arrayAt(v, at, 'an array of {"fd": 3, "events": ["POLLIN"]}, or null');
  if (list.length > NOFILE + 1) at.fail(`${list.length} entries (at most ${NOFILE + 1})`);
  return list.map((x, i) => {
    const a = at.item(i);
    const o = obj(x, a, 'a pollfd like {"fd": 3, "events": ["POLLIN"]}');
    checkKeys(o, ["fd", "events"], a, "a pollfd has fd, events");
    const events = o.events === undefined ? 0 : flagsAt(o.events, a.field("events"), NAMES.poll);
    if (events > 0xffff) a.field("events").expected("events bits 0..0xffff (a short)", events);
    const fd = cIntAt(required(o.fd, a.field("fd")), "int", a.field("fd"), "a pollfd's fd");
    return { fd, events };
  });
}

/** nfds: the array's length when absent; written, it may not reach past the array into memory
 * the model and the host fill differently. */
export function nfdsAt(v: unknown, at: At, fds: PollFd[] | null): number {
  const len = fds?.length ?? 0;
  if (v === undefined) return len;
  const n = cIntAt(v, "unsigned int", at, "poll's nfds");
  const past = (n >>> 0) > NOFILE;
  if (n !== len && !past && fds !== null) {
    at.fail(`${show(v)} entries, but fds has ${len} (a larger nfds must pass ${NOFILE}, ` +
      "RLIMIT_NOFILE, or go with \"fds\": null)");
  }
  return n;
}

/** The result's revents: one list of POLL* names (or a number) per entry. */
export function reventsAt(v: unknown, at: At): number[] {
  return arrayAt(v, at, 'an array of revents like [["POLLIN"], []]')
    .map((x, i) => flagsAt(x, at.item(i), NAMES.poll));
}

export function reventsJson(r: readonly number[]): (string[] | number)[] {
  return r.map((bits) => {
    const { names, rest } = splitFlags(bits, NAMES.poll);
    return rest === 0 ? names : bits;
  });
}

/** strace's `POLLIN|POLLOUT` (0 for none). */
export function pollBitsText(bits: number): string {
  const { names, rest } = splitFlags(bits, NAMES.poll);
  if (rest !== 0) names.push(`0x${rest.toString(16)}`);
  return names.length ? names.join("|") : "0";
}

/** strace's `[{fd=3, events=POLLIN}]`, or NULL. */
export function pollfdsText(fds: readonly PollFd[] | null): string {
  if (fds === null) return "NULL";
  return `[${fds.map((f) => `{fd=${f.fd}, events=${pollBitsText(f.events)}}`).join(", ")}]`;
}

/** strace's `[{fd=3, revents=POLLIN}]`: the entries with revents. */
export function reventsText(r: readonly number[]): string {
  const ready = r.flatMap((bits, i) => (bits ? [`{idx=${i}, revents=${pollBitsText(bits)}}`] : []));
  return `[${ready.join(", ")}]`;
}

/** FD_SETSIZE: an fd_set's bits, the most `nfds` a trace may pass (the kernel would read past
 * the caller's set beyond it). */
const FD_SETSIZE = 1024;

/** A select set: an array of descriptors 0..1023, or null (NULL). */
function fdsetAt(v: unknown, at: At): number[] | null {
  if (v === null || v === undefined) return null;
  return arrayAt(v, at, "an array of descriptors like [3, 4], or null").map((x, i) =>
    cIntAt(x, "int", at.item(i), "an fd_set's descriptor")).map((fd, i) => {
    if (fd < 0 || fd >= FD_SETSIZE) at.item(i).expected(`a descriptor 0..${FD_SETSIZE - 1}`, fd);
    return fd;
  });
}

/** A select step's set: as fdsetAt, with `nfds` at most FD_SETSIZE when the set is given. */
export function fdsetArgAt(v: unknown, at: At, nfds: number): number[] | null {
  const set = fdsetAt(v, at);
  if (set !== null && nfds > FD_SETSIZE) {
    at.fail(`nfds ${nfds} would have the kernel read past the fd_set (at most ${FD_SETSIZE})`);
  }
  return set;
}

/** A result's set: descriptors, sorted. */
export function fdsAt(v: unknown, at: At): number[] {
  return fdsetAt(v, at) ?? at.expected("an array of descriptors", v);
}

export function fdsetText(v: readonly number[] | null): string {
  return v === null ? "NULL" : `[${v.join(" ")}]`;
}
