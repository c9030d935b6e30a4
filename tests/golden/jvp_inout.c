/* jvp_inout: forward mode of functions that update a selected array in
 * place.  The tangent of such a parameter is one `REAL *t_w`, the
 * caller's: it holds w's tangent on entry and receives the tangent of what
 * the function leaves in w (listed in outputs(...) or not, one buffer).
 * scale_in_place returns w[0] after doubling w (the old bad/jvp_selected_
 * written); axpy_sq is the signature a custom_jvp rule of a function with
 * an output has (argnums(all), outputs(y)), its vjp the custom_vjp one.
 * (hvp of such a parameter stays refused: bad/hvp_selected_written.)
 * FD f64/f32: tangents against central differences along the direction,
 * the vjp against those of <ct, y>. */
#include <math.h>
#ifndef REAL
#define REAL double
#endif

REAL scale_in_place(REAL *w, int n) {
  for (int i = 0; i < n; i++)
    w[i] *= 2 + w[i];
  return w[0] * w[n - 1];
}
#pragma vgrad jvp(scale_in_place)

void axpy_sq(int n, REAL a, const REAL *x, REAL y[n]) {
  for (int i = 0; i < n; i++)
    y[i] = 0.5 * y[i] * y[i] + a * sin(x[i]);
}
#pragma vgrad jvp(axpy_sq) argnums(all) outputs(y)
#pragma vgrad vjp(axpy_sq) argnums(all) outputs(y)

#ifdef VG_DRIVER
#include "jvp_inout.vg.h"
#include "fdcheck.h"

enum { N = 3 };
static const REAL w0[N] = {0.4, -0.3, 0.9}, tw[N] = {0.5, 0.8, -0.6};
static const REAL x0[N] = {0.3, -0.4, 0.8}, y0[N] = {0.5, 0.1, -0.7}, tx[N] = {0.2, 0.5, -0.3},
                  ty[N] = {0.4, -0.6, 0.9}, ct[N] = {0.7, -1.1, 0.35};
static const REAL a0 = 1.3, ta = 0.7;

static double along_scale(REAL eps, int index) {
  (void)index;
  REAL w[N];
  for (int i = 0; i < N; i++)
    w[i] = w0[i] + eps * tw[i];
  return scale_in_place(w, N);
}

static int entry; /* which y[entry] along_axpy follows */
static double along_axpy(REAL eps, int index) {
  (void)index;
  REAL x[N], y[N];
  for (int i = 0; i < N; i++) {
    x[i] = x0[i] + eps * tx[i];
    y[i] = y0[i] + eps * ty[i];
  }
  axpy_sq(N, a0 + eps * ta, x, y);
  return y[entry];
}

static REAL in_x[N], in_y[N], in_a;
static REAL ct_dot(void) { /* <ct, y after the call> */
  REAL y[N];
  for (int i = 0; i < N; i++)
    y[i] = in_y[i];
  axpy_sq(N, in_a, in_x, y);
  REAL s = 0;
  for (int i = 0; i < N; i++)
    s += ct[i] * y[i];
  return s;
}

int main(void) {
  /* scale_in_place: t_w in, then out */
  REAL w[N], t_w[N], want_w[N];
  for (int i = 0; i < N; i++) {
    w[i] = want_w[i] = w0[i];
    t_w[i] = tw[i];
  }
  REAL want = scale_in_place(want_w, N), t_ret = -99;
  REAL v = scale_in_place_jvp(w, N, t_w, &t_ret);
  fd_value("scale_in_place (jvp)", v, want);
  for (int i = 0; i < N; i++)
    fd_same("w", i, w[i], want_w[i]);
  fd_check_tangent("t_ret", -1, t_ret, along_scale);

  /* axpy_sq: y and t_y in place */
  REAL x[N], y[N], t_y[N], yw[N];
  for (int i = 0; i < N; i++) {
    x[i] = x0[i];
    y[i] = yw[i] = y0[i];
    t_y[i] = ty[i];
  }
  axpy_sq(N, a0, x, yw);
  axpy_sq_jvp(N, a0, x, y, ta, tx, t_y);
  for (int i = 0; i < N; i++) {
    fd_same("y (jvp)", i, y[i], yw[i]);
    entry = i;
    fd_check_tangent("t_y", i, t_y[i], along_axpy);
  }

  /* axpy_sq's vjp: the gradients of <ct, y> w.r.t. a, x and y's old values */
  for (int i = 0; i < N; i++) {
    in_x[i] = x0[i];
    in_y[i] = y0[i];
  }
  in_a = a0;
  REAL d_a = 0, d_x[N] = {0}, d_y[N] = {0}, yv[N];
  for (int i = 0; i < N; i++)
    yv[i] = y0[i];
  axpy_sq_vjp(N, in_a, in_x, yv, ct, &d_a, d_x, d_y);
  for (int i = 0; i < N; i++)
    fd_same("y (vjp)", i, yv[i], yw[i]);
  fd_check("d_a", -1, &in_a, d_a, ct_dot);
  fd_check_array("d_x", in_x, d_x, N, ct_dot);
  fd_check_array("d_y", in_y, d_y, N, ct_dot);

  return fd_report("jvp_inout");
}
#endif
