# tests/fuzz/runner.bash: sourced by tests/run.sh (in run_pass, the block
# marked "fuzz"); defines fuzz_tests, the deterministic part of the fuzzing
# that `make fuzz` does at length (README.md, section Fuzzing):
#
#   fuzz/clauses  every clause text of tests/golden, tests/bad and samples
#                 (the AFL++ seed corpus, tests/fuzz/clause_seeds.sh)
#                 through tests/fuzz/clause_harness.c, built with the
#                 pass's objects and flags (leak detection on): no
#                 contract broken, no sanitizer report
#   fuzz/classes/NAME  (normal pass) mutate.py's verdicts against
#                 stand-ins for vgradcc that crash, hang, leave partial
#                 output, print errors without a place, ...
#                 (tests/fuzz/classes.sh)
#   fuzz/slice    (sanitizer pass only) the mutation fuzzer,
#                 tests/fuzz/mutate.py, on FUZZ_SLICE_COUNT inputs (default
#                 40) of seed 1 against the ASan/UBSan vgradcc: no finding
#
# Uses run.sh's PASS_NAME, PASS_DIR, BUILD, ASAN_BUILD, VG, SAN, CC,
# selected, have, pass, fail, describe_rc, sanitizer_report and
# vgradcc_missing.

fuzz_tests() {
  local dir=$PASS_DIR/fuzz t rc objs
  mkdir -p "$dir"
  objs=$BUILD
  [ -n "$SAN" ] && objs=$ASAN_BUILD

  t=${PASS_NAME}fuzz/clauses
  if selected "$t"; then
    local harness=$dir/clause_harness
    # shellcheck disable=SC2086 # SAN holds several flags
    if ! $CC -std=c11 -Wall -Wextra -Werror -O1 -g $SAN -Iir -I"$objs" -Iruntime -o "$harness" \
      tests/fuzz/clause_harness.c "$objs/frontend/pragma.tab.o" "$objs/frontend/pragma.lex.o" \
      "$objs/ir/util.o" >"$dir/harness.log" 2>&1; then
      fail "$t" "the harness does not build" "$dir/harness.log"
    else
      local n bad=0 f
      n=$(bash tests/fuzz/clause_seeds.sh "$dir/seeds")
      : >"$dir/clauses.log"
      for f in "$dir"/seeds/*; do
        ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
          timeout 10 "$harness" "$f" >"$dir/one.out" 2>&1
        rc=$?
        if [ $rc -ne 0 ] || sanitizer_report "$dir/one.out"; then
          bad=$((bad + 1))
          { echo "== $(cat "$f")   ($(describe_rc $rc))"; cat "$dir/one.out"; } >>"$dir/clauses.log"
        fi
      done
      if [ "$n" -lt 50 ]; then
        fail "$t" "only $n clause texts found (tests/fuzz/clause_seeds.sh)"
      elif [ $bad -ne 0 ]; then
        fail "$t" "$bad of $n clause texts break the parser's contract" "$dir/clauses.log"
      else
        pass "$t ($n clause texts)"
      fi
    fi
  fi

  if [ -z "$SAN" ] && selected "fuzz/classes/" && have python3; then
    local line name pending="" reason="" n=0
    timeout 300 bash tests/fuzz/classes.sh >"$dir/classes.out" 2>&1
    rc=$?
    while IFS= read -r line; do
      case $line in
      "PASS "* | "FAIL "*)
        [ -n "$pending" ] && fail "$pending" "$reason" "$dir/classes.$n"
        pending=""
        name=${line#* }
        if [[ $line == "PASS "* ]]; then
          pass "fuzz/classes/$name"
        else
          n=$((n + 1))
          : >"$dir/classes.$n"
          pending=fuzz/classes/${name%%: *}
          reason=${name#*: }
        fi
        ;;
      *) [ -n "$pending" ] && echo "$line" >>"$dir/classes.$n" ;;
      esac
    done <"$dir/classes.out"
    [ -n "$pending" ] && fail "$pending" "$reason" "$dir/classes.$n"
    if [ $rc -ne 0 ]; then
      fail "fuzz/classes" "tests/fuzz/classes.sh: $(describe_rc $rc)" "$dir/classes.out"
    fi
  fi

  t=${PASS_NAME}fuzz/slice
  if [ -n "$SAN" ] && selected "$t" && ! vgradcc_missing "$t"; then
    if ! have python3; then
      echo "(fuzz/slice: python3 not found; skipped)"
    else
      local findings=$dir/findings
      python3 tests/fuzz/mutate.py --vgradcc "$VG" --findings "$findings" \
        --seed 1 --count "${FUZZ_SLICE_COUNT:-40}" --cc "$CC" >"$dir/slice.out" 2>&1
      rc=$?
      if [ $rc -ne 0 ]; then
        local logs
        logs=$(find "$findings" -name '*.log' 2>/dev/null | sort | head -n 3)
        # shellcheck disable=SC2086 # file names without blanks
        fail "$t" "mutation fuzzer: $(describe_rc $rc)" "$dir/slice.out" $logs
      else
        pass "$t ($(sed -n 's/^mutation fuzzer: \([0-9]* inputs\).*/\1/p' "$dir/slice.out"))"
      fi
    fi
  fi
}
