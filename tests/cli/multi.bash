# tests/cli/multi.bash: sourced by tests/run.sh; several input files on one
# command line (README.md, "Several files"; design 1.7).  Defines
#
#   cli_multi_tests (both passes, from cli_tests):
#     cli/multi-helper/REAL   vgradcc fit.c model.c -o ...: fit's loss calls
#                             model.c's model_predict (a static helper of the
#                             same name in each file, a global of model.c,
#                             a static inline helper of model.h; a pragma
#                             in fit.c for model.c's function); the
#                             gradients against finite differences
#     cli/multi-shared/REAL   vgradcc -MD energy_a.c energy_b.c shared.c: one
#                             FILE.vg.c/.vg.h for each file with a pragma,
#                             none for shared.c; both inline shared.c's
#                             helper and link into one program (no symbol
#                             twice), each gradient checked; the depfile
#                             lists every input and header
#     cli/multi-static-locals/REAL  vgradcc spline_loss.c spline_tail.c: a
#                             static helper `basis` in each file, each with
#                             a constant table `coef`, and a static inline
#                             helper of spline.h with a table `knots`, all
#                             in one gradient: each table kept apart in the
#                             generated file (the second input's renamed as
#                             within one file), the gradient against finite
#                             differences
#     cli/multi-nowhere       a helper whose body is in none of the inputs:
#                             an error at the call naming custom_vjp, no file
#     cli/multi-o-two         -o with two files holding pragmas: an error, no file
#     cli/multi-static-clash  static tables of one name in two inputs, both
#                             reaching the gradient: an error, no file
#     cli/multi-deterministic the same inputs in two runs: the same bytes
#
# The sources are in tests/cli/multi/.  Uses run.sh's PASS_NAME, PASS_DIR,
# CC, ROOT, selected, pass, fail, vgradcc, run_vgradcc, vgradcc_missing,
# build_prog, check_run, refused_output, listing and cflags.

cli_multi_tests() {
  local src=tests/cli/multi t d real
  for real in double float; do
    t=${PASS_NAME}cli/multi-helper/$real
    if selected "$t" && ! vgradcc_missing "$t"; then
      d=$PASS_DIR/cli/multi-helper/$real
      if run_vgradcc "$t" "$d" "$d/vgradcc.err" -DREAL=$real $src/fit.c $src/model.c -o "$d/fit.vg.c" &&
        BUILD_FLAGS="-DREAL=$real -Wno-unknown-pragmas" build_prog "$t" "$d/fit" "$d/build.log" \
          -I"$d" -I$src -Itests $src/fit.c $src/model.c "$d/fit.vg.c" $src/fit_main.c; then
        check_run "$t" "$d/fit"
      fi
    fi

    t=${PASS_NAME}cli/multi-static-locals/$real
    if selected "$t" && ! vgradcc_missing "$t"; then
      d=$PASS_DIR/cli/multi-static-locals/$real
      if run_vgradcc "$t" "$d" "$d/vgradcc.err" -DREAL=$real $src/spline_loss.c $src/spline_tail.c \
        -o "$d/spline_loss.vg.c"; then
        if [ "$(grep -Eo '^static const [a-z]+ [a-z_]+\[3\] = \{[^}]*' "$d/spline_loss.vg.c" | sed 's/^static const [a-z]* //; s/(float)//g; s/(double)//g')" != \
          "$(printf '%s\n' 'coef[3] = {0.5, -0.3, 0.2' 'knots[3] = {-0.5, 0.25, 1.0' \
            'basis_coef[3] = {-0.4, 0.7, 0.1' 'spline_bump_knots[3] = {-0.5, 0.25, 1.0')" ]; then
          fail "$t" "expected the tables coef, knots, basis_coef (spline_tail.c's) and spline_bump_knots" \
            "$d/spline_loss.vg.c"
        elif BUILD_FLAGS="-DREAL=$real -Wno-unknown-pragmas" build_prog "$t" "$d/spline" "$d/build.log" \
          -I"$d" -I$src -Itests $src/spline_loss.c $src/spline_tail.c "$d/spline_loss.vg.c" $src/spline_main.c; then
          check_run "$t" "$d/spline"
        fi
      fi
    fi

    t=${PASS_NAME}cli/multi-shared/$real
    if selected "$t" && ! vgradcc_missing "$t"; then
      d=$PASS_DIR/cli/multi-shared/$real
      rm -rf "$d" && mkdir -p "$d"
      cp $src/shared.h $src/shared.c $src/energy_a.c $src/energy_b.c $src/energy_main.c "$d/"
      if (cd "$d" && vgradcc -MD -DREAL=$real energy_a.c energy_b.c shared.c) >"$d.out" 2>"$d.err"; then
        local files
        files=$(listing "$d")
        if sanitizer_report "$d.err"; then
          fail "$t" "vgradcc: sanitizer report" "$d.err"
        elif [ "$files" != "energy_a.c energy_a.vg.c energy_a.vg.d energy_a.vg.h energy_b.c energy_b.vg.c energy_b.vg.d energy_b.vg.h energy_main.c shared.c shared.h " ]; then
          fail "$t" "expected energy_a.vg.{c,h,d} and energy_b.vg.{c,h,d} only, found: $files" "$d.err"
        elif ! grep -qxF '  shared.c \' "$d/energy_a.vg.d" || ! grep -qF 'shared.h' "$d/energy_b.vg.d" ||
          ! grep -q '^energy_b.vg.c: energy_b.c' "$d/energy_b.vg.d"; then
          fail "$t" "the dependency files do not list the inputs and headers" "$d/energy_a.vg.d" "$d/energy_b.vg.d"
        elif BUILD_FLAGS="-DREAL=$real -Wno-unknown-pragmas" build_prog "$t" "$d/energy" "$d/build.log" \
          -I"$d" -Itests "$d/energy_a.c" "$d/energy_b.c" "$d/shared.c" "$d/energy_a.vg.c" "$d/energy_b.vg.c" \
          "$d/energy_main.c"; then
          check_run "$t" "$d/energy"
        fi
      else
        fail "$t" "vgradcc -MD energy_a.c energy_b.c shared.c failed" "$d.err"
      fi
    fi
  done

  t=${PASS_NAME}cli/multi-nowhere
  if selected "$t" && ! vgradcc_missing "$t"; then
    d=$PASS_DIR/cli/multi-nowhere
    rm -rf "$d" && mkdir -p "$d"
    cp $src/shared.h $src/nowhere.c $src/energy_b.c "$d/"
    : >"$d.problems"
    refused_output "$t" "$d" "whose body is in none of the input files" nowhere.c energy_b.c
    if ! grep -q "^nowhere.c:8:10: error: call to 'soft_clip', whose body is in none of the input files, .*custom_vjp" "$d.err"; then
      echo "no error at nowhere.c:8:10 naming soft_clip and custom_vjp" >>"$d.problems"
    fi
    if [ -s "$d.problems" ]; then fail "$t" "see below" "$d.problems" "$d.err"; else pass "$t"; fi
  fi

  t=${PASS_NAME}cli/multi-o-two
  if selected "$t" && ! vgradcc_missing "$t"; then
    d=$PASS_DIR/cli/multi-o-two
    rm -rf "$d" && mkdir -p "$d"
    cp $src/shared.h $src/shared.c $src/energy_a.c $src/energy_b.c "$d/"
    : >"$d.problems"
    refused_output "$t" "$d" "-o names one output, but 2 inputs hold a '#pragma vgrad' ('energy_a.c' and 'energy_b.c')" \
      energy_a.c energy_b.c shared.c -o out.c
    if [ -s "$d.problems" ]; then fail "$t" "see below" "$d.problems" "$d.err"; else pass "$t"; fi
  fi

  t=${PASS_NAME}cli/multi-static-clash
  if selected "$t" && ! vgradcc_missing "$t"; then
    d=$PASS_DIR/cli/multi-static-clash
    rm -rf "$d" && mkdir -p "$d"
    cp $src/table_loss.c $src/table_model.c "$d/"
    : >"$d.problems"
    refused_output "$t" "$d" "uses two globals named 'weights', of table_model.c and of table_loss.c" \
      table_loss.c table_model.c
    if ! grep -q "^table_loss.c:3:21: error: " "$d.err" || ! grep -q "^table_model.c:1:21: note: the other is here" "$d.err"; then
      echo "no error at table_loss.c:3:21 with a note at table_model.c:1:21" >>"$d.problems"
    fi
    if [ -s "$d.problems" ]; then fail "$t" "see below" "$d.problems" "$d.err"; else pass "$t"; fi
  fi

  t=${PASS_NAME}cli/multi-deterministic
  if selected "$t" && ! vgradcc_missing "$t"; then
    d=$PASS_DIR/cli/multi-deterministic
    if run_vgradcc "$t" "$d/1" "$d/1.err" $src/fit.c $src/model.c -o "$d/1/fit.vg.c" &&
      run_vgradcc "$t" "$d/2" "$d/2.err" $src/fit.c $src/model.c -o "$d/2/fit.vg.c"; then
      if ! cmp -s "$d/1/fit.vg.c" "$d/2/fit.vg.c" || ! cmp -s "$d/1/fit.vg.h" "$d/2/fit.vg.h"; then
        diff -u "$d/1/fit.vg.c" "$d/2/fit.vg.c" >"$d/diff"
        fail "$t" "two runs on the same inputs differ" "$d/diff"
      else
        pass "$t"
      fi
    fi
  fi
}
