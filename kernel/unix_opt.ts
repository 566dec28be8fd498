// An AF_UNIX socket's SOL_SOCKET options (net/core/sock.c sk_setsockopt, sk_getsockopt):
// the int options the model knows.

import {
  ENOPROTOOPT, SO_ERROR, SO_RCVBUF, SO_SNDBUF, SO_TYPE,
} from "./abi";
import { SK_RMEM_MAX, SK_WMEM_MAX, SOCK_MIN_RCVBUF, SOCK_MIN_SNDBUF } from "./param";
import { POLL_ROOM, sock, sockError, sockWq, writable } from "./unix";
import { wakeOneKeyed } from "./wait";

/** sockGetopt's answer for an option it does not know (ENOPROTOOPT); no int option's value. */
export const NO_OPTION: i64 = i64.MIN_VALUE;

/** sk_setsockopt's SOL_SOCKET options (an int each): SO_SNDBUF and SO_RCVBUF take at most
 * wmem_max/rmem_max (as unsigned), doubled, at least SOCK_MIN_*; a new send buffer may wake
 * its writers (sk_write_space). Others: ENOPROTOOPT. */
export function sockSetopt(i: i32, optname: i32, val: i32): i32 {
  const s = sock(i);
  if (optname == SO_SNDBUF) {
    const v = <u32>val < <u32>SK_WMEM_MAX ? val : SK_WMEM_MAX;
    s.sndbuf = max(v * 2, SOCK_MIN_SNDBUF);
    if (writable(s, 1)) wakeOneKeyed(sockWq(s), POLL_ROOM); // sk_write_space
    return 0;
  }
  if (optname == SO_RCVBUF) {
    const v = <u32>val < <u32>SK_RMEM_MAX ? val : SK_RMEM_MAX;
    s.rcvbuf = max(v * 2, SOCK_MIN_RCVBUF);
    return 0;
  }
  return -ENOPROTOOPT;
}

/** sk_getsockopt's int options: SO_TYPE, SO_ERROR (taken, as sock_error takes it), SO_SNDBUF,
 * SO_RCVBUF; NO_OPTION for any other. */
export function sockGetopt(i: i32, optname: i32): i64 {
  const s = sock(i);
  if (optname == SO_TYPE) return s.type;
  if (optname == SO_ERROR) return -sockError(s);
  if (optname == SO_SNDBUF) return s.sndbuf;
  if (optname == SO_RCVBUF) return s.rcvbuf;
  return NO_OPTION;
}
