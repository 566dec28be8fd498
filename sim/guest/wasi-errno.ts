// wasi-libc's errno numbering (WASI preview 1's `errno` enum, wasi_snapshot_preview1.witx):
// a C guest's errno, strerror and perror speak it, so the host turns the kernel's Linux errno
// names into these numbers before the guest sees them.

const NAMES = [
  "SUCCESS", "E2BIG", "EACCES", "EADDRINUSE", "EADDRNOTAVAIL", "EAFNOSUPPORT", "EAGAIN",
  "EALREADY", "EBADF", "EBADMSG", "EBUSY", "ECANCELED", "ECHILD", "ECONNABORTED",
  "ECONNREFUSED", "ECONNRESET", "EDEADLK", "EDESTADDRREQ", "EDOM", "EDQUOT", "EEXIST", "EFAULT",
  "EFBIG", "EHOSTUNREACH", "EIDRM", "EILSEQ", "EINPROGRESS", "EINTR", "EINVAL", "EIO", "EISCONN",
  "EISDIR", "ELOOP", "EMFILE", "EMLINK", "EMSGSIZE", "EMULTIHOP", "ENAMETOOLONG", "ENETDOWN",
  "ENETRESET", "ENETUNREACH", "ENFILE", "ENOBUFS", "ENODEV", "ENOENT", "ENOEXEC", "ENOLCK",
  "ENOLINK", "ENOMEM", "ENOMSG", "ENOPROTOOPT", "ENOSPC", "ENOSYS", "ENOTCONN", "ENOTDIR",
  "ENOTEMPTY", "ENOTRECOVERABLE", "ENOTSOCK", "ENOTSUP", "ENOTTY", "ENXIO", "EOVERFLOW",
  "EOWNERDEAD", "EPERM", "EPIPE", "EPROTO", "EPROTONOSUPPORT", "EPROTOTYPE", "ERANGE", "EROFS",
  "ESPIPE", "ESRCH", "ESTALE", "ETIMEDOUT", "ETXTBSY", "EXDEV", "ENOTCAPABLE",
];
const BY_NAME = new Map(NAMES.map((n, i) => [n, i]));
/** Linux names WASI spells otherwise (EWOULDBLOCK is EAGAIN, EOPNOTSUPP is ENOTSUP, ...). */
const ALIAS: Record<string, string> = {
  EWOULDBLOCK: "EAGAIN", EOPNOTSUPP: "ENOTSUP", EDEADLOCK: "EDEADLK",
};

/** The WASI errno of a Linux errno name; EIO for one WASI has no number for (ERESTART*,
 * EIDRM's cousins such as ENOSTR), which the guest then reports as an I/O error. */
export function wasiErrno(name: string): number {
  return BY_NAME.get(ALIAS[name] ?? name) ?? BY_NAME.get("EIO")!;
}

export const WASI_EBADF = wasiErrno("EBADF");
export const WASI_ESPIPE = wasiErrno("ESPIPE");
export const WASI_ENOSYS = wasiErrno("ENOSYS");
