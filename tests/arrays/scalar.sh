#!/usr/bin/env bash
# tests/arrays/scalar.sh: MLX's mse and lasso with arrays against the same
# losses in scalar C (samples/mse.c, samples/lasso.c), float64 and float32:
# tests/arrays/scalar.c.  See lib.bash for the environment.
# shellcheck source=tests/arrays/lib.bash
. "$(dirname "$0")/lib.bash"

for real in double float; do
  dir=$ARRAYS_TMP/scalar/$real
  ok=1
  for src in samples/mse.c samples/lasso.c tests/golden/array_mse.c tests/golden/array_lasso.c; do
    name=$(basename "$src" .c)
    gen "scalar/build/$real/$name" "$src" "$dir/$name.vg.c" -DREAL=$real || ok=0
  done
  if [ $ok = 1 ] && build "scalar/build/$real" "$dir/scalar" -DREAL=$real -I"$dir" -Itests/golden \
    tests/arrays/scalar.c "$dir/mse.vg.c" "$dir/lasso.vg.c" "$dir/array_mse.vg.c" "$dir/array_lasso.vg.c"; then
    run_checks "scalar/run/$real" "$dir/scalar"
  fi
done
finish
