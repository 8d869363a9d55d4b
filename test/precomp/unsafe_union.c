// A union holding pointers can migrate only with a known active member:
// assignments to its members record it (snow_union_set_active); writes the
// pre-compiler cannot see are reported.
// RUN: %precomp --auto-poll=off %s -o %t.c -- 2> %t.err && sed "s,//.*,," %t.c | FileCheck %s
// RUN: FileCheck --check-prefix=DIAG %s < %t.err
// RUN: gcc -fsyntax-only -Wall -Werror %cflags %t.c
union value {
// DIAG: unsafe_union.c:[[@LINE-1]]:7: warning: snow: this union holds pointers; only its active member can migrate, so assignments to its members record which one is active, and a migration while the active member is unknown is refused [snow-union]
  long number;
  char *text;
};
struct cell { int tag; union value v; };

void set(struct cell *c, char *s, union value other) {
  c->v.text = s;
  // CHECK: c->v.text = s; snow_union_set_active(&(c->v), 1);
  c->v.number = 42;
  // CHECK: c->v.number = 42; snow_union_set_active(&(c->v), 0);
  char **where = &c->v.text;
  // DIAG: unsafe_union.c:[[@LINE-1]]:18: warning: snow: the address of a member of a union holding pointers is taken; writes through it do not record the active member [snow-union]
  c->v = other;
  // DIAG: unsafe_union.c:[[@LINE-1]]:8: warning: snow: a union holding pointers is assigned as a whole; its active member becomes unknown until a member is assigned [snow-union]
  *where = s;
}

// A write deeper inside a member (a struct in the union, an element of an
// array in it) makes that member active too.
union node_u {
  int leaf;
  struct { union node_u *l, *r; } bin;
  char *names[2];
};
struct node { int kind; union node_u u; };

void deep(struct node *e, union node_u *l, char *s) {
  e->u.bin.l = l;
  // CHECK: e->u.bin.l = l; snow_union_set_active(&(e->u), 1);
  e->u.names[1] = s;
  // CHECK: e->u.names[1] = s; snow_union_set_active(&(e->u), 2);
}

// A member written as the body of an if/else without braces: the record
// stays in that body.
struct tagged { int is_float; union { int i; double d; } v; };

void fill(struct tagged *t, int k) {
  if (k & 1) t->v.d = k / 2.0;
  else t->v.i = k;
  // CHECK: if (k & 1) { t->v.d = k / 2.0; snow_union_set_active(&(t->v), 1); }
  // CHECK-NEXT: else { t->v.i = k; snow_union_set_active(&(t->v), 0); }
}
