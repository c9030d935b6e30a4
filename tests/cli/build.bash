# tests/cli/build.bash: sourced by tests/run.sh; vgradcc in a user's build
# (README.md, "Building with Make, Ninja and CMake").  Defines
#
#   cli_build_tests (both passes, from cli_tests):
#     cli/depfile            -MD: a make rule OUT.c: FILE.c HEADERS..., which
#                            make reads (a touched header makes it stale)
#     cli/depfile-user       -MMD: the local headers without math.h (which
#                            -MD lists); -MF, -MT, -MP with it
#     cli/depfile-options    -MF, -MT, -MQ, -MP after the file and joined;
#                            -MF without -MD refused
#     cli/depfile-atomic     the dependency file is written all or nothing
#                            with the outputs; none for a refused input
#     cli/unchanged-outputs  an output whose text is the same keeps its
#                            time stamp; a changed one is rewritten
#     cli/umask              outputs created with 0666 less the umask
#     cli/own-include        #include <vgrad.h> without -I; a user's -I wins
#     cli/compile-commands   -p BUILD_DIR: flags from compile_commands.json
#     cli/help-pragmas       every pragma and clause of the grammar, every
#                            option in --help and the man page
#     cli/readme-example     README's first example (mse.c, main.c) built
#                            and run as written; its declaration and output
#   install_build_tests PREFIX (normal pass, from install_tests):
#     install/own-include    the installed vgradcc finds PREFIX/include/vgrad.h
#     install/cmake-files    lib/cmake/vgrad/vgradConfig{,Version}.cmake
#     install/cmake/make     tests/cmake/check.sh with the Makefile generator
#     install/cmake/ninja    the same with Ninja
#
# Uses run.sh's PASS_NAME, PASS_DIR, VG, CC, ROOT, VERSION, TIMEOUT_COMPILER,
# cflags, selected, have, pass, fail, describe_rc, sanitizer_report,
# vgradcc, run_vgradcc, vgradcc_missing, lib_missing, build_prog,
# run_prog, refused_output and listing.

# run_vgradcc_in NAME DIR ERR ARGS...: run_vgradcc with DIR as the
# working directory.
run_vgradcc_in() {
  local name=$1 d=$2 err=$3 rc
  shift 3
  (cd "$d" && vgradcc "$@") >"$err.stdout" 2>"$err"
  rc=$?
  if [ $rc -ne 0 ]; then
    fail "$name" "vgradcc $* (in ${d#"$tmp"/}): $(describe_rc $rc)" "$err" "$err.stdout"
    return 1
  fi
  if sanitizer_report "$err"; then
    fail "$name" "vgradcc $*: sanitizer report" "$err"
    return 1
  fi
  return 0
}

# lists_dependency DEPFILE PATH: the rule lists PATH on a line of its own.
lists_dependency() {
  grep -qxF -e "  $2 \\" -e "  $2" "$1"
}

# A small input with a local header, a header whose name has a space, and
# a system header: DIR/src/dep.c, its headers in DIR/src/inc.
write_dep_input() {
  local d=$1
  mkdir -p "$d/src/inc" "$d/out"
  printf '#define DEP_SCALE 2.0\n' >"$d/src/inc/dep.h"
  printf '/* a header whose name needs quoting in a make rule */\n' >"$d/src/inc/sp ace.h"
  cat >"$d/src/dep.c" <<'EOF'
#include <math.h>
#include "dep.h"
#include "sp ace.h"
double dep(double x) { return DEP_SCALE * sin(x); }
#pragma vgrad value_and_grad(dep)
EOF
}

# mode FILE: its permission bits, in octal.
file_mode() { stat -c %a "$1"; }
file_time() { stat -c %.9Y "$1"; }

cli_build_tests() {
  local dir=$PASS_DIR/cli t d rc

  # -MD before the file: OUT.d beside OUT.c; make reads it.
  t=${PASS_NAME}cli/depfile
  if selected "$t" && ! vgradcc_missing "$t"; then
    d=$dir/depfile
    rm -rf "$d"
    write_dep_input "$d"
    if run_vgradcc_in "$t" "$d" "$d/vgradcc.err" -MD src/dep.c -I src/inc -o out/dep.vg.c; then
      local dep=$d/out/dep.vg.d problem=""
      printf 'include out/dep.vg.d\nout/dep.vg.c:\n\t@echo remake out/dep.vg.c\n' >"$d/Makefile"
      if [ ! -f "$dep" ]; then
        problem="no out/dep.vg.d"
      elif [ "$(head -n 1 "$dep")" != 'out/dep.vg.c: src/dep.c \' ]; then
        problem="the rule does not begin 'out/dep.vg.c: src/dep.c'"
      elif ! lists_dependency "$dep" src/inc/dep.h || ! lists_dependency "$dep" 'src/inc/sp\ ace.h' ||
        ! grep -q '^  /.*/math\.h\( \\\)\?$' "$dep"; then
        problem="src/inc/dep.h, src/inc/sp\\ ace.h or math.h missing"
      elif ! (cd "$d" && make -q -f Makefile out/dep.vg.c) >"$d/make.log" 2>&1; then
        problem="make -q: out/dep.vg.c is not up to date after vgradcc"
      else
        touch "$d/src/inc/sp ace.h"
        if (cd "$d" && make -q -f Makefile out/dep.vg.c) >>"$d/make.log" 2>&1; then
          problem="make -q: out/dep.vg.c is up to date after 'sp ace.h' was touched"
        elif [ "$(listing "$d/out")" != "dep.vg.c dep.vg.d dep.vg.h " ]; then
          problem="out/ holds $(listing "$d/out")"
        fi
      fi
      if [ -n "$problem" ]; then
        fail "$t" "$problem" "$dep" "$d/make.log"
      else
        pass "$t"
      fi
    fi
  fi

  # -MMD: the user's headers only; -MD (cli/depfile) lists math.h too.
  t=${PASS_NAME}cli/depfile-user
  if selected "$t" && ! vgradcc_missing "$t"; then
    d=$dir/depfile-user
    rm -rf "$d"
    write_dep_input "$d"
    local problem=""
    if run_vgradcc_in "$t" "$d" "$d/md.err" -MD src/dep.c -I src/inc -o out/md.c &&
      run_vgradcc_in "$t" "$d" "$d/mmd.err" src/dep.c -MMD -I src/inc -o out/mmd.c &&
      run_vgradcc_in "$t" "$d" "$d/opt.err" -MMD -MFout/opt.dep -MT opt -MP src/dep.c -Isrc/inc -o out/opt.c; then
      local mmd=$d/out/mmd.d
      if ! grep -q '/math\.h\( \\\)\?$' "$d/out/md.d"; then
        problem="-MD: math.h missing from out/md.d"
      elif [ "$(head -n 1 "$mmd")" != 'out/mmd.c: src/dep.c \' ]; then
        problem="-MMD: the rule does not begin 'out/mmd.c: src/dep.c'"
      elif ! lists_dependency "$mmd" src/inc/dep.h || ! lists_dependency "$mmd" 'src/inc/sp\ ace.h'; then
        problem="-MMD: src/inc/dep.h or src/inc/sp\\ ace.h missing"
      elif grep -q '^  /' "$mmd"; then
        problem="-MMD lists a system header: $(grep -m1 '^  /' "$mmd")"
      elif [ "$(wc -l <"$mmd")" != 3 ]; then
        problem="-MMD: not the three lines of the input and its two headers"
      elif [ "$(head -n 1 "$d/out/opt.dep")" != 'opt: src/dep.c \' ] || ! grep -qx 'src/inc/dep\.h:' "$d/out/opt.dep" ||
        grep -q '^/.*:$' "$d/out/opt.dep"; then
        problem="-MMD -MFout/opt.dep -MT opt -MP: not 'opt: src/dep.c ...' with empty rules for the local headers only"
      elif [ "$(listing "$d/out")" != "md.c md.d md.h mmd.c mmd.d mmd.h opt.c opt.dep opt.h " ]; then
        problem="out/ holds $(listing "$d/out")"
      fi
      if [ -n "$problem" ]; then
        fail "$t" "$problem" "$mmd" "$d/out/opt.dep"
      else
        pass "$t"
      fi
    fi
  fi

  # -MF, -MT, -MQ, -MP after the file, apart and joined; several targets.
  t=${PASS_NAME}cli/depfile-options
  if selected "$t" && ! vgradcc_missing "$t"; then
    d=$dir/depfile-options
    rm -rf "$d"
    write_dep_input "$d"
    local problem=""
    if run_vgradcc_in "$t" "$d" "$d/a.err" src/dep.c -o out/a.c -I src/inc -MT 'one two' -MQ 'q$x' \
      -MF out/a.d -MD -MP &&
      run_vgradcc_in "$t" "$d" "$d/b.err" -MD -MFout/b.d -MTb src/dep.c -Isrc/inc -o out/b.c; then
      if [ "$(head -n 1 "$d/out/a.d")" != 'one two q$$x: src/dep.c \' ]; then
        problem="-MT 'one two' -MQ 'q\$x': the rule does not begin 'one two q\$\$x: src/dep.c'"
      elif ! grep -qx 'src/inc/dep\.h:' "$d/out/a.d" || grep -qx 'src/dep\.c:' "$d/out/a.d"; then
        problem="-MP: no empty rule for src/inc/dep.h (or one for the input)"
      elif [ "$(head -n 1 "$d/out/b.d")" != 'b: src/dep.c \' ] || grep -q '^[^ ].*:$' "$d/out/b.d"; then
        problem="-MFout/b.d -MTb: not the rule 'b: src/dep.c ...' alone"
      elif [ "$(listing "$d/out")" != "a.c a.d a.h b.c b.d b.h " ]; then
        problem="out/ holds $(listing "$d/out")"
      fi
      # -MF (or -MT) without -MD: refused, nothing written.
      rm -rf "$d/out2"
      mkdir -p "$d/out2"
      (cd "$d" && vgradcc src/dep.c -I src/inc -MF out2/c.d -o out2/c.c) >"$d/c.out" 2>"$d/c.err"
      rc=$?
      if [ -z "$problem" ] && { [ $rc = 0 ] || [ $rc -ge 124 ]; }; then
        problem="-MF without -MD: $(describe_rc $rc), expected an error"
      elif [ -z "$problem" ] && ! grep -q "error: '-MF' needs '-MD'" "$d/c.err"; then
        problem="-MF without -MD: no error saying it needs -MD"
      elif [ -z "$problem" ] && [ -n "$(listing "$d/out2")" ]; then
        problem="-MF without -MD wrote $(listing "$d/out2")"
      fi
      if [ -n "$problem" ]; then
        fail "$t" "$problem" "$d/out/a.d" "$d/out/b.d" "$d/c.err"
      else
        pass "$t"
      fi
    fi
  fi

  # All or nothing: the dependency file cannot be put in place (a
  # directory) -> the old outputs stay; the source cannot (a directory)
  # -> the old dependency file and header come back; a refused input or a
  # missing -MF directory -> nothing written.
  t=${PASS_NAME}cli/depfile-atomic
  if selected "$t" && ! vgradcc_missing "$t"; then
    d=$dir/depfile-atomic
    rm -rf "$d" "$d.problems"
    mkdir -p "$d"
    : >"$d.problems"
    cp tests/golden/arith.c "$d/arith.c"
    echo "old source" >"$d/gen.c"
    echo "old header" >"$d/gen.h"
    mkdir "$d/deps.d"
    refused_output "$t" "$d" "cannot write 'deps.d'" arith.c -MD -MF deps.d -o gen.c
    [ "$(cat "$d/gen.c")/$(cat "$d/gen.h")" = "old source/old header" ] ||
      echo "-MF a directory: gen.c or gen.h changed" >>"$d.problems"
    rmdir "$d/deps.d"
    echo "old deps" >"$d/deps.d"
    rm "$d/gen.c"
    mkdir "$d/gen.c"
    refused_output "$t" "$d" "cannot write 'gen.c'" arith.c -MD -MF deps.d -o gen.c
    [ "$(cat "$d/deps.d")/$(cat "$d/gen.h")" = "old deps/old header" ] ||
      echo "OUT.c a directory: deps.d or gen.h not put back" >>"$d.problems"
    rmdir "$d/gen.c"
    cp "$ROOT/tests/bad/argnums_range.c" "$d/bad.c"
    refused_output "$t" "$d" "argnums: 2 is out of range" bad.c -MD
    refused_output "$t" "$d" "cannot create 'no/such/dir/x.d'" arith.c -MD -MF no/such/dir/x.d -o new.c
    if [ -s "$d.problems" ]; then
      fail "$t" "$(head -n 1 "$d.problems")" "$d.problems"
    else
      pass "$t"
    fi
  fi

  # The same text: the file and its time stamp stay; another text: rewritten.
  t=${PASS_NAME}cli/unchanged-outputs
  if selected "$t" && ! vgradcc_missing "$t"; then
    d=$dir/unchanged
    rm -rf "$d" "$d".*.err*
    mkdir -p "$d"
    cp tests/golden/arith.c "$d/arith.c"
    if run_vgradcc_in "$t" "$d" "$d.1.err" -MD arith.c; then
      touch -d '2001-02-03 04:05:06' "$d/arith.vg.c" "$d/arith.vg.h" "$d/arith.vg.d"
      local old
      old=$(file_time "$d/arith.vg.c")
      if run_vgradcc_in "$t" "$d" "$d.2.err" -MD arith.c; then
        local problem="" f
        for f in arith.vg.c arith.vg.h arith.vg.d; do
          [ "$(file_time "$d/$f")" = "$old" ] || problem="$problem $f"
        done
        if [ -n "$problem" ]; then
          fail "$t" "rewritten with the same text:$problem"
        else
          # a line more at the top: the line comments of arith.vg.c change
          { echo "/* one line more */"; cat tests/golden/arith.c; } >"$d/arith.c"
          cp "$d/arith.vg.c" "$d/before.vg.c"
          if run_vgradcc_in "$t" "$d" "$d.3.err" -MD arith.c; then
            if [ "$(file_time "$d/arith.vg.c")" = "$old" ] || cmp -s "$d/before.vg.c" "$d/arith.vg.c"; then
              fail "$t" "arith.vg.c not rewritten after the input changed"
            elif [ "$(listing "$d")" != "arith.c arith.vg.c arith.vg.d arith.vg.h before.vg.c " ]; then
              fail "$t" "the directory holds $(listing "$d")"
            else
              pass "$t"
            fi
          fi
        fi
      fi
    fi
  fi

  # New outputs: 0666 less the umask (as a file the shell creates).
  t=${PASS_NAME}cli/umask
  if selected "$t" && ! vgradcc_missing "$t"; then
    d=$dir/umask
    rm -rf "$d"
    mkdir -p "$d"
    local mask want problem="" f
    for mask in 022 027 077 002; do
      mkdir -p "$d/$mask"
      cp tests/golden/arith.c "$d/$mask/arith.c"
      want=$(printf '%o' $((0666 & ~8#$mask)))
      (umask "$mask" && cd "$d/$mask" && vgradcc -MD arith.c) >"$d/$mask.out" 2>&1 ||
        problem="$problem; umask $mask: vgradcc failed"
      for f in arith.vg.c arith.vg.h arith.vg.d; do
        [ -f "$d/$mask/$f" ] && [ "$(file_mode "$d/$mask/$f")" = "$want" ] ||
          problem="$problem; umask $mask: $f has mode $(file_mode "$d/$mask/$f" 2>/dev/null), expected $want"
      done
    done
    if [ -n "$problem" ]; then
      fail "$t" "${problem#; }" "$d/022.out"
    else
      pass "$t"
    fi
  fi

  # #include <vgrad.h> with no -I (vgradcc's own directory, here the source
  # tree's runtime/); a -I of the user's holding another vgrad.h comes first.
  t=${PASS_NAME}cli/own-include
  if selected "$t" && ! vgradcc_missing "$t"; then
    d=$dir/own-include
    rm -rf "$d"
    mkdir -p "$d/mine"
    write_array_input "$d"
    printf '#include "%s/runtime/vgrad.h"\n#define MY_VGRAD_H 1\n' "$ROOT" >"$d/mine/vgrad.h"
    printf '#include <vgrad.h>\n#ifndef MY_VGRAD_H\n#error "not mine/vgrad.h"\n#endif\n' >"$d/uses_mine.c"
    sed 1d "$d/arr.c" >>"$d/uses_mine.c"
    if run_vgradcc_in "$t" "$d" "$d/1.err" -MD arr.c &&
      run_vgradcc_in "$t" "$d" "$d/2.err" -Imine uses_mine.c; then
      local runtime
      runtime=$(cd "$ROOT/runtime" && pwd -P)
      if ! lists_dependency "$d/arr.vg.d" "$runtime/vgrad.h"; then
        fail "$t" "arr.vg.d does not list $runtime/vgrad.h" "$d/arr.vg.d"
      elif ! "$CC" $(cflags) -c "$d/arr.vg.c" -o "$d/arr.vg.o" >"$d/cc.log" 2>&1; then
        fail "$t" "the generated arr.vg.c does not compile" "$d/cc.log"
      else
        pass "$t"
      fi
    fi
  fi

  cli_compile_commands_test
  cli_readme_example_test

  # --help (cli/help checks the usage): every keyword of the pragma
  # grammar (frontend/pragma.l) and every option; the man page has them too.
  t=${PASS_NAME}cli/help-pragmas
  if selected "$t" && ! vgradcc_missing "$t"; then
    d=$dir/help-pragmas
    mkdir -p "$d"
    vgradcc --help >"$d/help.out" 2>&1
    local missing="" word
    for word in $(sed -n 's/^"\([a-z_]*\)" *{ return PT_.*/\1/p' frontend/pragma.l); do
      grep -qw -- "$word" "$d/help.out" || missing="$missing $word"
    done
    for word in -o -I -D -U -std= -p -MD -MMD -MF -MT -MQ -MP --help --version; do
      grep -q -- "^  $word" "$d/help.out" || missing="$missing $word"
      grep -q "^\\.BI\\? ${word//-/\\\\-}" doc/vgradcc.1 || missing="$missing $word(man)"
    done
    if [ -z "$(sed -n 's/^"\([a-z_]*\)" *{ return PT_.*/\1/p' frontend/pragma.l)" ]; then
      fail "$t" "no keywords found in frontend/pragma.l"
    elif [ -n "$missing" ]; then
      fail "$t" "not in --help (or the man page):$missing" "$d/help.out"
    else
      pass "$t"
    fi
  fi
}

# readme_block PREFIX: the ```c block of README.md whose first line begins
# with PREFIX.
readme_block() {
  awk -v want="$1" '
    /^```/ {
      if (inside) { inside = 0; if (keep) exit; next }
      if ($0 == "```c") { inside = 1; first = 1; next }
    }
    inside {
      if (first) { keep = index($0, want) == 1; first = 0 }
      if (keep) print
    }' README.md
}

# README's first example, as written: mse.c through vgradcc, the header's
# declaration as shown, main.c built with it (warnings as errors) and run,
# its output as the comment after ./mse says.
cli_readme_example_test() {
  local t=${PASS_NAME}cli/readme-example d want
  selected "$t" && ! vgradcc_missing "$t" && ! lib_missing "$t" || return 0
  d=$PASS_DIR/cli/readme-example
  rm -rf "$d"
  mkdir -p "$d"
  readme_block '/* mse.c */' >"$d/mse.c"
  readme_block '/* main.c */' >"$d/main.c"
  readme_block 'double mse_value_and_grad(' | tr -s ' \n' ' ' | sed 's/ $//' >"$d/declaration"
  want=$(sed -n 's|^\./mse *# *||p' README.md | head -n 1)
  if [ ! -s "$d/mse.c" ] || [ ! -s "$d/main.c" ] || [ ! -s "$d/declaration" ] || [ -z "$want" ]; then
    fail "$t" "README.md has no mse.c, main.c, declaration or './mse  # output' in its example"
    return 0
  fi
  run_vgradcc "$t" "$d" "$d/vgradcc.err" "$d/mse.c" || return 0
  if ! grep -qxF "$(cat "$d/declaration")" "$d/mse.vg.h"; then
    fail "$t" "mse.vg.h does not declare, as README shows: $(cat "$d/declaration")" "$d/mse.vg.h"
    return 0
  fi
  BUILD_FLAGS="-Wno-unknown-pragmas -I$d" build_prog "$t" "$d/mse" "$d/build.log" \
    "$d/mse.c" "$d/mse.vg.c" "$d/main.c" || return 0
  run_prog "$d/mse" "$d/mse.out"
  if [ "$(cat "$d/mse.out")" != "$want" ]; then
    fail "$t" "./mse printed '$(cat "$d/mse.out")', README says '$want'" "$d/mse.out"
  elif sanitizer_report "$d/mse.out"; then
    fail "$t" "sanitizer report" "$d/mse.out"
  else
    pass "$t"
  fi
}

# DIR/arr.c: a loss on vg_array, including <vgrad.h> (its first line).
write_array_input() {
  cat >"$1/arr.c" <<'EOF'
#include <vgrad.h>
vg_array *sq(vg_array *w) { return vg_sum(vg_square(w)); }
#pragma vgrad value_and_grad(sq)
EOF
}

# -p BUILD_DIR: the entry's -I and -D (relative to its directory), the
# "arguments" and the "command" forms; -Werror, -MD, -o, -c left out; a
# -D of the command line after them; errors for a missing database.
cli_compile_commands_test() {
  local t=${PASS_NAME}cli/compile-commands d rc
  selected "$t" && ! vgradcc_missing "$t" || return 0
  d=$PASS_DIR/cli/compile-commands
  rm -rf "$d"
  mkdir -p "$d/src/inc" "$d/b1" "$d/b2" "$d/elsewhere" "$d/none"
  printf '#ifndef SCALE\n#error "SCALE comes from the build"\n#endif\n' >"$d/src/inc/cfg.h"
  cat >"$d/src/x.c" <<'EOF'
#include "cfg.h"
double f(double x) { return SCALE * x * x; }
#pragma vgrad value_and_grad(f)
EOF
  cat >"$d/b1/compile_commands.json" <<EOF
[{"directory": "$d/b1", "file": "../src/x.c",
  "arguments": ["cc", "-I../src/inc", "-DSCALE=3.5", "-Wall", "-Werror", "-MD", "-MF", "x.o.d", "-o", "x.o", "-c", "../src/x.c"]}]
EOF
  cat >"$d/b2/compile_commands.json" <<EOF
[{"directory": "$d/b2", "file": "$d/src/x.c",
  "command": "cc -I ../src/inc -DSCALE=4.5 -Wall -Werror -o x.o -c $d/src/x.c"}]
EOF
  local problem=""
  if run_vgradcc_in "$t" "$d/elsewhere" "$d/1.err" -p ../b1 ../src/x.c -o one.c -MD &&
    run_vgradcc_in "$t" "$d/elsewhere" "$d/2.err" ../src/x.c -p "$d/b2" -o two.c &&
    run_vgradcc_in "$t" "$d/elsewhere" "$d/3.err" -p ../b1 ../src/x.c -o three.c -USCALE -DSCALE=5.5; then
    grep -q 'result = 3\.5 \* x \* x;' "$d/elsewhere/one.c" || problem="-p b1: SCALE is not 3.5 in one.c"
    grep -q '^  .*src/inc/cfg\.h\( \\\)\?$' "$d/elsewhere/one.d" || problem="$problem; one.d does not list src/inc/cfg.h"
    grep -q 'result = 4\.5 \* x \* x;' "$d/elsewhere/two.c" || problem="$problem; -p b2 (command): SCALE is not 4.5"
    grep -q 'result = 5\.5 \* x \* x;' "$d/elsewhere/three.c" ||
      problem="$problem; -USCALE -DSCALE=5.5 after -p: SCALE is not 5.5"
    if [ -z "$problem" ] && ! "$CC" $(cflags) -c "$d/elsewhere/one.c" -o "$d/one.o" >"$d/cc.log" 2>&1; then
      problem="one.c does not compile"
    fi
    (cd "$d/elsewhere" && vgradcc -p ../none ../src/x.c -o four.c) >"$d/4.out" 2>"$d/4.err"
    rc=$?
    if [ $rc = 0 ] || [ $rc -ge 124 ]; then
      problem="$problem; -p without a database: $(describe_rc $rc), expected an error"
    elif ! grep -q "error: cannot read '../none/compile_commands.json'" "$d/4.err" || grep -q 'LIBCLANG' "$d/4.err"; then
      problem="$problem; -p without a database: not the error 'cannot read ../none/compile_commands.json' alone"
    fi
    vgradcc ../src/x.c -p >"$d/5.out" 2>"$d/5.err"
    rc=$?
    if [ $rc = 0 ] || [ $rc -ge 124 ] || ! grep -q "error: '-p' needs a build directory" "$d/5.err"; then
      problem="$problem; -p at the end: no error saying it needs a build directory"
    fi
    [ -e "$d/elsewhere/four.c" ] && problem="$problem; four.c written"
    if [ -n "$problem" ]; then
      fail "$t" "${problem#; }" "$d/4.err" "$d/5.err" "$d/cc.log"
    else
      pass "$t"
    fi
  fi
}

# After make install PREFIX=$1 (run.sh's install/prefix passed).
install_build_tests() {
  local prefix=$1 dir=$tmp/install t d

  # The installed vgradcc: #include <vgrad.h> is PREFIX/include/vgrad.h.
  t=install/own-include
  d=$dir/own-include
  mkdir -p "$d"
  write_array_input "$d"
  if (cd "$d" && ASAN_OPTIONS=detect_leaks=0 timeout "$TIMEOUT_COMPILER" "$prefix/bin/vgradcc" -MD arr.c) \
    >"$d/vgradcc.log" 2>&1; then
    if lists_dependency "$d/arr.vg.d" "$prefix/include/vgrad.h"; then
      pass "$t"
    else
      fail "$t" "arr.vg.d does not list $prefix/include/vgrad.h" "$d/arr.vg.d"
    fi
  else
    fail "$t" "the installed vgradcc, on a file including <vgrad.h>, without -I, failed" "$d/vgradcc.log"
  fi

  t=install/cmake-files
  local f missing=""
  for f in vgradConfig.cmake vgradConfigVersion.cmake; do
    [ -f "$prefix/lib/cmake/vgrad/$f" ] || missing="$missing $f"
  done
  if [ -n "$missing" ]; then
    fail "$t" "missing under lib/cmake/vgrad:$missing"
  elif ! grep -qx "set(PACKAGE_VERSION \"$VERSION\")" "$prefix/lib/cmake/vgrad/vgradConfigVersion.cmake"; then
    fail "$t" "vgradConfigVersion.cmake does not say version $VERSION" "$prefix/lib/cmake/vgrad/vgradConfigVersion.cmake"
  else
    pass "$t"
  fi

  # A CMake project against the installed prefix, with each generator.
  local gen name tool
  for name in make ninja; do
    t=install/cmake/$name
    selected "$t" || continue
    case $name in
    make) gen="Unix Makefiles" tool=make ;;
    ninja) gen=Ninja tool=ninja ;;
    esac
    if ! have cmake; then
      echo "SKIP $t: cmake is not installed (apt-get install cmake)"
    elif ! have "$tool"; then
      echo "SKIP $t: $tool is not installed (apt-get install ${tool/ninja/ninja-build})"
    elif CC=$CC bash tests/cmake/check.sh "$gen" "$prefix" "$dir/cmake-$name" >"$dir/cmake-$name.log" 2>&1; then
      pass "$t"
    else
      fail "$t" "$(grep '^problem: ' "$dir/cmake-$name.log" | head -n 1 | sed 's/^problem: //')" "$dir/cmake-$name.log"
    fi
  done
}
