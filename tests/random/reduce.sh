#!/usr/bin/env bash
# tests/random/reduce.sh SEED|FILE.c [OUTDIR] [-- gen.py options]: reduces
# a failing random program to a small input that fails the same way, with
# Debian's cvise (apt-get install cvise).
#
#   bash tests/random/reduce.sh 1234
#   bash tests/random/reduce.sh soak-failures/1234/rp1234.c
#
# (a FILE is a program kept by run.py --keep or make soak: seeds give other
# programs once gen.py changes)
#
# writes OUTDIR (default reduce-SEED) holding rpSEED.c as generated
# (rpSEED.orig.c), the interestingness test (interesting.sh) and, when
# cvise is done, the reduced rpSEED.c.  A program with a second input
# file, rpSEED_lib.c (gen.py's multifile), is reduced in both files at
# once (cvise takes the two; rpSEED_lib.orig.c keeps the original), each
# check giving vgradcc both, as run.py does; rpSEED.h is kept as it is.
# The test keeps the failure class that tests/random/run.py gives the
# seed (COMPILE_FAIL, WRONG_GRAD, ...) and, for COMPILE_FAIL, WARNING
# and REFUSED, the first error or warning message with its identifiers
# and numbers wildcarded (so a reduction does not drift to another bug).
# For WRONG_VALUE and WRONG_GRAD the driver is built with ASan and UBSan,
# so that the reduction cannot make a "wrong" result out of undefined
# behaviour.  Extra options after -- go to gen.py (--exclude, --size), as
# given to run.py.  CVISE_JOBS (default 1) is cvise's --n.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

[ $# -ge 1 ] || { sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2; }
src=""
if [ -f "$1" ]; then
  src=$(cd "$(dirname "$1")" && pwd)/$(basename "$1" _lib.c)
  [ "$src" = "${src%.c}" ] && src=$src.c # rpSEED_lib.c names the program rpSEED.c
  seed=$(basename "$src" .c)
  seed=${seed#rp}
else
  seed=$1
fi
shift
out=reduce-$seed
if [ $# -ge 1 ] && [ "$1" != -- ]; then
  out=$1
  shift
fi
genopts=()
if [ $# -ge 1 ] && [ "$1" = -- ]; then
  shift
  genopts=("$@")
fi
command -v cvise >/dev/null || { echo "reduce.sh: cvise not found (apt-get install cvise)" >&2; exit 2; }

mkdir -p "$out"
out=$(cd "$out" && pwd)
if [ -n "$src" ]; then
  cp "$src" "$out/rp$seed.c"
  cp "${src%.c}.h" "$out/rp$seed.h"
  rm -f "$out/rp${seed}_lib.c"
  if [ -f "${src%.c}_lib.c" ]; then cp "${src%.c}_lib.c" "$out/rp${seed}_lib.c"; fi
else
  python3 "$here/gen.py" "$seed" -o "$out" "${genopts[@]}"
fi
cp "$out/rp$seed.c" "$out/rp$seed.orig.c"
files=("rp$seed.c")
if [ -f "$out/rp${seed}_lib.c" ]; then
  cp "$out/rp${seed}_lib.c" "$out/rp${seed}_lib.orig.c"
  files+=("rp${seed}_lib.c")
fi

# The class and detail of the failure.
result=$(python3 "$here/run.py" --build "${BUILD:-$root/build}" --file "$out/rp$seed.c" || true)
class=${result%%:*}
detail=${result#*: }
echo "rp$seed: $result"
case $class in
OK) echo "reduce.sh: seed $seed passes: nothing to reduce" >&2; exit 1 ;;
GEN_BUG) echo "reduce.sh: a generator bug: fix gen.py rather than reduce" >&2; exit 1 ;;
esac

# The message to keep: the first error (or warning) text, its quoted
# names and numbers wildcarded.
match=""
case $class in
COMPILE_FAIL | WARNING | REFUSED)
  match=$(printf '%s\n' "$detail" | python3 -c '
import re, sys
d = sys.stdin.read()
m = re.search(r"(error|warning): ([^|]*)", d)
msg = m.group(2).strip() if m else ""
msg = re.sub(r"\[-W[^]]*\]", "", msg).strip()
parts = re.split(r"(\x27[^\x27]*\x27|\u2018[^\u2019]*\u2019|\d+)", msg)
print(".*".join(re.escape(p) if i % 2 == 0 else "" for i, p in enumerate(parts)).replace(".*.*", ".*"))
')
  ;;
esac
san=""
case $class in
WRONG_VALUE | WRONG_GRAD | CRASH) san="-fsanitize=address,undefined -fno-sanitize-recover=all" ;;
esac

cat >"$out/interesting.sh" <<EOT
#!/usr/bin/env bash
# cvise's interestingness test: rp$seed.c${files[1]:+ with ${files[1]}} still gives $class${match:+ matching '$match'}.
cp "$out/rp$seed.h" . 2>/dev/null
exec python3 "$here/run.py" --build "${BUILD:-$root/build}" --file rp$seed.c --expect $class --match '${match//\'/\'\\\'\'}' --san "$san" >/dev/null 2>&1
EOT
chmod +x "$out/interesting.sh"
(cd "$out" && ./interesting.sh) || { echo "reduce.sh: the interestingness test fails on the original program" >&2; exit 1; }
cd "$out"
cvise --n "${CVISE_JOBS:-1}" --tidy ./interesting.sh "${files[@]}"
echo "reduced: $out/rp$seed.c ($(wc -l <"rp$seed.c") lines, from $(wc -l <"rp$seed.orig.c"))"
if [ -f "rp${seed}_lib.c" ]; then
  echo "reduced: $out/rp${seed}_lib.c ($(wc -l <"rp${seed}_lib.c") lines, from $(wc -l <"rp${seed}_lib.orig.c"))"
fi
