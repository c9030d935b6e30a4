// adolc_tape.h: recording and reverse sweeps shared by the ADOL-C versions.
#ifndef BENCH_ADOLC_TAPE_H
#define BENCH_ADOLC_TAPE_H

#include <adolc/adolc.h>

// Computes the objective from the active parameters theta (n of them).
typedef adouble (*Recorder)(const void *ctx, const adouble *theta);

// Records the objective at theta, then runs the reverse sweep; grad gets the
// gradient, the result is the value.
double adolc_record_and_reverse(const void *ctx, Recorder record, long n, const double *theta,
                                double *grad);

// Reruns the recorded tape at theta: a forward sweep that keeps the values,
// then the reverse sweep.
double adolc_reverse_reused(long n, const double *theta, double *grad);

#endif
