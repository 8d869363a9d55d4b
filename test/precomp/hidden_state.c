// C library functions with state of their own (strtok, rand/random,
// *rand48) become snow_* twins whose state migrates; they must give
// exactly what glibc's give to the same program built with cc.
// RUN: %precomp %s -o %t.c -- && sed "s,//.*,," %t.c | FileCheck %s
// RUN: %snowcc -O1 %s -o %t && gcc -O1 %s -o %t.cc && %t > %t.snow.out && %t.cc > %t.cc.out && diff %t.cc.out %t.snow.out
// CHECK: long m = snow_mrand48();
// CHECK: snow_srand(12345); snow_srandom(0);
// CHECK: for (t = snow_strtok({{.*}}buf{{.*}}, " ,"); t; t = snow_strtok(NULL, " ,"))
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv) {
  int i; long sum = 0; double d = 0; char buf[] = "a b,c  d,e";
  char *t;
  for (i = 0; i < 5; i++) printf("%d ", rand());
  { long m = mrand48(); long l = lrand48(); double dd = drand48(); printf("| %f %ld %ld\n", dd, l, m); }
  srand(12345); srandom(0);
  for (i = 0; i < 100000; i++) sum += rand() % 1000;
  srand48(987654321L);
  for (i = 0; i < 1000; i++) d += drand48();
  printf("%ld %.17g %ld %ld %ld\n", sum, d, lrand48(), mrand48(), random());
  for (t = strtok(buf, " ,"); t; t = strtok(NULL, " ,")) printf("[%s]", t);
  printf("\n");
  return 0;
}
