// fcntl commands beyond the descriptor, status-flag and pipe-size ones file.ts honours: leases,
// directory notification, F_DUPFD_QUERY, F_CREATED_QUERY, record locks, write hints, seals and
// F_GETOWNER_UIDS, on the model's files (the null device, pipes, FIFOs, O_PATH descriptors),
// none of which is a regular file, a directory or a memfd. docs/audit/fcntl.md lists every
// command do_fcntl knows, in its order, and what the model does with each.
//
// Linux: fs/fcntl.c (do_fcntl, check_fcntl_cmd, f_dupfd_query, f_getowner_uids,
// fcntl_rw_hint), fs/locks.c (fcntl_getlease, fcntl_setlease, fcntl_getlk, fcntl_setlk),
// fs/notify/dnotify/dnotify.c (fcntl_dirnotify), mm/memfd.c (memfd_fcntl, memfd_add_seals).
//
// Record locks are fcntl_lock.ts's. Differences from Linux (docs/differences.md
// fcntl-rw-hint): a valid F_SET_RW_HINT gives ENOSYS (write hints are not kept), so
// F_GET_RW_HINT always reports RWH_WRITE_LIFE_NOT_SET (0).

import {
  EBADF, EFAULT, EINVAL, ENOSYS, ENOTDIR, EPERM, F_ADD_SEALS, F_CREATED_QUERY, F_DUPFD,
  F_DUPFD_CLOEXEC, F_DUPFD_QUERY, F_GET_RW_HINT, F_GETFD, F_GETFL, F_GETLEASE, F_GETLK,
  F_GETOWNER_UIDS, F_NOTIFY, F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW, F_SET_RW_HINT, F_SETFD,
  F_SETLEASE, F_SETLK, F_SETLKW,
} from "./abi";
import { FMODE_WRITE, fdGet, file } from "./file";
import { fcntlLock } from "./fcntl_lock";
import { Proc } from "./proc";
import { copyFromUser, copyToUser } from "./vm";

/** include/uapi/asm-generic/fcntl.h: F_UNLCK, what F_GETLEASE reports without a lease. */
const F_UNLCK: i32 = 2;
/** include/uapi/linux/fcntl.h: DN_MULTISHOT, the one F_NOTIFY bit that is not an event. */
const DN_MULTISHOT: i32 = <i32>0x80000000;
/** include/uapi/linux/fcntl.h: RWH_WRITE_LIFE_EXTREME, the largest valid write hint. */
const RWH_WRITE_LIFE_EXTREME: u64 = 5;
/** Bytes a command reads or writes through its pointer argument (a u64). */
const scratch: usize = memory.data(8, 16);

/** check_fcntl_cmd: the commands an O_PATH descriptor allows (others give EBADF). */
export function fcntlPathAllowed(cmd: i32): bool {
  return cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC || cmd == F_GETFD || cmd == F_SETFD ||
    cmd == F_GETFL || cmd == F_DUPFD_QUERY || cmd == F_CREATED_QUERY;
}

/** do_fcntl's other cases, on description fi; an unknown command gives EINVAL (its default). */
export function fcntlOther(p: Proc, fi: i32, cmd: i32, arg: i32): i32 {
  if (cmd == F_GETLK || cmd == F_SETLK || cmd == F_SETLKW || cmd == F_OFD_GETLK ||
    cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW) {
    return fcntlLock(p, fi, cmd, arg); // fcntl_lock.ts
  }
  if (cmd == F_GETOWNER_UIDS) {
    // f_getowner_uids: the owner's uid and euid, put_user each; every process is root.
    store<u64>(scratch, 0);
    return copyToUser(p, <u32>arg, scratch, 8) == 8 ? 0 : -EFAULT;
  }
  // fcntl_getlease: no lease is ever held; fcntl_setlease -> generic_setlease refuses a
  // file that is not regular before it looks at the lease type.
  if (cmd == F_GETLEASE) return F_UNLCK;
  if (cmd == F_SETLEASE) return -EINVAL;
  // fcntl_dirnotify: no event bits only flushes; an event needs a directory.
  if (cmd == F_NOTIFY) return (arg & ~DN_MULTISHOT) == 0 ? 0 : -ENOTDIR;
  if (cmd == F_DUPFD_QUERY) return dupfdQuery(p, fi, arg);
  // FMODE_CREATED: only an open that created a regular file sets it.
  if (cmd == F_CREATED_QUERY) return 0;
  if (cmd == F_GET_RW_HINT || cmd == F_SET_RW_HINT) return rwHint(p, cmd, arg);
  // memfd_fcntl: F_ADD_SEALS needs a writable file, then a memfd; F_GET_SEALS a memfd.
  if (cmd == F_ADD_SEALS && (file(fi).fmode & FMODE_WRITE) == 0) return -EPERM;
  return -EINVAL;
}

/** f_dupfd_query: 1 when fd `other` names the same description, 0 when another; a closed
 * fd is EBADF. */
function dupfdQuery(p: Proc, fi: i32, other: i32): i32 {
  const oi = fdGet(p, other);
  if (oi < 0) return -EBADF;
  return oi == fi ? 1 : 0;
}

/** fcntl_rw_hint: a u64 through the pointer; the hint is never kept (see the header). */
function rwHint(p: Proc, cmd: i32, arg: i32): i32 {
  if (cmd == F_GET_RW_HINT) {
    store<u64>(scratch, 0);
    return copyToUser(p, <u32>arg, scratch, 8) == 8 ? 0 : -EFAULT;
  }
  if (copyFromUser(p, scratch, <u32>arg, 8) != 8) return -EFAULT;
  return load<u64>(scratch) > RWH_WRITE_LIFE_EXTREME ? -EINVAL : -ENOSYS;
}
