#!/usr/bin/env bash
# tests/arrays/mlp.sh: samples/mlp_train.c, a 2-layer tanh network written
# with vg_array operations, trained by samples/mlp_train_main.c with its
# generated value_and_grad, built as the sample's comment says (plus
# AddressSanitizer with detect_leaks=1):
#   mlp_train/runs      it builds and exits 0 without a sanitizer report
#   mlp_train/trains    final loss < 0.2 x the initial loss
#   mlp_train/no-leaks  it prints "arrays not freed: 0" (vg_live_arrays)
# See lib.bash for the environment.
# shellcheck source=tests/arrays/lib.bash
. "$(dirname "$0")/lib.bash"

dir=$ARRAYS_TMP/mlp
exe=$dir/mlp_train
TEST_CFLAGS="$TEST_CFLAGS -fsanitize=address -fno-omit-frame-pointer"
if gen mlp_train/runs samples/mlp_train.c "$dir/mlp_train.vg.c" &&
  build mlp_train/runs "$exe" -Wno-unknown-pragmas -I"$dir" \
    samples/mlp_train_main.c samples/mlp_train.c "$dir/mlp_train.vg.c"; then
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 timeout 60 "$exe" >"$exe.out" 2>&1
  rc=$?
  if [ $rc -ne 0 ]; then
    fail mlp_train/runs "exit status $rc" "$exe.out"
  elif grep -qE 'Sanitizer|runtime error:' "$exe.out"; then
    fail mlp_train/runs "sanitizer report" "$exe.out"
  else
    pass mlp_train/runs
  fi
  # "initial loss A, final loss B: ..."
  read -r initial final < <(sed -n 's/^initial loss \([^,]*\), final loss \([^:]*\):.*/\1 \2/p' "$exe.out")
  if [ -z "${initial:-}" ] || [ -z "${final:-}" ]; then
    fail mlp_train/trains "no line 'initial loss A, final loss B'" "$exe.out"
  elif awk -v a="$initial" -v b="$final" 'BEGIN { exit !(a > 0 && b < 0.2 * a) }'; then
    pass mlp_train/trains
  else
    fail mlp_train/trains "final loss $final is not below 0.2 x the initial $initial" "$exe.out"
  fi
  if grep -qx 'arrays not freed: 0' "$exe.out"; then
    pass mlp_train/no-leaks
  else
    fail mlp_train/no-leaks "the last line is not 'arrays not freed: 0'" "$exe.out"
  fi
fi
finish
