# The report of `snow bench migrate` (migrate.sh): one row per state size and
# move, medians over the repetitions that committed, as text or JSON (-v
# fmt=text|json).  Input lines, one per migration tried:
#   m SIZE DEST REP STATUS COORD COLLECT XFER RESTORE TOTAL STATE_B WALL TCP
#     SRC_RSS0 SRC_HWM0 SRC_HWM SRC_RSSMAX SRC_EXTRA DST_HWM DST_EXTRA REASON...
# (ms, bytes, kB; "-" when not measured).  STATUS is committed, refused,
# failed or skipped.

function median(list,    a, n, i, j, t) {
  n = split(list, a, " ")
  if (n == 0) return "-"
  for (i = 2; i <= n; i++)
    for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
  return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function human(b) {
  if (b > 4 * 2^30) return sprintf("%.0f MiB", b / 2^20)
  if (b >= 2^30 && b % 2^30 == 0) return sprintf("%d GiB", b / 2^30)
  if (b >= 2^20 && b % 2^20 == 0) return sprintf("%d MiB", b / 2^20)
  if (b >= 1024 && b % 1024 == 0) return sprintf("%d KB", b / 1024)
  return b " B"
}
function move(d) { return d == "vh3" ? "x86_64->s390x" : "x86_64->x86_64" }
function num(v, f) { return v == "-" || v == "" ? "-" : sprintf(f, v) }
function mib(v) { return v == "-" || v == "" ? "-" : sprintf("%.1f", v / 1024) }
# (mawk's %d stops at 2^31 - 1: integers go through %.0f)
function jnum(v) {
  if (v == "-" || v == "") return "null"
  return v + 0 == int(v + 0) ? sprintf("%.0f", v) : sprintf("%.6g", v)
}
function jstr(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); gsub(/\t/, " ", s); return "\"" s "\"" }
function add(k, name, v) { if (v != "-" && v != "") vals[k, name] = vals[k, name] " " v }

$1 == "m" {
  k = $2 SUBSEP $3
  if (!(k in seen)) { seen[k] = 1; order[++nk] = k; size[k] = $2; dest[k] = $3 }
  tried[k]++
  status[k, $5]++
  reason = ""
  for (i = 21; i <= NF; i++) reason = reason (i > 21 ? " " : "") $i
  if (reason != "") why[k] = reason
  if ($5 != "committed") next
  add(k, "coord", $6); add(k, "collect", $7); add(k, "xfer", $8); add(k, "restore", $9)
  add(k, "total", $10); add(k, "bytes", $11); add(k, "wall", $12); add(k, "tcp", $13)
  if ($7 != "-" && $8 != "-" && $7 + $8 > 0) add(k, "state_mbps", $2 / ($7 + $8) / 1000)
  if ($11 != "-" && $11 + 0 < $2 + 0) { if (!(k in clamped)) nclamped++; clamped[k] = 1 }
  if ($13 != "-" && $13 > 0) { add(k, "tcp_mbps", $2 / $13 / 1000); add(k, "ratio", $10 / $13) }
  add(k, "src_extra", $18); add(k, "dst_extra", $20); add(k, "src_rss0", $14); add(k, "dst_hwm", $19)
}

function outcome(k,    n) {
  n = tried[k]
  if (status[k, "skipped"]) return "skipped"
  if (status[k, "committed"] == n) return "committed"
  if (status[k, "refused"] == n) return "refused"
  return "failed"
}
function med(k, name) { return median(vals[k, name]) }

END {
  if (fmt == "json") {
    printf "{\n  \"benchmark\": \"snow bench migrate\",\n  \"when\": %s,\n  \"machine\": %s,\n  \"commit\": %s,\n", jstr(when), jstr(machine), jstr(commit)
    printf "  \"quick\": %s,\n  \"reps\": %d,\n  \"wall_s\": %d,\n", quick ? "true" : "false", reps, wall
    printf "  \"migrations\": %d,\n  \"migrations_ok\": %d,\n  \"verified\": %d,\n  \"carried_on\": %d,\n  \"failures\": %d,\n", migrations, migrated_ok, verified, carried_on, failures
    printf "  \"memory\": \"src_extra_kb: the source's last VmHWM before it exits minus its VmRSS when held; dst_extra_kb: the destination's VmHWM minus its VmRSS after the check (under qemu-user, of the emulator's process)\",\n"
    printf "  \"rows\": [\n"
    for (i = 1; i <= nk; i++) {
      k = order[i]
      o = outcome(k)
      printf "    {\"size\": %.0f, \"size_label\": %s, \"move\": %s, \"dest\": %s, \"outcome\": %s, \"tried\": %d, \"committed\": %d, \"refused\": %d, \"failed\": %d",
        size[k], jstr(human(size[k])), jstr(move(dest[k])), jstr(dest[k]), jstr(o), o == "skipped" ? 0 : tried[k],
        status[k, "committed"], status[k, "refused"], status[k, "failed"]
      if (o != "committed" && (k in why)) printf ", \"reason\": %s", jstr(why[k])
      printf ", \"state_bytes\": %s, \"coord_ms\": %s, \"collect_ms\": %s, \"xfer_ms\": %s, \"restore_ms\": %s, \"total_ms\": %s",
        jnum(med(k, "bytes")), jnum(med(k, "coord")), jnum(med(k, "collect")), jnum(med(k, "xfer")), jnum(med(k, "restore")), jnum(med(k, "total"))
      printf ", \"snow_migrate_wall_ms\": %s, \"tcp_ms\": %s, \"total_over_tcp\": %s, \"state_MBps\": %s, \"tcp_MBps\": %s",
        jnum(med(k, "wall")), jnum(med(k, "tcp")), jnum(med(k, "ratio")), jnum(med(k, "state_mbps")), jnum(med(k, "tcp_mbps"))
      printf ", \"src_rss_kb\": %s, \"src_extra_kb\": %s, \"dst_hwm_kb\": %s, \"dst_extra_kb\": %s}%s\n",
        jnum(med(k, "src_rss0")), jnum(med(k, "src_extra")), jnum(med(k, "dst_hwm")), jnum(med(k, "dst_extra")), i < nk ? "," : ""
    }
    printf "  ]\n}\n"
    exit
  }
  printf "snow bench migrate: a snowcc-built process holding one array, held on vh1 (x86_64) and moved by snow migrate;\n"
  printf "medians of %d repetitions (a state over 4 GiB: 1); times in ms; measured at commit %s\n", reps, commit
  printf "%-10s %-15s %11s %7s %8s %9s %8s %9s %9s %9s %6s %7s %7s %7s %7s %s\n", "state", "move", "state B", "coord", "collect",
    "transfer", "restore", "total", "migrate", "TCP", "/TCP", "stMB/s", "TCPMB/s", "src+MiB", "dst+MiB", "ok"
  for (i = 1; i <= nk; i++) {
    k = order[i]
    o = outcome(k)
    if (o == "skipped" || o == "refused" || (o == "failed" && !status[k, "committed"])) {
      if (o == "failed") o = "FAILED"
      printf "%-10s %-15s %s: %s\n", human(size[k]), move(dest[k]), o, why[k]
      continue
    }
    printf "%-10s %-15s %11s %7s %8s %9s %8s %9s %9s %9s %6s %7s %7s %7s %7s %d/%d%s\n", human(size[k]), move(dest[k]),
      num(med(k, "bytes"), "%.0f") (k in clamped ? "!" : ""), num(med(k, "coord"), "%.2f"), num(med(k, "collect"), "%.2f"), num(med(k, "xfer"), "%.2f"),
      num(med(k, "restore"), "%.2f"), num(med(k, "total"), "%.2f"), num(med(k, "wall"), "%.2f"), num(med(k, "tcp"), "%.2f"),
      num(med(k, "ratio"), "%.1f"), num(med(k, "state_mbps"), "%.0f"), num(med(k, "tcp_mbps"), "%.0f"),
      mib(med(k, "src_extra")), mib(med(k, "dst_extra")),
      status[k, "committed"], tried[k], o == "failed" ? "  FAILED" (k in why ? ": " why[k] : "") : ""
  }
  printf "(total: request to commit, the scheduler's figure; migrate: the wall time of the snow migrate command; TCP: plain TCP of\n"
  printf " the same bytes between the same two hosts, measured right after each migration; /TCP = total / TCP; stMB/s = the\n"
  printf " array's bytes / (collection + transfer); src+MiB: the source's peak VmHWM over its VmRSS when held; dst+MiB: the\n"
  printf " destination's VmHWM over its VmRSS after verifying the state (qemu-user's process for s390x)%s)\n",
    nclamped ? ";\n !: snow migrate reported fewer state bytes than the array holds (its count stops at 2147483647)" : ""
  printf "%d migrations tried, %d committed, %d states verified on their destination, %d not migrated (the task carried on and verified its state on vh1), %d failures; wall time %d s\n", migrations, migrated_ok, verified, carried_on, failures, wall
}
