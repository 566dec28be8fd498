/* netns.c: the agent's network namespace (issue 17). The agent unshares CLONE_NEWNET with its
 * other namespaces (agent.c enter_namespaces): abstract AF_UNIX names are per network
 * namespace, so a run's never meet the host's, and a traced process can reach no address but
 * its own loopback (the namespace has no other interface; host-isolation.test.ts checks it).
 * `lo` starts down in a new namespace: bring it up as root inside it (SIOCSIFFLAGS), so that
 * later TCP work has 127.0.0.1. */

#include <net/if.h>
#include <sys/ioctl.h>

static void loopback_up(void) {
  int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s < 0) die("socket for lo: %s", strerror(errno));
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  strncpy(ifr.ifr_name, "lo", sizeof ifr.ifr_name - 1);
  if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) die("SIOCGIFFLAGS lo: %s", strerror(errno));
  ifr.ifr_flags |= IFF_UP;
  if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) die("SIOCSIFFLAGS lo: %s", strerror(errno));
  close(s);
}
