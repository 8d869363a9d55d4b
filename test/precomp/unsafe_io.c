// Open files and descriptors cannot move with the process: opening calls
// are wrapped so that migration waits until they are closed; reading
// standard input is reported (input stdio buffered stays behind).
// RUN: %precomp %s -o %t.c -- 2> %t.err && sed "s,//.*,," %t.c | FileCheck %s
// RUN: FileCheck --check-prefix=DIAG %s < %t.err
// RUN: gcc -fsyntax-only -Wall -Werror %cflags %t.c
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
int log_to(const char *path, int v) {
  FILE *f = fopen(path, "a");
  // CHECK: FILE *f = snow_exec_fopen(path, "a");
  // DIAG: unsafe_io.c:[[@LINE-2]]:13: warning: snow: 'fopen' opens a file or descriptor, and those cannot move with the process; migration is deferred while it is open [snow-io]
  int fd = open(path, O_RDONLY);
  // CHECK: int fd = snow_exec_open(path, O_RDONLY);
  // DIAG: unsafe_io.c:[[@LINE-2]]:12: warning: snow: 'open' opens a file or descriptor
  int x = 0;
  scanf("%d", &x);
  // DIAG: unsafe_io.c:[[@LINE-1]]:3: warning: snow: 'scanf' reads standard input; input that stdio buffered before a migration stays behind [snow-io]
  if (f) { fprintf(f, "%d\n", v + x); fclose(f); }
  // CHECK: snow_exec_fclose(f);
  return close(fd);
  // CHECK: return snow_exec_close(fd);
}
