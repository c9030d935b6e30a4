#!/usr/bin/env bash
# samples/demo.sh: the main job, step by step: vgradcc turns samples/mse.c
# into mse.vg.c and mse.vg.h, the C compiler builds them with a small
# driver (mse_main.c), and the program prints the loss and its gradient.
# The same for samples/lasso.c, whose loss returns auxiliary outputs.
#
# Run from anywhere after `make` (or as `make demo`).  The files go to
# $DEMO_OUT (default build/demo).
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
OUT=${DEMO_OUT:-$BUILD/demo}
CC=${CC:-cc}
VGRADCC=$BUILD/vgradcc
LIB=$BUILD/libvgrad.a

for f in "$VGRADCC" "$LIB"; do
  if [ ! -f "$f" ]; then
    echo "demo: $f is missing: run make first" >&2
    exit 1
  fi
done
mkdir -p "$OUT"

run() {
  echo "\$ $*"
  "$@"
}

for name in mse lasso; do
  echo "== samples/$name.c"
  run "$VGRADCC" "samples/$name.c" -o "$OUT/$name.vg.c"
  echo "-- the generated declaration ($OUT/$name.vg.h):"
  awk -v f="${name}_value_and_grad(" 'index($0, f) { on = 1 } on { print } on && /;/ { exit }' "$OUT/$name.vg.h"
  # -Wno-unknown-pragmas: the C compiler does not know `#pragma vgrad`.
  run "$CC" -std=c99 -O2 -Wall -Wno-unknown-pragmas -Iruntime -I"$OUT" \
    "samples/${name}_main.c" "samples/$name.c" "$OUT/$name.vg.c" "$LIB" -lm -o "$OUT/$name"
  run "$OUT/$name"
  echo
done
