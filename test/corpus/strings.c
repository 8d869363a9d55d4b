/* String handling the way C programs do it: sprintf into buffers, strtok
 * over a copy, strcpy/strcat/strcmp, strdup'd keys in a chained hash table
 * of word counts.
 * usage: strings [LINES] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NBUCKETS 211

struct entry {
  char *word;
  int count;
  struct entry *next;
};

static struct entry *table[NBUCKETS];
static const char *syllables[] = { "ka", "lo", "mi", "ne", "su", "ta", "ri", "po" };

static unsigned hash(const char *s) {
  unsigned h = 5381;
  while (*s) h = h * 33u + (unsigned char)*s++;
  return h % NBUCKETS;
}

static void count_word(const char *w) {
  unsigned b = hash(w);
  struct entry *e;
  for (e = table[b]; e; e = e->next)
    if (strcmp(e->word, w) == 0) {
      e->count++;
      return;
    }
  e = malloc(sizeof *e);
  e->word = strdup(w);
  e->count = 1;
  e->next = table[b];
  table[b] = e;
}

static void make_line(char *buf, int n) {
  int i, words = 3 + n % 5;
  buf[0] = 0;
  for (i = 0; i < words; i++) {
    char word[32];
    int k = (n * 7 + i * 3) % 8, m = (n + i) % 8;
    strcpy(word, syllables[k]);
    strcat(word, syllables[m]);
    if ((n + i) % 4 == 0) strcat(word, syllables[(k + m) % 8]);
    strcat(buf, word);
    strcat(buf, i % 3 == 2 ? ", " : " ");
  }
}

int main(int argc, char **argv) {
  int lines = argc > 1 ? atoi(argv[1]) : 20000;
  char line[256], copy[256], report[128];
  int n, distinct = 0, best = 0, b;
  const char *bestw = "";
  struct entry *e;

  for (n = 0; n < lines; n++) {
    char *tok;
    make_line(line, n);
    strcpy(copy, line);
    for (tok = strtok(copy, " ,"); tok; tok = strtok(NULL, " ,")) count_word(tok);
    if (n % 2000 == 0) {
      sprintf(report, "line %d has %d chars: %.40s", n, (int)strlen(line), line);
      puts(report);
    }
  }
  for (b = 0; b < NBUCKETS; b++)
    for (e = table[b]; e; e = e->next) {
      distinct++;
      if (e->count > best || (e->count == best && strcmp(e->word, bestw) < 0)) {
        best = e->count;
        bestw = e->word;
      }
    }
  printf("%d distinct words; most frequent \"%s\" (%d times)\n", distinct, bestw, best);
  for (b = 0; b < NBUCKETS; b++)
    while (table[b]) {
      e = table[b]->next;
      free(table[b]->word);
      free(table[b]);
      table[b] = e;
    }
  return 0;
}
