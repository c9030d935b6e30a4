#!/usr/bin/env bash
# tests/runtime/run.sh: builds and runs the libvgrad runtime tests.
#
# Prints one line per check, "PASS name" or "FAIL name: why" (lines starting
# with "#" are information), and last "N passed, N failed"; exits non-zero
# if anything failed.
#
# Environment:
#   VG_LIB          libvgrad.a to test (default: build/libvgrad.a, made with
#                   `make build/libvgrad.a` at the repository root)
#   VG_TEST_CFLAGS  extra flags for the test programs, e.g.
#                   "-fsanitize=address,undefined".  To sanitize the library
#                   too:  make BUILD=/tmp/vgsan SANITIZE=-fsanitize=address,undefined \
#                           /tmp/vgsan/libvgrad.a && VG_LIB=/tmp/vgsan/libvgrad.a ...
#   CC              C compiler for the test programs (default cc)
#   VG_LEAK_ITERS   calls in the leak test (default 1000000; valgrind runs a
#                   quarter of them, which is as thorough and 4x faster)
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cc=${CC:-cc}
extra=${VG_TEST_CFLAGS:-}
iters=${VG_LEAK_ITERS:-1000000}
pass=0
fail=0

say_pass() { echo "PASS $1"; pass=$((pass + 1)); }
say_fail() { echo "FAIL $1"; fail=$((fail + 1)); }

if [ -n "${VG_LIB:-}" ]; then
  lib=$VG_LIB
else
  lib=$root/build/libvgrad.a
  make -s -C "$root" build/libvgrad.a >/dev/null || say_fail "build_libvgrad: make build/libvgrad.a failed"
fi
if [ ! -f "$lib" ]; then
  say_fail "libvgrad: $lib not found"
  echo "$pass passed, $fail failed"
  exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
limit=""
command -v timeout >/dev/null && limit="timeout 300"

# compile NAME SOURCE [flags...]: builds $tmp/NAME against the library, with
# VG_TEST_CFLAGS unless no_extra=1.
compile() {
  local name=$1 src=$2 flags=$extra
  shift 2
  [ "${no_extra:-0}" = 1 ] && flags=""
  # shellcheck disable=SC2086
  if ! $cc -std=c11 -Wall -Wextra -O2 -g $flags "$@" -I"$root/runtime" -I"$here" \
      "$src" "$lib" -lm -o "$tmp/$name" 2>"$tmp/$name.cc"; then
    say_fail "compile_$name: $(head -c 600 "$tmp/$name.cc" | tr '\n' ' ')"
    return 1
  fi
  return 0
}

# run NAME COMMAND...: shows its PASS/FAIL lines (check names prefixed with
# $prefix) and counts them; a crash (non-zero exit without any FAIL line) is
# a failure too.
run() {
  local name=$1
  shift
  # shellcheck disable=SC2086
  $limit "$@" 2>"$tmp/$name.err" | sed -E "s/^(PASS|FAIL) /\1 ${prefix:-}/" >"$tmp/$name.out"
  local rc=${PIPESTATUS[0]}
  grep -E '^(PASS|FAIL) |^# ' "$tmp/$name.out"
  local p f
  p=$(grep -c '^PASS ' "$tmp/$name.out")
  f=$(grep -c '^FAIL ' "$tmp/$name.out")
  pass=$((pass + p))
  fail=$((fail + f))
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    say_fail "$name: exited with status $rc"
    tail -n 15 "$tmp/$name.err" | sed 's/^/#   /'
  fi
}

for t in test_array test_vjp test_examples test_tape test_leak test_checkpoint; do
  compile "$t" "$here/$t.c" && run "$t" "$tmp/$t"
done
# the tape once more with its pool turned off
[ -x "$tmp/test_tape" ] && prefix=pool_off_ VGRAD_TAPE_POOL_MB=0 run test_tape_pool_off "$tmp/test_tape"

# ---- the public headers: C99 -pedantic (gcc and clang) and C++, warning-free ----
cat >"$tmp/hdr.c" <<'EOF'
#include "vgrad.h"
int main(void) {
  vg_tape t;
  vg_array *a, *s;
  double d;
  vg_tape_init(&t);
  vg_tape_push_f64(&t, 2.0);
  vg_tape_push_i32(&t, 1);
  vg_tape_push_ptr(&t, &t);
  vg_tape_push_f32(&t, 1.5f);
  d = vg_tape_pop_f32(&t) + (vg_tape_pop_ptr(&t) == &t) + vg_tape_pop_i32(&t) + vg_tape_pop_f64(&t);
  vg_tape_free(&t);
  s = vg_scalar(d);
  a = vg_mean(vg_square(s));
  d = vg_item(a);
  vg_free(a);
  vg_free(s);
  return d == 30.25 ? 0 : 1;
}
EOF
cat >"$tmp/tape_only.c" <<'EOF'
#include "vgrad_tape.h"
int main(void) {
  vg_tape t;
  int v;
  vg_tape_init(&t);
  vg_tape_push_i32(&t, 3);
  v = vg_tape_pop_i32(&t);
  vg_tape_free(&t);
  return v == 3 ? 0 : 1;
}
EOF
cp "$tmp/hdr.c" "$tmp/hdr.cpp"
cp "$tmp/tape_only.c" "$tmp/tape_only.cpp"
header_check() { # NAME COMPILER SOURCE FLAGS...
  local name=$1 comp=$2 src=$3
  shift 3
  if ! command -v "$comp" >/dev/null; then
    echo "# $name: $comp not found, skipped"
    return
  fi
  # shellcheck disable=SC2086
  if ! "$comp" "$@" -Wall -Wextra -pedantic -Werror $extra -I"$root/runtime" "$src" "$lib" -lm \
      -o "$tmp/$name" 2>"$tmp/$name.cc"; then
    say_fail "$name: $(head -c 600 "$tmp/$name.cc" | tr '\n' ' ')"
  elif ! "$tmp/$name"; then
    say_fail "$name: wrong result"
  else
    say_pass "$name"
  fi
}
header_check header_c99_gcc gcc "$tmp/hdr.c" -std=c99
header_check header_c99_clang clang "$tmp/hdr.c" -std=c99
header_check header_cxx_gxx g++ "$tmp/hdr.cpp" -std=c++11
header_check header_cxx_clangxx clang++ "$tmp/hdr.cpp" -std=c++11
header_check header_tape_alone_c99_gcc gcc "$tmp/tape_only.c" -std=c99
header_check header_tape_alone_cxx_gxx g++ "$tmp/tape_only.cpp" -std=c++11

# ---- leak checkers on the million-call loop, each with a planted leak to
#      show it would notice ----
echo 'int main(void) { return 0; }' >"$tmp/asan_probe.c"
if ! $cc -fsanitize=address "$tmp/asan_probe.c" -o "$tmp/asan_probe" 2>/dev/null; then
  echo "# $cc has no AddressSanitizer: ASan leak check skipped"
elif compile leak_asan "$here/test_leak.c" -fsanitize=address -fno-omit-frame-pointer; then
  export ASAN_OPTIONS=detect_leaks=1
  prefix=asan_ run leak_asan "$tmp/leak_asan" "$iters"
  if $limit "$tmp/leak_asan" 1000 --plant-leak >/dev/null 2>"$tmp/planted.err" ||
      ! grep -q "LeakSanitizer: detected memory leaks" "$tmp/planted.err"; then
    say_fail "leak_asan_sees_planted_leak: AddressSanitizer did not report it"
  else
    say_pass "leak_asan_sees_planted_leak"
  fi
  unset ASAN_OPTIONS
fi
if command -v valgrind >/dev/null; then
  # Without VG_TEST_CFLAGS: valgrind cannot run sanitized programs (nor link
  # a sanitized VG_LIB, in which case the check is skipped).
  if ! $cc -std=c11 -O2 -g -I"$root/runtime" "$here/test_leak.c" "$lib" -lm \
      -o "$tmp/leak_plain" 2>/dev/null; then
    echo "# valgrind leak check skipped: cannot link an unsanitized program with $lib"
  else
    vg="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=1"
    # shellcheck disable=SC2086
    prefix=valgrind_ run leak_valgrind $vg "$tmp/leak_plain" $((iters / 4))
    # shellcheck disable=SC2086
    if $limit $vg "$tmp/leak_plain" 1000 --plant-leak >/dev/null 2>&1; then
      say_fail "leak_valgrind_sees_planted_leak: valgrind did not report it"
    else
      say_pass "leak_valgrind_sees_planted_leak"
    fi
  fi
else
  echo "# valgrind not found: valgrind leak check skipped"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
