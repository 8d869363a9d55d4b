/* Function pointers and dispatch tables: a little stack machine whose
 * opcodes are executed through a table of handlers, plus a "class" of
 * operations held in a struct of function pointers chosen at run time.
 * usage: dispatch [RUNS] */
#include <stdio.h>
#include <stdlib.h>

enum { OP_PUSH, OP_ADD, OP_MUL, OP_DUP, OP_SWAP, OP_JNZ, OP_DEC, OP_POP, OP_MOD, OP_HALT, NOPS };

struct vm {
  int stack[64];
  int sp;
  int pc;
  long long steps;
};

typedef void (*handler)(struct vm *, const int *);

static void op_push(struct vm *m, const int *code) { m->stack[m->sp++] = code[m->pc + 1]; m->pc += 2; }
static void op_add(struct vm *m, const int *code) { (void)code; m->sp--; m->stack[m->sp - 1] += m->stack[m->sp]; m->pc++; }
static void op_mul(struct vm *m, const int *code) { (void)code; m->sp--; m->stack[m->sp - 1] *= m->stack[m->sp]; m->pc++; }
static void op_mod(struct vm *m, const int *code) { (void)code; m->sp--; m->stack[m->sp - 1] %= m->stack[m->sp]; m->pc++; }
static void op_dup(struct vm *m, const int *code) { (void)code; m->stack[m->sp] = m->stack[m->sp - 1]; m->sp++; m->pc++; }
static void op_pop(struct vm *m, const int *code) { (void)code; m->sp--; m->pc++; }
static void op_dec(struct vm *m, const int *code) { (void)code; m->stack[m->sp - 1]--; m->pc++; }
static void op_swap(struct vm *m, const int *code) {
  int t = m->stack[m->sp - 1];
  (void)code;
  m->stack[m->sp - 1] = m->stack[m->sp - 2];
  m->stack[m->sp - 2] = t;
  m->pc++;
}
static void op_jnz(struct vm *m, const int *code) {
  if (m->stack[m->sp - 1]) m->pc = code[m->pc + 1]; else m->pc += 2;
}

static const handler table[NOPS] = {
  [OP_PUSH] = op_push, [OP_ADD] = op_add, [OP_MUL] = op_mul, [OP_DUP] = op_dup, [OP_SWAP] = op_swap,
  [OP_JNZ] = op_jnz, [OP_DEC] = op_dec, [OP_POP] = op_pop, [OP_MOD] = op_mod, [OP_HALT] = NULL,
};

/* acc = 1; for (i = N; i; i--) acc = (acc * 31 + i) % 1000003 */
static int program[] = {
  OP_PUSH, 1,          /* acc */
  OP_PUSH, 0,          /* i (patched) */
  /* loop at 4: stack acc i */
  OP_SWAP, OP_PUSH, 31, OP_MUL,   /* i acc*31 */
  OP_SWAP, OP_DUP,                /* acc*31 i i */
  OP_PUSH, 0, OP_ADD,             /* no-op add keeps the table busy */
  OP_SWAP, OP_POP,                /* acc*31 i   (drop the copy) */
  OP_DUP,                         /* acc*31 i i */
  OP_SWAP, OP_POP,                /* acc*31 i */
  OP_SWAP,                        /* i acc*31 */
  OP_PUSH, 0, OP_ADD,             /* i acc*31 */
  OP_SWAP, OP_DUP,                /* acc*31 i i */
  OP_PUSH, 0, OP_SWAP, OP_POP,    /* acc*31 i i */
  OP_POP,                         /* acc*31 i */
  OP_DUP, OP_PUSH, 0, OP_ADD,     /* acc*31 i i */
  OP_SWAP, OP_POP,                /* acc*31 i */
  OP_SWAP, OP_PUSH, 1000003, OP_MOD, /* i acc' */
  OP_SWAP, OP_DEC,                /* acc' i-1 */
  OP_JNZ, 4,
  OP_POP, OP_HALT,
};

static int run(int n, long long *steps) {
  struct vm m = { { 0 }, 0, 0, 0 };
  program[3] = n;
  while (program[m.pc] != OP_HALT) {
    table[program[m.pc]](&m, program);
    m.steps++;
  }
  *steps = m.steps;
  return m.stack[0];
}

/* an "object" with a vtable */
struct shape_ops {
  const char *name;
  int (*area)(int);
  int (*perimeter)(int);
};
static int sq_area(int a) { return a * a; }
static int sq_per(int a) { return 4 * a; }
static int tri_area(int a) { return a * a / 2; }
static int tri_per(int a) { return 3 * a; }
static const struct shape_ops square = { "square", sq_area, sq_per };
static const struct shape_ops triangle = { "triangle", tri_area, tri_per };

int main(int argc, char **argv) {
  int runs = argc > 1 ? atoi(argv[1]) : 300;
  const struct shape_ops *kinds[] = { &square, &triangle };
  unsigned total = 0;
  int r;
  for (r = 1; r <= runs; r++) {
    long long steps;
    int v = run(r * 50, &steps);
    const struct shape_ops *k = kinds[v % 2];
    int (*f)(int) = r % 3 ? k->area : k->perimeter;
    total = total * 17u + (unsigned)f(v % 1000);
    if (r % 25 == 0) printf("run %d: result %d after %lld steps, %s %u\n", r, v, steps, k->name, total);
  }
  printf("total %u\n", total);
  return 0;
}
