// AF_UNIX names: bind (a path in the directory tree, an abstract name, autobind), the lookup
// connect makes (unix_find_other), and the name getsockname and getpeername report.
//
// Linux: net/unix/af_unix.c (unix_bind, unix_bind_bsd, unix_bind_abstract, unix_autobind,
// unix_validate_addr, unix_mkname_bsd, unix_find_bsd, unix_find_abstract,
// unix_find_socket_byinode, __unix_find_socket_byname, unix_getname).
//
// A socket's name (struct unix_address) is the sockaddr_un bytes as bound, in its row (Sock
// name0..name13, 112 bytes), of `addrLen` bytes (Sock.addrLen; 0: unbound). A path name also
// holds its S_IFSOCK inode (Sock.inode, a reference as unix_sk(sk)->path holds the dentry); the
// file stays when the socket goes, and only the binder (Sock.hashed) is found by connect. An
// accepted socket shares its listener's name without being found by it (unix_stream_connect
// copies otheru->addr).
// Abstract names are looked up with the socket type, as Linux's hash bucket includes it: a
// stream and a datagram socket may hold one abstract name each.
//
// Differences from Linux: autobind names are "\0" and five hex digits counted from 00000 in
// creation order, where Linux starts at a random number (docs/differences.md
// `unix-autobind-name`).
//
// Invariants (unixNameCheck): a hashed socket is alive and named; no two hashed sockets of one
// type share an abstract name, nor two any inode.

import {
  AF_UNIX, EADDRINUSE, ECONNREFUSED, EEXIST, EINVAL, ENOENT, ENOSPC, ENOTDIR, EPROTOTYPE, S_IFMT,
  S_IFSOCK,
} from "./abi";
import { fsMknodInode, fsUnlink } from "./fs";
import { inode, inodeGet, inodeTouchAtime, isDir } from "./inode";
import { FOLLOW, ND, walk } from "./namei";
import { NSOCK } from "./param";
import { Proc } from "./proc";
import { Sock, sock } from "./unix";

/** sizeof(struct sockaddr_un), and offsetof(struct sockaddr_un, sun_path). */
const SUN_LEN_MAX: i32 = 110;
const SUN_PATH: i32 = 2;
/** autobind's names: "%05x" of a 20-bit number. */
const AUTOBIND_MASK: i32 = 0xfffff;

const autobindNext = memory.data(4, 4);

@inline export function sockName(i: i32): usize {
  return changetype<usize>(sock(i)) + offsetof<Sock>("name0");
}

export function unixNameInit(): void {
  assert(offsetof<Sock>("name13") + 8 - offsetof<Sock>("name0") >= <usize>SUN_LEN_MAX,
    "a socket's row holds no sockaddr_un");
  store<i32>(autobindNext, 0);
}

/** unix_validate_addr: a name longer than the family alone, no longer than sockaddr_un. */
export function unixValidateAddr(addr: usize, len: i32): i32 {
  if (len <= SUN_PATH || len > SUN_LEN_MAX) return -EINVAL;
  return load<u16>(addr) == AF_UNIX ? 0 : -EINVAL;
}

/** unix_mkname_bsd: the path's length (up to its NUL or the address's end); the NUL is written
 * after it, as Linux writes one past addr_len (the buffer has room: sysBind's is 129 bytes). */
function pathLen(addr: usize, len: i32): i32 {
  store<u8>(addr + <usize>len, 0);
  let n = 0;
  while (load<u8>(addr + SUN_PATH + <usize>n) != 0) n++;
  return n;
}

function setName(i: i32, addr: usize, len: i32): void {
  memory.copy(sockName(i), addr, len);
  sock(i).addrLen = len;
}

/** unix_bind on socket i of the `len` bytes at `addr` (kernel memory). */
export function unixBind(p: Proc, i: i32, addr: usize, len: i32): i32 {
  if (len == SUN_PATH && load<u16>(addr) == AF_UNIX) return unixAutobind(i);
  const r = unixValidateAddr(addr, len);
  if (r < 0) return r;
  if (load<u8>(addr + SUN_PATH) != 0) return bindBsd(p, i, addr, len);
  return bindAbstract(i, addr, len);
}

/** unix_bind_bsd: the file is made first (EADDRINUSE for a name taken), then a socket already
 * bound removes it again and fails with EINVAL. */
function bindBsd(p: Proc, i: i32, addr: usize, len: i32): i32 {
  const n = pathLen(addr, len);
  const path = addr + SUN_PATH;
  // SOCK_INODE's mode is S_IFSOCK | 0777; the umask applies (createLast).
  const ino = fsMknodInode(p, p.cwd, path, n, S_IFSOCK | 0o777);
  if (ino < 0) return ino == -EEXIST ? -EADDRINUSE : ino;
  const s = sock(i);
  if (s.addrLen != 0) {
    fsUnlink(p.cwd, path, n);
    return -EINVAL;
  }
  setName(i, addr, n + SUN_PATH + 1);
  s.inode = ino;
  inodeGet(ino);
  s.hashed = 1;
  return 0;
}

function bindAbstract(i: i32, addr: usize, len: i32): i32 {
  if (sock(i).addrLen != 0) return -EINVAL;
  if (findByName(addr, len, sock(i).type) >= 0) return -EADDRINUSE;
  setName(i, addr, len);
  sock(i).hashed = 1;
  return 0;
}

/** unix_autobind: a bound socket keeps its name (0); else the next free "\0%05x". */
function unixAutobind(i: i32): i32 {
  if (sock(i).addrLen != 0) return 0;
  const buf = sockName(i);
  store<u16>(buf, <u16>AF_UNIX);
  store<u8>(buf + SUN_PATH, 0);
  const first = load<i32>(autobindNext);
  let n = first;
  while (true) {
    for (let k = 0; k < 5; k++) {
      const d = (n >> ((4 - k) * 4)) & 0xf;
      store<u8>(buf + SUN_PATH + 1 + <usize>k, <u8>(d < 10 ? 0x30 + d : 0x57 + d));
    }
    n = (n + 1) & AUTOBIND_MASK;
    if (findByName(buf, SUN_PATH + 6, sock(i).type) < 0) break;
    if (n == first) return -ENOSPC;
  }
  store<i32>(autobindNext, n);
  sock(i).addrLen = SUN_PATH + 6;
  sock(i).hashed = 1;
  return 0;
}

/** __unix_find_socket_byname in the bucket of `type`: the hashed socket, or -1. */
function findByName(addr: usize, len: i32, type: i32): i32 {
  for (let j = 0; j < NSOCK; j++) {
    const s = sock(j);
    if (s.inUse == 0 || s.hashed == 0 || s.inode >= 0 || s.type != type) continue;
    if (s.addrLen == len && memory.compare(sockName(j), addr, len) == 0) return j;
  }
  return -1;
}

/** unix_find_socket_byinode: the socket bound to inode `ino`, or -1. */
function findByInode(ino: i32): i32 {
  for (let j = 0; j < NSOCK; j++) {
    const s = sock(j);
    if (s.inUse != 0 && s.hashed != 0 && s.inode == ino) return j;
  }
  return -1;
}

/** unix_find_other: the socket a validated name names for a socket of `type`, or -errno. */
export function unixFindOther(p: Proc, addr: usize, len: i32, type: i32): i32 {
  if (load<u8>(addr + SUN_PATH) == 0) {
    const j = findByName(addr, len, type);
    return j >= 0 ? j : -ECONNREFUSED;
  }
  const n = pathLen(addr, len);
  const r = walk(p.cwd, addr + SUN_PATH, n, FOLLOW, false);
  if (r < 0) return r;
  if (ND.found < 0) return -ENOENT;
  const ino = ND.found;
  if (ND.trailing != 0 && !isDir(ino)) return -ENOTDIR;
  if ((inode(ino).mode & S_IFMT) != S_IFSOCK) return -ECONNREFUSED;
  const j = findByInode(ino);
  if (j < 0) return -ECONNREFUSED;
  if (sock(j).type != type) return -EPROTOTYPE;
  inodeTouchAtime(ino);
  return j;
}

/** unix_stream_connect's copy of the listener's name onto the new socket (no hashing). */
export function unixShareName(to: i32, from: i32): void {
  const f = sock(from);
  setName(to, sockName(from), f.addrLen);
  sock(to).inode = f.inode;
  if (f.inode >= 0) inodeGet(f.inode);
}

/** unix_getname: socket i's name into `out` (SUN_LEN_MAX bytes); its length. An unbound socket
 * is the family alone. */
export function unixGetname(i: i32, out: usize): i32 {
  const s = sock(i);
  if (s.addrLen == 0) {
    store<u16>(out, <u16>AF_UNIX);
    return SUN_PATH;
  }
  memory.copy(out, sockName(i), s.addrLen);
  return s.addrLen;
}

/** Bound names: a hashed socket is alive and named; names are unique per kind. */
export function unixNameCheck(): void {
  for (let j = 0; j < NSOCK; j++) {
    const s = sock(j);
    if (s.inUse == 0) continue;
    assert(s.addrLen >= 0 && s.addrLen <= SUN_LEN_MAX, "socket name length out of range");
    if (s.inode >= 0) assert(inode(s.inode).refs > 0, "a socket's inode without its reference");
    if (s.hashed == 0) continue;
    assert(s.dead == 0 && s.addrLen > SUN_PATH, "a hashed socket is dead or unnamed");
    if (s.inode >= 0) assert(findByInode(s.inode) == j, "two sockets bound to one inode");
    else assert(findByName(sockName(j), s.addrLen, s.type) == j, "an abstract name held twice");
  }
}
