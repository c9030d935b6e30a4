#!/usr/bin/env bash
# run.sh: runs every benchmark (one process per benchmark and size for the C
# drivers, one for its PyTorch version), then prints the table and writes
# results/bench.csv, results/gmm_ratio.csv and results/gmm_ratio.png.
#
#   bash run.sh           the full suite (about 7 minutes on 2 cores)
#   bash run.sh --quick   smallest sizes only, fewer rounds
#   bash run.sh --check   smallest sizes, one round, C only; exits non-zero
#                         when any gradient disagrees with the reference
#   bash run.sh --report  only redo the table, CSV and plot from the last run
#
# Environment: ADBENCH (default ../../shared/adbench from here), PYTHON
# (default /usr/bin/python3: Debian's, which has python3-torch).
set -u
cd "$(dirname "$0")"
mode=${1:-full}
mode=${mode#--}
case $mode in full | quick | check | report) ;; *) echo "usage: $0 [--quick|--check|--report]" >&2; exit 2 ;; esac

ADBENCH=${ADBENCH:-../../shared/adbench}
PYTHON=${PYTHON:-/usr/bin/python3}
B=build
# Only the full run writes results/; the others keep theirs under build/.
RESULTS=results
[ "$mode" = quick ] || [ "$mode" = check ] && RESULTS=$B/results-$mode
ROWS=$B/rows.tsv
LOG=$RESULTS/run.log
mkdir -p "$B/run" "$B/ref" "$RESULTS"
if [ "$mode" != report ]; then
  : > "$ROWS"
  : > "$LOG"
fi

have_torch=1
# from /, since bench/torch/ would pass for the package
(cd / && "$PYTHON" -c 'import torch') 2>/dev/null || have_torch=0

status=0
# case BENCH SIZE C_REPS TORCH_REPS FD|- [INPUT [DRIVER_OPTION...]]
case_() {
  local bench=$1 size=$2 creps=$3 treps=$4 fd=$5 input=${6:-}
  shift $(($# < 6 ? $# : 6))
  local extra=("$@")
  local ref=$B/ref/${bench}_$size.bin
  local args=(--reps "$creps" --size "$size" --out "$PWD/$ROWS" --ref "$PWD/$ref")
  local vgstatus
  vgstatus=$(cat "$B/vg/$bench.status" 2>/dev/null || echo "vgradcc step did not run")
  [ "$vgstatus" = ok ] || args+=(--vgradcc-note "$vgstatus")
  [ "$fd" = fd ] && args+=(--fd)
  if [ "$mode" = check ]; then args+=(--strict --min-time 0.01); fi
  args+=("${extra[@]}")
  [ -n "$input" ] && input=$(realpath "$input")
  rm -f "$ref"

  local t0=$SECONDS
  printf '%-10s %-12s C ' "$bench" "$size"
  # ADOL-C spills tapes larger than its buffers to files in the working
  # directory: run in build/run.
  (cd "$B/run" && "../bench_$bench" "${args[@]}" $input) >> "$LOG" 2>&1
  local rc=$?
  if [ $rc -ne 0 ] && [ "$vgstatus" = ok ] && [ "$mode" != check ]; then
    # Perhaps the generated code crashed: once more without it.
    printf '(exit %d; again without vgradcc) ' $rc
    sed -i "/^$bench\t$size\t/d" "$ROWS"
    (cd "$B/run" && "../bench_$bench" "${args[@]}" \
      --vgradcc-note "the run with vgradcc failed (exit $rc), see $LOG" $input) >> "$LOG" 2>&1
    rc=$?
  fi
  if [ $rc -ne 0 ]; then
    printf '%s\t%s\tNA\tprimal\tNA\t0\t0\tNA\tNA\tNA\tNA\tNA\tdriver failed (exit %d), see %s\n' \
      "$bench" "$size" $rc "$LOG" >> "$ROWS"
    printf '(exit %d) ' $rc
    status=1
  fi
  if [ "$mode" != check ] && [ -f "torch/$bench.py" ]; then
    printf 'torch '
    if [ $have_torch = 1 ]; then
      "$PYTHON" "torch/$bench.py" --reps "$treps" --size "$size" --out "$ROWS" --ref "$ref" \
        $input >> "$LOG" 2>&1 \
        || printf '%s\t%s\tNA\ttorch_grad\tNA\t0\t0\tNA\tNA\tNA\tNA\tNA\ttorch script failed, see %s\n' \
          "$bench" "$size" "$LOG" >> "$ROWS"
    else
      printf '%s\t%s\tNA\ttorch_grad\tNA\t0\t0\tNA\tNA\tNA\tNA\tNA\tn/a (%s has no torch)\n' \
        "$bench" "$size" "$PYTHON" >> "$ROWS"
    fi
  fi
  printf '%4d s\n' $((SECONDS - t0))
}

G=$ADBENCH/gmm
if [ "$mode" = full ]; then
  case_ gmm 1k_d2_K5 7 5 fd "$G/1k/gmm_d2_K5.txt"
  case_ gmm 1k_d2_K50 7 5 - "$G/1k/gmm_d2_K50.txt"
  case_ gmm 1k_d10_K25 7 5 - "$G/1k/gmm_d10_K25.txt"
  case_ gmm 1k_d10_K200 5 5 - "$G/1k/gmm_d10_K200.txt"
  case_ gmm 1k_d32_K50 5 5 - "$G/1k/gmm_d32_K50.txt"
  case_ gmm 1k_d64_K100 7 3 - "$G/1k/gmm_d64_K100.txt"
  case_ gmm 10k_d10_K25 5 3 - "$G/10k/gmm_d10_K25.txt"
  case_ gmm 10k_d20_K50 5 3 - "$G/10k/gmm_d20_K50.txt"
  case_ ba ba1 7 5 fd "$ADBENCH/ba/ba1_n49_m7776_p31843.txt"
  case_ ba ba4 5 5 - "$ADBENCH/ba/ba4_n372_m47423_p204472.txt"
  case_ ba ba10 5 3 - "$ADBENCH/ba/ba10_n1197_m126327_p563734.txt"
  case_ lstm l2_c1024 7 5 fd "$ADBENCH/lstm/lstm_l2_c1024.txt"
  case_ lstm l4_c4096 5 3 - "$ADBENCH/lstm/lstm_l4_c4096.txt"
  case_ mlp 64-128-1_b512 7 7 fd
  case_ recurrence 1e6_steps 7 3 fd
  case_ rk4 lv4_1e4_steps 7 3 fd
  # The second set (README "The second set"): no ADOL-C or torch versions.
  for s in 1k_d2_K5:fd 1k_d2_K50 1k_d10_K25 1k_d10_K200 1k_d32_K50 1k_d64_K100 10k_d10_K25 \
           10k_d20_K50; do
    size=${s%:fd} n=${size%%_*} fd=-
    [ "$size" != "$s" ] && fd=fd
    case_ ref_gmm "$size" 5 0 $fd "$G/$n/gmm_${size#*_}.txt"
  done
  case_ ref_ba ba1 7 0 fd "$ADBENCH/ba/ba1_n49_m7776_p31843.txt"
  case_ ref_ba ba4 5 0 - "$ADBENCH/ba/ba4_n372_m47423_p204472.txt"
  case_ ref_ba ba10 5 0 - "$ADBENCH/ba/ba10_n1197_m126327_p563734.txt"
  case_ ref_bajac ba1 7 0 fd "$ADBENCH/ba/ba1_n49_m7776_p31843.txt"
  case_ ref_bajac ba4 5 0 - "$ADBENCH/ba/ba4_n372_m47423_p204472.txt"
  case_ ref_bajac ba10 5 0 - "$ADBENCH/ba/ba10_n1197_m126327_p563734.txt"
  case_ ref_lstm l2_c1024 7 0 fd "$ADBENCH/lstm/lstm_l2_c1024.txt"
  case_ ref_lstm l4_c4096 5 0 - "$ADBENCH/lstm/lstm_l4_c4096.txt"
  case_ ref_matmul bt256_c256_oc256 7 0 - "" --tol 1e-4
  case_ ref_matmul_f64 bt16_c8_oc8 3 0 fd "" --fd-time 5
  case_ ref_matmul_f64 bt12_c8_oc8 3 0 fd "" --fd-time 5 # the naive fallback (BT % 8)
  case_ ref_gpt2 b4_t32_c64_v256_l2_nh4 7 0 - "" --tol 1e-4
  case_ ref_gpt2_f64 b2_t8_c16_v32_l2_nh2 3 0 fd "" --fd-time 5
  case_ ref_gpt2_f64 b1_t6_c8_v16_l2_nh2 3 0 fd "" --fd-time 5
  # vgradcc -fopenmp (README "Parallel loops"): 1 and 2 threads, the size's
  # _tN naming the thread count.
  OMP_NUM_THREADS=1 case_ ref_matmul_omp bt256_c256_oc256_t1 7 0 - "" --tol 1e-4
  OMP_NUM_THREADS=2 case_ ref_matmul_omp bt256_c256_oc256_t2 7 0 - "" --tol 1e-4
  OMP_NUM_THREADS=1 case_ ref_gpt2_omp b4_t32_c64_v256_l2_nh4_t1 7 0 - "" --tol 1e-4
  OMP_NUM_THREADS=2 case_ ref_gpt2_omp b4_t32_c64_v256_l2_nh4_t2 7 0 - "" --tol 1e-4
elif [ "$mode" != report ]; then
  reps=3
  [ "$mode" = check ] && reps=1
  case_ gmm 1k_d2_K5 $reps $reps fd "$G/1k/gmm_d2_K5.txt"
  case_ gmm 1k_d10_K25 $reps $reps - "$G/1k/gmm_d10_K25.txt"
  case_ ba ba1 $reps $reps fd "$ADBENCH/ba/ba1_n49_m7776_p31843.txt"
  case_ lstm l2_c1024 $reps $reps fd "$ADBENCH/lstm/lstm_l2_c1024.txt"
  case_ mlp 64-128-1_b512 $reps $reps fd
  [ "$mode" = check ] && case_ recurrence 1e6_steps $reps 1 fd
  case_ rk4 lv4_1e4_steps $reps 1 fd
  # The second set. check: finite differences over more components.
  fdt=()
  [ "$mode" = check ] && fdt=(--fd-time 3)
  case_ ref_gmm 1k_d2_K5 $reps 0 fd "$G/1k/gmm_d2_K5.txt" "${fdt[@]}"
  case_ ref_gmm 1k_d10_K25 $reps 0 - "$G/1k/gmm_d10_K25.txt"
  case_ ref_ba ba1 $reps 0 fd "$ADBENCH/ba/ba1_n49_m7776_p31843.txt" "${fdt[@]}"
  case_ ref_bajac ba1 $reps 0 fd "$ADBENCH/ba/ba1_n49_m7776_p31843.txt" "${fdt[@]}"
  case_ ref_lstm l2_c1024 $reps 0 fd "$ADBENCH/lstm/lstm_l2_c1024.txt" "${fdt[@]}"
  case_ ref_matmul bt256_c256_oc256 $reps 0 - "" --tol 1e-4
  case_ ref_matmul_f64 bt16_c8_oc8 $reps 0 fd "" --fd-time 5
  case_ ref_gpt2 b4_t32_c64_v256_l2_nh4 $reps 0 - "" --tol 1e-4
  case_ ref_gpt2_f64 b2_t8_c16_v32_l2_nh2 $reps 0 fd "" --fd-time 5
  # B T not a multiple of the tile: the matmuls' naive fallback.
  case_ ref_matmul_f64 bt12_c8_oc8 $reps 0 fd "" --fd-time 5
  case_ ref_gpt2_f64 b1_t6_c8_v16_l2_nh2 $reps 0 fd "" --fd-time 5
  OMP_NUM_THREADS=2 case_ ref_matmul_omp bt256_c256_oc256_t2 $reps 0 - "" --tol 1e-4
  OMP_NUM_THREADS=2 case_ ref_gpt2_omp b4_t32_c64_v256_l2_nh4_t2 $reps 0 - "" --tol 1e-4
fi

echo
awk -F'\t' -v csv="$RESULTS/bench.csv" -f report.awk "$ROWS" | tee "$RESULTS/table.txt"
echo
echo "rows: $RESULTS/bench.csv   driver output: $LOG"

if [ "$mode" = check ]; then
  grep -q MISMATCH "$ROWS" && status=1
  [ $status = 0 ] && echo "check: all gradients agree" || echo "check: FAILED (see MISMATCH above)"
  exit $status
fi

# GMM: gradient/primal against the number of parameters.
series=$(awk -F'\t' -v dat="$B/gmm_ratio.dat" -v csv="$RESULTS/gmm_ratio.csv" \
  -f gmm_plot.awk "$ROWS")
if ! command -v gnuplot > /dev/null; then
  echo "gnuplot not installed: no plot"
elif [ -z "$series" ]; then
  echo "no GMM gradient timings: no plot"
else
  {
    echo 'set terminal pngcairo noenhanced size 960,620 font "sans,11"'
    echo "set output '$RESULTS/gmm_ratio.png'"
    echo 'set title "GMM: gradient time / primal time (ADBench inputs; lines n = 1k, open points n = 10k)"'
    echo 'set xlabel "parameters (k + k d + k d(d+1)/2)"'
    echo 'set ylabel "gradient / primal"'
    echo 'set logscale xy'
    echo 'set grid'
    echo 'set key outside right'
    echo 'set datafile missing "NA"'
    plot=""
    while read -r col name has10k; do
      i=$((col - 1))
      style="lt $i"
      [ "$name" = vgradcc ] && style="lt $i lc rgb 'black' lw 3"
      plot+="${plot:+, }'$B/gmm_ratio.dat' index 0 using 1:$col with linespoints $style pt 7 title '$name'"
      [ "$has10k" = 1 ] &&
        plot+=", '$B/gmm_ratio.dat' index 1 using 1:$col with points $style pt 6 ps 1.8 notitle"
    done <<< "$series"
    echo "plot $plot"
  } > "$B/gmm_ratio.gp"
  gnuplot "$B/gmm_ratio.gp" && echo "plot: $RESULTS/gmm_ratio.png"
fi
exit $status
