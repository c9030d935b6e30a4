#!/usr/bin/env bash
# tests/arrays/entry.sh: the run-time entry points (vg_lookup,
# vg_call_value_and_grad) of the generated files of three golden cases,
# checked by tests/arrays/entry.c against the static generated functions.
# See lib.bash for the environment.
# shellcheck source=tests/arrays/lib.bash
. "$(dirname "$0")/lib.bash"

dir=$ARRAYS_TMP/entry
ok=1
for name in array_r_lm array_lasso array_mse; do
  gen "entry/build/$name" "tests/golden/$name.c" "$dir/$name.vg.c" || ok=0
done
if [ $ok = 1 ] && build entry/build "$dir/entry" -I"$dir" -Itests/golden \
  tests/arrays/entry.c "$dir/array_r_lm.vg.c" "$dir/array_lasso.vg.c" "$dir/array_mse.vg.c"; then
  run_checks entry/run "$dir/entry"
fi
finish
