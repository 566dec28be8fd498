/* agent.h: definitions shared by the parts of the ipcsim host agent.
 *
 * The agent is one translation unit: agent.c includes the other .c files of this folder in
 * dependency order, so the project's build compiles it with a single `cc` command. Each part is
 * one mechanism:
 *
 *   wire.c     control messages between the agent and a traced process; JSON and hex output
 *   traced.c   the traced-process side: the command loop, fork, the signal recorder
 *   calls.c    the calls a traced process executes (real syscalls), one short function each
 *   calls.gen.h  the call table, generated from wasm/calls.ts (included at the end of this file)
 *   idmap.c    pid and SysV id numbering (identity with namespaces; by creation order without)
 *   maps.c     the memory a trace mapped: store/load touch nothing else
 *   seccomp.c  no_new_privs and the seccomp filter of every traced process
 *   procs.c    the agent's process table: replies, exits, reaping, events of a step
 *   frames.c   the agent's books of "calls" signal handlers a process is in
 *   quiesce.c  deciding that a step is over, from /proc
 *   agent.c    main: namespaces, sysctl parameters, the driver protocol
 */
#ifndef IPCSIM_AGENT_H
#define IPCSIM_AGENT_H

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/futex.h>
#include <mqueue.h>
#include <sys/epoll.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/mount.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- Limits (every table is fixed; a trace that exceeds one gets a host fault) ---- */

#define PROCS_MAX 32768            /* model pids 0..PROCS_MAX-1: kernel/param.ts NPROC, pid_max */
#define DATA_BYTES_MAX (16 << 20)  /* largest byte string in one command or reply (as trace v1) */
#define CMD_ARGS_MAX 10            /* fixed integer arguments of a call */
#define REPLY_OUTS_MAX 16          /* integer outputs of a call (IPC_STAT fields) */
#define TRACED_NOFILE 1024         /* RLIMIT_NOFILE of traced processes: kernel/param.ts NOFILE */
#define TRACED_SIGPENDING 96365    /* their RLIMIT_SIGPENDING: kernel/param.ts SIGQUEUE_MAX */
#define TRACED_UID_BASE 0x60000000u /* their real uid is this + the agent's host pid (traced.c) */
#define AGENT_NOFILE (1 << 20)     /* the agent's fd limit: a socket and /proc files a process */
#define FDS_RESERVED_BASE (TRACED_NOFILE + 16) /* control sockets: above what a trace can open */
#define FDS_RESERVED_COUNT 16
#define IPC_OBJECTS_MAX 4096       /* SysV objects a trace creates (no-namespace mode) */
#define FRAMES_MAX 160 /* "calls" handlers open at once in a process (the model's SIG_FRAMES_MAX;
                        * its engine is stricter: docs/differences.md handler-calls) */

/* Calls are numbered as in wasm/calls.ts: Linux x86_64 syscall numbers, so `SYS_read` etc.
 * name them here (calls.gen.h checks each row's number against its host syscall). Pseudo-calls
 * (no syscall of their own) start at 1000. */
#define CALL_STORE 1000
#define CALL_LOAD 1001
#define CALL_ADVANCE 1002 /* time passes: no process makes it (the agent paces it) */
#define CALL_CAS 1003       /* atomics on a 32-bit word (calls.c), recorded as instructions */
#define CALL_XCHG 1004
#define CALL_FETCH_ADD 1005
#define CALL_SIGNAL 1006 /* glibc's signal(): sigaction with SA_RESTART (calls_sig.c) */
#define CALL_RAISE 1007  /* glibc's raise(): tgkill(getpid(), gettid(), sig) (calls_sig.c) */
#define CALL_SPIN 1999 /* test only (--test-calls): busy-loop, to exercise the watchdog */
#define CALL_RAW_SYSCALL 1998 /* test only (--test-calls): syscall(nr, ...), to test seccomp */

/* sigaction handler values (wasm/abi.ts HANDLERS). */
#define HANDLER_DFL 0
#define HANDLER_IGN 1
#define HANDLER_CATCH 2
#define HANDLER_CALLS 3

/* An integer argument the trace left out ("-" on the command line). */
#define ARG_ABSENT INT64_MIN

/* ---- Control messages (one SOCK_SEQPACKET message each; see wire.c) ---- */

enum { TAG_CMD = 1, TAG_REPLY = 2, TAG_SIGNAL = 3 };

/* Virtual time (time.c): the trace's timeline on the host's clocks. Virtual instant v is real
 * time I(v) = off[CLOCK_MONOTONIC] + v; a reading r of clock c is virtual time r - off[c]
 * (CLOCK_REALTIME's virtual start is the trace's `realtime` header). CPU-time clocks have no
 * offset (they are not paced). Every command carries it: the traced process shortens relative
 * durations by its lateness and maps absolute times onto the host's clocks. */
#define TIME_CLOCKS 12                    /* clock ids 0..11 (CLOCK_TAI is 11) */
#define TIME_QUANTUM_NS 100000000LL      /* wasm/abi.ts TIME.QUANTUM_NS */
#define TIME_GUARD_NS (TIME_QUANTUM_NS / 2) /* an instant's steps start at I(v) + guard */
#define TIME_MARGIN_NS (TIME_QUANTUM_NS / 20) /* ... and must end before I(v) + Q - margin */
#define NSEC_PER_SEC 1000000000LL
struct timeline {
  int64_t anchored; /* 0 until the first step that needs time (then the fields below hold) */
  int64_t off[TIME_CLOCKS];
};

/* agent -> traced process: run one call. `data_len` bytes of data follow the header. */
#define CMD_ADDR_LITERAL 1 /* flags: store/load's address is an integer of the trace, not a ref */
struct cmd_msg {
  int32_t tag, step, call, flags;
  int64_t args[CMD_ARGS_MAX];
  struct timeline tl;
  uint32_t data_len, pad2;
};

/* traced process -> agent: the call's result. `data_len` bytes follow. A fork reply carries the
 * agent's end of the child's control socket as SCM_RIGHTS. `bridge_errno` != 0 means the
 * bridge itself failed (not the call): the agent turns it into a host fault. */
struct reply_msg {
  int32_t tag, step;
  int64_t ret;
  int32_t err, bridge_errno;
  int64_t out[REPLY_OUTS_MAX];
  uint32_t data_len, nout;
};

/* traced process -> agent, from a "catch" or "calls" handler: signal `sig` was delivered, with
 * its siginfo: si_code, si_value (SI_QUEUE: sigqueue's value; SI_TIMER: a POSIX timer's
 * sigev_value; SI_MESGQ), si_pid (real; 0 for SI_TIMER and POLL_ codes, whose union holds
 * other fields there), si_status (a SIGCHLD's CLD_ codes) and si_uid (real), each 0 where the
 * code has none (calls_sig.c signal_msg_of). `frame` says what the handler does next:
 * FRAME_NONE, it returns (catch); FRAME_ENTERED, it runs a nested command loop until sigreturn
 * (calls); FRAME_TOO_DEEP, a calls handler found FRAMES_MAX frames already open, or no memory
 * for the buffers of one, and returns at once (a host fault). */
enum { FRAME_NONE = 0, FRAME_ENTERED = 1, FRAME_TOO_DEEP = 2 };
/* A handler ran (catch) or began (calls: frame). A SIGCHLD's si_pid and si_status also tell
 * the agent how a child its parent reaped died. */
struct signal_msg {
  int32_t tag, sig, code, value, frame, pid, status, uid;
};

/* ---- The call table (calls.gen.h, generated from wasm/calls.ts by scripts/build.mjs) ---- */

/* What the integers after the fixed ones are, and what the hex field is. */
enum vars_kind { VARS_NONE, VARS_SOPS, VARS_U16 };
/* DATA_PATHS: two paths, "old\0new" (rename, link, symlink). */
enum data_kind { DATA_NONE, DATA_BYTES, DATA_PATH, DATA_PATHS };

/* What a fixed integer is to the agent: a pid or SysV id is mapped from the model's numbering
 * to the host's (agent.c map_args); an fd is checked against the agent's own (calls.c). */
enum arg_role { ARG_INT, ARG_FD, ARG_PID, ARG_MSQID, ARG_SEMID, ARG_SHMID };

/* A host limit on a fixed integer (agent.c check_host_limits). */
enum arg_limit {
  LIMIT_NONE,
  LIMIT_DATA_MAX,    /* at most what one reply carries */
  LIMIT_NOT_HOST_PID /* not -1 or 1 without a PID namespace: a signal would reach the host */
};

#define CALL_SLEEPS_MAX 2 /* host syscalls one call may sleep in */

/* A call's handler in calls.c: runs it in the traced process, fills the reply and `o`. */
struct call_out;
typedef void call_handler(const struct cmd_msg *c, const uint8_t *data, struct reply_msg *r,
                          struct call_out *o);
#define CALL_HANDLER(name)                                                                   \
  static void c_##name(__attribute__((unused)) const struct cmd_msg *c,                      \
                       __attribute__((unused)) const uint8_t *data,                          \
                       __attribute__((unused)) struct reply_msg *r,                          \
                       __attribute__((unused)) struct call_out *o)

struct call_desc {
  int call; /* wasm/calls.ts nr */
  const char *name;
  call_handler *run;
  int fixed;                         /* leading integer arguments */
  uint8_t role[CMD_ARGS_MAX];        /* enum arg_role of each */
  uint8_t limit[CMD_ARGS_MAX];       /* enum arg_limit of each */
  enum vars_kind vars;               /* what further integers are */
  enum data_kind data;               /* what the hex field is */
  int sleeps[CALL_SLEEPS_MAX];       /* syscalls it may block in (/proc/PID/syscall), -1 none */
  bool signals_others;               /* it may signal any process: quiescence watches them all */
  bool ret_pid;                      /* a successful ret is a pid (mapped to model numbering) */
};

#include "calls.gen.h"

#endif
