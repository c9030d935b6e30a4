# tests/arrays/runner.bash: sourced by tests/run.sh (in run_pass, the block
# marked "arrays"); defines arrays_tests, which runs each tests/arrays/*.sh
# with the compiler and library of the current pass, the way the runtime's
# tests/runtime/run.sh is run: each "PASS name" line it prints is one
# passed test, arrays/name, and each "FAIL name: why" line one failed test,
# shown with the indented lines that follow it.  Uses run.sh's PASS_NAME,
# PASS_DIR, VG, LIB, SAN, CC, ROOT, selected, pass, fail, describe_rc,
# vgradcc_missing and lib_missing.

arrays_tests() {
  local script base t dir rc line vg lib n pending reason rest
  for script in tests/arrays/*.sh; do
    [ -e "$script" ] || continue
    base=$(basename "$script" .sh)
    t=${PASS_NAME}arrays/$base
    selected "$t/" || continue
    vgradcc_missing "$t/run" && continue
    lib_missing "$t/run" && continue
    dir=$PASS_DIR/arrays/$base
    mkdir -p "$dir"
    vg=$VG lib=$LIB
    [[ $vg == /* ]] || vg=$ROOT/$vg
    [[ $lib == /* ]] || lib=$ROOT/$lib
    VGRADCC=$vg VG_LIB=$lib VG_TEST_CFLAGS=$SAN CC=$CC ARRAYS_TMP=$dir/tmp \
      timeout 600 bash "$script" >"$dir/out" 2>"$dir/err"
    rc=$?
    n=0 pending="" reason=""
    while IFS= read -r line; do
      case $line in
      "PASS "* | "FAIL "*)
        [ -n "$pending" ] && fail "$pending" "$reason" "$dir/details.$n"
        pending=""
        if [[ $line == "PASS "* ]]; then
          pass "${PASS_NAME}arrays/${line#PASS }"
        else
          n=$((n + 1))
          : >"$dir/details.$n"
          rest=${line#FAIL }
          pending=${PASS_NAME}arrays/${rest%%: *}
          reason=${rest#*: }
        fi
        ;;
      "  "*)
        [ -n "$pending" ] && printf '%s\n' "${line#  | }" >>"$dir/details.$n"
        ;;
      esac
    done <"$dir/out"
    [ -n "$pending" ] && fail "$pending" "$reason" "$dir/details.$n"
    if [ $rc -ne 0 ] && [ $n -eq 0 ]; then
      fail "$t/run" "$script: $(describe_rc $rc)" "$dir/out" "$dir/err"
    fi
  done
}
