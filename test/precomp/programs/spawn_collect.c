/*
 * spawn_collect -- test harness: start NTASK copies of PROGRAM the way the
 * PVM console's `spawn -NTASK -> PROGRAM` does (spawned together, output
 * caught), wait until every one of them has terminated -- wherever it has
 * migrated to meanwhile -- and exit.  Their output appears on this
 * program's standard output, each line prefixed with "[tid]".
 *
 *   spawn_collect [-w HOST] NTASK PROGRAM [ARGS...]
 *
 * -w starts them on HOST (PvmTaskHost), else PVM places them.
 * Used to run PVM's SPMD example, which expects to be spawned with its
 * siblings.  A hand-written SNOW task: it uses snow_spawn (virtual tids)
 * and snow_pstat, which follows a task across migrations.
 */
#include <stdio.h> /* before pvm3.h: it declares pvm_catchout(FILE *) */
#include <snowpvm.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int ntask, tids[64], got, i, flags = PvmTaskDefault;
  char *where = "";
  if (argc > 2 && strcmp(argv[1], "-w") == 0) {
    where = argv[2];
    flags = PvmTaskHost;
    argv += 2;
    argc -= 2;
  }
  if (argc < 3 || (ntask = atoi(argv[1])) < 1 || ntask > 64) {
    fprintf(stderr, "usage: spawn_collect [-w HOST] NTASK PROGRAM [ARGS...]\n");
    return 2;
  }
  if (snow_mytid() < 0) return 2;
  pvm_catchout(stdout);
  got = snow_spawn(argv[2], argc > 3 ? argv + 3 : (char **)0, flags, where, ntask, tids);
  if (got < ntask) {
    fprintf(stderr, "spawn_collect: started %d of %d\n", got, ntask);
    snow_exit();
    return 1;
  }
  for (i = 0; i < ntask; i++)
    while (snow_pstat(tids[i]) >= 0) usleep(100000);
  /* Output may still be on its way through the daemons: libpvm prints it
   * as it takes messages in, so keep taking them for a while. */
  for (i = 0; i < 20; i++) {
    struct timeval t = {0, 100000};
    pvm_trecv(-1, -1, &t);
  }
  pvm_catchout(0);
  snow_exit();
  return 0;
}
