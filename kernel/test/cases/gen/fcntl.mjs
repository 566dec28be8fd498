// fcntl(2) commands beyond the ones the model honours (fcntl-*; docs/audit/fcntl.md): leases,
// directory notification, F_DUPFD_QUERY, seals, write hints, record locks with a null
// pointer, unknown commands. Linux: fs/fcntl.c (do_fcntl, f_dupfd_query, fcntl_rw_hint),
// fs/locks.c (fcntl_getlease, fcntl_setlease, fcntl_getlk, fcntl_setlk),
// fs/notify/dnotify/dnotify.c (fcntl_dirnotify), mm/memfd.c (memfd_fcntl). Recorded from Linux
// by record.mjs. F_SETOWN, F_GETOWN, F_SETSIG and their kin are signal-driven I/O (sig-*).

const S = (pid, call, args = {}) => ({ pid, call, ...args });

export const cases = [];
const add = (name, description, steps) => cases.push({ name, description, steps });

const fcntl = (fd, cmd, arg) => S(2, "fcntl", arg === undefined ? { fd, cmd } : { fd, cmd, arg });

add("fcntl-lease-notify",
  "F_GETLEASE on a pipe or /dev/null reports F_UNLCK (2); F_SETLEASE F_RDLCK, F_WRLCK or " +
  "F_UNLCK on a pipe gives EINVAL (not a regular file), a bad lease type EINVAL; F_NOTIFY " +
  "with no event bits (0 or DN_MULTISHOT alone) succeeds on any file, with an event on a " +
  "non-directory gives ENOTDIR (fs/locks.c fcntl_getlease, fcntl_setlease, generic_setlease; " +
  "fs/notify/dnotify/dnotify.c fcntl_dirnotify)",
  [
    S(2, "pipe"),
    fcntl(3, "F_GETLEASE"),
    fcntl(0, "F_GETLEASE"),
    fcntl(3, "F_SETLEASE", 0),
    fcntl(3, "F_SETLEASE", 1),
    fcntl(3, "F_SETLEASE", 2),
    fcntl(3, "F_SETLEASE", 7),
    fcntl(0, "F_SETLEASE", 2),
    fcntl(3, "F_NOTIFY", 0),
    fcntl(3, "F_NOTIFY", 0x80000000),
    fcntl(3, "F_NOTIFY", 1),
    fcntl(0, "F_NOTIFY", 0x3f),
  ]);

add("fcntl-dupfd-query",
  "F_DUPFD_QUERY (Linux 6.10) answers 1 when the argument fd names the same open file " +
  "description (a dup, a fork's copy), 0 for another description, EBADF for a closed fd; " +
  "F_CREATED_QUERY (6.12) answers 0 for a pipe (fs/fcntl.c f_dupfd_query, do_fcntl)",
  [
    S(2, "pipe"),
    S(2, "dup", { fd: 3 }),
    fcntl(3, "F_DUPFD_QUERY", 5),
    fcntl(5, "F_DUPFD_QUERY", 3),
    fcntl(3, "F_DUPFD_QUERY", 3),
    fcntl(3, "F_DUPFD_QUERY", 4),
    fcntl(3, "F_DUPFD_QUERY", 0),
    fcntl(3, "F_DUPFD_QUERY", 9),
    fcntl(3, "F_DUPFD_QUERY", -1),
    fcntl(3, "F_CREATED_QUERY"),
    S(2, "fork"),
    S(3, "fcntl", { fd: 4, cmd: "F_DUPFD_QUERY", arg: 4 }),
  ]);

add("fcntl-pointer-efault",
  "commands that read or write a struct through the argument give EFAULT for a null or " +
  "unmapped pointer, on a pipe and on /dev/null: F_GETLK, F_SETLK, F_SETLKW, F_OFD_GETLK, " +
  "F_OFD_SETLK, F_OFD_SETLKW (do_fcntl copy_from_user of the flock), F_GET_RW_HINT, " +
  "F_SET_RW_HINT (fcntl_rw_hint) (fs/fcntl.c do_fcntl, fcntl_rw_hint)",
  [
    S(2, "pipe"),
    fcntl(3, "F_GETLK", 0),
    fcntl(3, "F_SETLK", 0),
    fcntl(4, "F_SETLKW", 0),
    fcntl(3, "F_OFD_GETLK", 0),
    fcntl(3, "F_OFD_SETLK", 1),
    fcntl(3, "F_OFD_SETLKW", 0),
    fcntl(0, "F_GETLK", 0),
    fcntl(3, "F_GET_RW_HINT", 0),
    fcntl(3, "F_SET_RW_HINT", 0),
    fcntl(0, "F_SET_RW_HINT", 8),
  ]);

add("fcntl-unknown-cmds",
  "seals on a pipe: F_ADD_SEALS on the read end gives EPERM (not open for writing), else " +
  "EINVAL (not a memfd), F_GET_SEALS EINVAL; F_GETOWNER_UIDS (17) with a null pointer gives " +
  "EFAULT (f_getowner_uids); the removed F_GET_FILE_RW_HINT and " +
  "F_SET_FILE_RW_HINT, the kernel-internal F_CANCELLK, the commands between the groups and " +
  "past the last one give EINVAL (fs/fcntl.c do_fcntl default; mm/memfd.c memfd_fcntl, " +
  "memfd_add_seals)",
  [
    S(2, "pipe"),
    fcntl(3, "F_ADD_SEALS", 1),
    fcntl(4, "F_ADD_SEALS", 1),
    fcntl(4, "F_ADD_SEALS", 0x1000),
    fcntl(4, "F_GETOWNER_UIDS", 0),
    fcntl(3, "F_GET_SEALS"),
    fcntl(0, "F_GET_SEALS"),
    fcntl(3, "F_GET_FILE_RW_HINT", 0),
    fcntl(3, "F_SET_FILE_RW_HINT", 0),
    fcntl(3, "F_CANCELLK"),
    fcntl(3, 12),
    fcntl(3, 13),
    fcntl(3, 14),
    fcntl(3, 18),
    fcntl(3, 39),
    fcntl(3, 1039),
    fcntl(3, 1023),
    fcntl(3, -1),
  ]);
