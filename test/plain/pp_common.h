/* What pp_master and pp_worker agree on: message tags and the work. */
#define TAG_READY 1
#define TAG_WORK 2
#define TAG_RESULT 3
#define TAG_STOP 4
#define TAG_EXIT 99

/* The value of work unit u: a deterministic integer both sides compute. */
static int unit_value(int u) {
  int i, n = 20000 + (u % 7) * 5000, v = u + 1;
  for (i = 0; i < n; i++) v = (v * 31 + i + u) % 1000003;
  return v;
}
