/* agent.h: definitions shared by the parts of the ipcsim host agent.
 *
 * The agent is one translation unit: agent.c includes the other .c files of this folder in
 * dependency order, so the project's build compiles it with a single `cc` command. Each part is
 * one mechanism:
 *
 *   wire.c     control messages between the agent and a traced process; JSON and hex output
 *   traced.c   the traced-process side: the command loop, fork, the signal recorder
 *   calls.c    the calls a traced process executes (real syscalls), one short function each
 *   idmap.c    pid and SysV id numbering (identity with namespaces; by creation order without)
 *   procs.c    the agent's process table: replies, exits, reaping, events of a step
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
#include <sys/ipc.h>
#include <sys/mman.h>
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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- Limits (every table is fixed; a trace that exceeds one gets a host fault) ---- */

#define PROCS_MAX 1024             /* model pids 0..PROCS_MAX-1 */
#define DATA_BYTES_MAX (16 << 20)  /* largest byte string in one command or reply (as trace v1) */
#define CMD_ARGS_MAX 8             /* fixed integer arguments of a call */
#define REPLY_OUTS_MAX 16          /* integer outputs of a call (IPC_STAT fields) */
#define TRACED_NOFILE 1024         /* RLIMIT_NOFILE of traced processes: kernel/param.ts NOFILE */
#define FDS_RESERVED_BASE (TRACED_NOFILE + 16) /* control sockets: above what a trace can open */
#define FDS_RESERVED_COUNT 16
#define IPC_OBJECTS_MAX 4096       /* SysV objects a trace creates (no-namespace mode) */

/* Calls are numbered as in wasm/abi.ts CALLS: Linux x86_64 syscall numbers, so `SYS_read` etc.
 * name them here. Pseudo-calls (no syscall of their own) start at 1000. */
#define CALL_STORE 1000
#define CALL_LOAD 1001
#define CALL_SPIN 1999 /* test only (--test-calls): busy-loop, to exercise the watchdog */

/* sigaction handler values (wasm/abi.ts HANDLERS). */
#define HANDLER_DFL 0
#define HANDLER_IGN 1
#define HANDLER_CATCH 2

/* An integer argument the trace left out ("-" on the command line). */
#define ARG_ABSENT INT64_MIN

/* ---- Control messages (one SOCK_SEQPACKET message each; see wire.c) ---- */

enum { TAG_CMD = 1, TAG_REPLY = 2, TAG_SIGNAL = 3 };

/* agent -> traced process: run one call. `data_len` bytes of data follow the header. */
struct cmd_msg {
  int32_t tag, step, call, pad;
  int64_t args[CMD_ARGS_MAX];
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

/* traced process -> agent, from a "catch" handler: signal `sig` was delivered. */
struct signal_msg {
  int32_t tag, sig;
};

#endif
