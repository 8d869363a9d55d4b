/* Linked lists and a work queue: jobs sit in a FIFO of heap nodes; doing a
 * job may enqueue new ones (a breadth-first exploration of the Collatz
 * tree); results go to a sorted singly linked list, merged and trimmed.
 * usage: workqueue [JOBS] */
#include <stdio.h>
#include <stdlib.h>

typedef struct job {
  unsigned value;
  int level;
  struct job *next;
} job_t;

typedef struct {
  job_t *head, *tail;
  int length, peak;
} queue_t;

typedef struct result {
  unsigned value;
  int level;
  struct result *next;
} result_t;

static void push(queue_t *q, unsigned v, int level) {
  job_t *j = (job_t *)malloc(sizeof(job_t));
  j->value = v;
  j->level = level;
  j->next = NULL;
  if (q->tail) q->tail->next = j; else q->head = j;
  q->tail = j;
  if (++q->length > q->peak) q->peak = q->length;
}

static job_t *pop(queue_t *q) {
  job_t *j = q->head;
  if (j) {
    q->head = j->next;
    if (!q->head) q->tail = NULL;
    q->length--;
  }
  return j;
}

/* keep the list sorted by value, descending */
static result_t *insert_sorted(result_t *list, unsigned v, int level) {
  result_t **pp = &list, *r;
  while (*pp && (*pp)->value > v) pp = &(*pp)->next;
  r = malloc(sizeof *r);
  r->value = v;
  r->level = level;
  r->next = *pp;
  *pp = r;
  return list;
}

static result_t *trim(result_t *list, int keep) {
  result_t *r = list, *dead;
  int i;
  for (i = 1; r && i < keep; i++) r = r->next;
  if (!r) return list;
  dead = r->next;
  r->next = NULL;
  while (dead) {
    result_t *n = dead->next;
    free(dead);
    dead = n;
  }
  return list;
}

int main(int argc, char **argv) {
  int limit = argc > 1 ? atoi(argv[1]) : 200000;
  queue_t q = { NULL, NULL, 0, 0 };
  result_t *best = NULL, *r;
  job_t *j;
  int done = 0, kept = 0;
  unsigned sum = 0;

  push(&q, 1, 0);
  while ((j = pop(&q)) != NULL) {
    unsigned v = j->value;
    int level = j->level;
    free(j);
    done++;
    sum = sum * 7u + v;
    if (done % 1000 == 0) {
      best = insert_sorted(best, v, level);
      if (++kept > 40) best = trim(best, 20), kept = 20;
    }
    if (done + q.length >= limit) continue;   /* drain */
    push(&q, v * 2, level + 1);
    if (v > 4 && (v - 1) % 3 == 0 && ((v - 1) / 3) % 2 == 1) push(&q, (v - 1) / 3, level + 1);
    if (done % 20000 == 0) printf("done %d queued %d peak %d sum %08x\n", done, q.length, q.peak, sum);
  }
  printf("jobs %d peak queue %d sum %08x\n", done, q.peak, sum);
  for (r = best; r; r = r->next) printf("  kept %u at level %d\n", r->value, r->level);
  while (best) {
    r = best->next;
    free(best);
    best = r;
  }
  return 0;
}
