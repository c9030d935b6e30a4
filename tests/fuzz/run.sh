#!/usr/bin/env bash
# tests/fuzz/run.sh: `make fuzz` (README.md, section Fuzzing).
#
# Builds vgradcc with ASan/UBSan in build-fuzz (BUILD=build-fuzz), then,
# for FUZZ_SECONDS in all (default 600, building not counted):
#   1. AFL++ on the pragma clause parser (tests/fuzz/clause_harness.c,
#      built with afl-clang-fast and ASan/UBSan, persistent mode), seeded
#      with the clause texts of tests/golden, tests/bad and samples, for
#      FUZZ_AFL_SECONDS (default a quarter of FUZZ_SECONDS); skipped when
#      afl-fuzz or afl-clang-fast is missing;
#   2. the mutation fuzzer of whole files (tests/fuzz/mutate.py) for the
#      rest, seed FUZZ_SEED (default: the clock), with a 10 s limit per
#      vgradcc run.
# Findings go to build-fuzz/findings (emptied first): CLASS-HASH.c and
# CLASS-HASH.log from the mutation fuzzer, afl-crash-ID / afl-hang-ID
# (the clause text) with a .log replaying it.  The summary is printed and
# kept in build-fuzz/fuzz-summary.txt.  Exits 1 if anything was found.
set -u
cd "$(dirname "$0")/../.." || exit 2

BUILD=build-fuzz
SANITIZE_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
FUZZ_SECONDS=${FUZZ_SECONDS:-600}
FUZZ_AFL_SECONDS=${FUZZ_AFL_SECONDS:-$((FUZZ_SECONDS / 4))}
FUZZ_SEED=${FUZZ_SEED:-$(date +%s)}
CC=${CC:-cc}
findings=$BUILD/findings
summary=$BUILD/fuzz-summary.txt
afl=$BUILD/afl

echo "== building vgradcc with ASan/UBSan in $BUILD"
make -s --no-print-directory BUILD=$BUILD SANITIZE="$SANITIZE_FLAGS" all || exit 2
rm -rf "$findings"
mkdir -p "$findings" "$afl"
: >"$summary"
started=$(date +%s)
found=0

# ---------------------------------------------------------- 1. AFL++

# The harness without AFL, for replaying what AFL++ finds.
# shellcheck disable=SC2086 # several flags
$CC -std=c11 -O1 -g $SANITIZE_FLAGS -Iir -I$BUILD -Iruntime -o $afl/clause_replay \
  tests/fuzz/clause_harness.c $BUILD/frontend/pragma.tab.o $BUILD/frontend/pragma.lex.o $BUILD/ir/util.o ||
  exit 2

if [ "$FUZZ_AFL_SECONDS" -le 0 ]; then
  echo "AFL++: not run (FUZZ_AFL_SECONDS=$FUZZ_AFL_SECONDS)" | tee -a "$summary"
elif ! command -v afl-fuzz >/dev/null || ! command -v afl-clang-fast >/dev/null; then
  echo "AFL++: not run (afl-fuzz or afl-clang-fast not installed; Debian: apt install afl++)" | tee -a "$summary"
else
  echo "== AFL++ on the clause parser for $FUZZ_AFL_SECONDS s"
  AFL_USE_ASAN=1 AFL_USE_UBSAN=1 AFL_QUIET=1 afl-clang-fast -std=c11 -O1 -g -w -Iir -I$BUILD -Iruntime \
    -o $afl/clause_harness tests/fuzz/clause_harness.c \
    $BUILD/frontend/pragma.tab.c $BUILD/frontend/pragma.lex.c ir/util.c || exit 2
  rm -rf $afl/seeds $afl/out
  nseeds=$(bash tests/fuzz/clause_seeds.sh $afl/seeds)
  # Shared machine: no CPU binding, no frequency check; crashes go to
  # AFL++ however the kernel's core_pattern is set.
  AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
    ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:symbolize=0 \
    timeout $((FUZZ_AFL_SECONDS + 120)) \
    afl-fuzz -V "$FUZZ_AFL_SECONDS" -m none -t 1000 -i $afl/seeds -o $afl/out -- $afl/clause_harness \
    >$afl/afl.log 2>&1
  rc=$?
  stats=$afl/out/default/fuzzer_stats
  if [ ! -f "$stats" ]; then
    echo "AFL++: did not run (exit $rc); see $afl/afl.log" | tee -a "$summary"
    tail -n 20 $afl/afl.log
    found=$((found + 1))
  else
    stat() { sed -n "s/^$1 *: *//p" "$stats"; }
    ncrash=0 nhang=0
    for kind in crash hang; do
      dir=$afl/out/default/${kind}es
      [ $kind = hang ] && dir=$afl/out/default/hangs
      for f in "$dir"/id*; do
        [ -e "$f" ] || continue
        id=$(basename "$f" | sed 's/^id:\([0-9]*\).*/\1/')
        cp "$f" "$findings/afl-$kind-$id"
        ASAN_OPTIONS=detect_leaks=0 timeout 10 $afl/clause_replay "$f" >"$findings/afl-$kind-$id.log" 2>&1
        echo "replay exit: $?" >>"$findings/afl-$kind-$id.log"
        if [ $kind = crash ]; then ncrash=$((ncrash + 1)); else nhang=$((nhang + 1)); fi
      done
    done
    found=$((found + ncrash + nhang))
    echo "AFL++ on the clause parser: $(stat run_time) s, $(stat execs_done) runs ($(stat execs_per_sec)/s)," \
      "$nseeds seeds, corpus $(stat corpus_count), edges $(stat edges_found)/$(stat total_edges)," \
      "$ncrash crashes, $nhang hangs" | tee -a "$summary"
  fi
fi

# ------------------------------------------------- 2. mutation fuzzer

left=$((FUZZ_SECONDS - ($(date +%s) - started)))
[ $left -lt 10 ] && left=10
echo "== mutation fuzzer for $left s (seed $FUZZ_SEED)"
python3 tests/fuzz/mutate.py --vgradcc $BUILD/vgradcc --findings "$findings" \
  --seed "$FUZZ_SEED" --seconds "$left" --cc "$CC" | tee -a "$summary"
[ "${PIPESTATUS[0]}" -eq 0 ] || found=$((found + 1))

echo "== $(($(date +%s) - started)) s in all; findings in $findings" | tee -a "$summary"
[ $found -eq 0 ]
