/* A header with code in it, as real programs have: its functions are
 * translated with the file that includes it (their mallocs register). */
#pragma once
#include <stdlib.h>
#include "util/strutil.h"

struct node { int key; char *name; struct node *next; };

static struct node *push(struct node *head, int key) {
  struct node *n = malloc(sizeof *n);
  n->key = key;
  n->name = copy_name("k", key);
  n->next = head;
  return n;
}
