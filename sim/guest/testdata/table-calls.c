#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <sys/file.h>
#include <mqueue.h>
#include <unistd.h>
#include <string.h>
#include <sys/wait.h>
int main(void) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) { perror("socketpair"); return 1; }
  int ep = epoll_create1(0);
  struct epoll_event ev = { .events = EPOLLIN, .data.fd = sv[1] };
  if (epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], &ev) < 0) perror("epoll_ctl");
  if (fork() == 0) { send(sv[0], "hi", 2, 0); _exit(0); }
  struct epoll_event out[2];
  int n = epoll_wait(ep, out, 2, -1);
  printf("epoll_wait %d fd %d events %x\n", n, out[0].data.fd, out[0].events);
  char buf[8] = {0};
  struct pollfd p = { sv[1], POLLIN, 0 };
  printf("poll %d revents %x\n", poll(&p, 1, 0), p.revents);
  printf("recv %zd %s\n", recv(sv[1], buf, 8, 0), buf);
  wait(0);
  if (mkfifo("f", 0600) < 0) perror("mkfifo");
  int fd = open("f", O_RDWR | O_NONBLOCK);
  printf("fifo fd %d fl %x\n", fd, fcntl(fd, F_GETFL));
  printf("flock %d\n", flock(fd, LOCK_EX));
  struct mq_attr a = { .mq_maxmsg = 4, .mq_msgsize = 16 };
  mqd_t q = mq_open("/q", O_CREAT | O_RDWR, 0600, &a);
  mq_send(q, "msg", 3, 5);
  unsigned prio; char m[16];
  ssize_t got = mq_receive(q, m, 16, &prio);
  printf("mq %d got %zd prio %u\n", q, got, prio);
  int l = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un sa = { AF_UNIX, "sock" };
  printf("bind %d listen %d\n", bind(l, (struct sockaddr *)&sa, sizeof sa), listen(l, 1));
  struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t);
  printf("mono %lld\n", (long long)t.tv_sec);
  return 0;
}
