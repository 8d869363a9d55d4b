/*
 * comm_nack -- every way a connection request can be refused (issue 3).
 *
 *   comm_nack exited   -w DIR -H a,b        the target has exited (and one
 *                                           that exits with a request pending)
 *   comm_nack hub      -w DIR -H a,b,c,d    the target is migrating, then has
 *                                           migrated away
 *   comm_nack hostgone -w DIR -H a,b        the target's host left the VM
 *   comm_nack nosched  -w DIR -H a,b        (the scheduler is gone) a lookup
 *                                           fails with SnowNoScheduler
 *
 * The coordinator (started by hand, never migrated) spawns the roles
 * ("comm_nack @hub", "@sender", ...),
 * drives them with messages and talks to the test script through files in
 * DIR (a directory every host can see):  it writes DIR/tasks ("role vtid
 * host" lines) and DIR/ready when the script should act, and waits for
 * DIR/acted.  It prints one "ok: ..." or "FAIL: ..." line per check and
 * exits 0 only when everything held.
 */
#include <pvm3.h>
#include <snowpvm.h>
#include <snowpvm_msr.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#define TAG_DATA 2
#define TAG_CTL 5
#define TAG_REPORT 6
#define TAG_NEVER 99

static char workdir[300];
static int failures;

static void check(int ok, const char *what, int detail) {
  printf("%s: %s (%d: %s)\n", ok ? "ok" : "FAIL", what, detail, snow_strerror(detail));
  fflush(stdout);
  if (!ok) failures++;
}

static long long now_ms(void) {
  struct timeval tv;
  gettimeofday(&tv, NULL);
  return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* Wait `ms`, serving SNOW messages (a receive that never matches). */
static void serve(int ms) {
  struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
  snow_trecv(-1, TAG_NEVER, &tv);
}

/* Compute without any poll-point or PVM call: a task that does not answer. */
static void deaf(int ms) {
  long long until = now_ms() + ms;
  volatile unsigned x = 0;
  while (now_ms() < until)
    for (int k = 0; k < 10000; k++) x += k;
}

static void send_ints(int to, int tag, int a, int b) {
  pvm_initsend(PvmDataDefault);
  pvm_pkint(&a, 1, 1);
  pvm_pkint(&b, 1, 1);
  int rc = snow_send(to, tag);
  if (rc < 0) fprintf(stderr, "comm_nack: snow_send to %x: %s\n", to, snow_strerror(rc));
}

static int recv_ints(int from, int tag, int *a, int *b) {
  int rc = snow_recv(from, tag);
  if (rc < 0) return rc;
  pvm_upkint(a, 1, 1);
  pvm_upkint(b, 1, 1);
  return 0;
}

static int file_exists(const char *name) {
  char p[400];
  snprintf(p, sizeof p, "%s/%s", workdir, name);
  return access(p, F_OK) == 0;
}

static void touch(const char *name) {
  char p[400];
  FILE *f;
  snprintf(p, sizeof p, "%s/%s", workdir, name);
  if ((f = fopen(p, "w"))) fclose(f);
}

static void await_file(const char *name) {
  while (!file_exists(name)) serve(20);
}

static int spawn(const char *role, const char *host) {
  char *argv[] = {(char *)role, NULL};
  int tid = 0;
  if (snow_spawn("comm_nack", argv, PvmTaskHost, (char *)host, 1, &tid) != 1) {
    fprintf(stderr, "comm_nack: cannot start %s on %s: %s\n", role, host, snow_strerror(tid));
    exit(1);
  }
  return tid;
}

static void list_task(const char *role, int tid, const char *host) {
  if (*role == '@') role++;
  char p[400];
  FILE *f;
  snprintf(p, sizeof p, "%s/tasks", workdir);
  if ((f = fopen(p, "a"))) {
    fprintf(f, "%s t%x %s\n", role, tid, host);
    fclose(f);
  }
}

/* ---------------------------------------------------------------- roles */

/* Tracked state of the hub, which is migrated by the test. */
static int hub_got[3], hub_want[3], hub_bad, hub_phase, hub_coord;

static int role_hub(void) {
  int src, seq;
  snow_track(hub_got, snow_array_of(SNOW_TYPE(int), 3), "got");
  snow_track(hub_want, snow_array_of(SNOW_TYPE(int), 3), "want");
  snow_track(&hub_bad, SNOW_TYPE(int), "bad");
  snow_track(&hub_phase, SNOW_TYPE(int), "phase");
  snow_track(&hub_coord, SNOW_TYPE(int), "coord");
  snow_start();
  if (hub_phase == 0) {
    hub_coord = snow_parent();
    recv_ints(hub_coord, TAG_CTL, &hub_want[0], &hub_want[1]);
    hub_want[2] = 2;
    hub_phase = 1;
  }
  while (hub_got[0] < hub_want[0] || hub_got[1] < hub_want[1] || hub_got[2] < hub_want[2]) {
    if (recv_ints(-1, TAG_DATA, &src, &seq) < 0) return 2;
    if (src < 0 || src > 2 || seq != hub_got[src]) hub_bad++;
    else hub_got[src]++;
    snow_poll();
  }
  pvm_initsend(PvmDataDefault);
  pvm_pkint(hub_got, 3, 1);
  pvm_pkint(&hub_bad, 1, 1);
  snow_send(hub_coord, TAG_REPORT);
  snow_exit();
  return 0;
}

static int role_sender(void) {
  int hub, k, i;
  snow_start();
  recv_ints(snow_parent(), TAG_CTL, &hub, &k);
  for (i = 0; i < k; i++) {
    send_ints(hub, TAG_DATA, 0, i);
    long long until = now_ms() + 50;
    while (now_ms() < until) snow_poll();
  }
  send_ints(snow_parent(), TAG_REPORT, 0, k);
  snow_exit();
  return 0;
}

static int role_sloth(void) {
  int hub, ms, a, b;
  snow_start();
  recv_ints(snow_parent(), TAG_CTL, &hub, &ms);
  send_ints(hub, TAG_DATA, 1, 0);
  send_ints(snow_parent(), TAG_REPORT, 1, 0); /* "now sleeping" */
  deaf(ms);                                   /* the hub's drain waits for us */
  recv_ints(snow_parent(), TAG_CTL, &a, &b);  /* stop */
  snow_exit();
  return 0;
}

static int role_late(void) {
  int hub, a, b;
  snow_start();
  recv_ints(snow_parent(), TAG_CTL, &hub, &a);
  send_ints(hub, TAG_DATA, 2, 0);
  recv_ints(snow_parent(), TAG_CTL, &a, &b); /* go: the hub has migrated away */
  send_ints(hub, TAG_DATA, 2, 1);
  send_ints(snow_parent(), TAG_REPORT, 2, 1);
  recv_ints(snow_parent(), TAG_CTL, &a, &b); /* stop */
  snow_exit();
  return 0;
}

static int role_quit(void) {
  snow_start();
  snow_exit();
  return 0;
}

static int role_linger(void) {
  snow_start();
  deaf(1500); /* a conn_req arrives and is never answered */
  snow_exit();
  return 0;
}

static int role_deaf(void) {
  snow_start();
  deaf(600000); /* until its host is deleted */
  return 0;
}

static int role_requester(void) {
  int target, unused, rc;
  snow_start();
  recv_ints(snow_parent(), TAG_CTL, &target, &unused);
  send_ints(snow_parent(), TAG_REPORT, 0, 0); /* about to send */
  pvm_initsend(PvmDataDefault);
  pvm_pkint(&target, 1, 1);
  rc = snow_send(target, TAG_DATA);
  send_ints(snow_parent(), TAG_REPORT, 1, rc);
  pvm_initsend(PvmDataDefault);
  pvm_pkint(&target, 1, 1);
  rc = snow_send(target, TAG_DATA);
  send_ints(snow_parent(), TAG_REPORT, 2, rc);
  snow_exit();
  return 0;
}

/* ------------------------------------------------------------ scenarios */

static int scenario_exited(char **hosts) {
  int b = spawn("@quit", hosts[1]), l, rc;
  list_task("quit", b, hosts[1]);
  while (pvm_pstat(b) == PvmOk) serve(20);
  pvm_initsend(PvmDataDefault);
  rc = snow_send(b, TAG_DATA);
  check(rc == SnowTerminated, "snow_send to a task that has exited", rc);
  rc = snow_send(b, TAG_DATA);
  check(rc == SnowTerminated, "snow_send to it again", rc);
  l = spawn("@linger", hosts[1]);
  list_task("linger", l, hosts[1]);
  pvm_initsend(PvmDataDefault);
  rc = snow_send(l, TAG_DATA); /* pending when it exits */
  check(rc == SnowTerminated, "snow_send to a task that exits with the request pending", rc);
  return 0;
}

/* The scheduler is gone: a lookup cannot be made, and says so. */
static int scenario_nosched(char **hosts) {
  int b = spawn("@quit", hosts[1]), rc;
  list_task("quit", b, hosts[1]);
  while (pvm_pstat(b) == PvmOk) serve(20);
  pvm_initsend(PvmDataDefault);
  rc = snow_send(b, TAG_DATA);
  check(rc == SnowNoScheduler, "snow_send that needs the unreachable scheduler", rc);
  return 0;
}

static int scenario_hub(char **hosts) {
  const int k = 80;
  int hub = spawn("@hub", hosts[1]), snd = spawn("@sender", hosts[0]), sloth = spawn("@sloth", hosts[2]),
      late = spawn("@late", hosts[3]), a, b, got[3], bad;
  list_task("hub", hub, hosts[1]);
  list_task("sender", snd, hosts[0]);
  list_task("sloth", sloth, hosts[2]);
  list_task("late", late, hosts[3]);
  send_ints(hub, TAG_CTL, k, 1);
  send_ints(late, TAG_CTL, hub, 0);
  send_ints(sloth, TAG_CTL, hub, 4000);
  recv_ints(sloth, TAG_REPORT, &a, &b);
  send_ints(snd, TAG_CTL, hub, k);
  serve(300);
  touch("ready"); /* the script migrates the hub now */
  await_file("acted");
  /* `snow migrate` has returned: the hub's first process has committed its
   * migration and stays as the task's home agent (doc/plain-peers.md),
   * which refuses connection requests as a migrating process does. */
  serve(20);
  send_ints(late, TAG_CTL, 1, 1);           /* go */
  recv_ints(snd, TAG_REPORT, &a, &b);
  recv_ints(late, TAG_REPORT, &a, &b);
  if (snow_recv(hub, TAG_REPORT) < 0) return 1;
  pvm_upkint(got, 3, 1);
  pvm_upkint(&bad, 1, 1);
  check(got[0] == k && bad == 0, "every message of the sender arrived, in order, across the migration", got[0]);
  check(got[1] == 1 && got[2] == 2, "the messages of the sloth and the late peer arrived", got[2]);
  send_ints(sloth, TAG_CTL, 0, 0);
  send_ints(late, TAG_CTL, 0, 0);
  return 0;
}

static int scenario_hostgone(char **hosts) {
  int d = spawn("@deaf", hosts[1]), r = spawn("@requester", hosts[0]), a, rc;
  list_task("deaf", d, hosts[1]);
  list_task("requester", r, hosts[0]);
  send_ints(r, TAG_CTL, d, 0);
  recv_ints(r, TAG_REPORT, &a, &rc);
  touch("ready"); /* the script deletes the deaf task's host once the request waits there */
  recv_ints(r, TAG_REPORT, &a, &rc);
  check(rc == SnowTerminated, "a request pending at a host that left is refused", rc);
  recv_ints(r, TAG_REPORT, &a, &rc);
  check(rc == SnowTerminated, "a request to a host that has left is refused", rc);
  return 0;
}

int main(int argc, char **argv) {
  char *hosts[8] = {0}, *list = NULL;
  int c, n = 0;
  const char *scenario;
  if (argc >= 2 && !strcmp(argv[1], "@hub")) return role_hub();
  if (argc >= 2 && !strcmp(argv[1], "@sender")) return role_sender();
  if (argc >= 2 && !strcmp(argv[1], "@sloth")) return role_sloth();
  if (argc >= 2 && !strcmp(argv[1], "@late")) return role_late();
  if (argc >= 2 && !strcmp(argv[1], "@quit")) return role_quit();
  if (argc >= 2 && !strcmp(argv[1], "@linger")) return role_linger();
  if (argc >= 2 && !strcmp(argv[1], "@deaf")) return role_deaf();
  if (argc >= 2 && !strcmp(argv[1], "@requester")) return role_requester();
  if (argc < 2) {
    fprintf(stderr, "usage: comm_nack exited|hub|hostgone -w DIR -H hosts\n");
    return 64;
  }
  scenario = argv[1];
  optind = 2;
  while ((c = getopt(argc, argv, "w:H:")) != -1) {
    if (c == 'w') snprintf(workdir, sizeof workdir, "%s", optarg);
    else if (c == 'H') list = optarg;
    else return 64;
  }
  for (hosts[n] = list ? strtok(list, ",") : NULL; hosts[n] && n < 7; hosts[++n] = strtok(NULL, ","))
    ;
  if (!workdir[0] || n < 2) return 64;
  if (snow_start() < 0 || snow_mytid() < 0) return 1;
  if (!strcmp(scenario, "exited")) scenario_exited(hosts);
  else if (!strcmp(scenario, "hub") && n >= 4) scenario_hub(hosts);
  else if (!strcmp(scenario, "hostgone")) scenario_hostgone(hosts);
  else if (!strcmp(scenario, "nosched")) scenario_nosched(hosts);
  else return 64;
  printf("comm_nack %s: %s\n", scenario, failures ? "FAILED" : "all checks passed");
  fflush(stdout);
  snow_exit();
  return failures ? 1 : 0;
}
