// The generated C carries #line directives, so the C compiler's messages
// (and debuggers) point at the user's source, not at generated lines.
// RUN: %precomp %s -o %t.c --
// RUN: not gcc -c -Wall -Werror %cflags %t.c -o %t.o 2>&1 | FileCheck %s
void g(int);
int f(int n) {
  int i;
  for (i = 0; i < n; i++)
    g(i);
  {
    int unused_here;
    // CHECK: line_directives.c:[[@LINE-1]]:9: error: unused variable {{.*}}unused_here
  }
  return n;
}
