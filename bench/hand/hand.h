/* hand.h: hand-written adjoints, the floor for what generated code can reach.
 * The gradients have the generated functions' calling convention: the
 * gradient outputs are accumulated into caller-zeroed buffers. */
#ifndef BENCH_HAND_H
#define BENCH_HAND_H

/* Value and gradient of mlp_loss (samples/mlp.c). */
double mlp_loss_hand(int nin, int nhid, int batch, const double *W1, const double *b1,
                     const double *W2, double b2, const double *X, const double *y,
                     double *d_W1, double *d_b1, double *d_W2, double *d_b2);

/* Value and gradient of recurrence (samples/recurrence.c); stores the
 * trajectory, steps doubles, in a buffer it allocates. */
double recurrence_hand(double x0, double p, double h, long steps, double *d_x0, double *d_p);

/* The Jacobian of ref/ba.c's residuals (ref_bajac): for each of the p
 * observations its two residuals into reproj_err and their 2 x 15 block
 * (d/d cam (11), d/d X (3), d/d w) into reproj_jac, and the weight
 * residual and its derivative into w_err and w_jac. */
void ref_ba_jacobian_hand(int p, const double *cams, const double *X, const double *w,
                          const int *obs, const double *feats, double *reproj_err,
                          double *w_err, double *reproj_jac, double *w_jac);

/* Bytes of one observation's intermediates, which ref_ba_jacobian_hand
 * keeps between its forward and reverse passes. */
extern const long ref_ba_hand_forward_bytes;

#endif
