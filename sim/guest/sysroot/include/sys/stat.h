/* <sys/stat.h> for C guests: wasi-libc's, plus what WASI has not and the simulated kernel has
 * (FIFOs, the umask), defined in lib/calls.c. */
#ifndef IPCSIM_SYS_STAT_H
#define IPCSIM_SYS_STAT_H

#include_next <sys/stat.h>

int mkfifo(const char *path, mode_t mode);
mode_t umask(mode_t mask);

#endif
