// Opening and closing calls are wrapped so that the runtime knows what is
// open: stdio streams on files move with the task (no diagnostic), a
// literal path under /tmp (private to each host) is reported, descriptors
// from open() move when they are on regular files (renumbered: reported),
// and what cannot move (pipes, sockets, duplicates, tmpfile, fdopen of a
// descriptor not opened by path) defers migration, with a diagnostic;
// reading standard input is reported (input stdio buffered stays behind).
// RUN: %precomp %s -o %t.c -- 2> %t.err && sed "s,//.*,," %t.c | FileCheck %s
// RUN: FileCheck --check-prefix=DIAG --implicit-check-not=warning: %s < %t.err
// RUN: gcc -fsyntax-only -Wall -Werror %cflags %t.c
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
int log_to(const char *path, int v) {
  FILE *f = fopen(path, "a");
  // CHECK: FILE *f = snow_exec_fopen(path, "a");
  int fd = open(path, O_RDONLY);
  // CHECK: int fd = snow_exec_open(path, O_RDONLY);
  // DIAG: unsafe_io.c:[[@LINE-2]]:12: warning: snow: 'open': the descriptor moves with the process when it is on a regular file (it is given a number from 256 up, which the destination gives it again); otherwise migration is deferred while it is open [snow-io]
  int x = 0;
  scanf("%d", &x);
  // DIAG: unsafe_io.c:[[@LINE-1]]:3: warning: snow: 'scanf' reads standard input; input that stdio buffered before a migration stays behind [snow-io]
  if (f) { fprintf(f, "%d\n", v + x); fclose(f); }
  // CHECK: snow_exec_fclose(f);
  return close(fd);
  // CHECK: return snow_exec_close(fd);
}
void streams(const char *path) {
  FILE *r = freopen(path, "w", stdout);
  // CHECK: FILE *r = snow_exec_freopen(path, "w", stdout);
  FILE *t = fopen("/tmp/scratch", "w");
  // CHECK: FILE *t = snow_exec_fopen("/tmp/scratch", "w");
  // DIAG: unsafe_io.c:[[@LINE-2]]:13: warning: snow: 'fopen' opens "/tmp/scratch", under /tmp, which each host has for itself: a migration is refused while it is open [snow-io]
  FILE *p = popen("sort", "w");
  // CHECK: FILE *p = snow_exec_popen("sort", "w");
  // DIAG: unsafe_io.c:[[@LINE-2]]:13: warning: snow: 'popen': a pipe cannot move with the process; migration is deferred while it is open [snow-io]
  FILE *a = tmpfile();
  // CHECK: FILE *a = snow_exec_tmpfile();
  // DIAG: unsafe_io.c:[[@LINE-2]]:13: warning: snow: 'tmpfile': an anonymous temporary file cannot move with the process; migration is deferred while it is open [snow-io]
  FILE *d = fdopen(3, "r");
  // CHECK: FILE *d = snow_exec_fdopen(3, "r");
  // DIAG: unsafe_io.c:[[@LINE-2]]:13: warning: snow: 'fdopen': the stream moves with the process only when its descriptor came from open() of a path in this program; otherwise migration is deferred while it is open [snow-io]
  pclose(p);
  // CHECK: snow_exec_pclose(p);
  int fds[2];
  pipe(fds);
  // CHECK: snow_exec_pipe(fds);
  // DIAG: unsafe_io.c:[[@LINE-2]]:3: warning: snow: 'pipe': a pipe cannot move with the process; migration is deferred while it is open [snow-io]
  int d2 = dup(fds[0]);
  // CHECK: int d2 = snow_exec_dup(fds[0]);
  // DIAG: unsafe_io.c:[[@LINE-2]]:12: warning: snow: 'dup': a duplicated descriptor cannot move
  close(d2); close(fds[0]); close(fds[1]);
  fclose(a); fclose(d); fclose(t); fclose(r);
}
