#ifndef STRUTIL_H
#define STRUTIL_H
#include <stdio.h>
#include <string.h>

static inline char *copy_name(const char *prefix, int k) {
  char buf[32];
  snprintf(buf, sizeof buf, "%s%d", prefix, k);
  return strdup(buf);
}
#endif
