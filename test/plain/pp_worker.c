/* A worker of pp_master, written as an ordinary PVM program: says it is
 * ready, then computes the units its parent sends until told to stop.
 * usage (spawned by pp_master): pp_worker MS  -- MS milliseconds per unit */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <pvm3.h>
#include "pp_common.h"

int main(int argc, char **argv) {
  int ms = argc > 1 ? atoi(argv[1]) : 100;
  int me = pvm_mytid(), parent = pvm_parent();
  if (me < 0 || parent < 0) return 1;
  pvm_initsend(PvmDataDefault);
  pvm_pkint(&me, 1, 1);
  pvm_send(parent, TAG_READY);
  for (;;) {
    int bufid = pvm_recv(parent, -1), bytes, tag, src, u, v;
    if (bufid < 0) break;
    pvm_bufinfo(bufid, &bytes, &tag, &src);
    if (tag == TAG_STOP) break;
    pvm_upkint(&u, 1, 1);
    v = unit_value(u);
    usleep(ms * 1000);
    pvm_initsend(PvmDataDefault);
    pvm_pkint(&me, 1, 1);
    pvm_pkint(&u, 1, 1);
    pvm_pkint(&v, 1, 1);
    pvm_send(parent, TAG_RESULT);
  }
  pvm_exit();
  return 0;
}
