/* vg/tape.c: the tape size of vgradcc's generated code, from the runtime's
 * counters (vgrad.h, vg_memory_stats): bytes pushed on the tapes that the
 * generated functions freed since the last reading, and the most one of
 * them held at once. */
#include "vgrad.h"
#include "vg_bench.h"

void vg_bench_tape_bytes(void *unused, long long *pushed, long long *peak) {
  (void)unused;
  vg_memory_stats stats;
  vg_memory_stats_get(&stats);
  vg_memory_stats_reset();
  *pushed = (long long)stats.tape_bytes_pushed;
  *peak = (long long)stats.tape_peak_bytes;
}
