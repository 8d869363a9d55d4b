/*
 * snow_exec.h -- execution state of pre-compiled programs (seed 000).
 *
 * `precomp` (run by `snowcc`) turns an ordinary PVM C program into one that
 * can leave its host in the middle of a computation, at any depth of nested
 * or recursive calls, and resume on a machine of another architecture.  The
 * generated C includes this header; nothing here is meant to be written by
 * hand.  The protocol (doc/design/exec-state.md):
 *
 *   Capture by UNWINDING.  A poll-point with a pending migration calls
 *   snow_exec_poll(), which asks the migration protocol to start
 *   (snow_migrate_begin).  Once the process is committed to leave,
 *   snow_exec_state becomes SNOW_EXEC_UNWINDING: the function saves the
 *   variables that are live at the poll-point into a *frame record* (a typed
 *   heap block of the memory-state runtime) and returns.  Every caller
 *   checks snow_exec_state right after each call that may migrate, saves its
 *   own live variables with the resume point of that call, and returns in
 *   turn.  main() finally hands the chain of records to the migration
 *   protocol (snow_migrate_finish), which moves them with the rest of the
 *   memory state.
 *
 *   Resume by RE-ENTRY.  On the destination main() starts again, finds
 *   itself restored (snow_start() == 1) and sets SNOW_EXEC_RESTORING.
 *   Every function on the chain, on entry, takes its record, restores its
 *   live variables and jumps to its resume point; a call resume point calls
 *   the next function down, until the innermost frame continues right after
 *   its poll-point (or re-issues the message call that was interrupted).
 *
 * Hot-path cost: two adjacent loads per poll-point (snow_poll_pending, set
 * by the migration protocol, and snow_exec_attention, set only by the test
 * hooks below), one load of snow_exec_state per function entry and after
 * each call that may migrate.
 *
 * Test hooks (environment of the process; each logged when active):
 *   SNOW_EXEC_REHEARSE=K   at the K-th poll-point, unwind the whole chain and
 *                          re-enter it in place, without migrating
 *   SNOW_EXEC_TRIGGER=K:F[:ARCH[:PROGRAM]]
 *                          at the K-th migration point (poll-point or
 *                          message call), write this task's tid to file F
 *                          and wait for a real migration request (`snow
 *                          migrate`), then migrate from there; only tasks
 *                          on ARCH (x86_64, i386, s390x; empty: any) and
 *                          running PROGRAM, when given; the first task to
 *                          create F wins; removing F ends the wait (for a
 *                          migration that fails before its request)
 *   SNOW_EXEC_COUNT=F      count executed migration points; write the count
 *                          to F at exit
 */
#ifndef SNOW_EXEC_H
#define SNOW_EXEC_H

#include "snowpvm.h"
#include "snowpvm_msr.h"

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ state */
enum snow_exec_mode {
  SNOW_EXEC_RUNNING = 0,   /* normal execution                              */
  SNOW_EXEC_UNWINDING = 1, /* committed to migrate: save frames and return  */
  SNOW_EXEC_RESTORING = 2  /* re-entering the saved chain                   */
};
extern int snow_exec_state;
/* Non-zero while a test hook wants every poll-point's slow path. */
extern volatile int snow_exec_attention;

/* The header of every frame record.  A record is a heap block of the MSR
 * runtime whose type is the generated `struct __snow_frame_<function>`; the
 * chain from main (outermost) to the migration point (innermost) is linked
 * through `next` and rooted in a tracked global, so the memory-state
 * runtime moves and translates it like any other data structure. */
struct snow_frame {
  struct snow_frame *next; /* record of the callee (towards the poll-point) */
  unsigned int function;   /* checksum of "unit:function", checked on resume */
  int resume;              /* resume point inside that function             */
};
extern const snow_type snow_exec_frame_type; /* descriptor of the header  */

/* --------------------------------------------------- generated-code macros */
#define SNOW_RESTORING() __builtin_expect(snow_exec_state != SNOW_EXEC_RUNNING, 0)

/* A poll-point: one load on the hot path. */
#define SNOW_POLL(k)                                                   \
  do {                                                                 \
    if (__builtin_expect((snow_poll_pending | snow_exec_attention) != 0, 0) && \
        snow_exec_poll())                                              \
      goto __snow_unwind_##k;                                          \
  } while (0)

/* A call that may migrate: after it returns, unwind if the callee did. */
#define SNOW_CALL(k, call)                                             \
  ({                                                                   \
    __typeof__(call) __snow_v = (call);                                \
    if (__builtin_expect(snow_exec_state != SNOW_EXEC_RUNNING, 0))     \
      goto __snow_unwind_##k;                                          \
    __snow_v;                                                          \
  })
#define SNOW_CALL_VOID(k, call)                                        \
  ({                                                                   \
    (call);                                                            \
    if (__builtin_expect(snow_exec_state != SNOW_EXEC_RUNNING, 0))     \
      goto __snow_unwind_##k;                                          \
  })

/* A message call of the communication runtime: a migration point like a
 * poll-point before it is issued, and while it blocks: SnowUnwinding means
 * a migration request arrived while the call was blocked, and the runtime
 * has started the migration (the call itself had no effect).  Either way
 * the process unwinds, and on resume issues the call again. */
#define SNOW_COMM(k, call)                                             \
  ({                                                                   \
    int __snow_v;                                                      \
    if (__builtin_expect((snow_poll_pending | snow_exec_attention) != 0, 0) && \
        snow_exec_comm_point())                                        \
      goto __snow_unwind_##k;                                          \
    while ((__snow_v = (call)) == SnowUnwinding)                       \
      if (snow_exec_migration_point()) goto __snow_unwind_##k;         \
    __snow_v;                                                          \
  })

/* ----------------------------------------------------------- frame records */
/* Unwinding: make (or reuse) the record of this frame, stamp the resume
 * point, put it at the head of the chain.  Returns the record. */
void *snow_exec_frame_save(const snow_type *type, void *record, unsigned int function,
                           int resume);
/* Restoring: take the head of the chain; aborts with a clear message when
 * it is not a record of `function` (the program differs from the one that
 * saved the state). */
void *snow_exec_frame_resume(const snow_type *type, unsigned int function);
/* A call resume point has copied its variables out: free the record. */
void snow_exec_frame_release(void *record);
/* The innermost frame has restored itself: normal execution again. */
void snow_exec_restored(void *record, int keep);

/* Shadow frames: locals whose address escapes live in the frame record for
 * the whole call, so that pointers to them are translated like pointers
 * into any heap block.  `mark` is the address of a local of the caller's
 * frame; records of frames that have returned are reclaimed lazily. */
void *snow_exec_shadow_enter(const snow_type *type, void *mark);
void snow_exec_shadow_adopt(void *record, void *mark);

/* --------------------------------------------------------- migration points */
/* Slow path of a poll-point (a request is pending): returns 1 when the
 * process is committed to migrate and must unwind, 0 to carry on. */
int snow_exec_poll(void);
/* Slow path before a message call (a request is pending): 1 = unwind. */
int snow_exec_comm_point(void);
/* A message call returned SnowUnwinding: 1 = unwind (always, once the
 * communication runtime committed), 0 = issue it again. */
int snow_exec_migration_point(void);
/* Asked by the communication runtime: may a blocking message call of this
 * process return SnowUnwinding now?  (pre-compiled and not inhibited) */
int snow_exec_unwind_ok(void);

/* Functions that cannot unwind (setjmp, inline asm, varargs, VLAs) but call
 * functions that may migrate defer migration while they run. */
void snow_exec_inhibit_enter(void);
void snow_exec_inhibit_leave(void);

/* -------------------------------------------------------------------- main */
/* First statement of a pre-compiled main(): registers the program's units,
 * copies argv into memory blocks, and if this process was started to
 * receive a migrated process (snow_start() == 1), sets SNOW_EXEC_RESTORING. */
void snow_exec_main_enter(int *argc, char ***argv);
/* main() has saved its frame while unwinding: finish the migration (does
 * not return on success).  On failure the state is restored in place and
 * main() re-enters the chain, continuing on this host. */
void snow_exec_main_unwound(void);

/* ----------------------------------------------------------- registration */
struct snow_exec_global {
  void *addr;
  const snow_type *type;
  const char *name; /* "name" for external, "unit:name" for static objects */
};
struct snow_exec_function {
  void (*fn)(void);
  const char *name;
};
struct snow_exec_unit {
  const char *file;
  const struct snow_exec_global *globals;
  size_t nglobals;
  const struct snow_exec_function *functions;
  size_t nfunctions;
  const snow_type *const *types; /* every descriptor the unit defines */
  size_t ntypes;
  int uses_pvm;                  /* the unit calls libpvm                */
  struct snow_exec_unit *next;   /* filled by snow_exec_add_unit         */
};
/* Called from a constructor of every pre-compiled translation unit. */
void snow_exec_add_unit(struct snow_exec_unit *unit);
/* For the memory-state runtime: every descriptor of every unit, so heap
 * blocks (frame records included) can be restored with this platform's
 * layout.  Calls `fn` once per descriptor. */
void snow_exec_for_each_type(void (*fn)(const snow_type *type, void *arg), void *arg);

/* ------------------------------------------- library-owned memory and I/O */
/* pvm_config/pvm_tasks/pvm_siblings return libpvm's own memory; these copy
 * it into memory blocks (valid until the next call, as in PVM). */
int snow_exec_config(int *nhost, int *narch, struct pvmhostinfo **hostp);
int snow_exec_tasks(int where, int *ntask, struct pvmtaskinfo **taskp);
int snow_exec_siblings(int **tids);

/* C library functions with state of their own (strtok's position, the
 * random generators): the same results, with the state in the program's
 * memory state (libsnowpvm/exec/libc_hidden_state.cpp). */
char *snow_strtok(char *s, const char *delim);
int snow_rand(void);
void snow_srand(unsigned seed);
long snow_random(void);
void snow_srandom(unsigned seed);
double snow_drand48(void);
long snow_lrand48(void);
long snow_mrand48(void);
void snow_srand48(long seed);

/* signal() and sigaction(): as libc, and the disposition moves with the
 * task (libsnowpvm/exec/signal_handlers.cpp); SIGUSR1 and SIGUSR2 are
 * SNOW's own and refused (EINVAL). */
struct sigaction;
void (*snow_exec_signal(int sig, void (*handler)(int)))(int);
int snow_exec_sigaction(int sig, const struct sigaction *act, struct sigaction *oldact);

/* stdio streams and descriptors on files move with the task: the
 * destination reopens them by path at the same position, descriptors with
 * the same number (libsnowpvm/exec/open_files.h; open() returns numbers
 * from 256 up for that).  Pipes, sockets, duplicates and tmpfile() cannot
 * move: migration is deferred while the program holds any. */
FILE *snow_exec_fopen(const char *path, const char *mode);
FILE *snow_exec_freopen(const char *path, const char *mode, FILE *stream);
FILE *snow_exec_fdopen(int fd, const char *mode);
FILE *snow_exec_popen(const char *command, const char *mode);
FILE *snow_exec_tmpfile(void);
int snow_exec_fclose(FILE *f);
int snow_exec_pclose(FILE *f);
int snow_exec_open(const char *path, int flags, ...);
int snow_exec_close(int fd);
int snow_exec_socket(int domain, int type, int protocol);
int snow_exec_pipe(int fds[2]);
int snow_exec_dup(int fd);
int snow_exec_dup2(int fd, int to);
/* PVM groups: served by the SNOW scheduler by virtual tid, so members
 * migrate freely (doc/groups.md); libgpvm3's calls without a scheduler.
 * snow_barrier, snow_reduce, snow_gather and snow_scatter are migration
 * points (they may return SnowUnwinding and are called again after the
 * restore). */
int snow_joingroup(char *group);
int snow_lvgroup(char *group);
int snow_gettid(char *group, int inst);
int snow_getinst(char *group, int tid);
int snow_gsize(char *group);
int snow_freezegroup(char *group, int size);
int snow_barrier(char *group, int count);
int snow_bcast(char *group, int msgtag);
int snow_reduce(void (*func)(int *, void *, void *, int *, int *), void *data, int count, int datatype,
                int msgtag, char *group, int rootinst);
int snow_gather(void *result, void *data, int count, int datatype, int msgtag, char *group, int rootinst);
int snow_scatter(void *result, void *data, int count, int datatype, int msgtag, char *group, int rootinst);

#ifdef __cplusplus
}
#endif

#endif /* SNOW_EXEC_H */
