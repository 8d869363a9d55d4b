// Pointer <-> integer conversions hide pointers from translation: a pointer
// turned into an integer migrates as a number (warning); an integer turned
// into a pointer is refused unless --allow-int-to-pointer.  Null pointer
// constants are fine.
// RUN: not %precomp %s -o %t.c -- 2>&1 | FileCheck --check-prefix=REFUSE %s
// RUN: %precomp --allow-int-to-pointer %s -o %t.c -- 2>&1 | FileCheck --check-prefix=ALLOW %s
#include <stdint.h>
#include <stddef.h>
int table[4];
intptr_t hide(void) {
  intptr_t h = (intptr_t)&table[1];
  // REFUSE: unsafe_pointer_cast.c:[[@LINE-1]]:16: warning: snow: pointer converted to an integer: after a migration the number no longer designates the object; it migrates as a plain number [snow-pointer-cast]
  char *nothing = (char *)0;
  // REFUSE-NOT: unsafe_pointer_cast.c:[[@LINE-1]]
  return h + (intptr_t)NULL;
}
int *reveal(intptr_t h) {
  return (int *)h;
  // REFUSE: unsafe_pointer_cast.c:[[@LINE-1]]:10: error: snow: integer converted to a pointer: a pointer hidden in an integer cannot be translated to the destination's memory; refusing (use --allow-int-to-pointer to migrate it as a plain number) [snow-pointer-cast]
  // ALLOW: unsafe_pointer_cast.c:[[@LINE-2]]:10: warning: snow: integer converted to a pointer: {{.*}} (allowed by --allow-int-to-pointer) [snow-pointer-cast]
}
// REFUSE: precomp: {{.*}}unsafe_pointer_cast.c: not translated
