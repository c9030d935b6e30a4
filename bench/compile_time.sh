#!/usr/bin/env bash
# bench/compile_time.sh: how long vgradcc takes on large generated inputs
# (issue 21: compile time must grow linearly with the function).
#
#   bash bench/compile_time.sh [VGRADCC]    (default: build/vgradcc)
#   make -C bench compile-time
#
# Writes the inputs into a scratch directory, runs vgradcc once on each
# and prints wall-clock and CPU (user + system) seconds and peak memory:
#
#   straight-N    N statements `y = y*x + 1;`-style reassigning four scalars
#   else-if-N     an if / else if chain N deep (each else holds the next if)
#   nested-if-N   N ifs nested in braces, each with an assignment
#                 (clang needs -fbracket-depth for this)
#   mixed-N       about N statements mixing a local array, loops over a
#                 pointer parameter, calls of sin and exp, and ifs
#
# No thresholds: bench/README.md records what it printed.
set -u
cd "$(dirname "$0")/.." || exit 2
VG=${1:-build/vgradcc}
[ -x "$VG" ] || { echo "no $VG (run make first)" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vgradcc-ctime.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

straight() { # N
  awk -v n="$1" 'BEGIN {
    print "double straight(double x, double z)\n{\n    double y = x, a = z, b = 0.5, c = 1;"
    for (i = 0; i < n; i++) {
      k = i % 4
      if (k == 0) print "    y = y * x + 1;"
      else if (k == 1) print "    a = a * 0.5 + y * 0.001;"
      else if (k == 2) print "    b = b * a + x;"
      else print "    c = c * 0.25 + b * z;"
    }
    print "    return y + a + b + c;\n}\n#pragma vgrad value_and_grad(straight) argnums(0, 1)"
  }'
}

else_if() { # N
  awk -v n="$1" 'BEGIN {
    print "double chain(double x)\n{\n    double y = x;"
    for (i = 0; i < n; i++)
      printf "    if (y < %d.5) y = y * x + 1; else\n", i
    print "    y = y * x;\n    return y;\n}\n#pragma vgrad value_and_grad(chain)"
  }'
}

nested_if() { # N
  awk -v n="$1" 'BEGIN {
    print "double nest(double x)\n{\n    double y = x;"
    for (i = 0; i < n; i++)
      printf "    if (y < %d.5) {\n    y = y * x + 1;\n", n - i
    for (i = 0; i < n; i++)
      print "    }"
    print "    return y;\n}\n#pragma vgrad value_and_grad(nest)"
  }'
}

mixed() { # N: five statements a round
  awk -v n="$1" 'BEGIN {
    print "#include <math.h>"
    print "double mixed(const double *x, double s, int n)\n{\n    double w[16] = {0};\n    double t = 0;"
    for (r = 0; r < n / 5; r++) {
      printf "    for (int i = 0; i < n && i < 16; i++)\n        w[i] = w[i] * 0.9 + 0.1 * sin(x[i] + s);\n"
      printf "    s = s + 0.01 * w[%d];\n", r % 16
      printf "    t = t * 0.99 + w[%d] * x[%d %% n];\n", (r + 1) % 16, r
      printf "    if (t > s) s += 0.001 * exp(-t * t); else t -= 0.001 * s;\n"
      printf "    for (int j = 0; j < n; j++)\n        t += 0.0001 * x[j] * w[j %% 16];\n"
    }
    print "    return s + t;\n}\n#pragma vgrad value_and_grad(mixed) argnums(0, 1)"
  }'
}

printf '%-18s %8s %8s %8s %10s\n' input lines wall_s cpu_s peak_MB
run() { # NAME GENERATOR N [CLANG ARGS...]
  local name=$1 gen=$2 n=$3
  shift 3
  "$gen" "$n" >"$tmp/$name.c"
  local lines
  lines=$(wc -l <"$tmp/$name.c")
  if /usr/bin/time -f '%e %U %S %M' -o "$tmp/$name.time" "$VG" "$tmp/$name.c" -o "$tmp/$name.vg.c" "$@" \
    >"$tmp/$name.out" 2>&1; then
    read -r wall user sys kb <"$tmp/$name.time"
    printf '%-18s %8d %8.2f %8.2f %10.0f\n' "$name" "$lines" "$wall" "$(echo "$user + $sys" | bc)" "$((kb / 1024))"
  else
    printf '%-18s %8d   failed: %s\n' "$name" "$lines" "$(head -1 "$tmp/$name.out")"
  fi
}

run straight-5000 straight 5000
run straight-20000 straight 20000
run else-if-2000 else_if 2000
run nested-if-2000 nested_if 2000 -fbracket-depth=4200
run mixed-10000 mixed 10000
