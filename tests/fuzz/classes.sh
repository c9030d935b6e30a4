#!/usr/bin/env bash
# classes.sh: mutate.py's verdicts, checked with stand-ins for vgradcc that
# misbehave in each way it must catch (and two that behave).  Prints
# "PASS name" or "FAIL name: why" per case (fuzz/classes/NAME in make test).
set -u
cd "$(dirname "$0")/../.." || exit 2
dir=$(mktemp -d "${TMPDIR:-/tmp}/vgradcc-fuzz-classes.XXXXXX") || exit 2
trap 'rm -rf "$dir"' EXIT

# case NAME EXPECTED-CLASS (empty: no finding) SCRIPT-BODY
check_case() {
  local name=$1 want=$2 body=$3 fake=$dir/vg-$1 out got
  printf '#!/usr/bin/env bash\n%s\n' "$body" >"$fake"
  chmod +x "$fake"
  out=$(python3 tests/fuzz/mutate.py --vgradcc "$fake" --findings "$dir/f-$name" --count 1 --timeout 2 2>&1)
  got=$(printf '%s\n' "$out" | sed -n 's/^  \([a-z]*\) .*/\1/p' | head -n 1)
  if [ "$got" = "$want" ]; then
    echo "PASS $name"
  else
    echo "FAIL $name: expected '${want:-no finding}', got '${got:-no finding}'"
    printf '%s\n' "$out" | sed 's/^/  /'
  fi
}

located="echo 'fuzz.c:1:1: error: refused' >&2"
good_c="echo 'int f(void) { return 0; }' >fuzz.vg.c; echo >fuzz.vg.h"
check_case crash crash 'kill -SEGV $$'
check_case hang hang 'sleep 30'
check_case sanitizer sanitizer "echo '==1==ERROR: AddressSanitizer: heap-buffer-overflow' >&2; exit 1"
check_case partial-temporary partial "$located; touch fuzz.vg.h.tmpAB12CD; exit 1"
check_case partial-exit0 partial "echo 'int f(void) { return 0; }' >fuzz.vg.c; exit 0"
check_case noloc noloc "echo 'vgradcc: error: no place' >&2; exit 1"
check_case silent silent 'exit 1'
check_case badexit badexit "$located; exit 3"
check_case badcode badcode "echo 'int f( {' >fuzz.vg.c; echo >fuzz.vg.h; exit 0"
check_case refused "" "$located; echo 'fuzz.c:1:1: note: a note' >&2; echo 'vgradcc: note: stopping' >&2; exit 1"
check_case accepted "" "$good_c; exit 0"
