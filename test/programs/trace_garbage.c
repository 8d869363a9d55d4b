/*
 * trace_garbage -- malformed PVM trace messages to this task's trace
 * collector (snow trace's decoder against hostile input, issue 11).  A
 * plain PVM program: run it while `snow trace record --attach` is the
 * virtual machine's tracer, so that libpvm gives it the collector's tid,
 * context and tag.  Each message is wrong in one way: empty, an unknown
 * marker, a PVM 3.3 record, a huge or negative array count, an over-long
 * or forged-length string, an undescribed event id, unknown data type,
 * buffers nested without end, a truncated descriptor, raw bytes.
 *
 *   trace_garbage        prints "trace_garbage: sent N to tX"
 */
#include <pvm3.h>
#include <pvmtev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tid, ctx, tag, sent;

static void begin(void) { pvm_initsend(PvmDataDefault); }
static void pk(int v) { pvm_pkint(&v, 1, 1); }
static void finish(const char *what) {
  int old = pvm_setcontext(ctx);
  if (pvm_send(tid, tag) >= 0) sent++;
  else fprintf(stderr, "trace_garbage: could not send %s\n", what);
  pvm_setcontext(old);
}

int main(void) {
  int i;
  char *big;
  unsigned char bytes[64];
  if (pvm_mytid() < 0) return 2;
  tid = pvm_getopt(PvmSelfTraceTid);
  ctx = pvm_getopt(PvmSelfTraceContext);
  tag = pvm_getopt(PvmSelfTraceCode);
  if (tid <= 0) {
    fprintf(stderr, "trace_garbage: not traced (no collector)\n");
    pvm_exit();
    return 2;
  }
  begin(); finish("an empty message");
  begin(); pk(-77); finish("an unknown marker");
  begin(); pk(12345); pk(0); pk(tid); pk(1); finish("a PVM 3.3 record");
  begin(); pk(TEV_MARK_EVENT_DESC); pk(TEV_MCAST | TEV_EVENT_ENTRY); pvm_pkstr("mcast");
  pk(TEV_DID_MDL); pk(TEV_DATA_INT | TEV_DATA_ARRAY); pk(1 << 30); finish("a huge array count");
  begin(); pk(TEV_MARK_EVENT_DESC); pk(TEV_MCAST | TEV_EVENT_ENTRY); pvm_pkstr("mcast");
  pk(TEV_DID_MDL); pk(TEV_DATA_INT | TEV_DATA_ARRAY); pk(-5); finish("a negative array count");
  big = malloc(100000);
  memset(big, 'x', 99999);
  big[99999] = 0;
  begin(); pk(TEV_MARK_EVENT_DESC); pk(TEV_SEND | TEV_EVENT_ENTRY); pvm_pkstr(big); finish("an over-long name");
  free(big);
  begin(); pk(TEV_MARK_USER_EVENT_RECORD); pk(TEV_USER_DEFINED); pk(1 << 30); finish("a forged string length");
  begin(); pk(TEV_MARK_EVENT_RECORD); pk(12345); pk(TEV_MARK_EVENT_RECORD_END); finish("an undescribed event id");
  begin(); pk(TEV_MARK_EVENT_DESC); pk(TEV_SEND | TEV_EVENT_ENTRY); pvm_pkstr("send");
  pk(TEV_DID_TS); pk(99); pk(1); finish("an unknown data type");
  begin(); for (i = 0; i < 50; i++) pk(TEV_MARK_EVENT_BUFFER); finish("buffers nested without end");
  begin(); pk(TEV_MARK_EVENT_DESC); pk(TEV_SEND | TEV_EVENT_ENTRY); finish("a truncated descriptor");
  for (i = 0; i < 64; i++) bytes[i] = (unsigned char)(i * 37 + 11);
  pvm_initsend(PvmDataRaw); pvm_pkbyte((char *)bytes, 64, 1); finish("raw bytes");
  printf("trace_garbage: sent %d to t%x\n", sent, tid);
  pvm_exit();
  return 0;
}
