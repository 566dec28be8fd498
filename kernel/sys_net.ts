// Syscall entry points for sockets: socketpair, sendto and recvfrom (null addresses), shutdown,
// and read and write of a socket's descriptor; argument checks, then the AF_UNIX mechanism
// (unix.ts, unix_stream.ts, unix_dgram.ts).
//
// Linux: net/socket.c (__sys_socketpair, __sock_create, __sys_sendto, __sys_recvfrom,
// __sys_shutdown, sock_read_iter, sock_write_iter, sock_alloc_file), net/unix/af_unix.c
// (unix_create).

import {
  EAFNOSUPPORT, EBADF, EFAULT, EINVAL, ENOPROTOOPT, ENOTCONN, ENOTSOCK, EOPNOTSUPP,
  EPROTONOSUPPORT, ESOCKTNOSUPPORT, SO_PEERCRED, SOL_SOCKET,
  MSG_DONTWAIT, O_NONBLOCK, O_RDWR, SOCK_CLOEXEC, SOCK_DGRAM, SOCK_NONBLOCK, SOCK_PACKET, SOCK_RAW,
  SOCK_SEQPACKET, SOCK_STREAM,
} from "./abi";
import {
  FILE_SOCKET, FMODE_READ, FMODE_WRITE, fdAllocLowest, fdGet, fdInstallAt, file, fileAlloc,
  filePut,
} from "./file";
import { MAX_RW_COUNT } from "./param";
import { Proc } from "./proc";
import {
  sock, sockAlloc, sockPair, sockPut, sockRelease, sockShutdown, sockWait,
} from "./unix";
import { NO_OPTION, sockGetopt, sockSetopt } from "./unix_opt";
import { unixAccept, unixConnect, unixListen } from "./unix_conn";
import { dgramRecv, dgramSend } from "./unix_dgram";
import { unixBind, unixGetname } from "./unix_name";
import { streamRecv, streamSend } from "./unix_stream";
import { accessOk, copyFromUser, copyToUser, putUser32 } from "./vm";

/** include/linux/net.h SOCK_TYPE_MASK, SOCK_MAX; include/linux/socket.h AF_MAX (NPROTO). */
const SOCK_TYPE_MASK: i32 = 0xf;
const SOCK_MAX: i32 = 11;
const NPROTO: i32 = 46;
const AF_UNIX: i32 = 1;
const AF_INET: i32 = 2;
const AF_INET6: i32 = 10;

/** __sock_create's checks and the family's create: the socket type AF_UNIX makes (SOCK_RAW is
 * SOCK_DGRAM), or -errno. Only AF_UNIX makes sockets here; AF_INET and AF_INET6 make TCP and UDP
 * ones, whose socketpair is sock_no_socketpair (EOPNOTSUPP); their raw and packet sockets and
 * other families are not modelled (docs/differences.md `socket-families`). */
function sockCreateType(family: i32, type: i32, protocol: i32): i32 {
  if (family < 0 || family >= NPROTO) return -EAFNOSUPPORT;
  if (type < 0 || type >= SOCK_MAX) return -EINVAL;
  if (family == AF_INET || family == AF_INET6) {
    // inet_create: a type with no protocol registered (inetsw[type] empty) is
    // ESOCKTNOSUPPORT; TCP and UDP make their sockets.
    if (type == SOCK_STREAM || type == SOCK_DGRAM) {
      return protocol == 0 ? -EOPNOTSUPP : -EPROTONOSUPPORT;
    }
    return type == SOCK_RAW || type == SOCK_PACKET ? -EPROTONOSUPPORT : -ESOCKTNOSUPPORT;
  }
  if (family != AF_UNIX) return -EAFNOSUPPORT;
  // unix_create: the protocol first, then the type.
  if (protocol != 0 && protocol != AF_UNIX) return -EPROTONOSUPPORT;
  if (type == SOCK_STREAM || type == SOCK_DGRAM || type == SOCK_SEQPACKET) return type;
  if (type == SOCK_RAW) return SOCK_DGRAM;
  return -ESOCKTNOSUPPORT;
}

/** socketpair(domain, type, protocol, sv): the type's flags checked, two fds reserved and
 * copied out, then the sockets made and joined, then the files installed. */
export function sysSocketpair(p: Proc, family: i32, type: i32, protocol: i32, sv: u32): i32 {
  const flags = type & ~SOCK_TYPE_MASK;
  if ((flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) != 0) return -EINVAL;
  const fd1 = fdAllocLowest(p, 0);
  if (fd1 < 0) return fd1;
  const fd2 = fdAllocLowest(p, fd1 + 1);
  if (fd2 < 0) return fd2;
  if (putUser32(p, sv, fd1) < 0 || putUser32(p, sv + 4, fd2) < 0) return -EFAULT;
  const t = sockCreateType(family, type & SOCK_TYPE_MASK, protocol);
  if (t < 0) return t;
  const a = sockFile(t, flags);
  if (a < 0) return a;
  const b = sockFile(t, flags);
  if (b < 0) {
    filePut(a);
    return b;
  }
  sockPair(file(a).pipe, file(b).pipe);
  sock(file(a).pipe).peerPid = p.pid; // init_peercred of both
  sock(file(b).pipe).peerPid = p.pid;
  const cloexec = (flags & SOCK_CLOEXEC) != 0;
  if (!fdInstallAt(p, fd1, a, cloexec) || !fdInstallAt(p, fd2, b, cloexec)) return -EFAULT;
  return 0;
}

/** A socket and its file (sock_alloc_file: O_RDWR, and O_NONBLOCK from SOCK_NONBLOCK). */
function sockFile(type: i32, flags: i32): i32 {
  const s = sockAlloc(type);
  if (s < 0) return s;
  const f = fileAlloc(FILE_SOCKET, O_RDWR | (flags & O_NONBLOCK), FMODE_READ | FMODE_WRITE);
  if (f < 0) {
    sockPut(s);
    return f;
  }
  file(f).pipe = s;
  return f;
}

/** sockfd_lookup: the socket fd names, -EBADF or -ENOTSOCK. */
function sockOf(p: Proc, fd: i32): i32 {
  const fi = fdGet(p, fd);
  if (fi < 0) return -EBADF;
  if (file(fi).kind != FILE_SOCKET) return -ENOTSOCK;
  return fi;
}

/** A description's O_NONBLOCK as MSG_DONTWAIT (sock_read_iter, __sys_sendto, ...), as it was
 * when the call began: a woken call keeps its timeout. */
function nonblock(p: Proc, fi: i32, flags: i32): i32 {
  return nonblocking(p, fi) ? flags | MSG_DONTWAIT : flags;
}

function nonblocking(p: Proc, fi: i32): bool {
  if (p.woke == 0) sockWait(p).nonblock = (file(fi).flags & O_NONBLOCK) != 0 ? 1 : 0;
  return sockWait(p).nonblock != 0;
}

function send(p: Proc, fi: i32, va: u32, len: u32, flags: i32): i32 {
  const n = <i32>(len > MAX_RW_COUNT ? MAX_RW_COUNT : len);
  const i = file(fi).pipe;
  const f = nonblock(p, fi, flags);
  return sock(i).type == SOCK_STREAM ? streamSend(p, i, va, n, f) : dgramSend(p, i, va, n, f);
}

function recv(p: Proc, fi: i32, va: u32, size: u32, flags: i32): i32 {
  const n = <i32>(size > MAX_RW_COUNT ? MAX_RW_COUNT : size);
  const i = file(fi).pipe;
  const f = nonblock(p, fi, flags);
  return sock(i).type == SOCK_STREAM ? streamRecv(p, i, va, n, f) : dgramRecv(p, i, va, n, f);
}

/** sendto(fd, buf, len, flags, NULL, 0): the buffer (import_ubuf), the socket, then its
 * sendmsg. */
export function sysSendto(p: Proc, fd: i32, va: u32, len: u32, flags: i32): i32 {
  if (!accessOk(va, len)) return -EFAULT;
  const fi = sockOf(p, fd);
  if (fi < 0) return fi;
  return send(p, fi, va, len, flags);
}

/** recvfrom(fd, buf, size, flags, NULL, NULL). */
export function sysRecvfrom(p: Proc, fd: i32, va: u32, size: u32, flags: i32): i32 {
  if (!accessOk(va, size)) return -EFAULT;
  const fi = sockOf(p, fd);
  if (fi < 0) return fi;
  return recv(p, fi, va, size, flags);
}

/** shutdown(fd, how). */
export function sysShutdown(p: Proc, fd: i32, how: i32): i32 {
  const fi = sockOf(p, fd);
  if (fi < 0) return fi;
  return sockShutdown(file(fi).pipe, how);
}

/** setsockopt(fd, level, optname, optval, optlen) (__sys_setsockopt, do_sock_setsockopt):
 * the socket, a negative length (EINVAL), a level other than SOL_SOCKET (AF_UNIX has no
 * ->setsockopt: EOPNOTSUPP), then sk_setsockopt. */
export function sysSetsockopt(
  p: Proc, fd: i32, level: i32, optname: i32, va: u32, optlen: i32,
): i32 {
  const fi = sockOf(p, fd);
  if (fi < 0) return fi;
  if (optlen < 0) return -EINVAL;
  if (level != SOL_SOCKET) return -EOPNOTSUPP;
  // sk_setsockopt: every option here is an int, read whole.
  if (optlen < 4) return -EINVAL;
  if (copyFromUser(p, optBuf, va, 4) < 4) return -EFAULT;
  return sockSetopt(file(fi).pipe, optname, load<i32>(optBuf));
}

/** getsockopt(fd, level, optname, optval, optlen) (do_sock_getsockopt, sk_getsockopt): the
 * length (EINVAL below 0), the option (ENOPROTOOPT), then at most an int's 4 bytes out and the
 * length written back. */
export function sysGetsockopt(
  p: Proc, fd: i32, level: i32, optname: i32, va: u32, lenVa: u32,
): i32 {
  const fi = sockOf(p, fd);
  if (fi < 0) return fi;
  if (level != SOL_SOCKET) return -EOPNOTSUPP;
  if (copyFromUser(p, optBuf, lenVa, 4) < 4) return -EFAULT;
  let len = load<i32>(optBuf);
  if (len < 0) return -EINVAL;
  if (optname == SO_PEERCRED) return peercred(p, file(fi).pipe, va, lenVa, len);
  const v = sockGetopt(file(fi).pipe, optname);
  if (v == NO_OPTION) return -ENOPROTOOPT;
  if (len > 4) len = 4;
  store<i32>(optBuf, <i32>v);
  if (copyToUser(p, va, optBuf, <u32>len) < <u32>len) return -EFAULT;
  return putUser32(p, lenVa, len) < 0 ? -EFAULT : 0;
}

const optBuf: usize = memory.data(8, 8);

/** SO_PEERCRED (sk_getsockopt, cred_to_ucred): struct ucred {pid, uid, gid}, at most its 12
 * bytes; every process is root (uid 0), and no peer is pid 0 with uid and gid -1. */
function peercred(p: Proc, i: i32, va: u32, lenVa: u32, len: i32): i32 {
  if (len > 12) len = 12;
  const pid = sock(i).peerPid;
  store<i32>(credBuf, pid);
  store<i32>(credBuf + 4, pid == 0 ? -1 : 0);
  store<i32>(credBuf + 8, pid == 0 ? -1 : 0);
  if (copyToUser(p, va, credBuf, <u32>len) < <u32>len) return -EFAULT;
  return putUser32(p, lenVa, len) < 0 ? -EFAULT : 0;
}

const credBuf: usize = memory.data(12, 4);

/** read(2) of a socket (vfs_read's access_ok done): sock_read_iter, which reads nothing for a
 * zero count, then recvmsg with no flags but the description's O_NONBLOCK. */
export function sockFileRead(p: Proc, fi: i32, va: u32, count: u32): i32 {
  if (count == 0) return 0;
  return recv(p, fi, va, count, 0);
}

/** write(2) of a socket: sock_write_iter, sendmsg with the description's O_NONBLOCK (a zero
 * count still sends: an empty datagram, or a stream's checks). */
export function sockFileWrite(p: Proc, fi: i32, va: u32, count: u32): i32 {
  return send(p, fi, va, count, 0);
}

// ---- named sockets: socket, bind, listen, connect, accept4, getsockname, getpeername ----

/** sizeof(struct sockaddr_storage): the most move_addr_to_kernel takes. */
const SOCKADDR_STORAGE: i32 = 128;
/** The kernel's copy of an address (sockaddr_storage, and a byte for unix_mkname_bsd's NUL). */
const addrBuf: usize = memory.data(SOCKADDR_STORAGE + 8, 8);

/** socket(family, type, protocol) (__sys_socket): the type's flags, the socket (TCP and UDP
 * are not modelled: EAFNOSUPPORT, docs/differences.md `socket-families`), then its fd. */
export function sysSocket(p: Proc, family: i32, type: i32, protocol: i32): i32 {
  const flags = type & ~SOCK_TYPE_MASK;
  if ((flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) != 0) return -EINVAL;
  const t = sockCreateType(family, type & SOCK_TYPE_MASK, protocol);
  if (t == -EOPNOTSUPP) return -EAFNOSUPPORT;
  if (t < 0) return t;
  const fd = fdAllocLowest(p, 0);
  if (fd < 0) return fd;
  const f = sockFile(t, flags);
  if (f < 0) return f;
  return fdInstallAt(p, fd, f, (flags & SOCK_CLOEXEC) != 0) ? fd : -EFAULT;
}

/** move_addr_to_kernel: `len` bytes at va into addrBuf; 0 or -EINVAL, -EFAULT. */
function addrIn(p: Proc, va: u32, len: i32): i32 {
  if (len < 0 || len > SOCKADDR_STORAGE) return -EINVAL;
  if (len == 0) return 0;
  return copyFromUser(p, addrBuf, va, <u32>len) < <u32>len ? -EFAULT : 0;
}

/** move_addr_to_user: at most the caller's *lenVa bytes of the `klen` at addrBuf, then klen
 * written back. */
function addrOut(p: Proc, klen: i32, va: u32, lenVa: u32): i32 {
  if (copyFromUser(p, optBuf, lenVa, 4) < 4) return -EFAULT;
  let len = load<i32>(optBuf);
  if (len > klen) len = klen;
  if (len < 0) return -EINVAL;
  if (len > 0 && copyToUser(p, va, addrBuf, <u32>len) < <u32>len) return -EFAULT;
  return putUser32(p, lenVa, klen) < 0 ? -EFAULT : 0;
}

/** bind(fd, addr, addrlen) (__sys_bind: the socket, then the address). */
export function sysBind(p: Proc, fd: i32, va: u32, len: i32): i32 {
  const fi = sockOf(p, fd);
  if (fi < 0) return fi;
  const r = addrIn(p, va, len);
  if (r < 0) return r;
  return unixBind(p, file(fi).pipe, addrBuf, len);
}

/** listen(fd, backlog). */
export function sysListen(p: Proc, fd: i32, backlog: i32): i32 {
  const fi = sockOf(p, fd);
  if (fi < 0) return fi;
  return unixListen(p, file(fi).pipe, backlog);
}

/** connect(fd, addr, addrlen) (__sys_connect: the descriptor, the address, then the socket).
 * A retry after a sleep starts again, as unix_stream_connect's `goto restart`. */
export function sysConnect(p: Proc, fd: i32, va: u32, len: i32): i32 {
  const fi = fdGet(p, fd);
  if (fi < 0) return -EBADF;
  const r = addrIn(p, va, len);
  if (r < 0) return r;
  if (file(fi).kind != FILE_SOCKET) return -ENOTSOCK;
  return unixConnect(p, file(fi).pipe, addrBuf, len, nonblocking(p, fi));
}

/** accept4(fd, addr, addrlen, flags) (__sys_accept4, do_accept): the flags, the socket, a
 * free fd, then unix_accept; the new description takes SOCK_NONBLOCK, the fd SOCK_CLOEXEC;
 * the peer's name is copied out when `va` is not NULL. */
export function sysAccept4(p: Proc, fd: i32, va: u32, lenVa: u32, flags: i32): i32 {
  if ((flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) != 0) return -EINVAL;
  const fi = sockOf(p, fd);
  if (fi < 0) return fi;
  const nfd = fdAllocLowest(p, 0);
  if (nfd < 0) return nfd;
  const e = unixAccept(p, file(fi).pipe, nonblocking(p, fi));
  if (e < 0) return e;
  const f = fileAlloc(FILE_SOCKET, O_RDWR | (flags & O_NONBLOCK), FMODE_READ | FMODE_WRITE);
  if (f < 0) {
    sockRelease(e);
    return f;
  }
  file(f).pipe = e;
  if (va != 0) {
    const r = addrOut(p, unixGetname(sock(e).peer, addrBuf), va, lenVa);
    if (r < 0) {
      filePut(f);
      return r;
    }
  }
  return fdInstallAt(p, nfd, f, (flags & SOCK_CLOEXEC) != 0) ? nfd : -EFAULT;
}

/** getsockname(fd, addr, addrlen). */
export function sysGetsockname(p: Proc, fd: i32, va: u32, lenVa: u32): i32 {
  const fi = sockOf(p, fd);
  if (fi < 0) return fi;
  return addrOut(p, unixGetname(file(fi).pipe, addrBuf), va, lenVa);
}

/** getpeername(fd, addr, addrlen): ENOTCONN without a peer (unix_getname's unix_peer_get). */
export function sysGetpeername(p: Proc, fd: i32, va: u32, lenVa: u32): i32 {
  const fi = sockOf(p, fd);
  if (fi < 0) return fi;
  const peer = sock(file(fi).pipe).peer;
  if (peer < 0) return -ENOTCONN;
  return addrOut(p, unixGetname(peer, addrBuf), va, lenVa);
}
