/* Parallel kernel MG, in the style of NAS MG: V-cycle multigrid for the
 * discrete 3D Poisson problem  A u = f  (7-point Laplacian, h = 1 on the
 * finest grid) with periodic boundaries on an N^3 cell-centred grid,
 * block-partitioned over P processes (a px*py*pz process grid).
 *
 * The first task (no parent) is rank 0: it spawns P-1 copies of this
 * program and sends each its rank and the table of task ids.  Every
 * process owns an (N/px)*(N/py)*(N/pz) block with one ghost layer and
 * exchanges its six faces with its neighbours (pvm_send/pvm_recv of
 * packed doubles) before every stencil sweep.  The smoother is weighted
 * Jacobi, restriction averages the 8 children, prolongation is trilinear;
 * the coarsest grid (where a process's block can no longer be halved in
 * some direction) gets a few sweeps, so the digits depend on P.
 *
 * After every V-cycle each process sends the sum of its residual squares
 * (summed in a fixed loop order) to rank 0, which adds them in rank order
 * and prints the L2 norm of the residual: the same bits on every run and
 * every architecture with IEEE doubles.
 *
 * With a fourth argument TIMES, every process also measures its wall time
 * from the start of the computation to its end and the part of it spent in
 * pvm_send/pvm_recv (and packing), and writes both to the file TIMES.RANK
 * at the end ("rank R exec_s X comm_s Y"); stdout stays the same.
 *
 * usage: mg_par [N] [P] [ITERATIONS] [TIMES]   (defaults 32 8 4; N a power
 *        of two, P a power of two with N/px >= 2 in every direction) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pvm3.h>

#define PROGRAM "mg_par"
#define MAXP 64
#define MAXLEV 16
#define TAG_SETUP 40
#define TAG_HALO 41 /* + direction 0..5 */
#define TAG_NORM 50
#define PRE_SWEEPS 2
#define POST_SWEEPS 2
#define COARSE_SWEEPS 8
#define OMEGA (2.0 / 3.0)
#define CHARGES 10

struct level {
  int nx, ny, nz; /* owned cells in each direction */
  double h2;      /* h squared */
  double *u, *f, *r;
};

static int nproc, rank, tids[MAXP];
static int pdim[3], pcoord[3];
static int nbr[6]; /* rank of the neighbour in direction d: -x +x -y +y -z +z */
static struct level lev[MAXLEV];
static int nlev;
static double *sendbuf, *recvbuf;
static char times_file[512]; /* TIMES argument, empty: no timing */
static double comm_seconds;  /* spent in communication so far */

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

#define AT(L, i, j, k) ((((i) * ((L)->ny + 2)) + (j)) * ((L)->nz + 2) + (k))

static int rank_of(int cx, int cy, int cz) {
  cx = (cx + pdim[0]) % pdim[0];
  cy = (cy + pdim[1]) % pdim[1];
  cz = (cz + pdim[2]) % pdim[2];
  return (cx * pdim[1] + cy) * pdim[2] + cz;
}

/* split P over the three directions: each doubling goes to the direction
 * with the most cells per process (x first on a tie) */
static void decompose(int n, int p) {
  int cells[3] = { n, n, n }, d;
  pdim[0] = pdim[1] = pdim[2] = 1;
  while (p > 1) {
    d = 0;
    if (cells[1] > cells[d]) d = 1;
    if (cells[2] > cells[d]) d = 2;
    pdim[d] *= 2;
    cells[d] /= 2;
    p /= 2;
  }
  pcoord[0] = rank / (pdim[1] * pdim[2]);
  pcoord[1] = (rank / pdim[2]) % pdim[1];
  pcoord[2] = rank % pdim[2];
  nbr[0] = rank_of(pcoord[0] - 1, pcoord[1], pcoord[2]);
  nbr[1] = rank_of(pcoord[0] + 1, pcoord[1], pcoord[2]);
  nbr[2] = rank_of(pcoord[0], pcoord[1] - 1, pcoord[2]);
  nbr[3] = rank_of(pcoord[0], pcoord[1] + 1, pcoord[2]);
  nbr[4] = rank_of(pcoord[0], pcoord[1], pcoord[2] - 1);
  nbr[5] = rank_of(pcoord[0], pcoord[1], pcoord[2] + 1);
}

static void setup_levels(int n) {
  int nx = n / pdim[0], ny = n / pdim[1], nz = n / pdim[2];
  double h = 1.0;
  size_t face = 0;
  nlev = 0;
  for (;;) {
    struct level *L = &lev[nlev++];
    size_t cells = (size_t)(nx + 2) * (ny + 2) * (nz + 2);
    L->nx = nx;
    L->ny = ny;
    L->nz = nz;
    L->h2 = h * h;
    L->u = calloc(cells, sizeof(double));
    L->f = calloc(cells, sizeof(double));
    L->r = calloc(cells, sizeof(double));
    if (!L->u || !L->f || !L->r) {
      fprintf(stderr, PROGRAM ": out of memory\n");
      exit(1);
    }
    if (nx % 2 || ny % 2 || nz % 2 || nlev == MAXLEV) break;
    nx /= 2;
    ny /= 2;
    nz /= 2;
    h *= 2;
  }
  { /* the finest level has the largest faces (with their ghost cells) */
    size_t x = (size_t)lev[0].nx + 2, y = (size_t)lev[0].ny + 2, z = (size_t)lev[0].nz + 2;
    face = x * y > y * z ? x * y : y * z;
    if (x * z > face) face = x * z;
  }
  sendbuf = malloc(face * sizeof(double));
  recvbuf = malloc(face * sizeof(double));
}

/* copy face d of the owned block (d even: the low side) into buf, or the
 * ghost layer on side d from buf.  Directions before d's include their
 * ghost cells, so exchanging x, then y, then z fills edges and corners. */
static int face_io(struct level *L, double *a, int d, double *buf, int to_ghost) {
  int i, j, k, m = 0, e;
  int lo[3] = { 1, 1, 1 }, hi[3] = { L->nx, L->ny, L->nz };
  int dim = d / 2, side = d % 2;
  int owned = side ? hi[dim] : 1, ghost = side ? hi[dim] + 1 : 0;
  for (e = 0; e < dim; e++) {
    lo[e] = 0;
    hi[e] += 1;
  }
  lo[dim] = hi[dim] = to_ghost ? ghost : owned;
  for (i = lo[0]; i <= hi[0]; i++)
    for (j = lo[1]; j <= hi[1]; j++)
      for (k = lo[2]; k <= hi[2]; k++) {
        if (to_ghost)
          a[AT(L, i, j, k)] = buf[m];
        else
          buf[m] = a[AT(L, i, j, k)];
        m++;
      }
  return m;
}

/* fill the ghost layer of a (faces, edges, corners) from the neighbours,
 * one direction at a time: my face d goes to the neighbour on side d,
 * which stores it as its ghost on the opposite side */
static void exchange(struct level *L, double *a) {
  int dim, d, m;
  double t0;
  for (dim = 0; dim < 3; dim++) {
    for (d = 2 * dim; d < 2 * dim + 2; d++) {
      m = face_io(L, a, d, sendbuf, 0);
      if (nbr[d] == rank) {
        face_io(L, a, d ^ 1, sendbuf, 1);
        continue;
      }
      t0 = now();
      pvm_initsend(PvmDataDefault);
      pvm_pkdouble(sendbuf, m, 1);
      pvm_send(tids[nbr[d]], TAG_HALO + d);
      comm_seconds += now() - t0;
    }
    for (d = 2 * dim; d < 2 * dim + 2; d++) {
      /* the ghost on side d comes from the neighbour on side d, which sent
       * its face on the opposite side */
      if (nbr[d] == rank) continue;
      m = face_io(L, a, d, recvbuf, 0);
      t0 = now();
      pvm_recv(tids[nbr[d]], TAG_HALO + (d ^ 1));
      pvm_upkdouble(recvbuf, m, 1);
      comm_seconds += now() - t0;
      face_io(L, a, d, recvbuf, 1);
    }
  }
}

/* r = f - A u on the owned cells (u's ghosts must be current) */
static void residual(struct level *L) {
  int i, j, k;
  int sj = L->nz + 2, si = (L->ny + 2) * sj;
  for (i = 1; i <= L->nx; i++)
    for (j = 1; j <= L->ny; j++)
      for (k = 1; k <= L->nz; k++) {
        int c = AT(L, i, j, k);
        double au = (L->u[c - si] + L->u[c + si] + L->u[c - sj] + L->u[c + sj] + L->u[c - 1] + L->u[c + 1] -
                     6.0 * L->u[c]) / L->h2;
        L->r[c] = L->f[c] - au;
      }
}

/* one weighted Jacobi sweep: u += omega * D^-1 r, D = -6/h^2 */
static void smooth(struct level *L, int sweeps) {
  int s, i, j, k;
  for (s = 0; s < sweeps; s++) {
    exchange(L, L->u);
    residual(L);
    for (i = 1; i <= L->nx; i++)
      for (j = 1; j <= L->ny; j++)
        for (k = 1; k <= L->nz; k++) {
          int c = AT(L, i, j, k);
          L->u[c] -= OMEGA * L->h2 / 6.0 * L->r[c];
        }
  }
}

static void vcycle(int l) {
  struct level *L = &lev[l], *C;
  int i, j, k, a, b, e;
  if (l == nlev - 1) {
    smooth(L, COARSE_SWEEPS);
    return;
  }
  C = &lev[l + 1];
  smooth(L, PRE_SWEEPS);
  exchange(L, L->u);
  residual(L);
  for (i = 1; i <= C->nx; i++)
    for (j = 1; j <= C->ny; j++)
      for (k = 1; k <= C->nz; k++) {
        double s = 0;
        for (a = 0; a < 2; a++)
          for (b = 0; b < 2; b++)
            for (e = 0; e < 2; e++) s += L->r[AT(L, 2 * i - 1 + a, 2 * j - 1 + b, 2 * k - 1 + e)];
        C->f[AT(C, i, j, k)] = s / 8.0;
        C->u[AT(C, i, j, k)] = 0.0;
      }
  vcycle(l + 1);
  /* trilinear interpolation: a fine cell gets 3/4 of its parent and 1/4 of
   * the parent's neighbour on its side, in each direction */
  exchange(C, C->u);
  for (i = 1; i <= L->nx; i++)
    for (j = 1; j <= L->ny; j++)
      for (k = 1; k <= L->nz; k++) {
        int pi = (i + 1) / 2, pj = (j + 1) / 2, pk = (k + 1) / 2;
        int qi = i % 2 ? pi - 1 : pi + 1, qj = j % 2 ? pj - 1 : pj + 1, qk = k % 2 ? pk - 1 : pk + 1;
        double v = 27.0 * C->u[AT(C, pi, pj, pk)] + 9.0 * C->u[AT(C, qi, pj, pk)] + 9.0 * C->u[AT(C, pi, qj, pk)] +
                   9.0 * C->u[AT(C, pi, pj, qk)] + 3.0 * C->u[AT(C, qi, qj, pk)] + 3.0 * C->u[AT(C, qi, pj, qk)] +
                   3.0 * C->u[AT(C, pi, qj, qk)] + C->u[AT(C, qi, qj, qk)];
        L->u[AT(L, i, j, k)] += v / 64.0;
      }
  smooth(L, POST_SWEEPS);
}

/* the right-hand side: CHARGES cells of +1 and CHARGES of -1 at positions
 * drawn by a fixed linear congruential generator over the whole grid */
static void charges(int n) {
  struct level *L = &lev[0];
  unsigned long s = 314159265UL;
  int q, d, g[3];
  for (q = 0; q < 2 * CHARGES; q++) {
    for (d = 0; d < 3; d++) {
      s = (s * 1103515245UL + 12345UL) % 2147483648UL;
      g[d] = (int)((s >> 8) % (unsigned long)n);
    }
    if (g[0] / L->nx == pcoord[0] && g[1] / L->ny == pcoord[1] && g[2] / L->nz == pcoord[2])
      L->f[AT(L, g[0] % L->nx + 1, g[1] % L->ny + 1, g[2] % L->nz + 1)] += q < CHARGES ? 1.0 : -1.0;
  }
}

/* the L2 norm of the finest residual: local sums in loop order, added by
 * rank 0 in rank order; only rank 0 gets the result */
static double residual_norm(int n) {
  struct level *L = &lev[0];
  double local = 0, total = 0, part, t0;
  int i, j, k, p;
  exchange(L, L->u);
  residual(L);
  for (i = 1; i <= L->nx; i++)
    for (j = 1; j <= L->ny; j++)
      for (k = 1; k <= L->nz; k++) local += L->r[AT(L, i, j, k)] * L->r[AT(L, i, j, k)];
  t0 = now();
  if (rank != 0) {
    pvm_initsend(PvmDataDefault);
    pvm_pkdouble(&local, 1, 1);
    pvm_send(tids[0], TAG_NORM);
    comm_seconds += now() - t0;
    return 0;
  }
  total = local;
  for (p = 1; p < nproc; p++) {
    pvm_recv(tids[p], TAG_NORM);
    pvm_upkdouble(&part, 1, 1);
    total += part;
  }
  comm_seconds += now() - t0;
  return sqrt(total / ((double)n * n * n));
}

static int power_of_two(int x) { return x > 0 && (x & (x - 1)) == 0; }

/* TIMES.RANK: this process's wall and communication seconds */
static void write_times(double exec_seconds) {
  char name[600];
  FILE *f;
  if (!times_file[0]) return;
  snprintf(name, sizeof name, "%s.%d", times_file, rank);
  f = fopen(name, "w");
  if (!f) {
    perror(name);
    return;
  }
  fprintf(f, "rank %d exec_s %.6f comm_s %.6f\n", rank, exec_seconds, comm_seconds);
  fclose(f);
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 32;
  int p = argc > 2 ? atoi(argv[2]) : 8;
  int iters = argc > 3 ? atoi(argv[3]) : 4;
  int setup[4], it, parent;
  double norm, start;

  if (pvm_mytid() < 0) return 1;
  if (argc > 4 && strlen(argv[4]) < sizeof times_file) strcpy(times_file, argv[4]);
  parent = pvm_parent();
  if (parent == PvmNoParent) {
    if (!power_of_two(n) || !power_of_two(p) || p > MAXP || (long)p > (long)n * n * n / 8 || iters < 0) {
      fprintf(stderr, "usage: " PROGRAM " [N] [P] [ITERATIONS]: N and P powers of two, P <= %d, N^3/P >= 8\n", MAXP);
      pvm_exit();
      return 2;
    }
    rank = 0;
    nproc = p;
    tids[0] = pvm_mytid();
    if (p > 1 && pvm_spawn(PROGRAM, argc > 4 ? argv + 1 : NULL, PvmTaskDefault, "", p - 1, tids + 1) != p - 1) {
      fprintf(stderr, PROGRAM ": could not spawn %d tasks\n", p - 1);
      pvm_exit();
      return 1;
    }
    for (it = 1; it < p; it++) {
      setup[0] = n;
      setup[1] = p;
      setup[2] = iters;
      setup[3] = it;
      pvm_initsend(PvmDataDefault);
      pvm_pkint(setup, 4, 1);
      pvm_pkint(tids, p, 1);
      pvm_send(tids[it], TAG_SETUP);
    }
  } else {
    pvm_recv(parent, TAG_SETUP);
    pvm_upkint(setup, 4, 1);
    n = setup[0];
    nproc = setup[1];
    iters = setup[2];
    rank = setup[3];
    pvm_upkint(tids, nproc, 1);
  }
  start = now();
  decompose(n, nproc);
  setup_levels(n);
  charges(n);
  if (rank == 0) {
    printf("MG: %d^3 grid, %d processes (%dx%dx%d), %d levels, %d iterations\n", n, nproc, pdim[0], pdim[1],
           pdim[2], nlev, iters);
    fflush(stdout);
  }
  norm = residual_norm(n);
  if (rank == 0) {
    printf("iteration 0: residual %.17e\n", norm);
    fflush(stdout);
  }
  for (it = 1; it <= iters; it++) {
    vcycle(0);
    norm = residual_norm(n);
    if (rank == 0) {
      printf("iteration %d: residual %.17e\n", it, norm);
      fflush(stdout);
    }
  }
  if (rank == 0) {
    printf("final residual %.17e\n", norm);
    fflush(stdout);
  }
  write_times(now() - start);
  pvm_exit();
  return 0;
}
