/* pvm_psend / pvm_precv / pvm_probe / pvm_nrecv: a three-stage pipeline.
 * The master (no parent) spawns two stage tasks; it psends blocks of bytes
 * to stage 1, which maps each byte through a table and psends the block to
 * stage 2, which sums each block and reports the sum (a packed message) to
 * the master.  The master polls with pvm_probe and pvm_nrecv, doing its own
 * work while it waits.  (psend/precv move the data as raw bytes, with no
 * conversion between byte orders: bytes are what a heterogeneous program
 * can psend.)
 * usage: pipeline [BLOCKS] [BLOCKSIZE] */
#include <stdio.h>
#include <stdlib.h>
#include <pvm3.h>

#define TAG_BLOCK 31
#define TAG_SUM 32
#define TAG_PEER 33
#define MAXB 4096
#define P 65521

static void stage(int which) {
  int parent = pvm_parent(), peer = 0, blocks, size, b, i, rtid, rtag, rcnt;
  unsigned char *buf = malloc(MAXB);
  pvm_recv(parent, TAG_PEER);
  pvm_upkint(&peer, 1, 1);
  pvm_upkint(&blocks, 1, 1);
  pvm_upkint(&size, 1, 1);
  for (b = 0; b < blocks; b++) {
    pvm_precv(which == 1 ? parent : -1, TAG_BLOCK, buf, size, PVM_BYTE, &rtid, &rtag, &rcnt);
    if (which == 1) {
      for (i = 0; i < rcnt; i++) buf[i] = (unsigned char)(buf[i] * buf[i] + 7);
      pvm_psend(peer, TAG_BLOCK, buf, rcnt, PVM_BYTE);
    } else {
      int sum[2] = { b, 0 };
      for (i = 0; i < rcnt; i++) sum[1] = (sum[1] * 31 + buf[i]) % P;
      pvm_initsend(PvmDataDefault);
      pvm_pkint(sum, 2, 1);
      pvm_send(parent, TAG_SUM);
    }
  }
  free(buf);
}

int main(int argc, char **argv) {
  int blocks = argc > 1 ? atoi(argv[1]) : 400;
  int size = argc > 2 ? atoi(argv[2]) : 1000;
  int tids[2], b, i, got = 0, polls = 0;
  static unsigned char block[MAXB];
  static int sums[MAXB];
  unsigned busy = 1;

  if (pvm_mytid() < 0) return 1;
  if (pvm_parent() != PvmNoParent) {
    stage(argc > 1 ? atoi(argv[1]) : 1);
    pvm_exit();
    return 0;
  }
  if (size > MAXB) size = MAXB;
  if (blocks > MAXB) blocks = MAXB;
  {
    char *a1[] = { "1", NULL }, *a2[] = { "2", NULL };
    if (pvm_spawn("pipeline", a1, PvmTaskDefault, "", 1, &tids[0]) != 1 ||
        pvm_spawn("pipeline", a2, PvmTaskDefault, "", 1, &tids[1]) != 1) {
      printf("spawn failed\n");
      pvm_exit();
      return 1;
    }
  }
  pvm_initsend(PvmDataDefault);
  pvm_pkint(&tids[1], 1, 1);
  pvm_pkint(&blocks, 1, 1);
  pvm_pkint(&size, 1, 1);
  pvm_send(tids[0], TAG_PEER);
  pvm_initsend(PvmDataDefault);
  pvm_pkint(&tids[0], 1, 1);
  pvm_pkint(&blocks, 1, 1);
  pvm_pkint(&size, 1, 1);
  pvm_send(tids[1], TAG_PEER);

  for (b = 0; b < blocks; b++) {
    for (i = 0; i < size; i++) block[i] = (unsigned char)((b * 131 + i * 7) % 251);
    pvm_psend(tids[0], TAG_BLOCK, block, size, PVM_BYTE);
    /* take what has arrived, without waiting */
    while (pvm_probe(tids[1], TAG_SUM) > 0) {
      int s[2];
      pvm_nrecv(tids[1], TAG_SUM);
      pvm_upkint(s, 2, 1);
      sums[s[0]] = s[1];
      got++;
    }
  }
  while (got < blocks) {
    int bufid = pvm_nrecv(tids[1], TAG_SUM);
    if (bufid > 0) {
      int s[2];
      pvm_upkint(s, 2, 1);
      sums[s[0]] = s[1];
      got++;
    } else {
      /* our own work while the pipeline drains */
      for (i = 0; i < 1000; i++) busy = busy * 1664525u + 1013904223u;
      polls++;
    }
  }
  {
    unsigned h = 0;
    for (b = 0; b < blocks; b++) {
      h = h * 31u + (unsigned)sums[b];
      if (b % (blocks / 8 ? blocks / 8 : 1) == 0) printf("block %d: sum %d\n", b, sums[b]);
    }
    printf("%d blocks of %d through the pipeline, checksum %08x\n", blocks, size, h);
  }
  pvm_exit();
  return 0;
}
