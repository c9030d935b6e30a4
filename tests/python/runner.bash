# tests/python/runner.bash: sourced by tests/run.sh (the block marked
# "python", after the install tests of the normal pass); defines
# python_tests, which installs vgradcc into a temporary prefix, installs the
# Python package python/ with pip into a temporary directory, and runs its
# pytest tests (python/tests) against them.  Each pytest test is one test,
# python/FILE::NAME; python/install and python/pip-install are the steps.
# The Python is VGRAD_PYTHON, else the first of python3 and
# /usr/bin/python3 that has NumPy and pytest (Debian's python3-numpy and
# python3-pytest).  Uses run.sh's tmp, BUILD, CC, selected, pass, fail,
# describe_rc and have.

python_with_numpy() {
  local py
  for py in ${VGRAD_PYTHON:-} python3 /usr/bin/python3; do
    if have "$py" && "$py" -c 'import numpy, pytest' >/dev/null 2>&1; then
      echo "$py"
      return 0
    fi
  done
  return 1
}

# shellcheck disable=SC2154 # tmp, BUILD and CC are tests/run.sh's
python_tests() {
  selected "python/" || return 0
  local dir=$tmp/python t py rc line
  mkdir -p "$dir"
  t=python/install
  if ! py=$(python_with_numpy); then
    fail "$t" "no python3 with NumPy and pytest (apt-get install python3-numpy python3-pytest python3-pip, or set VGRAD_PYTHON)"
    return
  fi
  if ! make -s --no-print-directory install PREFIX="$dir/prefix" BUILD="$BUILD" >"$dir/install.log" 2>&1; then
    fail "$t" "make install PREFIX=... failed" "$dir/install.log"
    return
  fi
  pass "$t"

  # pip install of a copy (setuptools builds in the source directory).
  t=python/pip-install
  cp -R python "$dir/src"
  rm -rf "$dir/src/tests"
  if ! "$py" -m pip --version >/dev/null 2>&1; then
    fail "$t" "$py has no pip (apt-get install python3-pip)"
    return
  fi
  PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore PIP_NO_INDEX=1 \
    "$py" -m pip install --no-build-isolation --no-deps --target "$dir/site" "$dir/src" >"$dir/pip.log" 2>&1
  rc=$?
  if [ $rc -ne 0 ] || [ ! -f "$dir/site/vgrad/__init__.py" ]; then
    fail "$t" "pip install --no-build-isolation ./python: $(describe_rc $rc)" "$dir/pip.log"
    return
  fi
  pass "$t"

  # pytest on the installed package, the installed vgradcc, a scratch cache.
  (
    cd python/tests || exit 2
    PYTHONPATH=$dir/site VGRAD_TEST_INSTALLED=1 VGRADCC=$dir/prefix/bin/vgradcc \
      VGRAD_CACHE_DIR=$dir/cache CC=$CC PYTHONDONTWRITEBYTECODE=1 \
      timeout 900 "$py" -m pytest -q -rA -p no:cacheprovider --basetemp="$dir/pytest" .
  ) >"$dir/out" 2>&1
  rc=$?
  # Each failure's report (pytest's "____ NAME ____" section) in a file.
  mkdir -p "$dir/reports"
  awk -v d="$dir/reports" '
    /^(=+ (FAILURES|ERRORS|warnings summary|short test summary info|PASSES) =+)$/ { f = ""; next }
    /^_+ .* _+$/ { name = $0; sub(/^_+ /, "", name); sub(/ _+$/, "", name); gsub(/[^A-Za-z0-9_.-]/, "_", name);
                   f = d "/" name; next }
    f != "" { print > f }' "$dir/out"
  local n=0 nfail=0 name report
  while IFS= read -r line; do
    case $line in
    "PASSED "*)
      n=$((n + 1))
      pass "python/${line#PASSED }"
      ;;
    "FAILED "* | "ERROR "*)
      n=$((n + 1))
      nfail=$((nfail + 1))
      name=${line#* }
      name=${name%% - *}
      report=${name##*::}
      report=$dir/reports/${report//[^A-Za-z0-9_.-]/_}
      [ -f "$report" ] || report=$dir/out
      fail "python/$name" "pytest (again: VGRADCC=/path/to/vgradcc $py -m pytest python/tests)" "$report"
      ;;
    esac
  done < <(sed -n '/short test summary info/,$p' "$dir/out")
  if [ $n -eq 0 ]; then
    fail "python/pytest" "pytest: $(describe_rc $rc), no test reported" "$dir/out"
  elif [ $rc -ne 0 ] && [ $nfail -eq 0 ]; then
    fail "python/pytest" "pytest: $(describe_rc $rc)" "$dir/out"
  fi
}
