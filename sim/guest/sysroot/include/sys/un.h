/* <sys/un.h> for C guests: Linux's struct sockaddr_un (wasi-libc's has no sun_path). */
#ifndef _SYS_UN_H
#define _SYS_UN_H
#define __wasilibc___struct_sockaddr_un_h

#include <sys/socket.h>

struct sockaddr_un {
  sa_family_t sun_family;
  char sun_path[108];
};

#endif
