#!/bin/sh
# PVM's own example programs (Debian's pvm-examples), unmodified, built with
# snowcc: on a virtual machine of x86_64, i386 and s390x hosts, with a
# migration injected at a random migration point of one task per run --
# every ordered pair of architectures covered -- they print what the
# originals print without migration.  Tids, contexts, host names and
# timings, which differ from run to run anyway, are masked.  Each migration
# is a real `snow migrate` of a running task to another virtual host, while
# its peers keep talking to it.  The examples a user starts from several
# shells (contexts, mailbox, message handlers) are driven that way, with
# `snow migrate` issued while a task waits.
. "$TEST_LIB"
. "$(dirname "$TEST_LIB")/precomp_lib.sh"
need_netns
need_arch i386 s390x
need_precomp_runtime
need_pvm_examples

# EXAMPLES_ONLY="basic contexts mailbox handlers groups" runs only those
# parts (all by default).
part() {
  [ -z "${EXAMPLES_ONLY:-}" ] && return 0
  case " $EXAMPLES_ONLY " in *" $1 "*) return 0;; *) return 1;; esac
}

# What may legitimately differ between two runs.
# Tids and contexts (numbered by the pvmds, so they differ between virtual
# machines) become T1, T2, ... and C1, C2, ... in order of appearance, host
# names HOST (PVM places tasks, and migrations move them).
mask_ids() {
  perl -pe 'BEGIN { %t = (); %c = (); $nt = $nc = 0 }
    sub tid { my $k = shift; "T" . ($t{$k} //= ++$nt) }
    s{(?<![0-9A-Za-z])t([0-9a-f]{5,})(?![0-9a-f])}{tid($1)}ge;
    s{(id: )([0-9a-f]{5,})\b}{$1 . tid($2)}ge;
    s{\b((?:context|s?ctx)(?::| =)? )([1-9][0-9]*)}{$1 . "C" . ($c{$2} //= ++$nc)}ge;
    s{\bvh[0-9]+\b}{HOST}g'
}
mask_inherit1() { mask_ids; }
mask_inherit3() { mask_ids; }
mask_inheritb() { mask_ids; }
mask_mailbox() { mask_ids; }
# mhf_tickle prints its tid in decimal too.
mask_handlers() { mask_ids | sed -E 's/(src = T[0-9]+) = [0-9]+/\1/'; }
mask_master1() { grep -v '^$' | sort; }
mask_spmd() { sed -E 's/^\[t[0-9a-f]+\] ?//; s/[0-9]{5,}/TID/g' | grep -v -e '^BEGIN$' -e '^EOF$' | sort; }
mask_hello() { sed -E 's/\bt[0-9a-f]{5,}\b/tTID/g; s/world from .*/world from HOST/'; }
# The group examples print tids in hex without a "t" (bwtest: "4001c myinst
# is 0"); bwtest's round-trip times and rates differ from run to run.
mask_gexample() { mask_spmd; }
mask_bwtest() {
  sed -E 's/^\[t[0-9a-f]+\] ?//; s/^(Roundtrip T = )[0-9]+ \(us\)  \([0-9.]+ MB\/s\)/\1# (us) (# MB\/s)/; s/\bt?[0-9a-f]{5,}\b/TID/g' |
    grep -v -e '^BEGIN$' -e '^EOF$' | sort
}
mask_timing() {
  sed -E '/^Message size/!{s/\bt[0-9a-f]{5,}\b/tTID/g; s/[0-9]+(\.[0-9]+)?/#/g; s/ +/ /g}'
}

# Wait until the mailbox has an entry NAME (gmbi lists it), at most 60 s.
wait_for_entry() {
  _we_n=0
  until "$SNOW" run --vm "$VM" "$1/gmbi" "$2" 2>/dev/null | grep -q "class name: <$2>"; do
    _we_n=$((_we_n + 1))
    [ $_we_n -le 60 ] || return 1
    sleep 1
  done
}

# Move the (only) SNOW task running PROGRAM to HOST now, as a user would
# with `snow migrate` from another shell; adds the pair to $PAIRS.
move_task() {
  line=$("$SNOW" ps --vm "$VM" | awk -v p="$1" '$NF == p { print; exit }')
  [ -n "$line" ] || fail "no SNOW task runs $1"
  set -- "$1" "$2" $line
  to_arch=$("$SNOW" hosts --vm "$VM" | awk -v h="$2" '$1 == h { print $2 }')
  note "moving $1 ($3 on $6) to $2 ($to_arch)"
  "$SNOW" migrate --vm "$VM" --timeout 120 "$3" "$2" >/dev/null || fail "snow migrate of $1 ($3) to $2 failed"
  PAIRS="$PAIRS $6->$to_arch"
}

# PVM's mailbox examples, driven as from several shells: task0 publishes a
# service (pvm_putinfo, in a context of its own) and serves task1 clients
# until task_end tells it to stop; lmbi publishes entries and waits,
# gmbi lists them, rme tries to remove task0's, task_end stops lmbi.
# With MIGRATE=yes, task0 is moved twice while it waits for clients (to
# s390x, then i386), the second client is moved at a random one of its
# message calls, and lmbi is moved while it waits.  Everything printed
# goes to OUT in a fixed order.
#   mailbox_session BINDIR OUT MIGRATE
mailbox_session() {
  bin=$1 mbout=$2 mig=$3 svc="svc$$"
  rm -f mb.*
  "$SNOW" run --vm "$VM" "$bin/task0" "$svc" >mb.task0 2>&1 &
  t0pid=$!
  wait_for_entry "$bin" "$svc" || { cat mb.task0 >&2; fail "task0 did not publish <$svc>"; }
  plain_cmd mb.c1 "$bin/task1" "$svc" 0 d
  [ "$mig" = no ] || move_task task0 "$(host_of s390x)"
  if [ "$mig" = no ]; then
    plain_cmd mb.c2 "$bin/task1" "$svc" 0 d
  else
    migrate_cmd mb.c2 "$(random_upto 2)" "" "" task1 "$bin/task1" "$svc" 0 d
    PAIRS="$PAIRS $MIGRATED"
  fi
  [ "$mig" = no ] || move_task task0 "$(host_of i386)"
  "$SNOW" run --vm "$VM" "$bin/lmbi" 2 d w >mb.lmbi 2>&1 &
  lpid=$!
  lname=""
  for _i in $(seq 60); do
    lname=$("$SNOW" run --vm "$VM" "$bin/gmbi" 't*lmbi1' 2>/dev/null | sed -n 's/.*class name: <\(t[0-9a-f]*\)lmbi1>.*/\1lmbi/p')
    [ -z "$lname" ] || break
    sleep 1
  done
  [ -n "$lname" ] || { cat mb.lmbi >&2; fail "lmbi did not publish its entries"; }
  [ "$mig" = no ] || move_task lmbi "$(host_of s390x)"
  plain_cmd mb.gmbi "$bin/gmbi" "${lname}*"
  plain_cmd mb.rme "$bin/rme" "$svc" 0
  plain_cmd mb.end1 "$bin/task_end" "$svc" 0
  plain_cmd mb.end2 "$bin/task_end" "${lname}0" 0
  wait_for_exit $t0pid 120 || { cat mb.task0 >&2; fail "task0 did not end after task_end"; }
  wait_for_exit $lpid 120 || { cat mb.lmbi >&2; fail "lmbi did not end after task_end"; }
  for f in task0 c1 c2 lmbi gmbi rme end1 end2; do echo "=== $f"; cat "mb.$f"; done >"$mbout"
}

# PVM's message-handler examples: mhf_server (pre-compiled, or the
# original for the baseline) publishes itself in the mailbox and loads
# handlers that mhf_tickle clients ask for; mhf_tickle is an interactive
# menu, run as the user would from a shell (the original, a plain PVM task,
# reading its answers from standard input).  The first client loads
# string_catcher1 for its messages of tag 11, then -- after the server has
# been moved to s390x when MIGRATE=yes -- hits it; the second loads
# int_catcher6 for tag 12 on the server, moved again to i386, hits it and
# stops the server.  mhf_server also prints libpvm's private handler table
# (pvmdisplaymhfinfo), where SNOW's handlers are not: those lines are left
# out of the comparison.
#   handlers_session SERVER_BINDIR OUT MIGRATE
handlers_session() {
  sbin=$1 hout=$2 mig=$3 go="$PRECOMP_TMP/go.$$"
  rm -f mh.* "$go"
  "$SNOW" run --vm "$VM" "$sbin/mhf_server" >mh.server 2>&1 &
  spid=$!
  wait_for_entry "$sbin" mhf_server || { cat mh.server >&2; fail "mhf_server did not publish itself"; }
  { printf '1\n11\n0\n1\n'; wait_for_file "$go" 120; printf '4\n11\n0\n1\nhello there\n8\n'; } |
    "$SNOW" run --vm "$VM" "$orig/mhf_tickle" >mh.tk1 2>&1 &
  tpid=$!
  _n=0
  until grep -q "loaded SC1" mh.server; do
    _n=$((_n + 1))
    [ $_n -le 600 ] || { cat mh.server mh.tk1 >&2; fail "mhf_server did not load string_catcher1"; }
    sleep 0.1
  done
  [ "$mig" = no ] || move_task mhf_server "$(host_of s390x)"
  echo go >"$go"
  wait_for_exit $tpid 120 || { cat mh.tk1 >&2; fail "the first mhf_tickle did not finish"; }
  [ "$mig" = no ] || move_task mhf_server "$(host_of i386)"
  printf '1\n12\n0\n6\n4\n12\n0\n6\n4242\n9\n' |
    timeout 120 "$SNOW" run --vm "$VM" "$orig/mhf_tickle" >mh.tk2 2>&1 || fail "the second mhf_tickle failed"
  wait_for_exit $spid 120 || { cat mh.server >&2; fail "mhf_server did not end"; }
  for f in server tk1 tk2; do
    echo "=== $f"
    grep -v -e 'Display Message Handler Information' -e 'pvmdisplaymhfinfo: free list' -e 'dhandles\[' "mh.$f"
  done >"$hout"
}

# Baseline: the originals, never migrated.
vm_up --hosts x86_64,i386,s390x --ep "$PRECOMP_BIN/orig"
orig="$PRECOMP_BIN/orig/LINUX64"
if part basic; then
  plain_cmd base.master1 "$orig/master1"
  plain_cmd base.spmd "$orig/spawn_collect" 4 spmd
  plain_cmd base.timing "$orig/timing"
  plain_cmd base.hello "$orig/hello"
fi
if part contexts; then
  plain_cmd base.inherit1 "$orig/inherita" inherit1
  plain_cmd base.inherit3 "$orig/inherita" inherit3
  plain_cmd base.inheritb "$orig/inheritb"
fi
part mailbox && mailbox_session "$orig" base.mailbox no
part handlers && handlers_session "$orig" base.handlers no
if part groups; then
  plain_cmd base.gexample "$orig/spawn_collect" 4 gexample
  plain_cmd base.bwtest "$orig/spawn_collect" 2 bwtest
fi
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
if part basic; then
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
fi

# Contexts: inherita makes a new context (pvm_newcontext/pvm_setcontext)
# and spawns inherit1, whose child inherit2 must inherit it, or inherit3,
# which makes a context of its own for its inherit2; inheritb spawns two
# inherit2 in two contexts.  One migration per run: inherit1 and inherit3
# at a random one of their message calls (before or after their spawn: a
# child spawned by the restored process must still inherit the context),
# inherita and inheritb themselves while they wait for their children.
if part contexts; then
  migrate_cmd run.c1 "$(random_upto 6)" "" "" inherit1 "$snow/inherita" inherit1
  check inherit1 run.c1
  migrate_cmd run.c3 "$(random_upto 7)" "" "" inherit3 "$snow/inherita" inherit3
  check inherit3 run.c3
  migrate_cmd run.ca "$(random_upto 5)" x86_64 "$(host_of s390x)" inherita "$snow/inherita" inherit1
  check inherit1 run.ca
  migrate_cmd run.cb "$(random_upto 2)" x86_64 "$(host_of i386)" inheritb "$snow/inheritb"
  check inheritb run.cb
fi

# The mailbox: the whole session with task0 moved twice, a client and lmbi
# moved once (see mailbox_session).
if part mailbox; then
  MIGRATED="task0, task1 and lmbi"
  pairs_before=$PAIRS
  mailbox_session "$snow" run.mailbox yes
  MIGRATED="${PAIRS#"$pairs_before" }"
  PAIRS=$pairs_before
  check mailbox run.mailbox
fi

# Message handlers: mhf_server moved between loading a handler and its
# use, and again between two clients (see handlers_session).
if part handlers; then
  pairs_before=$PAIRS
  handlers_session "$snow" run.handlers yes
  MIGRATED="${PAIRS#"$pairs_before" }"
  PAIRS=$pairs_before
  check handlers run.handlers
fi

# The group examples (PVM's group server for the originals, the SNOW
# scheduler for the snowcc builds), spawned together as the console's
# `spawn -4 -> gexample` does: gexample then takes its sizes from its
# defaults (4 tasks, a 100x100 matrix) instead of asking for them on
# standard input.  Every member passes 54 migration points
# (SNOW_EXEC_COUNT): 1 is its group operation on the sizes (instance 0
# multicasts them, the others receive them), 2-51 its loops over its rows,
# 52 pvm_reduce(PvmSum), 53 pvm_reduce with a function of its own, 54 the
# final pvm_barrier -- where the other members wait for it.  One member is
# moved at a group operation in each run: at a reduction (i386 -> s390x),
# at the barrier (s390x -> x86_64), at any of them (x86_64 -> i386).
# bwtest: two members ping-pong with pvm_psend/pvm_precv; the slave is moved
# in the middle of the ping-pong (points 3-202 of 282, after the validation
# of the first exchange: psend/precv move raw bytes, as in PVM, so data
# that crosses byte orders is not converted).
if part groups; then
  migrate_cmd run.g1 "$((51 + $(random_upto 2)))" i386 "$(host_of s390x)" gexample "$snow/spawn_collect" 4 gexample
  check gexample run.g1
  migrate_cmd run.g2 54 s390x "$(host_of x86_64)" gexample "$snow/spawn_collect" 4 gexample
  check gexample run.g2
  k=$(set -- 1 52 53 54; shift $(($(random_upto 4) - 1)); echo "$1")
  migrate_cmd run.g3 "$k" x86_64 "$(host_of i386)" gexample "$snow/spawn_collect" 4 gexample
  check gexample run.g3
  migrate_cmd run.b1 "$((2 + $(random_upto 200)))" i386 "$(host_of s390x)" bwtest "$snow/spawn_collect" 2 bwtest
  check bwtest run.b1
fi

note "migrations:$PAIRS"
if part basic; then
  for pair in x86_64-\>i386 i386-\>s390x s390x-\>x86_64 i386-\>x86_64 s390x-\>i386 x86_64-\>s390x; do
    case " $PAIRS " in *" $pair "*) ;; *) fail "pair $pair not covered";; esac
  done
fi
rm -f base.* run.* mb.* mh.* want got
rm -rf "$PRECOMP_TMP"
note "ok"
