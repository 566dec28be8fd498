// The trace generator's entries for sockets (spliced into CALL_TABLE, call-table.ts):
// socketpair, sendto, recvfrom, setsockopt, getsockopt, shutdown (read, write, close, dup and
// fcntl reach sockets through call-table.ts's entries, which pick them among the caller's
// descriptors).
//
// Pairs are mostly AF_UNIX of the three types, a quarter non-blocking; now and then a bad
// domain, type, flag or protocol (EAFNOSUPPORT, EOPNOTSUPP, ESOCKTNOSUPPORT, EPROTONOSUPPORT,
// EINVAL). Sends are sized at the points unix_stream_sendmsg and the allocator cut at (a page's
// head 3776, one buffer's 36544, half the send buffer 106432, a datagram's limit 212960), so
// that send buffers fill, writers block and readers wake them; receives read a little, a page,
// or everything, with MSG_PEEK, MSG_TRUNC, MSG_WAITALL. No MSG_OOB (docs/differences.md
// `unix-oob`).
//
// Named sockets: socket, bind, listen, connect, accept4, getsockname, getpeername. Names come
// from a few paths and abstract names, so binds collide (EADDRINUSE), connects find listeners,
// non-listeners (ECONNREFUSED), other types (EPROTOTYPE) or nothing (ENOENT); small backlogs
// fill so that connects wait and accepts wake them. No autobind (its name is random on Linux:
// docs/differences.md `unix-autobind-name`).

import fc from "fast-check";
import { flagsArb, kind, pick, type BuildContext, type CallKind } from "./call-kind.js";
import { pattern } from "./call-table.js";

const SEND_SIZES = [
  1, 10, 100, 1000, 3776, 3777, 4096, 8192, 36544, 36545, 65536, 106432, 212960, 212961, 0,
];
const RECV_SIZES = [1, 10, 100, 4096, 36544, 65536, 262144, 0];

const typeArb = fc.oneof(
  { weight: 30, arbitrary: pick(["SOCK_STREAM", "SOCK_DGRAM", "SOCK_SEQPACKET"]) },
  { weight: 1, arbitrary: pick(["SOCK_RAW", "SOCK_RDM", "SOCK_PACKET", 12]) },
);
const domainArb = fc.oneof(
  { weight: 30, arbitrary: fc.constant("AF_UNIX") },
  { weight: 1, arbitrary: pick(["AF_INET", "AF_UNSPEC", 46, -1]) },
);

/** The caller's n-th socket; now and then any descriptor or a closed number. */
function sockFd(ctx: BuildContext, n: number): number | null {
  const all = ctx.shadow.fdsOf(ctx.pid);
  const mine = all.filter(([, d]) => d.kind === "socket");
  if (n % 32 === 31) return all.length > 0 ? all[n % all.length][0] : 7;
  if (n % 32 === 30) return 1023;
  if (mine.length === 0) return null;
  return mine[n % mine.length][0];
}

const addrArb = fc.oneof(
  { weight: 6, arbitrary: pick(["s0", "s1", "s2"]).map((path) => ({ path })) },
  { weight: 3, arbitrary: pick(["a0", "a1"]).map((abstract) => ({ abstract })) },
  { weight: 1, arbitrary: fc.constant({ path: "nodir/s0" }) },
  { weight: 1, arbitrary: fc.constant({ unspec: true as const }) },
);

/** A socket of the caller's (n) and a name for bind and connect. */
function named(call: "bind" | "connect") {
  return kind(call, fc.tuple(fc.nat({ max: 63 }), addrArb), ([n, addr], ctx) => {
    const fd = sockFd(ctx, n);
    if (fd === null) return null;
    return { call, fd, addr };
  });
}

/** getsockname, getpeername of one of the caller's sockets. */
function nameOf(call: "getsockname" | "getpeername") {
  return kind(call, fc.nat({ max: 63 }), (n, ctx) => {
    const fd = sockFd(ctx, n);
    return fd === null ? null : { call, fd };
  });
}

export const NET_TABLE: readonly CallKind[] = [
  kind(
    "socket",
    fc.tuple(domainArb, typeArb, flagsArb([["SOCK_NONBLOCK", 25], ["SOCK_CLOEXEC", 10]]),
      pick([0, 0, 0, 0, 0, 0, 1, 7])),
    // AF_INET's TCP and UDP are not modelled (docs/differences.md `socket-families`).
    ([domain, type, flags, protocol]) => {
      if (domain === "AF_INET") return null;
      return {
        call: "socket", domain, protocol,
        type: typeof type === "number" ? type : [type, ...flags],
      };
    },
  ),
  named("bind"),
  kind(
    "listen",
    fc.tuple(fc.nat({ max: 63 }), pick([0, 1, 1, 2, 5, -1])),
    ([n, backlog], ctx) => {
      const fd = sockFd(ctx, n);
      return fd === null ? null : { call: "listen", fd, backlog };
    },
  ),
  named("connect"),
  kind(
    "accept4",
    fc.tuple(fc.nat({ max: 63 }), flagsArb([["SOCK_NONBLOCK", 40], ["SOCK_CLOEXEC", 10]])),
    ([n, flags], ctx) => {
      const fd = sockFd(ctx, n);
      return fd === null ? null : { call: "accept4", fd, flags };
    },
  ),
  nameOf("getsockname"),
  nameOf("getpeername"),
  kind(
    "socketpair",
    fc.tuple(domainArb, typeArb,
      flagsArb([["SOCK_NONBLOCK", 25], ["SOCK_CLOEXEC", 10]]), pick([0, 0, 0, 0, 0, 0, 1, 7]),
      fc.nat({ max: 49 })),
    // A bad flag (0x100: EINVAL) or a bad type is a number: a trace's names cannot say it.
    // Another family than AF_UNIX only with a type inet_create knows the answer for (raw and
    // packet sockets are not modelled: docs/differences.md `socket-families`).
    ([domain, type, flags, protocol, odd]) => {
      const inet = domain === "AF_INET";
      const known = ["SOCK_STREAM", "SOCK_DGRAM", "SOCK_SEQPACKET", "SOCK_RDM"];
      if (inet && !known.includes(`${type}`)) return null;
      return {
        call: "socketpair", domain, protocol: inet ? 0 : protocol,
        type: odd === 0 ? 0x101 : typeof type === "number" ? type : [type, ...flags],
      };
    },
  ),
  kind(
    "sendto",
    fc.tuple(fc.nat({ max: 63 }), pick(SEND_SIZES),
      flagsArb([["MSG_DONTWAIT", 40], ["MSG_NOSIGNAL", 30]])),
    ([n, size, flags], ctx) => {
      const fd = sockFd(ctx, n);
      if (fd === null) return null;
      return { call: "sendto", fd, data: pattern(ctx.index, size), flags };
    },
  ),
  kind(
    "recvfrom",
    fc.tuple(fc.nat({ max: 63 }), pick(RECV_SIZES),
      flagsArb([["MSG_DONTWAIT", 40], ["MSG_PEEK", 15], ["MSG_TRUNC", 15], ["MSG_WAITALL", 10]])),
    ([n, count, flags], ctx) => {
      const fd = sockFd(ctx, n);
      if (fd === null) return null;
      return { call: "recvfrom", fd, count, flags };
    },
  ),
  // SO_SNDBUF mostly, at values that move the cut size and the fill points (below the
  // minimum, a few buffers, the default, past wmem_max); reads of every modelled option.
  kind(
    "setsockopt",
    fc.tuple(fc.nat({ max: 63 }), pick(["SO_SNDBUF", "SO_SNDBUF", "SO_SNDBUF", "SO_RCVBUF",
      "SO_TYPE", 999]), pick([0, 2304, 5000, 20000, 106496, 1 << 22, -1, 3]), fc.nat({ max: 19 })),
    ([n, optname, value, odd], ctx) => {
      const fd = sockFd(ctx, n);
      if (fd === null) return null;
      const level = odd === 0 ? "IPPROTO_TCP" : "SOL_SOCKET";
      return { call: "setsockopt", fd, level, optname, value, optlen: odd === 1 ? 2 : 4 };
    },
  ),
  kind(
    "getsockopt",
    fc.tuple(fc.nat({ max: 63 }),
      pick(["SO_SNDBUF", "SO_RCVBUF", "SO_TYPE", "SO_ERROR", "SO_PEERCRED", 999]),
      pick([4, 4, 4, 8, 2, 0, -1])),
    ([n, optname, optlen], ctx) => {
      const fd = sockFd(ctx, n);
      if (fd === null) return null;
      return { call: "getsockopt", fd, level: "SOL_SOCKET", optname, optlen };
    },
  ),
  kind(
    "shutdown",
    fc.tuple(fc.nat({ max: 63 }), pick(["SHUT_WR", "SHUT_RD", "SHUT_RDWR", 3])),
    ([n, how], ctx) => {
      const fd = sockFd(ctx, n);
      if (fd === null) return null;
      return { call: "shutdown", fd, how };
    },
  ),
];
