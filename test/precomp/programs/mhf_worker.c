/*
 * mhf_worker -- spawned by mhf_master.  Takes its jobs in order whatever
 * order they arrive in, with a receive matcher (pvm_recvf), and answers
 * the master's pings from a message handler (pvm_addmhf) that replies
 * with pvm_send, as the pvm_addmhf man page allows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include "pvm3.h"

#define TAG_JOB 100
#define TAG_PING 2
#define TAG_PONG 3
#define TAG_PROGRESS 4
#define TAG_RESULT 5
#define TAG_PHASE2 6
#define TAG_SUMMARY 7

int master;
int next_job;
int pings;

/* Jobs only in their order; anything else as pvm_recv would match it. */
int in_order(mid, tid, tag)
int mid, tid, tag;
{
	int bytes, mtag, src;

	if (pvm_bufinfo(mid, &bytes, &mtag, &src) < 0)
		return 0;
	if (mtag >= TAG_JOB)
		return mtag == TAG_JOB + next_job;
	return (tid == -1 || tid == src) && (tag == -1 || tag == mtag);
}

int on_ping(mid)
int mid;
{
	int i, answer;

	pvm_upkint(&i, 1, 1);
	pings++;
	answer = 2 * i + 1;
	pvm_initsend(PvmDataDefault);
	pvm_pkint(&answer, 1, 1);
	pvm_send(master, TAG_PONG);
	return 0;
}

int work(value)
int value;
{
	int r, x = value;

	for (r = 0; r < 3000; r++)
		x = (x * 31 + r) % 100003;
	return x;
}

int main()
{
	int njobs, k, j, value, result, i, step;
	int (*old)();
	struct timeval tmout;

	pvm_mytid();
	master = pvm_parent();
	if (pvm_addmhf(master, TAG_PING, -1, on_ping) < 0) {
		pvm_exit();
		return 1;
	}
	pvm_recv(master, 1);
	pvm_upkint(&njobs, 1, 1);
	old = pvm_recvf(in_order);
	for (k = 0; k < njobs; k++) {
		next_job = k;
		pvm_recv(-1, -1);
		pvm_upkint(&j, 1, 1);
		pvm_upkint(&value, 1, 1);
		result = j == k ? work(value) : -1;
		step = k;
		pvm_initsend(PvmDataDefault);
		pvm_pkint(&step, 1, 1);
		pvm_send(master, TAG_PROGRESS);
		pvm_initsend(PvmDataDefault);
		pvm_pkint(&j, 1, 1);
		pvm_pkint(&result, 1, 1);
		pvm_send(master, TAG_RESULT);
	}
	pvm_recvf(old);
	/* The last pings may still be on their way. */
	while (pings < njobs) {
		tmout.tv_sec = 0;
		tmout.tv_usec = 20000;
		pvm_trecv(master, TAG_PHASE2 + 1000, &tmout);
	}
	pvm_initsend(PvmDataDefault);
	pvm_pkint(&pings, 1, 1);
	pvm_send(master, TAG_SUMMARY);
	pvm_recv(master, TAG_PHASE2);
	for (i = 0; i < 3; i++) {
		step = njobs + i;
		pvm_initsend(PvmDataDefault);
		pvm_pkint(&step, 1, 1);
		pvm_send(master, TAG_PROGRESS);
	}
	pvm_exit();
	return 0;
}
