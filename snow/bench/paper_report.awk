# The tables of `snow bench paper` (paper.sh) from its file of measured runs,
# as text, JSON or markdown (-v fmt=...).  Medians over the runs that
# succeeded; the papers' figures beside them.  One input line per run:
#   t1 VARIANT REP OK MATCH WALL_s EXEC_s COMM_MEAN_s COMM_MAX_s COORD COLLECT XFER RESTORE TOTAL BYTES HOLD_ms
#   s0 PROGRAM SIZE hom|het REP OK MATCH COORD COLLECT XFER RESTORE TOTAL BYTES
#   t2 REP OK MATCH COORD COLLECT XFER RESTORE TOTAL BYTES
# (the migration's phases in ms as `snow migrate` prints them, "-" when
# there was none).  The state is streamed: COLLECT includes sending it, the
# destination restores while it arrives, and XFER is what follows the walk
# until the destination has restored it all; tx is XFER (doc/benchmarks.md).

function add(key, v) { vals[key] = (key in vals) ? vals[key] " " v : v; cnt[key]++ }
function median(key,    n, a, i, j, t) {
  if (!(key in vals)) return ""
  n = split(vals[key], a, " ")
  for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
  return n % 2 ? a[(n + 1) / 2] + 0 : (a[n / 2] + a[n / 2 + 1]) / 2
}
function msec(key,    m) { m = median(key); return m == "" ? "" : m / 1000 }
function fix(v, d) { return v == "" ? "-" : sprintf("%." d "f", v) }
function ratio(a, b) { return (a == "" || b == "" || b + 0 == 0) ? "" : a / b }
function jnum(v) { return v == "" ? "null" : sprintf("%.10g", v) }
function jstr(s) { gsub(/["\\]/, "\\\\&", s); return "\"" s "\"" }

BEGIN {
  # seed 000 Table 1 (DEC 5000/120 -> Sparc 20, 10 Mbit/s Ethernet): Tx size (bytes), Scan, Tx, Restore, Migrate (s)
  P0["linpack small"] = "325232 0.303 0.357 0.095 0.756"
  P0["linpack large"] = "8021232 5.591 9.815 2.962 18.368"
  P0["bitonic small"] = "46704 0.150 0.053 0.077 0.280"
  P0["bitonic large"] = "182248 0.419 0.191 0.278 0.889"
  ARGS0["linpack small"] = "linpack 200"; ARGS0["linpack large"] = "linpack 1000"
  ARGS0["bitonic small"] = "bitonic 1024 3"; ARGS0["bitonic large"] = "bitonic 4096 10"
  nrows0 = split("linpack small,linpack large,bitonic small,bitonic large", ROWS0, ",")
  # seed 001 Table 1 (8 Sun Ultra 5, 100 Mbit/s; average of 10): execution, communication (s)
  P1e["a"] = 16.130; P1e["b"] = 16.379; P1e["c"] = 18.833
  P1c["a"] = 4.051; P1c["b"] = 4.205; P1c["c"] = 6.647
  NAME1["a"] = "original"; NAME1["b"] = "modified"; NAME1["c"] = "migration"
  # seed 001 Table 2 (DEC 5000/120 -> Ultra 5, 10 Mbit/s; average of 10): s
  P2["coordinate"] = 0.125; P2["collect"] = 5.209; P2["transfer"] = 8.591; P2["restore"] = 0.696; P2["total"] = 14.621
  split("coordinate collect transfer restore total", PH2, " ")
}

$1 == "t1" {
  v = $2; tried1[v]++
  if ($4 == 1) {
    ok1[v]++
    add("t1 exec " v, $7); add("t1 comm " v, $8); add("t1 commmax " v, $9); add("t1 wall " v, $6)
    if (v == "c") { add("t1 mtotal", $14); add("t1 mbytes", $15); add("t1 hold", $16) }
  }
  if ($5 == 1) match1[v]++
}
$1 == "s0" {
  r = $2 " " $3; k = $4; tried0[r, k]++
  if ($6 == 1) {
    ok0[r, k]++
    add("s0 scan " r " " k, $9); add("s0 tx " r " " k, $10); add("s0 restore " r " " k, $11)
    add("s0 total " r " " k, $12); add("s0 coord " r " " k, $8); add("s0 bytes " r " " k, $13)
  }
  if ($7 == 1) match0[r, k]++
}
$1 == "t2" {
  tried2++
  if ($3 == 1) {
    ok2++
    add("t2 coordinate", $5); add("t2 collect", $6); add("t2 transfer", $7); add("t2 restore", $8)
    add("t2 total", $9); add("t2 bytes", $10)
  }
  if ($4 == 1) match2++
}

function okstr(v) { return sprintf("%d/%d,%d", ok1[v], tried1[v], match1[v]) }

# s0 figures of row r, kind k, in ms
function s0(what, r, k) { return median("s0 " what " " r " " k) }

END {
  if (fmt == "json") json(); else if (fmt == "markdown") markdown(); else text()
}

function text(    i, r, k, p, hom, het, v, ph) {
  printf "snow bench paper: the papers' tables on this machine (%s), %s; medians of %d run%s each\n", machine, when, reps, reps == 1 ? "" : "s"
  printf "\nseed 000 Table 1: linpack and bitonic held mid-run on an x86_64 host and migrated; times in ms\n"
  printf "%-16s %-15s %10s %9s %9s %9s %9s  %-5s %s\n", "program", "move", "state B", "scan", "tx", "restore", "total", "ok", "output"
  for (i = 1; i <= nrows0; i++) {
    r = ROWS0[i]
    split(P0[r], p, " ")
    for (k = 1; k <= 2; k++) {
      kk = k == 1 ? "hom" : "het"
      printf "%-16s %-15s %10s %9s %9s %9s %9s  %d/%-3d %s\n", k == 1 ? ARGS0[r] : "", kk == "hom" ? "x86_64->x86_64" : "x86_64->s390x",
        fix(s0("bytes", r, kk), 0), fix(s0("scan", r, kk), 2), fix(s0("tx", r, kk), 2), fix(s0("restore", r, kk), 2),
        fix(s0("total", r, kk), 2), ok0[r, kk], tried0[r, kk], match0[r, kk] + 0 == tried0[r, kk] + 0 && tried0[r, kk] ? "same" : "DIFFERS"
    }
    printf "%-16s %-15s %10s %9s %9s %9s %9s\n", "", "het/hom", "", fix(ratio(s0("scan", r, "het"), s0("scan", r, "hom")), 2),
      fix(ratio(s0("tx", r, "het"), s0("tx", r, "hom")), 2), fix(ratio(s0("restore", r, "het"), s0("restore", r, "hom")), 2),
      fix(ratio(s0("total", r, "het"), s0("total", r, "hom")), 2)
    printf "%-16s %-15s %10s %9.0f %9.0f %9.0f %9.0f\n", "", "paper DEC->Sparc", p[1], p[2] * 1000, p[3] * 1000, p[4] * 1000, p[5] * 1000
  }
  print "(state streamed: scan = collect on the source, sending included; tx = after the walk until the destination has"
  print " restored it all; restore = receiving and restoring on the destination, overlapping both; total = request to commit,"
  print " including starting the new process; the paper's figures are heterogeneous only: a DEC 5000/120 to a Sparc 20)"

  printf "\nseed 001 Table 1: MG %d^3, %d processes on two native x86_64 hosts, %d iterations; seconds, medians of %d interleaved runs\n", mg_n, mg_p, mg_iters, reps
  printf "%-22s %10s %10s %10s   %-30s\n", "", "original", "modified", "migration", "paper: original modified migration"
  printf "%-22s %10s %10s %10s   %9.3f %9.3f %9.3f\n", "execution time", fix(median("t1 exec a"), 3), fix(median("t1 exec b"), 3), fix(median("t1 exec c"), 3), P1e["a"], P1e["b"], P1e["c"]
  printf "%-22s %10s %10s %10s   %9.3f %9.3f %9.3f\n", "communication", fix(median("t1 comm a"), 3), fix(median("t1 comm b"), 3), fix(median("t1 comm c"), 3), P1c["a"], P1c["b"], P1c["c"]
  printf "%-22s %10s %10s %10s   %9.3f %9.3f %9.3f\n", "execution / original", "1.000", fix(ratio(median("t1 exec b"), median("t1 exec a")), 3), fix(ratio(median("t1 exec c"), median("t1 exec a")), 3), 1, P1e["b"] / P1e["a"], P1e["c"] / P1e["a"]
  printf "%-22s %10s %10s %10s   %9.3f %9.3f %9.3f\n", "communication / orig.", "1.000", fix(ratio(median("t1 comm b"), median("t1 comm a")), 3), fix(ratio(median("t1 comm c"), median("t1 comm a")), 3), 1, P1c["b"] / P1c["a"], P1c["c"] / P1c["a"]
  printf "%-22s %10s %10s %10s\n", "runs ok, same output", okstr("a"), okstr("b"), okstr("c")
  printf "(execution: process 0's wall time from its start to the final residual; communication: time in pvm_send/pvm_recv\n"
  printf " and packing, mean over the %d processes, including waiting for peers; migration: one process moved to the other\n", mg_p
  printf " host after iteration %d, median %s ms request to commit, %s bytes of state; the process waited %s ms\n", move_after, fix(median("t1 mtotal"), 1), fix(median("t1 mbytes"), 0), fix(median("t1 hold"), 1)
  printf " at its migration point for snow migrate to be started)\n"

  printf "\nseed 001 Table 2: MG %d^3, one process moved s390x -> x86_64 after iteration %d; seconds, median of %d run%s\n", mg_n, move_after, reps, reps == 1 ? "" : "s"
  printf "%-12s %10s   %s\n", "operation", "this run", "paper (DEC 5000 -> Ultra 5, 10 Mbit/s)"
  for (i = 1; i <= 5; i++) {
    ph = PH2[i]
    printf "%-12s %10s   %8.3f\n", ph, fix(msec("t2 " ph), 3), P2[ph]
  }
  printf "state %s bytes (the paper: over 7.5 MB); %d/%d migrations ok, %d/%d outputs the same as the original's\n", fix(median("t2 bytes"), 0), ok2, tried2, match2, tried2
  printf "\n%d of %d migrations completed, %d output mismatches, %d failures; wall time %.0f s\n", migrated_ok, migrations, mismatches, failures, wall
}

function json(    i, r, k, kk, p, sep, v) {
  printf "{\n  \"bench\": \"paper\", \"when\": %s, \"machine\": %s, \"quick\": %s, \"reps\": %d, \"wall_s\": %s,\n", jstr(when), jstr(machine), quick ? "true" : "false", reps, jnum(wall)
  printf "  \"migrations\": %d, \"migrations_ok\": %d, \"output_mismatches\": %d, \"failures\": %d, \"outputs_matched\": %s,\n", migrations, migrated_ok, mismatches, failures, mismatches == 0 && failures == 0 ? "true" : "false"
  printf "  \"seed000_table1\": {\"unit\": \"ms\", \"rows\": ["
  for (i = 1; i <= nrows0; i++) {
    r = ROWS0[i]
    split(P0[r], p, " ")
    split(r, rp, " ")
    printf "%s\n    {\"program\": %s, \"size\": %s, \"command\": %s,", (i > 1 ? "," : ""), jstr(rp[1]), jstr(rp[2]), jstr(ARGS0[r])
    for (k = 1; k <= 2; k++) {
      kk = k == 1 ? "hom" : "het"
      printf " %s: {\"move\": %s, \"state_bytes\": %s, \"scan\": %s, \"tx\": %s, \"restore\": %s, \"total\": %s, \"coordinate\": %s, \"runs\": %d, \"ok\": %d, \"outputs_matched\": %d},",
        kk == "hom" ? "\"homogeneous\"" : "\"heterogeneous\"", kk == "hom" ? "\"x86_64->x86_64\"" : "\"x86_64->s390x\"",
        jnum(s0("bytes", r, kk)), jnum(s0("scan", r, kk)), jnum(s0("tx", r, kk)), jnum(s0("restore", r, kk)), jnum(s0("total", r, kk)),
        jnum(s0("coord", r, kk)), tried0[r, kk], ok0[r, kk], match0[r, kk]
    }
    printf " \"ratio_het_hom\": {\"scan\": %s, \"tx\": %s, \"restore\": %s, \"total\": %s},",
      jnum(ratio(s0("scan", r, "het"), s0("scan", r, "hom"))), jnum(ratio(s0("tx", r, "het"), s0("tx", r, "hom"))),
      jnum(ratio(s0("restore", r, "het"), s0("restore", r, "hom"))), jnum(ratio(s0("total", r, "het"), s0("total", r, "hom")))
    printf " \"paper\": {\"tx_bytes\": %s, \"scan\": %s, \"tx\": %s, \"restore\": %s, \"total\": %s}}", p[1], p[2] * 1000, p[3] * 1000, p[4] * 1000, p[5] * 1000
  }
  printf "\n  ]},\n"
  printf "  \"seed001_table1\": {\"unit\": \"s\", \"grid\": %d, \"processes\": %d, \"iterations\": %d, \"hosts\": \"two x86_64 (native)\", \"migrate_after_iteration\": %d,\n", mg_n, mg_p, mg_iters, move_after
  sep = ""
  for (i = 1; i <= 3; i++) {
    v = substr("abc", i, 1)
    printf "%s    %s: {\"execution\": %s, \"communication\": %s, \"communication_max\": %s, \"turnaround\": %s, \"runs\": %d, \"ok\": %d, \"outputs_matched\": %d, \"paper_execution\": %s, \"paper_communication\": %s}",
      sep, jstr(NAME1[v]), jnum(median("t1 exec " v)), jnum(median("t1 comm " v)), jnum(median("t1 commmax " v)), jnum(median("t1 wall " v)),
      tried1[v], ok1[v], match1[v], P1e[v], P1c[v]
    sep = ",\n"
  }
  printf ",\n    \"ratios\": {\"execution_modified\": %s, \"execution_migration\": %s, \"communication_modified\": %s, \"communication_migration\": %s,\n",
    jnum(ratio(median("t1 exec b"), median("t1 exec a"))), jnum(ratio(median("t1 exec c"), median("t1 exec a"))),
    jnum(ratio(median("t1 comm b"), median("t1 comm a"))), jnum(ratio(median("t1 comm c"), median("t1 comm a")))
  printf "      \"paper_execution_modified\": %.4f, \"paper_execution_migration\": %.4f, \"paper_communication_modified\": %.4f, \"paper_communication_migration\": %.4f},\n",
    P1e["b"] / P1e["a"], P1e["c"] / P1e["a"], P1c["b"] / P1c["a"], P1c["c"] / P1c["a"]
  printf "    \"migration_total_ms\": %s, \"migration_state_bytes\": %s, \"held_before_request_ms\": %s},\n", jnum(median("t1 mtotal")), jnum(median("t1 mbytes")), jnum(median("t1 hold"))
  printf "  \"seed001_table2\": {\"unit\": \"s\", \"move\": \"s390x->x86_64\", \"grid\": %d, \"runs\": %d, \"ok\": %d, \"outputs_matched\": %d, \"state_bytes\": %s,", mg_n, tried2, ok2, match2, jnum(median("t2 bytes"))
  for (i = 1; i <= 5; i++) printf " %s: %s,", jstr(PH2[i]), jnum(msec("t2 " PH2[i]))
  printf "\n    \"paper\": {\"coordinate\": %s, \"collect\": %s, \"transfer\": %s, \"restore\": %s, \"total\": %s}}\n", P2["coordinate"], P2["collect"], P2["transfer"], P2["restore"], P2["total"]
  printf "}\n"
}

function markdown(    i, r, k, kk, p, v, ph) {
  printf "# snow bench paper\n\n%s, %s; medians of %d run%s each; wall time %.0f s.\n", machine, when, reps, reps == 1 ? "" : "s", wall
  printf "%d of %d migrations completed, %d output mismatches, %d failures.\n", migrated_ok, migrations, mismatches, failures
  printf "What each column means: doc/benchmarks.md, \"snow bench paper\".\n"
  printf "\n## Seed 000 Table 1: linpack and bitonic migrated mid-run (ms)\n\n"
  printf "| program | move | state bytes | scan | tx | restore | total | runs ok | output |\n|---|---|---:|---:|---:|---:|---:|---|---|\n"
  for (i = 1; i <= nrows0; i++) {
    r = ROWS0[i]
    split(P0[r], p, " ")
    for (k = 1; k <= 2; k++) {
      kk = k == 1 ? "hom" : "het"
      printf "| `%s` | %s | %s | %s | %s | %s | %s | %d/%d | %s |\n", ARGS0[r], kk == "hom" ? "x86_64 -> x86_64" : "x86_64 -> s390x",
        fix(s0("bytes", r, kk), 0), fix(s0("scan", r, kk), 2), fix(s0("tx", r, kk), 2), fix(s0("restore", r, kk), 2),
        fix(s0("total", r, kk), 2), ok0[r, kk], tried0[r, kk], match0[r, kk] + 0 == tried0[r, kk] + 0 && tried0[r, kk] ? "same" : "**differs**"
    }
    printf "| | het / hom | | %s | %s | %s | %s | | |\n", fix(ratio(s0("scan", r, "het"), s0("scan", r, "hom")), 2),
      fix(ratio(s0("tx", r, "het"), s0("tx", r, "hom")), 2), fix(ratio(s0("restore", r, "het"), s0("restore", r, "hom")), 2),
      fix(ratio(s0("total", r, "het"), s0("total", r, "hom")), 2)
    printf "| | paper, DEC 5000 -> Sparc 20 | %s | %.0f | %.0f | %.0f | %.0f | | |\n", p[1], p[2] * 1000, p[3] * 1000, p[4] * 1000, p[5] * 1000
  }
  printf "\n## Seed 001 Table 1: MG %d^3, %d processes on two native x86_64 hosts, %d iterations (s)\n\n", mg_n, mg_p, mg_iters
  printf "| | original | modified | migration | paper original | paper modified | paper migration |\n|---|---:|---:|---:|---:|---:|---:|\n"
  printf "| execution time | %s | %s | %s | %.3f | %.3f | %.3f |\n", fix(median("t1 exec a"), 3), fix(median("t1 exec b"), 3), fix(median("t1 exec c"), 3), P1e["a"], P1e["b"], P1e["c"]
  printf "| communication | %s | %s | %s | %.3f | %.3f | %.3f |\n", fix(median("t1 comm a"), 3), fix(median("t1 comm b"), 3), fix(median("t1 comm c"), 3), P1c["a"], P1c["b"], P1c["c"]
  printf "| execution / original | 1.000 | %s | %s | 1.000 | %.3f | %.3f |\n", fix(ratio(median("t1 exec b"), median("t1 exec a")), 3), fix(ratio(median("t1 exec c"), median("t1 exec a")), 3), P1e["b"] / P1e["a"], P1e["c"] / P1e["a"]
  printf "| communication / original | 1.000 | %s | %s | 1.000 | %.3f | %.3f |\n", fix(ratio(median("t1 comm b"), median("t1 comm a")), 3), fix(ratio(median("t1 comm c"), median("t1 comm a")), 3), P1c["b"] / P1c["a"], P1c["c"] / P1c["a"]
  printf "| runs ok / outputs same | %d/%d, %d | %d/%d, %d | %d/%d, %d | | | |\n", ok1["a"], tried1["a"], match1["a"], ok1["b"], tried1["b"], match1["b"], ok1["c"], tried1["c"], match1["c"]
  printf "\nThe migration: one process moved to the other host after iteration %d, median %s ms from request to commit, %s bytes of state; it waited %s ms at its migration point for snow migrate to be started.\n", move_after, fix(median("t1 mtotal"), 1), fix(median("t1 mbytes"), 0), fix(median("t1 hold"), 1)
  printf "\n## Seed 001 Table 2: one MG process moved s390x -> x86_64 after iteration %d (s)\n\n", move_after
  printf "| operation | this run | paper (DEC 5000 -> Ultra 5) |\n|---|---:|---:|\n"
  for (i = 1; i <= 5; i++) {
    ph = PH2[i]
    printf "| %s | %s | %.3f |\n", ph, fix(msec("t2 " ph), 3), P2[ph]
  }
  printf "\nState: %s bytes; %d/%d migrations ok, %d/%d outputs the same as the original's.\n", fix(median("t2 bytes"), 0), ok2, tried2, match2, tried2
}
