#!/bin/sh
# PVM's own example programs (Debian's pvm-examples), unmodified, built with
# snowcc: on a virtual machine of x86_64, i386 and s390x hosts, with a
# migration injected at a random migration point of one task per run --
# every ordered pair of architectures covered -- they print what the
# originals print without migration.  Tids, host names and timings, which
# differ from run to run anyway, are masked.  Each migration is a real
# `snow migrate` of a running task to another virtual host, while its
# peers keep talking to it.
. "$TEST_LIB"
. "$(dirname "$TEST_LIB")/precomp_lib.sh"
need_netns
need_arch i386 s390x
need_precomp_runtime
need_pvm_examples

# What may legitimately differ between two runs.
mask_master1() { grep -v '^$' | sort; }
mask_spmd() { sed -E 's/^\[t[0-9a-f]+\] ?//; s/[0-9]{5,}/TID/g' | grep -v -e '^BEGIN$' -e '^EOF$' | sort; }
mask_hello() { sed -E 's/\bt[0-9a-f]{5,}\b/tTID/g; s/world from .*/world from HOST/'; }
mask_timing() {
  sed -E '/^Message size/!{s/\bt[0-9a-f]{5,}\b/tTID/g; s/[0-9]+(\.[0-9]+)?/#/g; s/ +/ /g}'
}

# Baseline: the originals, never migrated.
vm_up --hosts x86_64,i386,s390x --ep "$PRECOMP_BIN/orig"
orig="$PRECOMP_BIN/orig/LINUX64"
plain_cmd base.master1 "$orig/master1"
plain_cmd base.spmd "$orig/spawn_collect" 4 spmd
plain_cmd base.timing "$orig/timing"
plain_cmd base.hello "$orig/hello"
"$SNOW" vm down --vm "$VM" >/dev/null
trap - EXIT INT TERM

check() {
  name=$1 run=$2
  "mask_$name" <"base.$name" >want
  "mask_$name" <"$run" >got
  if ! diff -u want got; then
    echo "--- original output:" >&2; cat "base.$name" >&2
    echo "--- migrated output:" >&2; cat "$run" >&2
    fail "$name printed something else after a migration"
  fi
  note "$name: migration $MIGRATED, same output as the original"
  PAIRS="$PAIRS $MIGRATED"
}

# The pre-compiled programs, each run with one migration.
vm_up --hosts x86_64,i386,s390x --ep "$PRECOMP_BIN/snow"
snow="$PRECOMP_BIN/snow/LINUX64"
PAIRS=""
# master1 runs on x86_64 and spawns 9 slave1 tasks over the hosts; a slave
# passes 3 migration points (receive the data; send to and receive from its
# neighbour in work()).  One run per ordered pair of architectures.
n=0
for pair in x86_64:i386 i386:s390x s390x:x86_64 i386:x86_64 s390x:i386 x86_64:s390x; do
  n=$((n + 1))
  migrate_cmd "run.m$n" "$(random_upto 3)" "${pair%:*}" "$(host_of "${pair#*:}")" slave1 "$snow/master1"
  check master1 "run.m$n"
done
# spmd: four tasks spawned together pass a token around a ring; the first
# prints the ring, with pvm_catchout() collecting every task's output.
# Migration points 1-2 are the ring's receive and send in every task, 3-4
# lie in the first task's printing loop, in the middle of a line: the
# migrated task's output must keep reaching the collector, and the line it
# was printing must come out whole (the unfinished line moves with it).
migrate_cmd run.s1 "$(random_upto 2)" i386 "" spmd "$snow/spawn_collect" 4 spmd
check spmd run.s1
migrate_cmd run.s2 "$(random_upto 2)" s390x "" spmd "$snow/spawn_collect" 4 spmd
check spmd run.s2
migrate_cmd run.s3 "$((2 + $(random_upto 2)))" "" "" spmd "$snow/spawn_collect" 4 spmd
check spmd run.s3
# timing on x86_64 measures round trips to timing_slave, wherever PVM puts
# it; the slave echoes in a loop (two message calls per round trip).
migrate_cmd run.t1 "$((2 + $(random_upto 60)))" "" "" timing_slave "$snow/timing"
check timing run.t1

# hello spawns hello_other, which sends it a greeting from its host and
# exits: hello_other migrates at its send (its only migration point).  Its
# host's name is masked: PVM places it, and the migration moves it.
migrate_cmd run.h1 1 "" "" hello_other "$snow/hello"
check hello run.h1

note "migrations:$PAIRS"
for pair in x86_64-\>i386 i386-\>s390x s390x-\>x86_64 i386-\>x86_64 s390x-\>i386 x86_64-\>s390x; do
  case " $PAIRS " in *" $pair "*) ;; *) fail "pair $pair not covered";; esac
done
rm -f base.* run.* want got
rm -rf "$PRECOMP_TMP"
note "ok"
