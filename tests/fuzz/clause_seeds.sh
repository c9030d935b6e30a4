#!/usr/bin/env bash
# clause_seeds.sh OUTDIR: the clause texts (after `vgrad`) of every
# `#pragma vgrad` line and `_Pragma("vgrad ...")` in tests/golden,
# tests/bad and samples, one file per distinct text, named by its order
# (the seed corpus of the clause fuzzer and of its replay in make test).
set -eu
cd "$(dirname "$0")/../.."
out=$1
mkdir -p "$out"
{
  sed -n 's/^[[:space:]]*#[[:space:]]*pragma[[:space:]][[:space:]]*vgrad[[:space:]]\(.*\)$/\1/p' \
    tests/golden/*.c tests/bad/*.c samples/*.c
  sed -n 's/.*_Pragma[[:space:]]*([[:space:]]*"vgrad[[:space:]]\([^"]*\)".*/\1/p' \
    tests/golden/*.c tests/bad/*.c samples/*.c
} | LC_ALL=C sort -u | {
  n=0
  while IFS= read -r line; do
    n=$((n + 1))
    printf '%s' "$line" >"$out/$(printf 'clause%03d' "$n")"
  done
  echo "$n"
}
