// adolc_tape.cpp: one tape per process, kept in memory.
#include "adolc_tape.h"

#include <vector>

#include "adolc_bench.h"

namespace {

const short TAG = 1;

// Buffer sizes (entries) passed to trace_on. A tape longer than its buffers
// spills to files; the first recording that does so grows the buffers to
// the tape's size and records again, so timed recordings stay in memory.
unsigned op_buf = 1u << 22, loc_buf = 1u << 22, val_buf = 1u << 22, tay_buf = 1u << 22;
size_t stats[STAT_SIZE];

unsigned fit(unsigned current, size_t needed) {
  if (needed < current)
    return current;
  size_t grown = needed + needed / 16 + 1024;
  return grown > 0xffffffffu ? 0xffffffffu : (unsigned)grown;
}

} // namespace

namespace {

// Records the objective at theta; returns true when the tape was longer
// than the buffers (and so went to files), after growing them.
bool record_tape(const void *ctx, Recorder record, long n, const double *theta, double *value) {
  trace_on(TAG, 1, op_buf, loc_buf, val_buf, tay_buf);
  {
    std::vector<adouble> x(n);
    for (long i = 0; i < n; i++)
      x[i] <<= theta[i];
    adouble y = record(ctx, x.data());
    y >>= *value;
  }
  trace_off();
  tapestats(TAG, stats);
  unsigned old[4] = {op_buf, loc_buf, val_buf, tay_buf};
  op_buf = fit(op_buf, stats[NUM_OPERATIONS]);
  loc_buf = fit(loc_buf, stats[NUM_LOCATIONS]);
  val_buf = fit(val_buf, stats[NUM_VALUES]);
  tay_buf = fit(tay_buf, stats[TAY_STACK_SIZE]);
  return old[0] != op_buf || old[1] != loc_buf || old[2] != val_buf || old[3] != tay_buf;
}

} // namespace

double adolc_record_and_reverse(const void *ctx, Recorder record, long n, const double *theta,
                                double *grad) {
  double value;
  if (record_tape(ctx, record, n, theta, &value)) // spilled: once more, in memory
    record_tape(ctx, record, n, theta, &value);
  double weight = 1.0;
  fos_reverse(TAG, 1, (int)n, &weight, grad);
  return value;
}

double adolc_reverse_reused(long n, const double *theta, double *grad) {
  double value, weight = 1.0;
  zos_forward(TAG, 1, (int)n, 1, theta, &value);
  fos_reverse(TAG, 1, (int)n, &weight, grad);
  return value;
}

void adolc_tape_bytes(void *, long long *pushed, long long *peak) {
  long long bytes = (long long)stats[NUM_OPERATIONS] * 1 +
                    (long long)stats[NUM_LOCATIONS] * sizeof(locint) +
                    (long long)stats[NUM_VALUES] * sizeof(double) +
                    (long long)stats[TAY_STACK_SIZE] * sizeof(revreal);
  *pushed = bytes;
  *peak = bytes;
}
