/*
 * mhf_master -- hands out numbered jobs to one mhf_worker and watches its
 * progress through a message handler.
 *
 *   mhf_master [NJOBS]
 *
 * Phase 1: progress reports of the worker are counted by a handler
 * (pvm_addmhf) while the master receives the results.  The jobs go out in
 * a scrambled order (the worker puts them back in order with its receive
 * matcher), each followed by a ping that the worker answers from a message
 * handler of its own.  Phase 2: the handler is removed (pvm_delmhf) and
 * the master takes the worker's last progress reports itself.  Everything
 * printed depends only on the data, never on timing.
 */
#include <stdio.h>
#include <stdlib.h>
#include "pvm3.h"

#define TAG_JOB 100 /* + job number: the worker's matcher picks by tag */
#define TAG_PING 2
#define TAG_PONG 3
#define TAG_PROGRESS 4
#define TAG_RESULT 5
#define TAG_PHASE2 6
#define TAG_SUMMARY 7
#define MAXJOBS 40

/* What the handler saw. */
int progress_count;
long progress_sum;
int progress_last = -1;
int progress_out_of_order;

int on_progress(mid)
int mid;
{
	int step, bytes, tag, src;

	pvm_bufinfo(mid, &bytes, &tag, &src);
	pvm_upkint(&step, 1, 1);
	if (step != progress_last + 1)
		progress_out_of_order++;
	progress_last = step;
	progress_count++;
	progress_sum += step * step;
	return 0;
}

int main(argc, argv)
int argc;
char **argv;
{
	int njobs = 12, worker, i, j, n, mhid, value, bad, again;
	long total = 0, pongs = 0;

	if (argc > 1)
		njobs = atoi(argv[1]);
	if (njobs < 1 || njobs > MAXJOBS)
		njobs = 12;
	if (pvm_mytid() < 0)
		return 1;
	if (pvm_spawn("mhf_worker", (char **)0, PvmTaskDefault, "", 1, &worker) != 1) {
		printf("cannot start mhf_worker\n");
		pvm_exit();
		return 1;
	}
	mhid = pvm_addmhf(worker, TAG_PROGRESS, pvm_getcontext(), on_progress);
	if (mhid < 0) {
		printf("pvm_addmhf failed: %d\n", mhid);
		pvm_exit();
		return 1;
	}
	again = pvm_addmhf(-1, TAG_PROGRESS, -1, on_progress);
	printf("a second handler for the same messages: %s\n", again == PvmExists ? "refused" : "accepted");

	pvm_initsend(PvmDataDefault);
	pvm_pkint(&njobs, 1, 1);
	pvm_send(worker, 1);
	/* Scrambled: job j goes out as the i-th message. */
	for (i = 0; i < njobs; i++) {
		j = (i * 5 + 3) % njobs;
		if (njobs % 5 == 0)
			j = njobs - 1 - i;
		value = j * 7 + 1;
		pvm_initsend(PvmDataDefault);
		pvm_pkint(&j, 1, 1);
		pvm_pkint(&value, 1, 1);
		pvm_send(worker, TAG_JOB + j);
		pvm_initsend(PvmDataDefault);
		pvm_pkint(&i, 1, 1);
		pvm_send(worker, TAG_PING);
	}
	for (i = 0; i < njobs; i++) {
		pvm_recv(worker, TAG_RESULT);
		pvm_upkint(&j, 1, 1);
		pvm_upkint(&value, 1, 1);
		printf("result %d of job %d: %d\n", i, j, value);
		total += value;
	}
	for (i = 0; i < njobs; i++) {
		pvm_recv(worker, TAG_PONG);
		pvm_upkint(&value, 1, 1);
		pongs += value;
	}
	printf("pongs from the worker's handler: sum %ld\n", pongs);
	/* The worker reports its last progress after the results: wait for it. */
	pvm_recv(worker, TAG_SUMMARY);
	pvm_upkint(&n, 1, 1);
	printf("phase 1: worker handled %d pings; handler saw %d reports, sum %ld, last %d, %d out of order\n",
	       n, progress_count, progress_sum, progress_last, progress_out_of_order);

	printf("delete handler: %d\n", pvm_delmhf(mhid));
	printf("delete it again: %s\n", pvm_delmhf(mhid) == PvmNotFound ? "not found" : "deleted?");
	pvm_initsend(PvmDataDefault);
	pvm_send(worker, TAG_PHASE2);
	bad = 0;
	for (i = 0; i < 3; i++) {
		pvm_recv(worker, TAG_PROGRESS);
		pvm_upkint(&n, 1, 1);
		if (n != njobs + i)
			bad++;
		printf("phase 2: progress %d received by pvm_recv\n", n);
	}
	printf("phase 2: handler count still %d, %d wrong\n", progress_count, bad);
	printf("total %ld\n", total);
	pvm_exit();
	return 0;
}
