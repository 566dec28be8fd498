/* <sys/mman.h> for C guests (in place of wasi-libc's emulation): Linux's values
 * (include/uapi/asm-generic/mman-common.h). MAP_SHARED|MAP_ANONYMOUS is the kernel's shared
 * memory, seen through a window in the guest's memory (sim/guest/shared.ts);
 * MAP_PRIVATE|MAP_ANONYMOUS is the guest's own zeroed memory (a fork copies it, as Linux's
 * copy-on-write does). File mappings and MAP_FIXED are not modelled for C guests yet. */
#ifndef IPCSIM_SYS_MMAN_H
#define IPCSIM_SYS_MMAN_H

#include <sys/types.h>

#define PROT_NONE 0
#define PROT_READ 1
#define PROT_WRITE 2
#define PROT_EXEC 4
#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_TYPE 0x0f
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_ANON MAP_ANONYMOUS
#define MAP_FAILED ((void *)-1)

void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset);
int munmap(void *addr, size_t length);

#endif
