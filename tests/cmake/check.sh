#!/usr/bin/env bash
# tests/cmake/check.sh GENERATOR PREFIX WORK: vgrad's CMake package, from
# an installed copy (make install PREFIX=PREFIX), in a user's build:
# tests/cmake/project copied to WORK/src and built in WORK/build with
# GENERATOR ("Unix Makefiles" or Ninja), warnings as errors.
#
#   1. configure (find_package(vgrad) from PREFIX) and build: vgradcc runs;
#      `fit` checks the gradient against finite differences
#   2. build again, nothing edited: nothing runs
#   3. LOSS_SCALE edited in include/loss_config.h, which loss.c includes:
#      vgradcc runs again and loss.vg.c changes; `fit` checks the new
#      gradient (a stale one would fail: loss.c is recompiled)
#   4. build again: nothing runs
#   5. the header touched, its text unchanged: vgradcc runs, loss.vg.c and
#      loss.vg.h keep their time stamps, loss.vg.c.o and main.c.o are not
#      recompiled; the build after runs nothing
#
# Prints each command and its output; at the first problem, a line
# "problem: ..." and exit 1.  CC (default cc) is the C compiler.
set -u
gen=$1 prefix=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
src=$work/src bld=$work/build gen_dir=$work/build/vgrad/fit

problem() {
  echo "problem: $*"
  exit 1
}

run() {
  echo "\$ $*"
  "$@"
}

# build N: builds, output in $work/build.N.log (shown).
build() {
  echo "\$ cmake --build build --parallel 2"
  cmake --build "$bld" --parallel 2 >"$work/build.$1.log" 2>&1
  local rc=$?
  cat "$work/build.$1.log"
  [ $rc = 0 ] || problem "build $1 failed"
}

ran_vgradcc() { grep -q 'vgradcc loss\.c' "$work/build.$1.log"; }
compiled() { grep -q "Building C object .*$2" "$work/build.$1.log"; }
nothing_ran() { ! grep -qE 'vgradcc loss\.c|Building C object|Linking' "$work/build.$1.log"; }
mtime() { stat -c %.9Y "$1"; }

rm -rf "$work"
mkdir -p "$work"
cp -R "$here/project" "$src"

run cmake -S "$src" -B "$bld" -G "$gen" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_COMPILER="${CC:-cc}" ||
  problem "cmake could not configure the project"
found=$(sed -n 's/^vgrad_DIR:PATH=//p' "$bld/CMakeCache.txt")
[ "$found" = "$prefix/lib/cmake/vgrad" ] || problem "find_package(vgrad) found '$found', not $prefix/lib/cmake/vgrad"

build 1
ran_vgradcc 1 || problem "build 1 did not run vgradcc"
run "$bld/fit" || problem "fit: the gradient is wrong"

build 2
nothing_ran 2 || problem "build 2, with nothing edited, ran something"

cp "$gen_dir/loss.vg.c" "$work/loss.vg.c.before"
sed -i 's/^#define LOSS_SCALE 2\.0$/#define LOSS_SCALE 3.0/' "$src/include/loss_config.h"
grep -q '^#define LOSS_SCALE 3\.0$' "$src/include/loss_config.h" || problem "could not edit loss_config.h"
echo "(include/loss_config.h: LOSS_SCALE 2.0 -> 3.0)"
build 3
ran_vgradcc 3 || problem "build 3, after editing a header loss.c includes, did not run vgradcc"
cmp -s "$work/loss.vg.c.before" "$gen_dir/loss.vg.c" && problem "loss.vg.c did not change with LOSS_SCALE"
run "$bld/fit" || problem "fit after the edit: the gradient is wrong"

build 4
nothing_ran 4 || problem "build 4, with nothing edited, ran something"

c_time=$(mtime "$gen_dir/loss.vg.c") h_time=$(mtime "$gen_dir/loss.vg.h")
run touch "$src/include/loss_config.h"
build 5
ran_vgradcc 5 || problem "build 5, after touching a header loss.c includes, did not run vgradcc"
[ "$(mtime "$gen_dir/loss.vg.c")" = "$c_time" ] || problem "loss.vg.c was rewritten with the same text"
[ "$(mtime "$gen_dir/loss.vg.h")" = "$h_time" ] || problem "loss.vg.h was rewritten with the same text"
compiled 5 'loss\.vg\.c\.o' && problem "loss.vg.c was recompiled, its text unchanged"
compiled 5 'main\.c\.o' && problem "main.c was recompiled, loss.vg.h unchanged"
build 6
nothing_ran 6 || problem "build 6, with nothing edited, ran something"
echo "all checks passed ($gen)"
