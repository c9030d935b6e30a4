# tests/realistic/runner.bash, sourced by tests/run.sh: whole programs in
# the idioms of published reference implementations (our own code), each
# differentiated unchanged but for its pragma.
#
#   realistic/NAME/{double,float}   tests/realistic/NAME/: every .c file
#       but check.c is an input of one vgradcc run (-DREAL=double, then
#       float, with REAL_IS_double or REAL_IS_float defined too);
#       exactly one of them holds the pragmas.  The inputs, the
#       generated file and check.c (which checks the gradient against
#       central finite differences with tests/fdcheck.h) are built
#       together and run.
#
# The inputs are built as their authors would (gnu99 for M_PI and the
# like); the generated file with the test flags (C99, -pedantic).

realistic_tests() {
  local dir name real t rdir inputs pragma_files stem f
  for dir in tests/realistic/*/; do
    [ -f "$dir/check.c" ] || continue
    name=$(basename "$dir")
    inputs=()
    pragma_files=()
    for f in "$dir"*.c; do
      [ "$(basename "$f")" = check.c ] && continue
      inputs+=("$f")
      grep -q '^#pragma vgrad' "$f" && pragma_files+=("$f")
    done
    for real in double float; do
      t=${PASS_NAME}realistic/$name/$real
      selected "$t" || continue
      vgradcc_missing "$t" && continue
      rdir=$PASS_DIR/realistic/$name/$real
      if [ ${#pragma_files[@]} -ne 1 ]; then
        fail "$t" "tests/realistic/$name needs exactly one input with #pragma vgrad"
        continue
      fi
      stem=$(basename "${pragma_files[0]}" .c)
      run_vgradcc "$t" "$rdir" "$rdir/vgradcc.err" -DREAL=$real -DREAL_IS_$real "${inputs[@]}" -o "$rdir/$stem.vg.c" || continue
      build_realistic "$t" "${dir%/}" "$rdir" "$real" "$stem" "${inputs[@]}" || continue
      check_run "$t" "$rdir/check"
    done
  done
}

# build_realistic NAME SRCDIR DIR REAL STEM INPUT...: compiles the inputs,
# the generated DIR/STEM.vg.c and SRCDIR/check.c, and links them with
# libvgrad into DIR/check.
build_realistic() {
  local t=$1 src_dir=$2 rdir=$3 real=$4 stem=$5 src obj objs=() log=$3/build.log
  shift 5
  lib_missing "$t" && return 1
  for src in "$@"; do
    obj=$rdir/$(basename "$src" .c).o
    # shellcheck disable=SC2086
    # (-Wmaybe-uninitialized: gcc's guess, under -fsanitize=address, that
    # llm.c's malloc'd activations reach a const pointer unwritten; the
    # inputs are the authors' code, the generated file keeps every warning)
    if ! "$CC" -std=gnu99 -Wall -Wextra -Werror -Wno-maybe-uninitialized -Wno-unknown-pragmas -O1 $SAN \
      -DREAL=$real -DREAL_IS_$real \
      -c "$src" -o "$obj" >"$log" 2>&1; then
      fail "$t" "compiling $src failed" "$log"
      return 1
    fi
    objs+=("$obj")
  done
  # shellcheck disable=SC2046,SC2086
  if ! "$CC" $(cflags) -DREAL=$real -DREAL_IS_$real -I"$src_dir" -I"$rdir" \
    -c "$rdir/$stem.vg.c" -o "$rdir/$stem.vg.o" >"$log" 2>&1; then
    fail "$t" "compiling the generated $stem.vg.c failed" "$log"
    return 1
  fi
  # shellcheck disable=SC2046,SC2086
  if ! "$CC" $(cflags) -DREAL=$real -DREAL_IS_$real -Itests -I"$src_dir" -I"$rdir" \
    -c "$src_dir/check.c" -o "$rdir/check.o" >"$log" 2>&1; then
    fail "$t" "compiling check.c failed" "$log"
    return 1
  fi
  # shellcheck disable=SC2086
  if ! "$CC" $SAN -o "$rdir/check" "${objs[@]}" "$rdir/$stem.vg.o" "$rdir/check.o" "$LIB" -lm >"$log" 2>&1; then
    fail "$t" "linking failed" "$log"
    return 1
  fi
}
