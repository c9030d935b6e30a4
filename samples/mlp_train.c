/* mlp_train.c: a small multilayer perceptron written with vg_array
 * operations, the loss vgradcc differentiates for samples/mlp_train_main.c,
 * which trains it by gradient descent.
 *
 *     h    = tanh(x @ w1 + b1)        x: (n, 2), w1: (2, H), b1: (H,)
 *     pred = h @ w2 + b2              w2: (H,), b2: a 0-d array
 *     loss = mean((pred - y)^2)       y: (n,)
 *
 * The pragma asks for mlp_loss_value_and_grad(), which returns the loss
 * and a new array for the gradient of each parameter (w1, b1, w2, b2; not
 * the data x and y).  Each intermediate is a temporary that the next
 * operation consumes (vgrad.h's ownership rule), so nothing here needs
 * vg_free.  vgradcc needs vgrad.h: run it with -Iruntime (or the flags of
 * pkg-config --cflags vgrad). */
#include <vgrad.h>

/* The network's prediction for each row of x. */
vg_array *mlp_forward(vg_array *w1, vg_array *b1, vg_array *w2, vg_array *b2, vg_array *x) {
  vg_array *h = vg_tanh(vg_add(vg_matmul(x, w1), b1));
  return vg_add(vg_matmul(h, w2), b2);
}

/* The mean squared error of the predictions. */
vg_array *mlp_loss(vg_array *w1, vg_array *b1, vg_array *w2, vg_array *b2, vg_array *x, vg_array *y) {
  vg_array *pred = mlp_forward(w1, b1, w2, b2, x);
  vg_array *loss = vg_mean(vg_square(vg_sub(pred, y)));
  return loss;
}
#pragma vgrad value_and_grad(mlp_loss) argnums(0, 1, 2, 3)
