/* jvp_struct_return: forward mode of a function returning a struct of
 * numbers (a loss with auxiliary outputs, MLX's has_aux): `Fit
 * fit_jvp(..., Fit *t_ret)` writes the tangent of every floating member,
 * arrays of them included; an integer member's tangent is 0.  The struct
 * is built by an inlined helper returning one, copied, and returned early
 * on one branch.  FD f64/f32: each member's tangent against central
 * differences along the direction. */
#include <math.h>

#include "jvp_struct_return.h"

static Fit start(REAL a) {
  Fit f = {0.5 * a, {a, -a}, 0};
  return f;
}

Fit fit(const REAL *x, REAL a, int n) {
  Fit f = start(a);
  for (int i = 0; i < n; i++) {
    REAL r = sin(x[i]) * a - x[i];
    f.loss += r * r;
    f.parts[i % 2] += r;
    f.steps++;
  }
  if (f.loss > 50) {
    Fit g = f;
    g.loss = 50 + log(f.loss - 49);
    return g;
  }
  f.parts[1] *= f.loss;
  return f;
}
#pragma vgrad jvp(fit) argnums(0, 1)

#ifdef VG_DRIVER
#include "jvp_struct_return.vg.h"
#include "fdcheck.h"

enum { N = 5 };
static const REAL x0[N] = {0.3, -0.7, 1.1, 0.4, -0.2}, tx[N] = {0.5, 0.2, -0.4, 0.8, -0.6};
static const REAL a0 = 0.8, ta = -0.3;
static int member; /* 0 loss, 1 parts[0], 2 parts[1] */

static double along(REAL eps, int index) {
  (void)index;
  REAL x[N];
  for (int i = 0; i < N; i++)
    x[i] = x0[i] + eps * tx[i];
  Fit f = fit(x, a0 + eps * ta, N);
  return member == 0 ? f.loss : f.parts[member - 1];
}

int main(void) {
  Fit want = fit(x0, a0, N);
  Fit t = {-99, {-99, -99}, -99};
  Fit got = fit_jvp(x0, a0, N, tx, ta, &t);
  fd_value("loss", got.loss, want.loss);
  fd_value("parts[0]", got.parts[0], want.parts[0]);
  fd_value("parts[1]", got.parts[1], want.parts[1]);
  fd_same("steps", -1, got.steps, want.steps);
  fd_same("t steps", -1, t.steps, 0);
  member = 0;
  fd_check_tangent("t_ret.loss", -1, t.loss, along);
  member = 1;
  fd_check_tangent("t_ret.parts", 0, t.parts[0], along);
  member = 2;
  fd_check_tangent("t_ret.parts", 1, t.parts[1], along);
  return fd_report("jvp_struct_return");
}
#endif
