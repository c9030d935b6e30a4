#!/usr/bin/env bash
# vgcompile.sh NAME [SOURCE [FLAG...]]: runs vgradcc on SOURCE (default
# ../samples/NAME.c) and compiles what it generates into build/vg/NAME.*,
# recording the outcome instead of failing, so that the benchmark builds
# (without its vgradcc column) while vgradcc cannot handle NAME yet. The
# FLAGs (-D...) go to vgradcc and the C compiler alike.
#
# Writes, under build/vg/:
#   NAME.status  "ok", or the reason there is no vgradcc column (one line:
#                vgradcc's first "error:" line, or the first compiler error)
#   NAME.cflags  -DHAVE_VGRADCC=1 or -DHAVE_VGRADCC=0, for the driver
#   NAME.libs    the objects and library the driver links when it is 1
#   NAME.log     everything vgradcc and the compiler printed
set -u
name=$1
cd "$(dirname "$0")"
source=${2:-../samples/$name.c}
shift $(($# < 2 ? $# : 2))
defines=("$@")
CC=${CC:-cc}
CFLAGS=${CFLAGS:--std=c11 -Wall -Wextra -O3}
VGRADCC=${VGRADCC:-../build/vgradcc}
LIBVGRAD=${LIBVGRAD:-../build/libvgrad.a}
out=build/vg
mkdir -p "$out"
rm -f "$out/$name".{vg.c,vg.h,vg.o,adapter.o,status,cflags,libs}
log=$out/$name.log
: > "$log"
inc="-I$out -I$(dirname "$source") -I../runtime -I../build"

# The first diagnostic line of a log, for the table: an undefined symbol,
# else the first error, else the first line.
first_error() {
  local line
  line=$(grep -m1 -E 'undefined reference|(^|: )(fatal )?error:' "$log") \
    || line=$(grep -m1 -v -E '^\s*$|^\+ ' "$log") || line="no message"
  printf '%s' "$line" | tr '\t' ' ' | cut -c1-200
}

fail() {
  echo "$1" > "$out/$name.status"
  echo "-DHAVE_VGRADCC=0" > "$out/$name.cflags"
  : > "$out/$name.libs"
  echo "vgradcc: n/a for $name ($1)" >&2
  exit 0
}

[ -x "$VGRADCC" ] || fail "vgradcc not built ($VGRADCC missing)"
echo "+ $VGRADCC $source -o $out/$name.vg.c ${defines[*]}" >> "$log"
"$VGRADCC" "$source" -o "$out/$name.vg.c" "${defines[@]}" >> "$log" 2>&1
rc=$?
if [ $rc != 0 ]; then
  msg=$(first_error)
  [ "$msg" = "no message" ] && msg="vgradcc exited with status $rc and no diagnostic"
  fail "$msg"
fi
[ -f "$out/$name.vg.c" ] && [ -f "$out/$name.vg.h" ] \
  || fail "vgradcc exited 0 but wrote no $name.vg.c/$name.vg.h"
[ -f "$LIBVGRAD" ] || fail "runtime library $LIBVGRAD missing"

compile() {
  echo "+ $CC $CFLAGS ${defines[*]} $inc -c $1 -o $2" >> "$log"
  $CC $CFLAGS "${defines[@]}" $inc -c "$1" -o "$2" >> "$log" 2>&1
}
compile "$out/$name.vg.c" "$out/$name.vg.o" \
  || fail "generated $name.vg.c does not compile: $(first_error)"
base=${name%_f64}
base=${base%_omp} # ref_matmul_f64, ref_matmul_omp: ref_matmul's adapter
compile "vg/$base.c" "$out/$name.adapter.o" \
  || fail "calling the generated function failed to compile: $(first_error)"

# Link check: the generated code, its objective and the runtime resolve.
objs="$out/$name.vg.o $out/$name.adapter.o build/objectives/$name.o build/vg/tape.o"
check=$out/$name.linkcheck
printf 'double vg_%s(void *, double *);\nint main(void) { return vg_%s == 0; }\n' "$base" "$base" > "$check.c"
echo "+ link check" >> "$log"
$CC "${defines[@]}" -o "$check" "$check.c" $objs "$LIBVGRAD" -lm >> "$log" 2>&1 \
  || fail "generated code does not link: $(first_error)"
rm -f "$check" "$check.c"

echo ok > "$out/$name.status"
echo "-DHAVE_VGRADCC=1" > "$out/$name.cflags"
echo "$out/$name.vg.o $out/$name.adapter.o build/vg/tape.o $LIBVGRAD" \
  > "$out/$name.libs"
echo "vgradcc: $name compiled" >&2
