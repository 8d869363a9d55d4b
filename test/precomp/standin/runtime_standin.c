/*
 * TEMPORARY stand-ins for the parts of libsnowpvm that the communication
 * (issue 3) and memory-state (issue 4) work deliver, so that precomp's
 * unwinding and re-entry can be rehearsed *in one process* before they are
 * merged.  Linked ONLY into the rehearsal tests (test/system/
 * precomp_rehearsal.sh); nothing here migrates anything:
 *   - allocation goes straight to libc, registration is a no-op;
 *   - snow_start() reports a fresh process; snow_migrate_begin/finish
 *     refuse (a rehearsal never calls them);
 *   - snow_* message calls are the pvm_* calls.
 * Delete this file when libsnowpvm provides these symbols.
 */
#include <snow_exec.h>

#include <stdlib.h>
#include <string.h>

volatile int snow_poll_pending;

void *snow_malloc(size_t size, const snow_type *elem) { (void)elem; return malloc(size); }
void *snow_calloc(size_t n, size_t size, const snow_type *elem) { (void)elem; return calloc(n, size); }
void *snow_realloc(void *p, size_t size, const snow_type *elem) { (void)elem; return realloc(p, size); }
void snow_free(void *p) { free(p); }
char *snow_strdup(const char *s) { return strdup(s); }
int snow_heap_retype(void *p, const snow_type *elem) { (void)p; (void)elem; return 0; }
void snow_union_set_active(const void *u, int member) { (void)u; (void)member; }
int snow_register_function(void (*fn)(void), const char *name) { (void)fn; (void)name; return 0; }
int snow_track(void *addr, const struct snow_type *type, const char *name) {
  (void)addr; (void)type; (void)name;
  return 0;
}
int snow_start(void) { return 0; }
int snow_migrate_begin(void) { return SnowMigrateFail; }
int snow_migrate_finish(void) { return SnowMigrateFail; }
const char *snow_strerror(int status) { (void)status; return "stand-in runtime: no migration support"; }

int snow_mytid(void) { return pvm_mytid(); }
int snow_parent(void) { return pvm_parent(); }
int snow_exit(void) { return pvm_exit(); }
int snow_siblings(int **tids) { return pvm_siblings(tids); }
int snow_send(int tid, int tag) { return pvm_send(tid, tag); }
int snow_recv(int tid, int tag) { return pvm_recv(tid, tag); }
