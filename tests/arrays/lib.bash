# tests/arrays/lib.bash: what the scripts tests/arrays/*.sh share.  Sourced,
# not run.  Each script prints one line per check, "PASS NAME" or
# "FAIL NAME: why" followed by indented details, and exits 1 if one failed;
# tests/run.sh counts these lines (section "arrays").
#
# Environment (tests/run.sh sets it; the defaults suit a run by hand from
# the repository root after `make`):
#   VGRADCC          the compiler under test      (default build/vgradcc)
#   VG_LIB           libvgrad.a                   (default build/libvgrad.a)
#   VG_TEST_CFLAGS   extra flags for test programs: the sanitizer pass's
#   CC               the C compiler               (default cc)
#   ARRAYS_TMP       scratch directory            (default: a new one, removed at exit)
set -u

cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 2
ROOT=$PWD
VGRADCC=${VGRADCC:-build/vgradcc}
VG_LIB=${VG_LIB:-build/libvgrad.a}
CC=${CC:-cc}
[[ $VGRADCC == /* ]] || VGRADCC=$ROOT/$VGRADCC
[[ $VG_LIB == /* ]] || VG_LIB=$ROOT/$VG_LIB

if [ -z "${ARRAYS_TMP:-}" ]; then
  ARRAYS_TMP=$(mktemp -d "${TMPDIR:-/tmp}/vgrad-arrays.XXXXXX") || exit 2
  trap 'rm -rf "$ARRAYS_TMP"' EXIT
fi
mkdir -p "$ARRAYS_TMP"

# Flags for test programs, as tests/run.sh's; -Wno-unknown-pragmas goes
# with files that hold `#pragma vgrad`.
TEST_CFLAGS="-std=c99 -Wall -Wextra -Werror -pedantic -O1 -Iruntime ${VG_TEST_CFLAGS:-}"

nfailed=0

pass() { echo "PASS $1"; }

# fail NAME WHY [FILE...]: the FAIL line, then each file's first 40 lines,
# indented.
fail() {
  local name=$1 why=$2 f
  shift 2
  echo "FAIL $name: $why"
  for f in "$@"; do
    [ -s "$f" ] && sed -n '1,40{s/^/  | /;p}' "$f"
  done
  nfailed=$((nfailed + 1))
}

# gen NAME SRC OUT.c [FLAGS...]: vgradcc SRC -o OUT.c (and OUT.h); leak
# detection is off for the compiler, which keeps its IR until exit.
gen() {
  local name=$1 src=$2 out=$3
  shift 3
  mkdir -p "$(dirname "$out")"
  if ! ASAN_OPTIONS=detect_leaks=0 timeout 120 "$VGRADCC" -Iruntime "$@" "$src" -o "$out" >"$out.log" 2>&1; then
    fail "$name" "vgradcc $src failed" "$out.log"
    return 1
  fi
}

# build NAME EXE ARGS...: compiles and links ARGS (files and flags) with
# the test flags and libvgrad.
build() {
  local name=$1 exe=$2
  shift 2
  # shellcheck disable=SC2086
  if ! "$CC" $TEST_CFLAGS "$@" "$VG_LIB" -lm -o "$exe" >"$exe.log" 2>&1; then
    fail "$name" "compiling failed" "$exe.log"
    return 1
  fi
}

# run_checks NAME EXE [ARGS...]: runs a program that prints its own PASS and
# FAIL lines (leak detection on); a crash, a time-out or a sanitizer report
# is one more failure, NAME.
run_checks() {
  local name=$1 exe=$2 rc
  shift 2
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 timeout 60 "$exe" "$@" >"$exe.out" 2>&1
  rc=$?
  grep -E '^(PASS|FAIL) |^  ' "$exe.out"
  nfailed=$((nfailed + $(grep -c '^FAIL ' "$exe.out")))
  if grep -qE 'Sanitizer|runtime error:' "$exe.out"; then
    fail "$name" "sanitizer report" "$exe.out"
  elif [ $rc -ne 0 ] && ! grep -q '^FAIL ' "$exe.out"; then
    fail "$name" "exit status $rc" "$exe.out"
  fi
}

finish() {
  [ "$nfailed" -eq 0 ]
  exit $?
}
