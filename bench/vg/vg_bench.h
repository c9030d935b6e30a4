/* vg_bench.h: calls into vgradcc's generated X_value_and_grad functions.
 *
 * Each adapter (vg/X.c) includes only the generated header X.vg.h, which
 * declares the objective's own types, and turns the problem struct into the
 * generated function's arguments (design.md 1.3): the original parameters,
 * then one accumulated gradient output per selected parameter, which here
 * are consecutive slices of the flat gradient. Compiled only once vgradcc
 * has produced X.vg.c (HAVE_VGRADCC). */
#ifndef BENCH_VG_BENCH_H
#define BENCH_VG_BENCH_H

#include "../problems.h"

double vg_gmm(void *in, double *grad);
double vg_ba(void *in, double *grad);
double vg_lstm(void *in, double *grad);
double vg_mlp(void *problem, double *grad);
/* the gradient into grad (mlp_loss_hvp), and H v for a fixed direction v,
 * which the two functions after it give (after a first call) */
double vg_mlp_hvp(void *problem, double *grad);
const double *vg_mlp_hvp_direction(void);
const double *vg_mlp_hvp_product(void);
/* the value, and the tangent along that direction (mlp_loss_jvp) */
double vg_mlp_jvp(void *problem, double *unused);
double vg_mlp_jvp_tangent(void);
double vg_recurrence(void *problem, double *grad);
double vg_rk4(void *problem, double *grad);
double vg_ref_gmm(void *in, double *grad);
double vg_ref_gmm_pe(void *in, double *grad);
double vg_ref_lstm(void *in, double *grad);
double vg_ref_ba(void *problem, double *grad);
double vg_ref_bajac(void *problem, double *grad);
double vg_ref_bajac_vjp(void *problem, double *grad); /* the same through vjp */
double vg_ref_bajac_jacobian(void *problem, double *grad); /* and through jacobian: one forward per observation */
double vg_ref_matmul(void *problem, double *grad);
double vg_ref_gpt2(void *problem, double *grad);

/* Bytes the generated code's tapes recorded since the last call (vg/tape.c). */
void vg_bench_tape_bytes(void *unused, long long *pushed, long long *peak);

#endif
