/*
 * snowpvm.h -- the SNOW-PVM runtime API.
 *
 * A PVM 3.4 program becomes migratable by replacing its pvm_* task and
 * message calls with the snow_* calls below (snowcc's pre-compiler does this
 * automatically).  Each snow_* call is used exactly like its pvm_* twin:
 *
 *     pvm_initsend(PvmDataDefault);  pvm_pkint(&x, 1, 1);
 *     snow_send(dst, TAG);                 -- was pvm_send(dst, TAG)
 *     int bufid = snow_recv(src, TAG);     -- was pvm_recv(src, TAG)
 *     pvm_upkint(&y, 1, 1);
 *
 * Packing and unpacking stay plain libpvm calls.
 *
 * Task ids seen through this API are *virtual* tids: the tid a task had when
 * it first started.  They stay valid however often the task migrates; the
 * runtime maps them to the current real PVM tid (the PL table of seed 001).
 *
 * Return values follow PVM: >= 0 on success, a negative status on failure
 * (PvmNoTask, PvmBadParam, ... from pvm3.h, or one of the Snow* codes
 * below).  pvm_perror()-style text is available from snow_strerror().
 */
#ifndef SNOWPVM_H
#define SNOWPVM_H

#include <pvm3.h>
#include <stddef.h>
#include <sys/time.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------
 * Status codes beyond PVM's own (which range from 0 down to about -40).
 * ------------------------------------------------------------------- */
#define SnowTerminated   (-101) /* the destination task has exited            */
#define SnowNoScheduler  (-102) /* the SNOW scheduler cannot be reached       */
#define SnowProtocol     (-103) /* malformed or unexpected control message    */
#define SnowMigrateFail  (-104) /* a migration could not complete; still here */
#define SnowBadState     (-105) /* corrupt or incompatible state stream       */
#define SnowNotMigratable (-106) /* state cannot be moved (e.g. value too wide) */
#define SnowUnwinding    (-107) /* pre-compiled code: this call was interrupted
                                   by a migration; unwind to the caller       */

const char *snow_strerror(int status);

/* ---------------------------------------------------------------------
 * Task and message calls: drop-in replacements for libpvm (seed 001,
 * Figs 2-4).  All of them are safe points: a pending migration request or
 * disconnection signal is serviced on entry.
 * ------------------------------------------------------------------- */
int snow_mytid(void);
int snow_parent(void);
int snow_exit(void);
int snow_spawn(char *file, char **argv, int flags, char *where, int ntask, int *tids);
int snow_siblings(int **tids);
int snow_kill(int tid);
int snow_pstat(int tid);
/* The host where the task runs now (where it last ran, once it has ended). */
int snow_tidtohost(int tid);
/* Signals the task's current process. */
int snow_sendsig(int tid, int signum);

int snow_send(int tid, int tag);                       /* Fig. 2 */
int snow_mcast(int *tids, int ntask, int tag);
int snow_psend(int tid, int tag, void *buf, int len, int datatype);
int snow_recv(int tid, int tag);                       /* Fig. 4 */
int snow_nrecv(int tid, int tag);
int snow_trecv(int tid, int tag, struct timeval *tmout);
int snow_probe(int tid, int tag);
int snow_precv(int tid, int tag, void *buf, int len, int datatype,
               int *rtid, int *rtag, int *rlen);
/* pvm_settmask/pvm_gettmask (pvmtev.h Pvmtmask): PvmTaskSelf is the task's
 * own mask, followed by SNOW's tracing (doc/tracing.md); PvmTaskChild is
 * libpvm's, for the tasks it spawns. */
int snow_settmask(int who, char *tmask);
int snow_gettmask(int who, char *tmask);
/* pvm_bufinfo on a buffer from snow_recv: the source is a virtual tid. */
int snow_bufinfo(int bufid, int *bytes, int *msgtag, int *tid);
/* pvm_notify: PvmTaskExit on a virtual tid fires when that task really
 * ends, not when it moves (doc/plain-peers.md). */
int snow_notify(int what, int msgtag, int cnt, int *tids);
/* pvm_addmhf, pvm_delmhf, pvm_recvf: message handlers and the receive
 * matcher, applied to the messages SNOW receives; the registrations move
 * with the task (libsnowpvm/exec/message_handlers.cpp).  Handlers run
 * inside the receive calls and after the sends. */
int snow_addmhf(int src, int tag, int ctx, int (*fn)(int));
int snow_delmhf(int mhid);
int (*snow_recvf(int (*fn)(int, int, int)))(int, int, int);

/* ---------------------------------------------------------------------
 * Poll-points and hand-registered state (in the spirit of HMF's
 * auto_track/auto_poll, seed 002).  The pre-compiler generates these
 * calls; hand-written programs may use them directly:
 *
 *     static long step; static double field[N];
 *     snow_track(&step, SNOW_TYPE(long), "step");
 *     snow_track(field, snow_array_of(SNOW_TYPE(double), N), "field");
 *     if (snow_start() == 1) { ...resumed after a migration... }
 *     for (; step < STEPS; step++) { compute(); snow_poll(); }
 *
 * snow_track() registers a root of the memory state (see snowpvm_msr.h for
 * type descriptors).  snow_start() returns 0 in a fresh process and 1 in a
 * process that has just been restored from a migration or checkpoint, in
 * which case every tracked root holds its migrated value.  snow_poll() is a
 * poll-point: when a migration was requested it migrates the process and
 * does not return on success (the process continues on the destination
 * host); on failure it returns a negative status and the process simply
 * continues here.
 * ------------------------------------------------------------------- */
struct snow_type;
int snow_track(void *addr, const struct snow_type *type, const char *name);
int snow_untrack(void *addr);
int snow_start(void);
int snow_poll(void);

/* Non-zero when a migration request is pending; cheap (one load). */
extern volatile int snow_poll_pending;
#define SNOW_POLL_PENDING() (snow_poll_pending != 0)

/* Write a checkpoint of the tracked state to `path` ("migration to disk",
 * seed 002); restart it with `snow restart`.  Returns 0 or a status. */
int snow_checkpoint(const char *path);

/* ---------------------------------------------------------------------
 * For pre-compiled programs, which capture their execution state by
 * unwinding their call chain between the two halves of a migration (see
 * doc/design/exec-state.md).  Hand-written programs use snow_poll().
 *
 * snow_migrate_begin(): seed 001 Fig. 5 up to and including the transfer
 * of the received-message list (lines 1-8), after a pre-flight check that
 * the memory state can live on the destination.  Returns 0 when the
 * process is committed to leave: unwind, saving frames, then call
 * snow_migrate_finish() from main.  Returns a negative status when the
 * migration was refused or aborted: carry on as if nothing happened.
 *
 * snow_migrate_finish(): collects and sends the memory and execution state
 * (lines 9-10), waits for the destination to commit, and exits (line 11).
 * Returns a negative status only if the destination failed before the
 * commit; the caller must then resume from the state it collected (the
 * same restore path a migrated process takes).
 * ------------------------------------------------------------------- */
int snow_migrate_begin(void);
int snow_migrate_finish(void);

#ifdef __cplusplus
}
#endif

#endif /* SNOWPVM_H */
