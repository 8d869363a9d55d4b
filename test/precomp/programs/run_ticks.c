/*
 * run_ticks -- a sequential program (no PVM) for the tests of `snow run`
 * (test/system/run_cmd.sh): it prints one numbered line per tick, naming
 * the architecture of the binary that printed it, and ends the way it is
 * told to.  Nothing in it knows about PVM or migration.
 *
 *   run_ticks TICKS DELAY_MS END
 *
 * END is an exit status (0..255), or "sigterm" / "sigsegv" to die of that
 * signal after the last tick.  The ticks are paced by DELAY_MS so that an
 * operator's `snow migrate` meets the program mid-run.  Each line is
 * flushed, unless RUN_TICKS_NO_FLUSH is set (then stdio's buffering shows).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *arch(void) {
#if defined(__s390x__)
  return "s390x";
#elif defined(__i386__)
  return "i386";
#elif defined(__x86_64__)
  return "x86_64";
#else
  return "unknown";
#endif
}

static void pause_ms(long ms) {
  struct timespec t;
  t.tv_sec = ms / 1000;
  t.tv_nsec = (ms % 1000) * 1000000L;
  nanosleep(&t, 0); /* a migration request may cut it short: fine */
}

int main(int argc, char **argv) {
  long ticks, delay, i;
  if (argc != 4 || (ticks = atol(argv[1])) < 1 || (delay = atol(argv[2])) < 0) {
    fprintf(stderr, "usage: run_ticks TICKS DELAY_MS EXIT|sigterm|sigsegv\n");
    return 2;
  }
  for (i = 1; i <= ticks; i++) {
    printf("tick %ld of %ld on %s\n", i, ticks, arch());
    if (!getenv("RUN_TICKS_NO_FLUSH")) fflush(stdout);
    pause_ms(delay);
  }
  if (strcmp(argv[3], "sigterm") == 0) raise(SIGTERM);
  if (strcmp(argv[3], "sigsegv") == 0) raise(SIGSEGV);
  return atoi(argv[3]);
}
