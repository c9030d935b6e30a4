# report.awk: turns the drivers' rows (TSV, see harness.c write_rows) into
# the printed table and the CSV.  Usage:
#   awk -F'\t' -v csv=results/bench.csv -f report.awk build/rows.tsv
# Ratios: "x primal" is the method's median over the C primal's (same
# benchmark and size); "vgradcc/this" is vgradcc's median over the method's
# (below 1: vgradcc is faster).

function num(s) { return s != "NA" && s != "" }
function ms(s) { return num(s) ? sprintf("%.3f", 1e3 * s) : "-" }
function mb(s) { return num(s) ? sprintf("%.1f", s / 1048576) : "-" }
function csvq(s) { gsub(/"/, "\"\"", s); return "\"" s "\"" }

{
  key = $1 SUBSEP $2
  if (!(key in seen)) { seen[key] = 1; order[++nkeys] = key }
  row[key, ++nrows[key]] = $0
  if ($4 == "primal" && num($5)) primal[key] = $5
  if ($4 == "vgradcc" && num($5)) vg[key] = $5
  med[key, $4] = $5
  tape[key, $4] = $10
  rss[key, $4] = $12
}

# One cell of the side-by-side table: method's time over the primal of the
# same benchmark and size, its tape and its RSS.
function cell(key, method) {
  if (!num(med[key, method]) || !(key in primal))
    return sprintf("%8s %8s %8s", "-", "-", "-")
  return sprintf("%8.2f %8s %8s", med[key, method] / primal[key], mb(tape[key, method]),
                 mb(rss[key, method]))
}

# The second set beside the first: each ref_X row (ref_X_f64 excepted: the
# double build that finite differences check) with the X row of the same
# size, vgradcc's gradient / primal, tape MB and RSS MB on each side, and
# the hand-written adjoint of the same set as the floor.
function side_by_side(    i, key, parts, bench, model, first, method, m, label, floor) {
  printf "\nboth sets side by side: gradient / primal (of the same code), tape MB, RSS MB\n"
  printf "%-22s %-22s | %-26s | %-26s | %-26s %8s\n", "model", "size", \
         "   first set: vgradcc", "   second set: vgradcc", "   second set: hand", "vg/hand"
  for (i = 1; i <= nkeys; i++) {
    key = order[i]
    split(key, parts, SUBSEP)
    bench = parts[1]
    if (bench !~ /^ref_/ || bench ~ /_f64$/)
      continue
    model = substr(bench, 5)
    first = model SUBSEP parts[2]
    for (method = 1; method <= 3; method++) {
      m = method == 1 ? "vgradcc" : method == 2 ? "vgradcc_pe" : "vgradcc_vjp"
      if (method >= 2 && !((key, m) in med))
        continue
      label = model (method == 2 ? " (+= spelling)" : (model == "gmm" ? " (x = x + e)" : ""))
      if (model == "bajac")
        label = method == 3 ? "ba jacobian (vjp)" : "ba jacobian"
      floor = (num(med[key, m]) && num(med[key, "hand"])) ? \
              sprintf("%8.2f", med[key, m] / med[key, "hand"]) : sprintf("%8s", "-")
      printf "%-22s %-22s | %s | %s | %s %s\n", label, parts[2], \
             method == 1 ? cell(first, "vgradcc") : sprintf("%8s %8s %8s", "", "", ""), \
             cell(key, m), cell(key, "hand"), floor
    }
  }
}

END {
  hdr = "benchmark,size,params,method,median_s,x_primal,vgradcc_over_this,check,value," \
        "tape_pushed_bytes,tape_peak_bytes,peak_rss_bytes,reps,inner,note"
  print hdr > csv
  printf "%-14s %-22s %-12s %12s %9s %9s %9s %9s %9s  %s\n", "benchmark", "size", "method",
         "median ms", "x primal", "vg/this", "check", "tape MB", "RSS MB", "note"
  for (i = 1; i <= nkeys; i++) {
    key = order[i]
    print ""
    for (j = 1; j <= nrows[key]; j++) {
      split(row[key, j], f, "\t")
      xp = (num(f[5]) && (key in primal)) ? sprintf("%.2f", f[5] / primal[key]) : "-"
      vt = "-"
      if (f[4] != "primal" && num(f[5]))
        vt = (key in vg) ? sprintf("%.3g", vg[key] / f[5]) : "n/a"
      chk = num(f[9]) ? sprintf("%.1e", f[9]) : "-"
      printf "%-14s %-22s %-12s %12s %9s %9s %9s %9s %9s  %s\n", f[1], f[2], f[4], ms(f[5]),
             xp, vt, chk, mb(f[10]), mb(f[12]), f[13]
      printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", f[1], f[2], f[3], f[4], f[5],
             (xp == "-" ? "NA" : xp), (vt == "-" || vt == "n/a" ? "NA" : vt), f[9], f[8],
             f[10], f[11], f[12], f[6], f[7], csvq(f[13]) > csv
    }
  }
  for (i = 1; i <= nkeys; i++)
    if (order[i] ~ /^ref_/) {
      side_by_side()
      break
    }
}
