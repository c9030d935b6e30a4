#!/usr/bin/env bash
# The checkpointing row: the 1,000,000-step recurrence taped and checkpointed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$root/bench/build/checkpoint
mkdir -p "$out" "$root/bench/results"
"$root/build/vgradcc" "$here/recurrence.c" -o "$out/recurrence.vg.c"
cc -std=c11 -O3 -Wall -Wextra -Wno-unknown-pragmas -I"$root/runtime" -I"$out" \
  "$here/recurrence.c" "$out/recurrence.vg.c" "$here/main.c" "$root/build/libvgrad.a" -lm -o "$out/checkpoint"
"$out/checkpoint" "${1:-1000000}" | tee "$out/result.txt"
{
  echo "benchmark,steps,primal_s,taped_s,checkpointed_s,taped_peak_bytes,checkpointed_peak_bytes"
  sed -n 's/^CSV,//p' "$out/result.txt"
} > "$root/bench/results/checkpoint.csv"
grep -v '^CSV,' "$out/result.txt" > "$root/bench/results/checkpoint.txt"
