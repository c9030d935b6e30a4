/* adolc_bench.h: the ADOL-C versions, callable from the C drivers.
 *
 * Each benchmark X has two harness methods (ctx is the problem struct):
 *   adolc_X_tape:  records the tape (trace_on ... trace_off) and runs the
 *                  reverse sweep on it: what a one-off gradient costs;
 *   adolc_X_reuse: reruns an existing tape at theta (zos_forward with kept
 *                  values, then fos_reverse): what each later gradient costs
 *                  while the control flow does not change.
 * A process uses one tape; adolc_X_tape must run before adolc_X_reuse. */
#ifndef BENCH_ADOLC_BENCH_H
#define BENCH_ADOLC_BENCH_H

#ifdef __cplusplus
extern "C" {
#endif

double adolc_gmm_tape(void *in, double *grad);
double adolc_gmm_reuse(void *in, double *grad);
double adolc_ba_tape(void *in, double *grad);
double adolc_ba_reuse(void *in, double *grad);
double adolc_lstm_tape(void *in, double *grad);
double adolc_lstm_reuse(void *in, double *grad);
double adolc_mlp_tape(void *problem, double *grad);
double adolc_mlp_reuse(void *problem, double *grad);
double adolc_recurrence_tape(void *problem, double *grad);
double adolc_recurrence_reuse(void *problem, double *grad);
double adolc_rk4_tape(void *problem, double *grad);
double adolc_rk4_reuse(void *problem, double *grad);

/* Size of the last recorded tape in bytes (operations, locations, constants
 * and the value stack), from tapestats. */
void adolc_tape_bytes(void *unused, long long *pushed, long long *peak);

#ifdef __cplusplus
}
#endif

#endif
