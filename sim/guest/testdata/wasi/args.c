#include <stdio.h>
#include <stdlib.h>
extern char **environ;
int main(int argc, char **argv) {
  int n = 0;
  for (char **e = environ; e && *e; e++) n++;
  printf("argc %d argv[0] %s env %d HOME %s\n", argc, argv[0], n, getenv("HOME") ? "set" : "unset");
  return 0;
}
