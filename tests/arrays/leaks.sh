#!/usr/bin/env bash
# tests/arrays/leaks.sh: design 1.4's memory contract.  The loss
# vg_mean(vg_square(vg_sub(a, b))) (tests/arrays/leak_loss.c) is called
# 1,000,000 times directly and 100,000 times through its generated
# value_and_grad, freeing the outputs, in a program built with
# -fsanitize=address and run with detect_leaks=1 (in both passes of
# tests/run.sh); tests/arrays/leaks.c counts live arrays after every call
# and at the end.  About 5 s.  See lib.bash for the environment.
# shellcheck source=tests/arrays/lib.bash
. "$(dirname "$0")/lib.bash"

dir=$ARRAYS_TMP/leaks
if gen leaks/build tests/arrays/leak_loss.c "$dir/leak_loss.vg.c"; then
  # AddressSanitizer in the normal pass too (the sanitizer pass has it in
  # VG_TEST_CFLAGS already); leak detection intercepts malloc and free, so
  # the library need not be instrumented.
  TEST_CFLAGS="$TEST_CFLAGS -fsanitize=address -fno-omit-frame-pointer"
  if build leaks/build "$dir/leaks" -Wno-unknown-pragmas -I"$dir" \
      tests/arrays/leaks.c tests/arrays/leak_loss.c "$dir/leak_loss.vg.c"; then
    run_checks leaks/run "$dir/leaks"
  fi
fi
finish
