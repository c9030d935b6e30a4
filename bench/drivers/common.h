/* drivers/common.h: adds the vgradcc and ADOL-C methods, or the rows that
 * say why they are missing. Included once by each driver. */
#ifndef BENCH_DRIVERS_COMMON_H
#define BENCH_DRIVERS_COMMON_H

#include "../harness.h"
#include "../problems.h"

#ifndef HAVE_VGRADCC
#define HAVE_VGRADCC 0
#endif
#ifndef HAVE_ADOLC
#define HAVE_ADOLC 0
#endif

#if HAVE_VGRADCC
#include "../vg/vg_bench.h"
#endif
#if HAVE_ADOLC
#include "../adolc/adolc_bench.h"
#endif

/* vgradcc's X_value_and_grad, when the bench build could make it and
 * run.sh gave no reason to leave it out (--vgradcc-note). */
#if HAVE_VGRADCC
#define ADD_VGRADCC(b, fn, ctx)                                                                    \
  do {                                                                                             \
    if ((b)->vg_note) {                                                                            \
      bench_skip((b), "vgradcc", "n/a (%s)", (b)->vg_note);                                        \
    } else {                                                                                       \
      Method *vg_ = bench_add((b), "vgradcc", (fn), (ctx), 1);                                     \
      vg_->tape = vg_bench_tape_bytes;                                                             \
    }                                                                                              \
  } while (0)
#else
#define ADD_VGRADCC(b, fn, ctx)                                                                    \
  bench_skip((b), "vgradcc", "n/a (%s)", (b)->vg_note ? (b)->vg_note : "not built")
#endif

/* ADOL-C's taping + reverse, and reverse on the reused tape, unless the
 * tape is estimated at more than --adolc-max-ops operations. */
#if HAVE_ADOLC
#define ADD_ADOLC(b, tape_fn, reuse_fn, ctx, est_ops)                                              \
  do {                                                                                             \
    if ((est_ops) > (b)->adolc_max_ops) {                                                          \
      bench_skip((b), "adolc_tape", "skipped: tape estimated at %.0fM operations (limit %.0fM)",   \
                 (est_ops) / 1e6, (b)->adolc_max_ops / 1e6);                                       \
      bench_skip((b), "adolc_reuse", "skipped with adolc_tape");                                   \
    } else {                                                                                       \
      Method *ad_ = bench_add((b), "adolc_tape", (tape_fn), (ctx), 1);                             \
      ad_->tape = adolc_tape_bytes;                                                                \
      ad_ = bench_add((b), "adolc_reuse", (reuse_fn), (ctx), 1);                                   \
      ad_->tape = adolc_tape_bytes;                                                                \
    }                                                                                              \
  } while (0)
#else
#define ADD_ADOLC(b, tape_fn, reuse_fn, ctx, est_ops)                                              \
  do {                                                                                             \
    (void)(est_ops); /* computed by the caller for the ADOL-C build only */                     \
    bench_skip((b), "adolc_tape", "n/a (built without ADOL-C)");                                   \
    bench_skip((b), "adolc_reuse", "n/a (built without ADOL-C)");                                  \
  } while (0)
#endif

#endif
