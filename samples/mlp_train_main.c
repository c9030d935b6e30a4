/* mlp_train_main.c: trains the network of mlp_train.c by plain gradient
 * descent on a small synthetic regression problem, y = sin(2 x0) + x0 x1
 * over 64 points of [-1, 1]^2, with the generated mlp_loss_value_and_grad,
 * printing the loss every 50 steps.
 *
 *     vgradcc -Iruntime mlp_train.c -o mlp_train.vg.c
 *     cc mlp_train_main.c mlp_train.c mlp_train.vg.c -lvgrad -lm
 *
 * Every array is freed: the last line prints vg_live_arrays(), which
 * counts the arrays not yet freed. */
#include <math.h>
#include <stdio.h>

#include "mlp_train.vg.h" /* declares mlp_loss_value_and_grad */

vg_array *mlp_loss(vg_array *w1, vg_array *b1, vg_array *w2, vg_array *b2, vg_array *x, vg_array *y);

enum { N = 64, H = 16, STEPS = 400, PRINT_EVERY = 50 };

/* A deterministic uniform number in [-1, 1). */
static double uniform(unsigned *state) {
  *state = *state * 1664525u + 1013904223u;
  return (*state >> 8) / 8388608.0 - 1.0;
}

/* An owned array of the given shape (at most 2 H elements), uniform in
 * [-scale, scale). */
static vg_array *random_array(unsigned *state, double scale, int ndim, const int *shape) {
  double data[2 * H];
  int size = 1;
  for (int d = 0; d < ndim; d++)
    size *= shape[d];
  for (int i = 0; i < size && i < 2 * H; i++)
    data[i] = scale * uniform(state);
  return vg_from_f64(data, ndim, shape);
}

int main(void) {
  unsigned seed = 12345;

  /* the data: x uniform in [-1, 1]^2, y = sin(2 x0) + x0 x1 */
  double xd[N * 2], yd[N];
  for (int i = 0; i < N; i++) {
    xd[2 * i] = uniform(&seed);
    xd[2 * i + 1] = uniform(&seed);
    yd[i] = sin(2 * xd[2 * i]) + xd[2 * i] * xd[2 * i + 1];
  }
  vg_array *x = vg_from_f64(xd, 2, (const int[]){N, 2});
  vg_array *y = vg_from_f64(yd, 1, (const int[]){N});

  /* the parameters w1, b1, w2, b2: small random weights, zero biases */
  vg_array *params[4] = {
      random_array(&seed, 1.0, 2, (const int[]){2, H}),
      vg_zeros(1, (const int[]){H}, VG_F64),
      random_array(&seed, 0.5, 1, (const int[]){H}),
      vg_scalar(0.0),
  };
  vg_array *lr = vg_scalar(0.2); /* the step size */

  double initial = 0;
  for (int step = 0; step < STEPS; step++) {
    vg_array *grads[4] = {NULL, NULL, NULL, NULL};
    vg_array *loss = mlp_loss_value_and_grad(params[0], params[1], params[2], params[3], x, y, &grads[0],
                                             &grads[1], &grads[2], &grads[3]);
    if (step == 0)
      initial = vg_item(loss);
    if (step % PRINT_EVERY == 0)
      printf("step %4d  loss %.6f\n", step, vg_item(loss));
    vg_free(loss);
    /* p = p - lr * grad: a temporary, kept as the new p; the old p and
     * the gradient (new arrays from the generated function) are freed */
    for (int k = 0; k < 4; k++) {
      vg_array *next = vg_keep(vg_sub(params[k], vg_mul(lr, grads[k])));
      vg_free(params[k]);
      params[k] = next;
      vg_free(grads[k]);
    }
  }

  /* the loss of the trained network, from the original function */
  vg_array *loss = mlp_loss(params[0], params[1], params[2], params[3], x, y);
  double final = vg_item(loss);
  vg_free(loss);
  printf("step %4d  loss %.6f\n", STEPS, final);
  printf("initial loss %.6f, final loss %.6f: %.1f%% of the initial\n", initial, final, 100 * final / initial);

  for (int k = 0; k < 4; k++)
    vg_free(params[k]);
  vg_free(lr);
  vg_free(x);
  vg_free(y);
  printf("arrays not freed: %ld\n", vg_live_arrays());
  return 0;
}
