# tests/omp/runner.bash, sourced by tests/run.sh: parallel loops under
# vgradcc -fopenmp (README, "Parallel loops").
#
#   omp/golden/NAME      vgradcc -fopenmp tests/omp/NAME.c gives
#                        NAME.vg.{c,h} equal to NAME.vg.{c,h}.expected
#                        (tests/run.sh --update-golden rewrites them), and
#                        no warning, or exactly the one a first line
#                        "// expect-warning: LINE:COL: warning: TEXT" names
#   omp/NAME/{double,float}/{1,2,4}
#                        the driver in NAME.c (FD checks of the gradient,
#                        and the same gradient with 1, 2 and 4 threads,
#                        tests/omp/omp_check.h) and the generated file
#                        built with -fopenmp, run with OMP_NUM_THREADS=N
#   omp/tsan/NAME        normal pass, where clang-19 and libomp-19 (with
#                        its Archer tool) are installed: the same built
#                        with clang-19 -fopenmp -fsanitize=thread, the
#                        runtime's sources included, run with 4 threads:
#                        no ThreadSanitizer report (tests/omp/tsan.supp:
#                        libomp's own locks)
#   omp/bad/NAME         tests/omp/bad/NAME.c refused under -fopenmp with
#                        the diagnostic its first line names
#                        ("// expect: LINE:COL: error: TEXT"), no file written

omp_cases() {
  local f
  for f in tests/omp/*.c; do
    [ -e "$f" ] && basename "$f" .c
  done
}

omp_update_golden() {
  local name t dir ext
  for name in $(omp_cases); do
    t=omp/golden/$name
    selected "$t" || continue
    vgradcc_missing "$t" && continue
    dir=$PASS_DIR/omp/$name
    run_vgradcc "$t" "$dir" "$dir/vgradcc.err" -fopenmp "tests/omp/$name.c" -o "$dir/$name.vg.c" || continue
    for ext in c h; do
      cp "$dir/$name.vg.$ext" "tests/omp/$name.vg.$ext.expected"
    done
    pass "$t (updated)"
  done
}

# omp_tsan_ready: clang-19 with ThreadSanitizer's runtime, libomp-19 and Archer.
omp_tsan_ready() {
  have clang-19 && [ -f /usr/lib/llvm-19/lib/libarcher.so ] && [ -f /usr/lib/llvm-19/lib/libomp.so ] &&
    [ -n "$(find /usr/lib/llvm-19/lib/clang -name 'libclang_rt.tsan*.a' 2>/dev/null | head -n 1)" ]
}

omp_case() {
  local name=$1 src=tests/omp/$1.c
  local dir=$PASS_DIR/omp/$name t real n
  local t_golden=${PASS_NAME}omp/golden/$name
  if selected "$t_golden" && ! vgradcc_missing "$t_golden" &&
    run_vgradcc "$t_golden" "$dir" "$dir/vgradcc.err" -fopenmp "$src" -o "$dir/$name.vg.c"; then
    local diffs=$dir/golden.diff ext
    : >"$diffs"
    for ext in c h; do
      if [ ! -f "tests/omp/$name.vg.$ext.expected" ]; then
        echo "tests/omp/$name.vg.$ext.expected is missing (tests/run.sh --update-golden writes it)" >>"$diffs"
      else
        diff -u --label "tests/omp/$name.vg.$ext.expected" --label "generated $name.vg.$ext" \
          "tests/omp/$name.vg.$ext.expected" "$dir/$name.vg.$ext" >>"$diffs"
      fi
    done
    # a first line "// expect-warning: LINE:COL: warning: TEXT": that one
    # warning, a loop the test means to run serially; else none
    local want_warn
    want_warn=$(sed -n '1s|^// expect-warning: ||p' "$src")
    if [ -s "$diffs" ]; then
      fail "$t_golden" "generated code differs from the expected files" "$diffs"
    elif [ -n "$want_warn" ]; then
      if ! grep -qF "$src:$want_warn" "$dir/vgradcc.err" || [ "$(grep -c 'warning:' "$dir/vgradcc.err")" != 1 ]; then
        fail "$t_golden" "expected exactly the warning '$src:$want_warn'" "$dir/vgradcc.err"
      else
        pass "$t_golden"
      fi
    elif grep -q 'warning:' "$dir/vgradcc.err"; then
      fail "$t_golden" "a loop of the test runs serially" "$dir/vgradcc.err"
    else
      pass "$t_golden"
    fi
  fi
  for real in double float; do
    local rdir=$dir/$real built=0
    for n in 1 2 4; do
      t=${PASS_NAME}omp/$name/$real/$n
      selected "$t" || continue
      vgradcc_missing "$t" && continue
      if [ $built = 0 ]; then
        run_vgradcc "$t" "$rdir" "$rdir/vgradcc.err" -fopenmp -DREAL=$real "$src" -o "$rdir/$name.vg.c" || continue
        BUILD_FLAGS="-fopenmp -DREAL=$real -Wno-unknown-pragmas -DVG_DRIVER -I$rdir -Itests -Itests/omp" \
          build_prog "$t" "$rdir/prog" "$rdir/build.log" "$src" "$rdir/$name.vg.c" || continue
        built=1
      fi
      OMP_NUM_THREADS=$n check_run "$t" "$rdir/prog"
    done
  done
  t=omp/tsan/$name
  if [ -z "$PASS_NAME" ] && selected "$t" && omp_tsan_ready && ! vgradcc_missing "$t"; then
    local tdir=$dir/tsan
    if run_vgradcc "$t" "$tdir" "$tdir/vgradcc.err" -fopenmp "$src" -o "$tdir/$name.vg.c"; then
      if ! clang-19 -std=c11 -O1 -g -fopenmp -fsanitize=thread -Wno-unknown-pragmas -DVG_DRIVER -Iruntime -Itests \
        -Itests/omp -I"$tdir" "$src" "$tdir/$name.vg.c" runtime/*.c -lm -L/usr/lib/llvm-19/lib \
        -Wl,-rpath,/usr/lib/llvm-19/lib -o "$tdir/prog" >"$tdir/build.log" 2>&1; then
        fail "$t" "building with clang-19 -fsanitize=thread failed" "$tdir/build.log"
      else
        TSAN_OPTIONS="suppressions=$ROOT/tests/omp/tsan.supp ignore_noninstrumented_modules=1" \
          OMP_TOOL_LIBRARIES=/usr/lib/llvm-19/lib/libarcher.so OMP_NUM_THREADS=4 \
          timeout "$TIMEOUT_RUN" "$tdir/prog" >"$tdir/out" 2>&1
        local rc=$?
        if grep -q 'ThreadSanitizer' "$tdir/out"; then
          fail "$t" "ThreadSanitizer report" "$tdir/out"
        elif [ $rc -ne 0 ]; then
          fail "$t" "test program: $(describe_rc $rc)" "$tdir/out"
        else
          pass "$t"
        fi
      fi
    fi
  fi
}

omp_bad_case() {
  local name=$1 src=tests/omp/bad/$1.c
  local t=${PASS_NAME}omp/bad/$name
  selected "$t" || return 0
  vgradcc_missing "$t" && return 0
  local dir=$PASS_DIR/omp/bad/$name expect line col text rc msg
  mkdir -p "$dir/out"
  expect=$(sed -n '1s|^// expect: \([0-9][0-9]*\):\([0-9][0-9]*\): error: \(.*\)$|\1 \2 \3|p' "$src")
  read -r line col text <<<"$expect"
  vgradcc -fopenmp "$src" -o "$dir/out/$name.vg.c" >"$dir/stdout" 2>"$dir/stderr"
  rc=$?
  msg=$(grep -F -- "$src:$line:$col: error: " "$dir/stderr" | head -n 1)
  if [ -z "$expect" ]; then
    fail "$t" "first line must be '// expect: LINE:COL: error: TEXT'"
  elif [ $rc -eq 0 ] || [ $rc -ge 124 ]; then
    fail "$t" "vgradcc -fopenmp: $(describe_rc $rc); expected an error" "$dir/stderr"
  elif [[ $msg != *"$text"* ]]; then
    fail "$t" "no diagnostic '$src:$line:$col: error: ...$text...'" "$dir/stderr"
  elif [ -n "$(ls -A "$dir/out")" ]; then
    fail "$t" "files left in the output directory" "$dir/stderr"
  else
    pass "$t"
  fi
}

omp_tests() {
  local name f
  for name in $(omp_cases); do
    omp_case "$name"
  done
  for f in tests/omp/bad/*.c; do
    [ -e "$f" ] && omp_bad_case "$(basename "$f" .c)"
  done
}
