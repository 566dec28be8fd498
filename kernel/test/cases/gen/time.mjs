// Virtual-time behaviour cases: clocks, sleeps, alarm, interval timers, POSIX timers, the
// semtimedop timeout and the IPC time fields (docs/linux-semantics.md "Time"). Linux:
// kernel/time/{hrtimer,itimer,posix-timers,posix-cpu-timers,alarmtimer,time}.c, ipc/sem.c,
// ipc/msg.c, ipc/shm.c. Like sig.mjs these carry no hand-written expectations: record.mjs runs
// each on real Linux and writes what Linux did. Every valid duration is a multiple of the
// bridge's 100 ms quantum (docs/host-bridge.md "Time").

const S = (pid, call, args = {}) => ({ pid, call, ...args });
const ms = (n) => ({ sec: Math.floor(n / 1000), nsec: (n % 1000) * 1000000 });
const advance = (n) => ({ call: "advance", by: ms(n) });
const fork = (pid) => S(pid, "fork");
const catchSig = (pid, sig, flags = []) => S(pid, "sigaction", { sig, handler: "catch", flags });
const usec = (n) => ({ sec: Math.floor(n / 1000), usec: (n % 1000) * 1000 });
const itv = (value, interval = 0) => ({ interval: usec(interval), value: usec(value) });
const its = (value, interval = 0) => ({ interval: ms(interval), value: ms(value) });
const REALTIME_START = 1767225600;

export const cases = [];
const add = (name, description, steps, header = {}) =>
  cases.push({ name, description, steps, ...header });

const CLOCKS = [
  "CLOCK_REALTIME", "CLOCK_MONOTONIC", "CLOCK_PROCESS_CPUTIME_ID", "CLOCK_THREAD_CPUTIME_ID",
  "CLOCK_MONOTONIC_RAW", "CLOCK_REALTIME_COARSE", "CLOCK_MONOTONIC_COARSE", "CLOCK_BOOTTIME",
  "CLOCK_REALTIME_ALARM", "CLOCK_BOOTTIME_ALARM", "CLOCK_TAI",
];
const BAD_CLOCKS = [10, 12, 16, 1000, -1];

add("time-clock-gettime",
  "clock_gettime on every clock id: the time-of-day clocks read the realtime start, the " +
  "monotonic ones the time since the start, the CPU clocks next to nothing; the alarm clocks " +
  "give EINVAL without an RTC; after an advance the clocks moved by it (kernel/time/" +
  "posix-timers.c SYSCALL_DEFINE2(clock_gettime), alarmtimer.c alarm_clock_get_timespec).",
  [...CLOCKS.map((clock) => S(2, "clock_gettime", { clock })), advance(300),
   ...["CLOCK_REALTIME", "CLOCK_MONOTONIC", "CLOCK_BOOTTIME", "CLOCK_TAI"]
     .map((clock) => S(2, "clock_gettime", { clock }))]);

add("time-clock-bad-ids",
  "An unknown clock id gives EINVAL to clock_gettime, clock_getres, clock_nanosleep and " +
  "timer_create (kernel/time/posix-timers.c clockid_to_kclock; -1 is a CPU clock whose " +
  "CPUCLOCK_WHICH is 3: posix-cpu-timers.c validate_clock_permissions).",
  BAD_CLOCKS.flatMap((clock) => [
    S(2, "clock_gettime", { clock }), S(2, "clock_getres", { clock }),
    S(2, "clock_nanosleep", { clock, req: ms(0) }),
  ]));

add("time-clock-getres",
  "clock_getres: 1 ns for the high-resolution clocks, a jiffy (4 ms at HZ 250) for the COARSE " +
  "ones, EINVAL for the alarm clocks without an RTC (kernel/time/posix-timers.c " +
  "posix_get_hrtimer_res, posix_get_coarse_res).",
  CLOCKS.map((clock) => S(2, "clock_getres", { clock })));

add("time-gettimeofday-time",
  "gettimeofday and time read CLOCK_REALTIME: the header's start, then the start plus the " +
  "time that passed (kernel/time/time.c SYSCALL_DEFINE2(gettimeofday), SYSCALL_DEFINE1(time)).",
  [S(2, "gettimeofday"), S(2, "time"), advance(1000), S(2, "gettimeofday"), S(2, "time")],
  { realtime: REALTIME_START + 86400 });

add("time-nanosleep-expires",
  "nanosleep blocks until its relative deadline: an advance short of it wakes nobody, the " +
  "one that reaches it completes the sleep with 0 (kernel/time/hrtimer.c do_nanosleep).",
  [fork(2), S(3, "nanosleep", { req: ms(300) }), advance(100), S(2, "clock_gettime",
    { clock: "CLOCK_MONOTONIC" }), advance(200), S(3, "clock_gettime",
    { clock: "CLOCK_MONOTONIC" })]);

add("time-nanosleep-einval",
  "nanosleep checks its timespec (timespec64_valid): a negative sec or nsec, or nsec of 1e9 " +
  "and more, is EINVAL; NULL is EFAULT; zero returns 0 at once (hrtimer.c " +
  "SYSCALL_DEFINE2(nanosleep)).",
  [S(2, "nanosleep", { req: { sec: 0, nsec: 1000000000 } }),
   S(2, "nanosleep", { req: { sec: -1, nsec: 0 } }),
   S(2, "nanosleep", { req: { sec: 0, nsec: -1 } }),
   S(2, "nanosleep", { req: null }), S(2, "nanosleep", { req: ms(0) })]);

add("time-nanosleep-interrupted",
  "A caught signal ends nanosleep with EINTR and writes the time left to rem " +
  "(hrtimer.c do_nanosleep, nanosleep_copyout: -ERESTART_RESTARTBLOCK becomes EINTR after a " +
  "handler).",
  [fork(2), catchSig(3, "SIGUSR1"), S(3, "nanosleep", { req: ms(1000) }), advance(300),
   S(2, "kill", { target: 3, sig: "SIGUSR1" }), advance(700)]);

add("time-nanosleep-stop-continue",
  "A stopped and continued nanosleep is restarted by restart_syscall to the same deadline: it " +
  "ends when the original time is up, not a full interval later (hrtimer.c " +
  "hrtimer_nanosleep_restart).",
  [fork(2), S(3, "nanosleep", { req: ms(500) }), advance(200),
   S(2, "kill", { target: 3, sig: "SIGSTOP" }), S(2, "kill", { target: 3, sig: "SIGCONT" }),
   advance(300)]);

add("time-clock-nanosleep",
  "clock_nanosleep: relative on CLOCK_MONOTONIC, TIMER_ABSTIME on CLOCK_MONOTONIC and " +
  "CLOCK_REALTIME (an absolute time in the past returns at once), EINVAL for a bad nsec, " +
  "EFAULT for NULL, EOPNOTSUPP for clocks it cannot sleep on (hrtimer.c " +
  "SYSCALL_DEFINE4(clock_nanosleep), common_nsleep).",
  [fork(2), fork(2),
   S(3, "clock_nanosleep", { clock: "CLOCK_MONOTONIC", req: ms(200) }),
   S(4, "clock_nanosleep", { clock: "CLOCK_MONOTONIC", flags: ["TIMER_ABSTIME"], req: ms(300) }),
   S(2, "clock_nanosleep", { clock: "CLOCK_REALTIME", flags: ["TIMER_ABSTIME"],
     req: { sec: REALTIME_START - 1, nsec: 0 } }),
   S(2, "clock_nanosleep", { clock: "CLOCK_REALTIME", flags: ["TIMER_ABSTIME"],
     req: { sec: REALTIME_START, nsec: 400000000 } }),
   advance(200), advance(100), advance(100),
   S(2, "clock_nanosleep", { clock: "CLOCK_MONOTONIC", req: { sec: 0, nsec: 1000000000 } }),
   S(2, "clock_nanosleep", { clock: "CLOCK_MONOTONIC", req: null }),
   ...["CLOCK_THREAD_CPUTIME_ID", "CLOCK_MONOTONIC_RAW", "CLOCK_REALTIME_COARSE",
     "CLOCK_REALTIME_ALARM"].map((clock) => S(2, "clock_nanosleep", { clock, req: ms(0) }))]);

add("time-clock-nanosleep-abs-interrupted",
  "An absolute clock_nanosleep interrupted by a handler gives EINTR and no rem; a relative one " +
  "writes rem (hrtimer.c do_nanosleep: only HRTIMER_MODE_REL copies out the remainder).",
  [fork(2), fork(2), catchSig(3, "SIGUSR1"), catchSig(4, "SIGUSR1"),
   S(3, "clock_nanosleep", { clock: "CLOCK_MONOTONIC", flags: ["TIMER_ABSTIME"],
     req: ms(1000) }),
   S(4, "clock_nanosleep", { clock: "CLOCK_BOOTTIME", req: ms(1000) }), advance(400),
   S(2, "kill", { target: 3, sig: "SIGUSR1" }), S(2, "kill", { target: 4, sig: "SIGUSR1" })]);

add("time-alarm-kills",
  "alarm(1) sends SIGALRM after a second; its default action terminates the process " +
  "(kernel/time/itimer.c it_real_fn, alarm_setitimer; signal(7)).",
  [fork(2), S(3, "alarm", { seconds: 1 }), advance(900), advance(100),
   S(2, "waitpid", { target: 3 })]);

add("time-alarm-remaining",
  "alarm returns the seconds left of the previous alarm, rounded to the nearest second and at " +
  "least 1 while one is pending; alarm(0) cancels it (itimer.c alarm_setitimer).",
  [S(2, "alarm", { seconds: 2 }), advance(500), S(2, "alarm", { seconds: 1 }), advance(500),
   S(2, "alarm", { seconds: 3 }), advance(400), S(2, "alarm", { seconds: 0 }),
   S(2, "alarm", { seconds: 0 }), advance(1000)]);

add("time-alarm-pause",
  "alarm and pause: a caught SIGALRM ends pause with EINTR (kernel/signal.c sys_pause).",
  [catchSig(2, "SIGALRM"), S(2, "alarm", { seconds: 1 }), S(2, "pause"), advance(1000)]);

add("time-setitimer-reload",
  "ITIMER_REAL with an interval reloads at each expiry: one SIGALRM per period, also when one " +
  "advance passes two periods; getitimer shows the time to the next expiry; setting a zero " +
  "value disarms and returns the old setting (itimer.c do_setitimer, it_real_fn, " +
  "get_cpu_itimer).",
  [catchSig(2, "SIGALRM"),
   S(2, "setitimer", { which: "ITIMER_REAL", value: itv(200, 200) }), advance(200),
   S(2, "getitimer", { which: "ITIMER_REAL" }), advance(100),
   S(2, "getitimer", { which: "ITIMER_REAL" }), advance(400),
   S(2, "setitimer", { which: "ITIMER_REAL", value: itv(0) }), advance(400),
   S(2, "getitimer", { which: "ITIMER_REAL" })]);

add("time-setitimer-errors",
  "setitimer and getitimer: an unknown `which` is EINVAL, a timeval with usec out of range is " +
  "EINVAL, NULL disarms; ITIMER_VIRTUAL and ITIMER_PROF are accepted (itimer.c " +
  "SYSCALL_DEFINE3(setitimer), do_getitimer).",
  [S(2, "setitimer", { which: 3, value: itv(100) }),
   S(2, "getitimer", { which: 5 }),
   S(2, "setitimer", { which: "ITIMER_REAL",
     value: { interval: usec(0), value: { sec: 0, usec: 1000000 } } }),
   S(2, "setitimer", { which: "ITIMER_REAL",
     value: { interval: usec(0), value: { sec: -1, usec: 0 } } }),
   S(2, "setitimer", { which: "ITIMER_REAL", value: itv(500) }),
   S(2, "setitimer", { which: "ITIMER_REAL", value: null }),
   S(2, "getitimer", { which: "ITIMER_REAL" }),
   S(2, "setitimer", { which: "ITIMER_VIRTUAL", value: itv(1000) }),
   S(2, "getitimer", { which: "ITIMER_VIRTUAL" }),
   S(2, "setitimer", { which: "ITIMER_VIRTUAL", value: null })]);

add("time-itimer-not-inherited",
  "A child does not inherit its parent's interval timer or alarm; the parent's alarm still " +
  "fires (fork(2); kernel/fork.c copy_signal).",
  [catchSig(2, "SIGALRM"), S(2, "alarm", { seconds: 1 }), fork(2),
   S(3, "getitimer", { which: "ITIMER_REAL" }), S(3, "alarm", { seconds: 0 }),
   S(2, "getitimer", { which: "ITIMER_REAL" }), advance(1000)]);

add("time-timer-ids",
  "timer_create gives each process ids from 0, never reusing a deleted one; a deleted or " +
  "unknown id is EINVAL; a child starts again from 0 (kernel/time/posix-timers.c " +
  "posix_timer_add, timer_delete).",
  [S(2, "timer_create", { clock: "CLOCK_MONOTONIC" }),
   S(2, "timer_create", { clock: "CLOCK_REALTIME" }),
   S(2, "timer_create", { clock: "CLOCK_BOOTTIME" }), S(2, "timer_delete", { timerid: 1 }),
   S(2, "timer_create", { clock: "CLOCK_MONOTONIC" }), S(2, "timer_delete", { timerid: 1 }),
   S(2, "timer_gettime", { timerid: 99 }), S(2, "timer_getoverrun", { timerid: 1 }),
   S(2, "timer_settime", { timerid: 1, value: its(100) }), fork(2),
   S(3, "timer_create", { clock: "CLOCK_MONOTONIC" }), S(3, "timer_gettime", { timerid: 2 })]);

add("time-timer-create-errors",
  "timer_create: EOPNOTSUPP for clocks without timers (MONOTONIC_RAW, the COARSE ones: no id " +
  "used), for the alarm clocks without an RTC (an id is used first), EINVAL for a bad " +
  "sigevent (notify, signal number, SIGEV_THREAD_ID without a thread of the caller) " +
  "(posix-timers.c do_timer_create, good_sigevent).",
  [...["CLOCK_MONOTONIC_RAW", "CLOCK_REALTIME_COARSE", "CLOCK_MONOTONIC_COARSE",
    "CLOCK_REALTIME_ALARM", "CLOCK_THREAD_CPUTIME_ID", "CLOCK_PROCESS_CPUTIME_ID"]
    .map((clock) => S(2, "timer_create", { clock })),
   S(2, "timer_create", { clock: "CLOCK_MONOTONIC", sevp: { notify: 99 } }),
   S(2, "timer_create", { clock: "CLOCK_MONOTONIC",
     sevp: { notify: "SIGEV_SIGNAL", signo: 0 } }),
   S(2, "timer_create", { clock: "CLOCK_MONOTONIC",
     sevp: { notify: "SIGEV_SIGNAL", signo: 65 } }),
   S(2, "timer_create", { clock: "CLOCK_MONOTONIC",
     sevp: { notify: "SIGEV_THREAD_ID", signo: "SIGUSR1" } }),
   S(2, "timer_create", { clock: "CLOCK_MONOTONIC", sevp: { notify: "SIGEV_NONE" } })]);

add("time-timer-signal",
  "A POSIX timer sends its sigevent's signal with si_code SI_TIMER and its value; the default " +
  "sigevent is SIGALRM with the timer id as value; timer_gettime counts down and is zero " +
  "after a one-shot expiry (posix-timers.c posix_timer_fn, common_timer_get).",
  [catchSig(2, "SIGUSR1"), catchSig(2, "SIGALRM"),
   S(2, "timer_create", { clock: "CLOCK_MONOTONIC",
     sevp: { notify: "SIGEV_SIGNAL", signo: "SIGUSR1", value: 7 } }),
   S(2, "timer_create", { clock: "CLOCK_REALTIME" }),
   S(2, "timer_settime", { timerid: 0, value: its(300) }),
   S(2, "timer_settime", { timerid: 1, value: its(200) }), advance(100),
   S(2, "timer_gettime", { timerid: 0 }), advance(100), advance(100),
   S(2, "timer_gettime", { timerid: 0 }), S(2, "timer_getoverrun", { timerid: 0 })]);

add("time-timer-periodic-overrun",
  "A periodic timer whose signal is blocked is not queued again: the expiries it misses are " +
  "counted as overruns when the signal is delivered, and timer_getoverrun returns them " +
  "(posix-timers.c posixtimer_rearm, timer_getoverrun; signal.c posixtimer_deliver_signal).",
  [catchSig(2, "SIGUSR1"), S(2, "sigprocmask", { how: "SIG_BLOCK", set: ["SIGUSR1"] }),
   S(2, "timer_create", { clock: "CLOCK_MONOTONIC",
     sevp: { notify: "SIGEV_SIGNAL", signo: "SIGUSR1", value: 3 } }),
   S(2, "timer_settime", { timerid: 0, value: its(100, 100) }), advance(500),
   S(2, "sigpending"), S(2, "timer_getoverrun", { timerid: 0 }),
   S(2, "sigprocmask", { how: "SIG_UNBLOCK", set: ["SIGUSR1"] }),
   S(2, "timer_getoverrun", { timerid: 0 }), S(2, "timer_gettime", { timerid: 0 }),
   advance(100), S(2, "timer_getoverrun", { timerid: 0 }),
   S(2, "timer_delete", { timerid: 0 }), advance(200)]);

add("time-timer-settime",
  "timer_settime: TIMER_ABSTIME deadlines, a zero value disarms and returns the old setting, " +
  "EINVAL for a bad timespec or NULL, SIGEV_NONE timers never signal (posix-timers.c " +
  "do_timer_settime, common_timer_set).",
  [catchSig(2, "SIGALRM"),
   S(2, "timer_create", { clock: "CLOCK_MONOTONIC" }),
   S(2, "timer_create", { clock: "CLOCK_MONOTONIC", sevp: { notify: "SIGEV_NONE" } }),
   S(2, "timer_settime", { timerid: 0, flags: ["TIMER_ABSTIME"], value: its(300) }),
   S(2, "timer_settime", { timerid: 1, value: its(200) }), advance(100),
   S(2, "timer_settime", { timerid: 0, value: its(0) }),
   S(2, "timer_settime", { timerid: 0, value: { interval: ms(0),
     value: { sec: 0, nsec: 1000000000 } } }),
   S(2, "timer_settime", { timerid: 0, value: null }), advance(300),
   S(2, "timer_gettime", { timerid: 1 }), S(2, "timer_gettime", { timerid: 0 })]);

add("time-timer-not-inherited",
  "POSIX timers belong to the process that made them: a child has none and the parent's " +
  "timer still fires (posix-timers.c; fork(2)).",
  [catchSig(2, "SIGUSR2"),
   S(2, "timer_create", { clock: "CLOCK_MONOTONIC",
     sevp: { notify: "SIGEV_SIGNAL", signo: "SIGUSR2", value: 1 } }),
   S(2, "timer_settime", { timerid: 0, value: its(200) }), fork(2),
   S(3, "timer_gettime", { timerid: 0 }), advance(200)]);

add("time-semtimedop-timeout",
  "semtimedop with a timeout: EAGAIN when it expires before the operation can proceed, 0 when " +
  "a semop makes it possible first (ipc/sem.c __do_semtimedop).",
  [S(2, "semget", { key: "IPC_PRIVATE", nsems: 1 }), fork(2), fork(2),
   S(3, "semtimedop", { semid: 0, sops: [{ num: 0, op: -1 }], timeout: ms(300) }),
   S(4, "semtimedop", { semid: 0, sops: [{ num: 0, op: -1 }], timeout: ms(500) }),
   advance(300), S(2, "semop", { semid: 0, sops: [{ num: 0, op: 1 }] }), advance(300)]);

// The cases the kernel's author wrote from the source first, kept as steps (the expectations
// are Linux's, recorded like the rest).
add("time-alarm",
  "alarm returns the seconds left of the previous alarm, rounded as alarm_setitimer does " +
  "(up when under a second, or with half a second or more left); alarm(0) cancels; the " +
  "SIGALRM interrupts pause (EINTR) and, with no handler, kills (kernel/time/itimer.c " +
  "alarm_setitimer, it_real_fn; linux-semantics.md 1.12)",
  [
    {"pid": 2, "call": "sigaction", "sig": "SIGALRM", "handler": "catch"},
    {"pid": 2, "call": "alarm", "seconds": 2},
    {"call": "advance", "by": {"sec": 0, "nsec": 500000000}},
    {"pid": 2, "call": "alarm", "seconds": 5, "comment": "1.5 s left"},
    {"call": "advance", "by": {"sec": 0, "nsec": 600000000}},
    {"pid": 2, "call": "alarm", "seconds": 1, "comment": "4.4 s left"},
    {"call": "advance", "by": {"sec": 0, "nsec": 700000000}},
    {"pid": 2, "call": "alarm", "seconds": 0,
      "comment": "0.3 s left: never 0 while one is pending"},
    {"pid": 2, "call": "alarm", "seconds": 0},
    {"call": "advance", "by": {"sec": 2, "nsec": 0}},
    {"pid": 2, "call": "alarm", "seconds": 1},
    {"pid": 2, "call": "pause"},
    {"call": "advance", "by": {"sec": 1, "nsec": 0}},
    {"pid": 2, "call": "fork"},
    {"pid": 3, "call": "sigaction", "sig": "SIGALRM", "handler": "SIG_DFL"},
    {"pid": 3, "call": "alarm", "seconds": 1},
    {"call": "advance", "by": {"sec": 1, "nsec": 0}},
  ]);
add("time-clocks",
  "clock_gettime, clock_getres, gettimeofday and time: CLOCK_MONOTONIC/BOOTTIME from 0, " +
  "CLOCK_REALTIME from the header's realtime, both moved by advance; resolutions (1 ns, a " +
  "jiffy for the COARSE clocks); clock ids without a clock are EINVAL " +
  "(kernel/time/posix-timers.c clockid_to_kclock; the alarm clocks need an RTC); res NULL " +
  "is allowed (SYSCALL_DEFINE2(clock_getres)); linux-semantics.md 1.12",
  [
    {"pid": 2, "call": "clock_gettime", "clock": "CLOCK_MONOTONIC"},
    {"pid": 2, "call": "clock_gettime", "clock": "CLOCK_REALTIME"},
    {"call": "advance", "by": {"sec": 1, "nsec": 500000000}},
    {"pid": 2, "call": "clock_gettime", "clock": "CLOCK_BOOTTIME"},
    {"pid": 2, "call": "clock_gettime", "clock": "CLOCK_MONOTONIC"},
    {"pid": 2, "call": "gettimeofday"},
    {"pid": 2, "call": "time"},
    {"pid": 2, "call": "clock_getres", "clock": "CLOCK_MONOTONIC"},
    {"pid": 2, "call": "clock_getres", "clock": "CLOCK_REALTIME_COARSE"},
    {"pid": 2, "call": "clock_getres", "clock": "CLOCK_PROCESS_CPUTIME_ID"},
    {"pid": 2, "call": "clock_gettime", "clock": 10},
    {"pid": 2, "call": "clock_gettime", "clock": 12},
    {"pid": 2, "call": "clock_getres", "clock": "CLOCK_REALTIME_ALARM"},
    {"pid": 2, "call": "clock_gettime", "clock": -1},
  ], {"realtime": 1700000000});
add("time-ipc-times",
  "The IPC_STAT times are CLOCK_REALTIME seconds (ktime_get_real_seconds): msg_ctime at " +
  "msgget, msg_stime at msgsnd, msg_rtime at msgrcv (ipc/msg.c newque, do_msgsnd, " +
  "do_msgrcv); sem_ctime at semget, sem_otime at a completed semop (ipc/sem.c newary, " +
  "set_semotime); shm_ctime at shmget, shm_atime at shmat, shm_dtime at shmdt (ipc/shm.c " +
  "newseg, __shm_open, __shm_close); 0 until set; linux-semantics.md 1.12",
  [
    {"pid": 2, "call": "msgget", "key": "IPC_PRIVATE", "flags": [], "mode": "0600"},
    {"pid": 2, "call": "semget", "key": "IPC_PRIVATE", "nsems": 1, "flags": [], "mode": "0600"},
    {"pid": 2, "call": "shmget", "key": "IPC_PRIVATE", "size": 4096, "flags": [], "mode": "0600"},
    {"pid": 2, "call": "msgctl", "msqid": 0, "cmd": "IPC_STAT"},
    {"pid": 2, "call": "semctl", "semid": 0, "semnum": 0, "cmd": "IPC_STAT"},
    {"pid": 2, "call": "shmctl", "shmid": 0, "cmd": "IPC_STAT"},
    {"call": "advance", "by": {"sec": 3, "nsec": 0}},
    {"pid": 2, "call": "msgsnd", "msqid": 0, "mtype": 1, "data": "x", "flags": []},
    {"pid": 2, "call": "semop", "semid": 0, "sops": [{"num": 0, "op": 1, "flags": []}]},
    {"pid": 2, "call": "shmat", "shmid": 0},
    {"call": "advance", "by": {"sec": 3, "nsec": 0}},
    {"pid": 2, "call": "msgrcv", "msqid": 0, "size": 8, "msgtyp": 0, "flags": []},
    {"pid": 2, "call": "shmdt", "shmaddr": {"ref": 9, "offset": 0}},
    {"pid": 2, "call": "msgctl", "msqid": 0, "cmd": "IPC_STAT"},
    {"pid": 2, "call": "semctl", "semid": 0, "semnum": 0, "cmd": "IPC_STAT"},
    {"pid": 2, "call": "shmctl", "shmid": 0, "cmd": "IPC_STAT"},
  ], {"realtime": 1700000000});
add("time-nanosleep-stop",
  "A stopped and continued nanosleep goes on to the same deadline " +
  "(-ERESTART_RESTARTBLOCK, restart_syscall -> hrtimer_nanosleep_restart); one whose " +
  "deadline passed while it was stopped returns 0 as it is continued (linux-semantics.md " +
  "0.2)",
  [
    {"pid": 2, "call": "fork"},
    {"pid": 3, "call": "nanosleep", "req": {"sec": 2, "nsec": 0}},
    {"call": "advance", "by": {"sec": 0, "nsec": 500000000}},
    {"pid": 2, "call": "kill", "target": 3, "sig": "SIGSTOP"},
    {"call": "advance", "by": {"sec": 0, "nsec": 500000000}},
    {"pid": 2, "call": "kill", "target": 3, "sig": "SIGCONT"},
    {"call": "advance", "by": {"sec": 0, "nsec": 800000000}},
    {"call": "advance", "by": {"sec": 0, "nsec": 400000000}},
    {"pid": 3, "call": "nanosleep", "req": {"sec": 1, "nsec": 0}},
    {"pid": 2, "call": "kill", "target": 3, "sig": "SIGSTOP"},
    {"call": "advance", "by": {"sec": 2, "nsec": 0}},
    {"pid": 2, "call": "kill", "target": 3, "sig": "SIGCONT"},
  ]);
add("time-nanosleep",
  "nanosleep and clock_nanosleep: a sleep ends at its deadline (advance stops there); a " +
  "handler interrupts it with EINTR and the time left in rem (hrtimer.c do_nanosleep, " +
  "nanosleep_copyout), an absolute one without rem (hrtimer_nanosleep: -ERESTARTNOHAND); " +
  "EFAULT, EINVAL for a bad timespec; 0 returns at once; a clock without nsleep is " +
  "EOPNOTSUPP, no clock EINVAL (linux-semantics.md 0.2, 1.12)",
  [
    {"pid": 2, "call": "sigaction", "sig": "SIGUSR1", "handler": "catch", "flags": ["SA_RESTART"]},
    {"pid": 2, "call": "fork"},
    {"pid": 3, "call": "nanosleep", "req": {"sec": 2, "nsec": 0}},
    {"call": "advance", "by": {"sec": 0, "nsec": 500000000}},
    {"pid": 2, "call": "kill", "target": 3, "sig": "SIGUSR1"},
    {"pid": 3, "call": "nanosleep", "req": {"sec": 1, "nsec": 0}},
    {"call": "advance", "by": {"sec": 1, "nsec": 0}},
    {"pid": 3, "call": "clock_nanosleep", "clock": "CLOCK_MONOTONIC", "flags": ["TIMER_ABSTIME"],
      "req": {"sec": 4, "nsec": 0}},
    {"pid": 2, "call": "kill", "target": 3, "sig": "SIGUSR1"},
    {"pid": 3, "call": "clock_nanosleep", "clock": "CLOCK_MONOTONIC", "flags": ["TIMER_ABSTIME"],
      "req": {"sec": 3, "nsec": 0}},
    {"call": "advance", "by": {"sec": 1, "nsec": 500000000}},
    {"pid": 3, "call": "clock_nanosleep", "clock": "CLOCK_MONOTONIC", "flags": ["TIMER_ABSTIME"],
      "req": {"sec": 1, "nsec": 0}},
    {"pid": 3, "call": "nanosleep", "req": {"sec": 0, "nsec": 0}},
    {"pid": 3, "call": "nanosleep", "req": {"sec": 0, "nsec": 1000000000}},
    {"pid": 3, "call": "nanosleep", "req": {"sec": -1, "nsec": 0}},
    {"pid": 3, "call": "nanosleep", "req": null},
    {"pid": 3, "call": "clock_nanosleep", "clock": "CLOCK_MONOTONIC_RAW", "flags": [],
      "req": {"sec": 1, "nsec": 0}},
    {"pid": 3, "call": "clock_nanosleep", "clock": 10, "flags": [], "req": {"sec": 1, "nsec": 0}},
    {"pid": 3, "call": "clock_nanosleep", "clock": "CLOCK_REALTIME_ALARM", "flags": [],
      "req": {"sec": 1, "nsec": 0}},
  ]);
add("time-posix-timers",
  "timer_create ids per process from 0, a refused sigevent still taking one " +
  "(posix_timer_add before good_sigevent); SIGEV_* checks; a periodic timer's SI_TIMER " +
  "signal with its si_value; while its signal is queued (blocked) the timer is not " +
  "rearmed, and its delivery counts the missed intervals (__posixtimer_deliver_signal: " +
  "timer_getoverrun); timer_gettime meanwhile reports the next expiry as if rearmed; " +
  "timer_settime's checks and old value; timer_delete (kernel/time/posix-timers.c; " +
  "linux-semantics.md 1.12)",
  [
    {"pid": 2, "call": "sigaction", "sig": "SIGUSR1", "handler": "catch"},
    {"pid": 2, "call": "timer_create", "clock": "CLOCK_MONOTONIC",
      "sevp": {"notify": "SIGEV_SIGNAL", "signo": "SIGUSR1", "value": 7}},
    {"pid": 2, "call": "timer_create", "clock": "CLOCK_MONOTONIC",
      "sevp": {"notify": 3, "signo": "SIGUSR1", "value": 0}},
    {"pid": 2, "call": "timer_create", "clock": "CLOCK_MONOTONIC",
      "sevp": {"notify": "SIGEV_SIGNAL", "signo": 65, "value": 0}},
    {"pid": 2, "call": "timer_create", "clock": "CLOCK_REALTIME", "sevp": null},
    {"pid": 2, "call": "timer_create", "clock": "CLOCK_MONOTONIC_RAW", "sevp": null},
    {"pid": 2, "call": "timer_create", "clock": 10, "sevp": null},
    {"pid": 2, "call": "timer_settime", "timerid": 0, "flags": [],
      "value": {"interval": {"sec": 0, "nsec": 1000000000}, "value": {"sec": 1, "nsec": 0}}},
    {"pid": 2, "call": "timer_settime", "timerid": 1, "flags": [],
      "value": {"interval": {"sec": 1, "nsec": 0}, "value": {"sec": 1, "nsec": 0}}},
    {"pid": 2, "call": "timer_settime", "timerid": 0, "flags": [], "value": null},
    {"pid": 2, "call": "timer_settime", "timerid": 0, "flags": [],
      "value": {"interval": {"sec": 1, "nsec": 0}, "value": {"sec": 1, "nsec": 0}}},
    {"call": "advance", "by": {"sec": 1, "nsec": 0}},
    {"pid": 2, "call": "timer_getoverrun", "timerid": 0},
    {"pid": 2, "call": "sigprocmask", "how": "SIG_BLOCK", "set": ["SIGUSR1"]},
    {"call": "advance", "by": {"sec": 3, "nsec": 500000000},
      "comment": "expires at 2 s and is queued; not rearmed"},
    {"pid": 2, "call": "timer_gettime", "timerid": 0},
    {"pid": 2, "call": "sigprocmask", "how": "SIG_UNBLOCK", "set": ["SIGUSR1"]},
    {"pid": 2, "call": "timer_getoverrun", "timerid": 0,
      "comment": "the expiries at 3 and 4 s were missed"},
    {"call": "advance", "by": {"sec": 0, "nsec": 500000000}},
    {"pid": 2, "call": "timer_getoverrun", "timerid": 0},
    {"pid": 2, "call": "timer_settime", "timerid": 0, "flags": [],
      "value": {"interval": {"sec": 0, "nsec": 0}, "value": {"sec": 0, "nsec": 0}}},
    {"call": "advance", "by": {"sec": 2, "nsec": 0}},
    {"pid": 2, "call": "timer_delete", "timerid": 0},
    {"pid": 2, "call": "timer_delete", "timerid": 0},
    {"pid": 2, "call": "timer_gettime", "timerid": 0},
    {"pid": 2, "call": "timer_getoverrun", "timerid": -1},
  ]);
add("time-semtimedop",
  "A semtimedop that must wait sleeps until now + timeout and then fails with EAGAIN " +
  "(ipc/sem.c __do_semtimedop: timed_out); one completed before its deadline returns 0 " +
  "and its deadline is gone; linux-semantics.md 1.12",
  [
    {"pid": 2, "call": "semget", "key": "IPC_PRIVATE", "nsems": 1, "flags": [], "mode": "0600"},
    {"pid": 2, "call": "fork"},
    {"pid": 3, "call": "semtimedop", "semid": 0, "sops": [{"num": 0, "op": -1, "flags": []}],
      "timeout": {"sec": 1, "nsec": 500000000}},
    {"call": "advance", "by": {"sec": 1, "nsec": 0}},
    {"call": "advance", "by": {"sec": 1, "nsec": 0}},
    {"pid": 3, "call": "semtimedop", "semid": 0, "sops": [{"num": 0, "op": -1, "flags": []}],
      "timeout": {"sec": 2, "nsec": 0}},
    {"call": "advance", "by": {"sec": 1, "nsec": 0}},
    {"pid": 2, "call": "semop", "semid": 0, "sops": [{"num": 0, "op": 1, "flags": []}]},
    {"call": "advance", "by": {"sec": 2, "nsec": 0}},
    {"pid": 2, "call": "semctl", "semid": 0, "semnum": 0, "cmd": "GETVAL"},
  ]);
add("time-setitimer",
  "setitimer/getitimer ITIMER_REAL: the old value; the interval reloads the timer when " +
  "its SIGALRM is dequeued (dequeue_signal -> posixtimer_rearm_itimer, hrtimer_forward " +
  "past now), so a blocked SIGALRM holds it; a NULL value disarms; ITIMER_VIRTUAL keeps " +
  "its value plus a jiffy (set_cpu_itimer) and never fires in the model; the timevals are " +
  "checked before which (EINVAL); linux-semantics.md 1.12",
  [
    {"pid": 2, "call": "sigaction", "sig": "SIGALRM", "handler": "catch"},
    {"pid": 2, "call": "setitimer", "which": "ITIMER_REAL",
      "value": {"interval": {"sec": 1, "usec": 0}, "value": {"sec": 0, "usec": 500000}}},
    {"call": "advance", "by": {"sec": 0, "nsec": 500000000}},
    {"call": "advance", "by": {"sec": 0, "nsec": 300000000}},
    {"pid": 2, "call": "getitimer", "which": "ITIMER_REAL"},
    {"call": "advance", "by": {"sec": 1, "nsec": 200000000}},
    {"pid": 2, "call": "sigprocmask", "how": "SIG_BLOCK", "set": ["SIGALRM"]},
    {"call": "advance", "by": {"sec": 1, "nsec": 0},
      "comment": "expires at 2.5 s: pending, not reloaded"},
    {"pid": 2, "call": "getitimer", "which": "ITIMER_REAL"},
    {"pid": 2, "call": "sigprocmask", "how": "SIG_UNBLOCK", "set": ["SIGALRM"]},
    {"pid": 2, "call": "getitimer", "which": "ITIMER_REAL",
      "comment": "reloaded from 2.5 s past now (3 s): 3.5 s"},
    {"pid": 2, "call": "setitimer", "which": "ITIMER_REAL", "value": null},
    {"call": "advance", "by": {"sec": 2, "nsec": 0}},
    {"pid": 2, "call": "setitimer", "which": "ITIMER_VIRTUAL",
      "value": {"interval": {"sec": 0, "usec": 0}, "value": {"sec": 1, "usec": 0}}},
    {"pid": 2, "call": "getitimer", "which": "ITIMER_VIRTUAL"},
    {"pid": 2, "call": "setitimer", "which": "ITIMER_REAL",
      "value": {"interval": {"sec": 0, "usec": 0}, "value": {"sec": 0, "usec": 1000000}}},
    {"pid": 2, "call": "setitimer", "which": 3,
      "value": {"interval": {"sec": 0, "usec": 0}, "value": {"sec": 1, "usec": 0}}},
    {"pid": 2, "call": "getitimer", "which": 3},
  ]);

// Found by `fuzz:diff --heavy time` (seed 1406).
add("time-tie-race",
  "An ITIMER_REAL and a POSIX timer due at the same instant race: on Linux either fires first " +
  "(two timers armed by different calls are never due at the same nanosecond), so the " +
  "process is killed by SIGALRM or by SIGUSR1 (kernel/time/hrtimer.c __hrtimer_run_queues; " +
  "linux-semantics.md 1.12).",
  [S(2, "timer_create", { clock: "CLOCK_REALTIME",
     sevp: { notify: "SIGEV_SIGNAL", signo: "SIGUSR1", value: 0 } }),
   S(2, "timer_settime", { timerid: 0, flags: ["TIMER_ABSTIME"],
     value: { interval: ms(100), value: { sec: REALTIME_START, nsec: 100000000 } } }),
   S(2, "setitimer", { which: "ITIMER_REAL", value: itv(100, 100) }), fork(2), advance(100)]);

add("time-sleep-ends-then-killed",
  "A sleep due at the same instant as the sleeper's own SIGALRM: the sleep may return first " +
  "(then the signal kills the process) or the signal may kill it inside the sleep " +
  "(kernel/time/hrtimer.c do_nanosleep; kernel/signal.c).",
  [fork(2), S(2, "setitimer", { which: "ITIMER_REAL", value: itv(100, 100) }),
   S(2, "clock_nanosleep", { clock: "CLOCK_MONOTONIC", req: ms(100) }), advance(100),
   S(3, "clock_gettime", { clock: 10 })]);
