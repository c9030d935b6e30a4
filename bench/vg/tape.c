/* vg/tape.c: the tape size of vgradcc's generated code.
 *
 * Generated functions keep a local vg_tape (runtime/vgrad_tape.h) that
 * counts bytes_pushed and peak_bytes, and release it with vg_tape_free()
 * before returning. The bench links them with -Wl,--wrap=vg_tape_free, so
 * that call lands here first and the counters are read before the tape goes.
 * Without vgrad_tape.h the tape column says NA. */
#include <stddef.h>

#include "vg_bench.h"

#if defined(__has_include)
#if __has_include("vgrad_tape.h")
#include "vgrad_tape.h"
#define HAVE_VG_TAPE 1
#endif
#endif

static long long tapes_freed, pushed_sum, peak_max;

#ifdef HAVE_VG_TAPE
void __real_vg_tape_free(vg_tape *t);
void __wrap_vg_tape_free(vg_tape *t);

void __wrap_vg_tape_free(vg_tape *t) {
  tapes_freed++;
  vg_tape_sync_stats(t);
  pushed_sum += (long long)t->bytes_pushed;
  if ((long long)t->peak_bytes > peak_max)
    peak_max = (long long)t->peak_bytes;
  __real_vg_tape_free(t);
}
#endif

/* Totals since the previous call: bytes pushed on all tapes freed, and the
 * largest peak among them; NA (-1) when no tape was freed. */
void vg_bench_tape_bytes(void *unused, long long *pushed, long long *peak) {
  (void)unused;
  *pushed = tapes_freed ? pushed_sum : -1;
  *peak = tapes_freed ? peak_max : -1;
  tapes_freed = pushed_sum = peak_max = 0;
}
