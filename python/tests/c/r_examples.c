/* R's mlx_grad worked examples, written in scalar C (x row-major, n by d). */
#ifndef REAL
#define REAL double
#endif

/* loss(w, x, y) = sum((x w - y)^2) / length(y) */
REAL lm_loss(const REAL *w, const REAL *x, const REAL *y, int n, int d) {
  REAL sum = 0;
  for (int i = 0; i < n; i++) {
    REAL r = -y[i];
    for (int j = 0; j < d; j++)
      r += x[i * d + j] * w[j];
    sum += r * r;
  }
  return sum / n;
}
#pragma vgrad value_and_grad(lm_loss) argnums(0)

/* loss(w, x) = sum((x w)^2), x n by d */
REAL square_loss(const REAL *w, const REAL *x, int n, int d) {
  REAL sum = 0;
  for (int i = 0; i < n; i++) {
    REAL r = 0;
    for (int j = 0; j < d; j++)
      r += x[i * d + j] * w[j];
    sum += r * r;
  }
  return sum;
}
#pragma vgrad value_and_grad(square_loss) argnums(0, 1)
#pragma vgrad grad(square_loss) argnums(1) name(square_loss_grad_x)
