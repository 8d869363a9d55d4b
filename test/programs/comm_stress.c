/*
 * comm_stress -- sequence-numbered messages between migrating processes.
 *
 * Started by hand as the coordinator (it is never migrated):
 *
 *   comm_stress -p PATTERN -n N -r ROUNDS [-b BURST] [-s BYTES] [-d USEC]
 *               -t TRACEDIR -H host1,host2,...
 *
 * It spawns N workers round-robin over the hosts, tells each the pattern,
 * and waits until every worker reports done.  Patterns:
 *   ring  worker i sends BURST messages to i+1, then receives BURST from i-1
 *   all   every worker sends one message to every other, then receives n-1
 *         with snow_recv(-1, ...) (any order between senders)
 *   mw    worker 0 hands a task to every other worker and collects results
 *   bulk  worker 0 streams BYTES-sized messages to worker 1, which is slow
 *         (DELAY microseconds of computing, with poll-points, per message)
 * With -F FAULTS the workers (and their migrated continuations, which get
 * the same arguments) run with SNOW_FAULT=FAULTS (libsnowpvm/comm/fault.h).
 * With -w every worker on a 64-bit host tracks a long holding 2^40+7,
 * which an i386 host cannot represent: migrations there must be refused.
 *
 * Workers are written as restartable state machines in the style the
 * registration API expects (snowpvm.h): every variable that decides what
 * happens next is tracked with snow_track, snow_start() says whether this
 * process continues a migrated one, and the loops resume from the tracked
 * counters.  A migration can happen at any snow_poll() or inside a
 * blocking snow_recv().
 *
 * Every send and every receive is appended to TRACEDIR/<vtid>.trace:
 *   <ms> B <me> <n>            worker started (not on resume)
 *   <ms> M <me> <host>         worker resumed after a migration, on <host>
 *   <ms> S <me> <dst> <seq>    sent message seq to dst
 *   <ms> W <me> <dst> <seq> <t0>  that send blocked from t0 to ms (>= 50 ms)
 *   <ms> R <me> <src> <seq>    received message seq from src
 *   <ms> X <me> <src> <seq>    received a message whose contents are wrong
 *   <ms> E <me>                worker finished
 * test/checker reads them and proves exactly-once, per-pair FIFO and
 * completion.  The payload depends on (src, dst, seq), so content damage
 * is caught by the receiver itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <pvm3.h>
#include <snowpvm.h>
#include <snowpvm_msr.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#define TAG_SETUP 1
#define TAG_DATA 2
#define TAG_RESULT 3
#define TAG_DONE 4
#define MAXP 32
#define MAXWORDS (1 << 20)

enum { P_RING, P_ALL, P_MW, P_BULK };

/* ---- tracked state of a worker ---------------------------------------- */
static int phase;                 /* 0 await setup, 1 running, 2 done sent */
static int idx, n, pattern, rounds, burst, words, delay_us, coord, round_no, bad, resumes;
static long wide;                 /* -w: a value no 32-bit long can hold */
static int peers[MAXP], sent[MAXP], recvd[MAXP];
static unsigned char tracedir[256];

static int trace_fd = -1;
static unsigned int payload[MAXWORDS];

static long long now_ms(void) {
  struct timeval tv;
  gettimeofday(&tv, NULL);
  return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static void trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void trace(const char *fmt, ...) {
  char line[256];
  int k;
  va_list ap;
  if (trace_fd < 0) return;
  k = snprintf(line, sizeof line, "%lld ", now_ms());
  va_start(ap, fmt);
  k += vsnprintf(line + k, sizeof line - k, fmt, ap);
  va_end(ap);
  line[k++] = '\n';
  if (write(trace_fd, line, k) != k) perror("comm_stress: trace");
}

static void open_trace(int me) {
  char path[400];
  snprintf(path, sizeof path, "%s/%x.trace", (const char *)tracedir, me);
  trace_fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (trace_fd < 0) fprintf(stderr, "comm_stress: %s: %s\n", path, strerror(errno));
}

static unsigned int word(int src, int dst, int seq, int k) {
  return (unsigned)seq * 2654435761u ^ ((unsigned)src << 7) ^ (unsigned)dst ^ (unsigned)k * 40503u;
}

static int peer_index(int vtid) {
  int i;
  for (i = 0; i < n; i++)
    if (peers[i] == vtid) return i;
  return -1;
}

static void compute(int usec) {
  long long until = now_ms() * 1000 + usec;
  struct timeval tv;
  volatile unsigned x = 0;
  do {
    int k;
    for (k = 0; k < 2000; k++) x += k;
    snow_poll();
    gettimeofday(&tv, NULL);
  } while ((long long)tv.tv_sec * 1000000 + tv.tv_usec < until);
}

static void send_to(int j, int tag) {
  int me = peers[idx], k, seq = sent[j], rc;
  long long t0;
  for (k = 0; k < words; k++) payload[k] = word(me, peers[j], seq, k);
  pvm_initsend(PvmDataDefault);
  pvm_pkint(&seq, 1, 1);
  pvm_pkuint(payload, words, 1);
  t0 = now_ms();
  rc = snow_send(peers[j], tag);
  if (rc < 0) {
    fprintf(stderr, "comm_stress %x: snow_send to %x: %s\n", me, peers[j], snow_strerror(rc));
    exit(2);
  }
  trace("S %x %x %d", me, peers[j], seq);
  if (now_ms() - t0 >= 50) trace("W %x %x %d %lld", me, peers[j], seq, t0);
  sent[j]++;
}

/* Receive one message from peer index j (or -1: anyone) with `tag`. */
static int recv_from(int j, int tag) {
  int me = peers[idx], seq = -1, bytes, rtag, src, k, from, ok = 1;
  int bufid = snow_recv(j < 0 ? -1 : peers[j], tag);
  if (bufid < 0) {
    fprintf(stderr, "comm_stress %x: snow_recv: %s\n", me, snow_strerror(bufid));
    exit(2);
  }
  snow_bufinfo(bufid, &bytes, &rtag, &src);
  from = peer_index(src);
  pvm_upkint(&seq, 1, 1);
  pvm_upkuint(payload, words, 1);
  for (k = 0; k < words; k++)
    if (payload[k] != word(src, me, seq, k)) ok = 0;
  if (from < 0) {
    fprintf(stderr, "comm_stress %x: message from unknown task %x\n", me, src);
    exit(2);
  }
  if (!ok) {
    trace("X %x %x %d", me, src, seq);
    bad++;
  } else {
    trace("R %x %x %d", me, src, seq);
  }
  recvd[from]++;
  return from;
}

static void ring(void) {
  int next = (idx + 1) % n, prev = (idx + n - 1) % n;
  for (; round_no < rounds; round_no++) {
    while (sent[next] < (round_no + 1) * burst) {
      send_to(next, TAG_DATA);
      snow_poll();
    }
    while (recvd[prev] < (round_no + 1) * burst) {
      recv_from(prev, TAG_DATA);
      snow_poll();
    }
    if (delay_us) compute(delay_us);
  }
}

static int behind(int r) {
  int j;
  for (j = 0; j < n; j++)
    if (j != idx && recvd[j] < r) return 1;
  return 0;
}

static void all_to_all(void) {
  int j;
  for (; round_no < rounds; round_no++) {
    for (j = 0; j < n; j++)
      if (j != idx && sent[j] < round_no + 1) {
        send_to(j, TAG_DATA);
        snow_poll();
      }
    while (behind(round_no + 1)) {
      recv_from(-1, TAG_DATA);
      snow_poll();
    }
    if (delay_us) compute(delay_us);
  }
}

static void master_worker(void) {
  int j;
  if (idx == 0) {
    for (; round_no < rounds; round_no++) {
      for (j = 1; j < n; j++)
        if (sent[j] < round_no + 1) {
          send_to(j, TAG_DATA);
          snow_poll();
        }
      while (behind(round_no + 1)) {
        recv_from(-1, TAG_RESULT);
        snow_poll();
      }
    }
    return;
  }
  for (; round_no < rounds; round_no++) {
    if (recvd[0] < round_no + 1) recv_from(0, TAG_DATA);
    snow_poll();
    if (delay_us) compute(delay_us);
    if (sent[0] < round_no + 1) send_to(0, TAG_RESULT);
    snow_poll();
  }
}

static void bulk(void) {
  if (idx == 0) {
    while (sent[1] < rounds) {
      send_to(1, TAG_DATA);
      snow_poll();
    }
  } else if (idx == 1) {
    while (recvd[0] < rounds) {
      recv_from(0, TAG_DATA);
      compute(delay_us);
    }
  }
  round_no = rounds;
}

static void track_all(void) {
  snow_track(&phase, SNOW_TYPE(int), "phase");
  snow_track(&idx, SNOW_TYPE(int), "idx");
  snow_track(&n, SNOW_TYPE(int), "n");
  snow_track(&pattern, SNOW_TYPE(int), "pattern");
  snow_track(&rounds, SNOW_TYPE(int), "rounds");
  snow_track(&burst, SNOW_TYPE(int), "burst");
  snow_track(&words, SNOW_TYPE(int), "words");
  snow_track(&delay_us, SNOW_TYPE(int), "delay_us");
  snow_track(&coord, SNOW_TYPE(int), "coord");
  snow_track(&round_no, SNOW_TYPE(int), "round_no");
  snow_track(&bad, SNOW_TYPE(int), "bad");
  snow_track(&resumes, SNOW_TYPE(int), "resumes");
  snow_track(&wide, SNOW_TYPE(long), "wide");
  snow_track(peers, snow_array_of(SNOW_TYPE(int), MAXP), "peers");
  snow_track(sent, snow_array_of(SNOW_TYPE(int), MAXP), "sent");
  snow_track(recvd, snow_array_of(SNOW_TYPE(int), MAXP), "recvd");
  snow_track(tracedir, snow_array_of(SNOW_TYPE(uchar), sizeof tracedir), "tracedir");
}

static int worker(int argc, char **argv) {
  char host[64] = "?";
  int k;
  if (argc >= 4 && !strcmp(argv[2], "-F")) setenv("SNOW_FAULT", argv[3], 1);
  track_all();
  if (snow_start() == 1) {
    resumes++;
    gethostname(host, sizeof host - 1);
    open_trace(peers[idx]);
    trace("M %x %s", peers[idx], host);
  }
  if (phase == 0) {
    int b = snow_recv(snow_parent(), TAG_SETUP);
    if (b < 0) {
      fprintf(stderr, "comm_stress worker: setup: %s\n", snow_strerror(b));
      return 2;
    }
    coord = snow_parent();
    pvm_upkint(&idx, 1, 1);
    pvm_upkint(&n, 1, 1);
    pvm_upkint(&pattern, 1, 1);
    pvm_upkint(&rounds, 1, 1);
    pvm_upkint(&burst, 1, 1);
    pvm_upkint(&words, 1, 1);
    pvm_upkint(&delay_us, 1, 1);
    pvm_upkint(&k, 1, 1);
    wide = 7;
    if (k && sizeof(long) == 8) {
      int b;
      for (b = 0; b < 40; b++) wide *= 2; /* 7 * 2^40: needs more than 32 bits */
    }
    pvm_upkint(peers, n, 1);
    pvm_upkbyte((char *)tracedir, sizeof tracedir, 1);
    tracedir[sizeof tracedir - 1] = 0;
    phase = 1;
    open_trace(peers[idx]);
    trace("B %x %d", peers[idx], n);
  }
  if (phase == 1) {
    switch (pattern) {
      case P_RING: ring(); break;
      case P_ALL: all_to_all(); break;
      case P_MW: master_worker(); break;
      default: bulk(); break;
    }
    trace("E %x", peers[idx]);
    pvm_initsend(PvmDataDefault);
    pvm_pkint(&idx, 1, 1);
    pvm_pkint(&bad, 1, 1);
    pvm_pkint(&resumes, 1, 1);
    snow_send(coord, TAG_DONE);
    phase = 2;
  }
  snow_exit();
  return 0;
}

static int pattern_of(const char *s) {
  if (!strcmp(s, "ring")) return P_RING;
  if (!strcmp(s, "all")) return P_ALL;
  if (!strcmp(s, "mw")) return P_MW;
  if (!strcmp(s, "bulk")) return P_BULK;
  fprintf(stderr, "comm_stress: unknown pattern %s (ring, all, mw, bulk)\n", s);
  exit(64);
}

static int coordinator(int argc, char **argv) {
  int c, i, nhosts = 0, tids[MAXP], total_bad = 0, total_resumes = 0, setup[8], wide_flag = 0;
  char *hosts[MAXP], *hl = NULL, listing[600], *faults = NULL;
  FILE *f;
  int bytes = 64;
  pattern = P_RING;
  n = 4;
  rounds = 10;
  burst = 1;
  delay_us = 0;
  while ((c = getopt(argc, argv, "p:n:r:b:s:d:t:H:wF:")) != -1) {
    switch (c) {
      case 'p': pattern = pattern_of(optarg); break;
      case 'n': n = atoi(optarg); break;
      case 'r': rounds = atoi(optarg); break;
      case 'b': burst = atoi(optarg); break;
      case 's': bytes = atoi(optarg); break;
      case 'd': delay_us = atoi(optarg); break;
      case 't': snprintf((char *)tracedir, sizeof tracedir, "%s", optarg); break;
      case 'H': hl = optarg; break;
      case 'w': wide_flag = 1; break;
      case 'F': faults = optarg; break;
      default: return 64;
    }
  }
  words = bytes / 4 > 0 ? bytes / 4 : 1;
  if (n < 2 || n > MAXP || words > MAXWORDS || !tracedir[0] || !hl) {
    fprintf(stderr, "usage: comm_stress -p ring|all|mw|bulk -n N -r ROUNDS -t TRACEDIR -H hosts\n");
    return 64;
  }
  for (hosts[nhosts] = strtok(hl, ","); hosts[nhosts] && nhosts < MAXP - 1; hosts[++nhosts] = strtok(NULL, ","))
    ;
  if (snow_start() < 0 || snow_mytid() < 0) {
    fprintf(stderr, "comm_stress: not a SNOW task (is the virtual machine up?)\n");
    return 1;
  }
  for (i = 0; i < n; i++) {
    char *wargv[] = {"worker", faults ? "-F" : NULL, faults, NULL};
    if (snow_spawn("comm_stress", wargv, PvmTaskHost, hosts[i % nhosts], 1, &tids[i]) != 1) {
      fprintf(stderr, "comm_stress: cannot start a worker on %s: %s\n", hosts[i % nhosts], snow_strerror(tids[i]));
      return 1;
    }
  }
  snprintf(listing, sizeof listing, "%s/tasks", (const char *)tracedir);
  f = fopen(listing, "w");
  for (i = 0; f && i < n; i++) fprintf(f, "t%x %s\n", tids[i], hosts[i % nhosts]);
  if (f) fclose(f);
  for (i = 0; i < n; i++) {
    setup[0] = i, setup[1] = n, setup[2] = pattern, setup[3] = rounds, setup[4] = burst, setup[5] = words,
    setup[6] = delay_us, setup[7] = wide_flag;
    pvm_initsend(PvmDataDefault);
    pvm_pkint(setup, 8, 1);
    pvm_pkint(tids, n, 1);
    pvm_pkbyte((char *)tracedir, sizeof tracedir, 1);
    if (snow_send(tids[i], TAG_SETUP) < 0) {
      fprintf(stderr, "comm_stress: setup of worker %d failed\n", i);
      return 1;
    }
  }
  printf("comm_stress: %d workers started\n", n);
  fflush(stdout);
  for (i = 0; i < n; i++) {
    int widx, wbad, wres, b = snow_recv(-1, TAG_DONE);
    if (b < 0) {
      fprintf(stderr, "comm_stress: waiting for workers: %s\n", snow_strerror(b));
      return 1;
    }
    pvm_upkint(&widx, 1, 1);
    pvm_upkint(&wbad, 1, 1);
    pvm_upkint(&wres, 1, 1);
    total_bad += wbad;
    total_resumes += wres;
  }
  printf("comm_stress: all %d workers done: %d damaged messages, %d resumes after migration\n", n, total_bad,
         total_resumes);
  fflush(stdout);
  snow_exit();
  return total_bad ? 3 : 0;
}

int main(int argc, char **argv) {
  if (argc >= 2 && !strcmp(argv[1], "worker")) return worker(argc, argv);
  return coordinator(argc, argv);
}
