/* K&R-style C, the way much 1980s numerical code was written: implicit int,
 * old-style function definitions, register variables, no prototypes.
 * A sieve of Eratosthenes, prime gaps and a checksum.
 * usage: kr_sieve [LIMIT] */
#include <stdio.h>
#include <stdlib.h>

static char *mark;
int ngaps[64];

clear(p, n)
char *p;
int n;
{
	register int i;
	for (i = 0; i < n; i++)
		p[i] = 0;
}

sieve(n)
{
	register int i, j;
	int count = 0;

	clear(mark, n + 1);
	for (i = 2; i <= n; i++) {
		if (mark[i])
			continue;
		count++;
		for (j = i + i; j <= n; j += i)
			mark[j] = 1;
	}
	return count;
}

unsigned
checksum(n)
int n;
{
	unsigned h = 0;
	int i;
	for (i = 2; i <= n; i++)
		if (!mark[i])
			h = h * 31 + i;
	return h;
}

gaps(n)
{
	int last = 2, i, big = 0;
	for (i = 3; i <= n; i++) {
		if (mark[i])
			continue;
		if (i - last < 64)
			ngaps[i - last]++;
		if (i - last > big)
			big = i - last;
		last = i;
	}
	return big;
}

main(argc, argv)
int argc;
char **argv;
{
	int n = argc > 1 ? atoi(argv[1]) : 2000000;
	int round, total = 0, g;

	mark = (char *) malloc(n + 1);
	for (round = 1; round <= 4; round++) {
		int m = n / 4 * round;
		int c = sieve(m);
		total += c;
		printf("primes up to %d: %d (checksum %u)\n", m, c, checksum(m));
	}
	g = gaps(n);
	for (round = 1; round < 64; round++)
		if (ngaps[round])
			printf("gap %2d: %d\n", round, ngaps[round]);
	printf("largest gap %d, total %d\n", g, total);
	free(mark);
	exit(0);
}
