/* time.c: the virtual-time calls on the real kernel. A STUB until the host part of issue 14
 * lands: every call fails with ENOSYS. */

#define TIME_STUB(name) CALL_HANDLER(name) { set_ret(r, (errno = ENOSYS, -1)); }
TIME_STUB(clock_gettime)
TIME_STUB(clock_getres)
TIME_STUB(gettimeofday)
TIME_STUB(nanosleep)
TIME_STUB(clock_nanosleep)
TIME_STUB(setitimer)
TIME_STUB(getitimer)
TIME_STUB(timer_create)
TIME_STUB(timer_settime)
TIME_STUB(timer_gettime)
TIME_STUB(advance)
