// Every limit of the simulated kernel, with its Linux name and source. Tables are sized from
// these at compile time; the sysctl-like ones can be changed per trace (`params` in the header)
// through `paramSet()` before the first step.

/** Page size (the arch page size; PIPE_BUF in include/uapi/linux/limits.h equals it). */
export const PAGE_SIZE: i32 = 4096;
export const PAGE_SHIFT: i32 = 12;

/** Process table slots: pid_max's default, PID_MAX_DEFAULT (include/linux/threads.h), the
 * host's kernel.pid_max. A pid is its slot (pids are never reused in a trace, as in a fresh
 * PID namespace that has not wrapped: kernel/pid.c alloc_pid hands out 1 .. pid_max - 1), so a
 * trace can create at most NPROC - 2 processes; past that fork gives EAGAIN, as alloc_pid's
 * -ENOSPC does when every pid is taken. */
export const NPROC: i32 = 32768;
/** First pid of the trace (pid 1 is init). */
export const PID_FIRST: i32 = 2;
export const PID_INIT: i32 = 1;

/** RLIMIT_NOFILE of every traced process (the host bridge sets the same soft limit). */
export const NOFILE: i32 = 1024;
/** Descriptors kept inline in the process entry; the rest live in lazily allocated pages. */
export const NOFILE_INLINE: i32 = 32;
/** Open file descriptions, system-wide (fs.file-max is far larger on Linux; see README). */
export const NFILE: i32 = 65536;

/** Pipes, anonymous and FIFO, alive at once. */
export const NPIPE: i32 = 8192;
/** PIPE_DEF_BUFFERS (include/linux/pipe_fs_i.h): a new pipe has 16 slots. */
export const PIPE_DEF_BUFFERS: i32 = 16;
/** Slots of one ring, at most: one page of 16-byte slot records (a 1 MiB pipe). */
export const PIPE_MAX_SLOTS: i32 = 256;
/** fs.pipe-max-size default (fs/pipe.c: pipe_max_size). */
export const PIPE_MAX_SIZE_DEFAULT: i32 = 1048576;

/** AF_UNIX sockets alive at once (a released one lives on while its sent buffers are queued
 * or a peer names it), and socket buffers (struct sk_buff) queued at once, system-wide. */
export const NSOCK: i32 = 2048;
export const NSKB: i32 = 8192;
/** net.core.wmem_default and rmem_default (the host's): a new socket's sk_sndbuf and
 * sk_rcvbuf (net/core/sock.c sock_init_data). */
export const SK_WMEM_DEFAULT: i32 = 212992;
export const SK_RMEM_DEFAULT: i32 = 212992;
/** net.core.wmem_max and rmem_max (the host's): SO_SNDBUF and SO_RCVBUF take at most these
 * (then double them); SOCK_MIN_SNDBUF and SOCK_MIN_RCVBUF (include/net/sock.h) at least. */
export const SK_WMEM_MAX: i32 = 4194304;
export const SK_RMEM_MAX: i32 = 4194304;
export const SOCK_MIN_SNDBUF: i32 = 4608;
export const SOCK_MIN_RCVBUF: i32 = 2304;
/** net.unix.max_dgram_qlen's default (net/unix/af_unix.c unix_net_init). */
export const UNIX_MAX_DGRAM_QLEN: i32 = 10;

/** The tmpfs the paths live in: inodes at once (its nr_inodes, the root included), directory
 * entries, page-cache pages (its size= in pages: the host bridge mounts size=4m; a trace's
 * `tmpfs.size` and `tmpfs.nr_inodes` lower them, P_TMPFS_*), and path
 * limits (include/uapi/linux/limits.h). MAXSYMLINKS (include/linux/namei.h): links one path
 * walk may follow. */
export const NINODE: i32 = 1024;
export const NDENTRY: i32 = 1024;
export const TMPFS_BLOCKS: i32 = 1024;
/** Page-cache entries: every block, and a short symlink's uncharged page for every inode. */
export const NPCACHE: i32 = TMPFS_BLOCKS + NINODE;
export const MAXSYMLINKS: i32 = 40;
export const NAME_MAX: i32 = 255;
export const PATH_MAX: i32 = 4096;

/** File lock records (fs/locks.c's file_lock cache, which only memory limits): held locks and
 * sleepers' requests together (kernel/locks.ts). */
export const NLOCK: i32 = 4096;

/** MAX_RW_COUNT (include/linux/fs.h): INT_MAX rounded down to a page. */
export const MAX_RW_COUNT: u32 = 0x7ffff000;

/** Address-space layout of a simulated process (addresses are opaque to traces). The I/O area
 * is where the trace engine places call buffers, like a process's stack or heap. */
export const USER_IO_BASE: u32 = 0x00100000;
export const USER_IO_SIZE: u32 = 0x01000000;
/** Mappings (shmat, mmap) live in [MMAP_BASE, MMAP_TOP), placed top-down (the highest gap that
 * fits, as Linux's vm_unmapped_area does). MMAP_TOP keeps every address a positive i32, so a
 * call's address result never looks like -errno. */
export const MMAP_BASE: u32 = 0x02000000;
export const MMAP_TOP: u32 = 0x7fff0000;
/** Memory objects (SysV segments and MAP_SHARED|MAP_ANONYMOUS mappings) alive at once. */
export const NSHMEM: i32 = 16384;
/** A region's object at or above FILE_OBJ maps a file: the inode FILE_OBJ below it
 * (filemap.ts); below it, a memory object (shmem.ts). */
export const FILE_OBJ: i32 = NSHMEM;
/** SHMMIN and SHMLBA (include/uapi/linux/shm.h, arch/x86/include/asm/shmparam.h). */
export const SHMMIN: i32 = 1;
export const SHMLBA: u32 = 4096;
/** Memory regions (VMAs) system-wide. */
export const NVMA: i32 = 65536;
/** vm.max_map_count: DEFAULT_MAX_MAP_COUNT (include/linux/mm.h: USHRT_MAX -
 * MAPCOUNT_ELF_CORE_MARGIN), the regions one process may have (mmap.ts). */
export const MAX_MAP_COUNT: i32 = 65530;

/** Kernel pool: memory grows in chunks of this many bytes (memory.grow costs ~300 us a call). */
export const CHUNK_SIZE: u32 = 4 << 20;
export const CHUNK_PAGES: i32 = 1024;
/** The first pages of each chunk hold the reference counts of its pages (i32 each). */
export const CHUNK_HEADER_PAGES: i32 = 1;

/** SysV IPC ids (ipc/util.h, ipc/util.c): id = seq << IPCMNI_SHIFT | idx; idx < IPCMNI (ipc_mni
 * without the ipcmni_extend boot option); the cyclic idx range is at least IPC_MIN_CYCLE; seq
 * wraps to 0 at IPCID_SEQ_MAX (INT_MAX >> IPCMNI_SHIFT). */
export const IPCMNI: i32 = 32768;
export const IPCMNI_SHIFT: i32 = 15;
export const IPC_MIN_CYCLE: i32 = 64;
export const IPCID_SEQ_MAX: i32 = 65535;
/** Key hash buckets per IPC type (Linux: an rhashtable keyed by key). */
export const IPC_KEY_BUCKETS: i32 = 1024;
/** Pages of 32-byte IPC objects (message headers, undo records): 128 a page, 524,288 in all. */
export const IPC_OBJ_PAGES_MAX: i32 = 4096;
/** Largest kernel buffer of an IPC object (a message, a sops copy, a semaphore array): one index
 * page of 1024 page pointers. */
export const IPC_BUF_MAX: i32 = 4 << 20;
/** SEMVMX, SEMAEM (include/uapi/linux/sem.h): largest semaphore value and undo adjustment. */
export const SEMVMX: i32 = 32767;
export const SEMAEM: i32 = 32767;
/** MSGSSZ, MSGPOOL, MSGTQL, MSGMAP, MSGSEG (include/uapi/linux/msg.h), reported by IPC_INFO. */
export const MSGSSZ: i32 = 16;
export const MSGPOOL: i32 = 512000;
export const MSGTQL: i32 = 16384;
export const MSGMAP: i32 = 16384;
export const MSGSEG: i32 = 0xffff;
/** SEMMNU, SEMMAP, SEMUME, SEMUSZ (include/uapi/linux/sem.h), reported by semctl IPC_INFO. */
export const SEMMNU: i32 = 1024000000;
export const SEMMAP: i32 = 1024000000;
export const SEMUME: i32 = 500;
export const SEMUSZ: i32 = 20;

/** RLIMIT_SIGPENDING as recorded (linux-ipc-semantics.md; fork_init sets max_threads / 2 at boot,
 * so it varies by machine): realtime signal entries queued at once by all traced processes (one
 * user). The bridge gives its traced processes this limit. Past it kill sets the pending bit
 * only. */
export const SIGQUEUE_MAX: i32 = 96365;

/** CONFIG_HZ of the host kernel (a jiffy is 4 ms: the COARSE clocks' resolution). */
export const HZ: i32 = 250;
/** POSIX timers (timer_create) of every process at once: a model limit (Linux has none but
 * memory); past it timer_create fails with EAGAIN, as alloc_posix_timer's failure does. */
export const NPOSIXTIMER: i32 = 4096;

/** Events the log keeps in its static buffer; one call may log more (event.ts: pool pages). */
export const NEVENT: i32 = 4096;

/** Sysctl-style parameters a trace header may set. Index constants for paramGet/paramSet. */
export const P_PIPE_MAX_SIZE: i32 = 0;
export const P_MSGMAX: i32 = 1;
export const P_MSGMNB: i32 = 2;
export const P_MSGMNI: i32 = 3;
export const P_SEMMSL: i32 = 4;
export const P_SEMMNS: i32 = 5;
export const P_SEMOPM: i32 = 6;
export const P_SEMMNI: i32 = 7;
export const P_SHMMAX: i32 = 8;
export const P_SHMALL: i32 = 9;
export const P_SHMMNI: i32 = 10;
export const P_SHM_RMID_FORCED: i32 = 11;
export const P_MSG_NEXT_ID: i32 = 12;
export const P_SEM_NEXT_ID: i32 = 13;
export const P_SHM_NEXT_ID: i32 = 14;
/** /proc/sys/fs/mqueue (ipc/mq_sysctl.c). */
export const P_MQ_QUEUES_MAX: i32 = 15;
export const P_MQ_MSG_MAX: i32 = 16;
export const P_MQ_MSGSIZE_MAX: i32 = 17;
export const P_MQ_MSG_DEFAULT: i32 = 18;
export const P_MQ_MSGSIZE_DEFAULT: i32 = 19;
/** The run's tmpfs mount options (mm/shmem.c shmem_parse_one): size= in pages (nr_blocks) and
 * nr_inodes, each at least 1 and at most the model's tables (TMPFS_BLOCKS, NINODE). */
export const P_TMPFS_BLOCKS: i32 = 20;
export const P_TMPFS_INODES: i32 = 21;
export const P_COUNT: i32 = 22;
/** POSIX queues the model's table holds (fs.mqueue.queues_max may not pass it). */
export const NMQUEUE: i32 = 256;
/** ipc/mq_sysctl.c's bounds: msg_max and msg_default in [1, HARD_MSGMAX], msgsize_max and
 * msgsize_default in [128, HARD_MSGSIZEMAX]; the model's messages are at most 4 MiB (one IPC
 * buffer), below Linux's 16 MiB. */
export const MQ_HARD_MSGMAX: i32 = 65536;
export const MQ_MSGSIZE_MIN: i32 = 128;
export const MQ_MSGSIZE_HOLD: i32 = 4 << 20;
