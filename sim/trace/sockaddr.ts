// struct sockaddr_un in traces (bind, connect; accept4's, getsockname's and getpeername's
// `addr` result; docs/trace-format.md): `{"path": "s0"}` (a file: sun_path with its NUL),
// `{"abstract": "name"}` (a leading NUL, then the name's bytes), `{"unnamed": true}` (the
// family alone: bind's autobind, the name of an unbound socket) and `{"unspec": true}`
// (AF_UNSPEC: a datagram socket's disconnect). The length passed is the bytes' own, as a C
// program passes offsetof(sun_path) + strlen + 1 (Linux's unix_mkname_bsd, unix_getname).

import type { At } from "./decode.js";
import type { SockAddr } from "./types.js";

const WHAT = '{"path": "s0"}, {"abstract": "name"}, {"unnamed": true} or {"unspec": true}';
/** sizeof(sun_path) less the NUL of a path, less the leading NUL of an abstract name. */
const PATH_BYTES_MAX = 107;
const AF_UNIX = 1;
const utf8 = new TextEncoder();
const text = new TextDecoder();

function nameAt(v: unknown, at: At, path: boolean): string {
  if (typeof v !== "string") return at.expected("a string", v);
  const n = utf8.encode(v);
  if (n.length > PATH_BYTES_MAX) return at.fail(`${n.length} bytes: at most ${PATH_BYTES_MAX}`);
  if (path && (n.length === 0 || n.includes(0))) return at.fail("a path is not empty, no NUL");
  return v;
}

/** A sockaddr_un as a trace writes it. */
export function sockaddrAt(v: unknown, at: At): SockAddr {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return at.expected(WHAT, v);
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length !== 1) return at.expected(WHAT, v);
  const [key] = keys;
  if (key === "path") return { path: nameAt(o.path, at.field("path"), true) };
  if (key === "abstract") return { abstract: nameAt(o.abstract, at.field("abstract"), false) };
  if ((key === "unnamed" || key === "unspec") && o[key] === true) {
    return key === "unnamed" ? { unnamed: true } : { unspec: true };
  }
  return at.expected(WHAT, v);
}

export function sockaddrToJson(a: SockAddr): SockAddr {
  return { ...a };
}

/** The struct's bytes, as long as the address is (its addrlen). */
export function sockaddrBytes(a: SockAddr): Uint8Array {
  const family = "unspec" in a ? [0, 0] : [AF_UNIX, 0];
  if ("path" in a) return new Uint8Array([...family, ...utf8.encode(a.path), 0]);
  if ("abstract" in a) return new Uint8Array([...family, 0, ...utf8.encode(a.abstract)]);
  return new Uint8Array(family);
}

/** The name of `len` bytes (the length Linux wrote back) from at most sizeof(sockaddr_un). */
export function sockaddrFromBytes(b: Uint8Array, len: number): SockAddr {
  const n = Math.min(len, b.length);
  if (n <= 2) return { unnamed: true };
  if (b[2] === 0) return { abstract: text.decode(b.subarray(3, n)) };
  const end = b.subarray(2, n).indexOf(0);
  return { path: text.decode(b.subarray(2, end < 0 ? n : 2 + end)) };
}

export function sockaddrEqual(a: SockAddr, b: SockAddr): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** As strace prints one: {sa_family=AF_UNIX, sun_path="s0"} (an abstract name with a leading
 * @, as strace writes it). */
export function sockaddrText(a: SockAddr): string {
  if ("unspec" in a) return "{sa_family=AF_UNSPEC}";
  if ("unnamed" in a) return "{sa_family=AF_UNIX}";
  const path = "path" in a ? a.path : `@${a.abstract}`;
  return `{sa_family=AF_UNIX, sun_path=${JSON.stringify(path)}}`;
}
