/* vjp_outputs: reverse mode for vector outputs, `#pragma vgrad vjp(f)
 * outputs(y, ...)`.  The generated f_vjp takes the cotangent of the
 * return value (ct_ret) and of each output (ct_y), and accumulates
 * <ct, J> into the d_ of each selected input.  Spellings: a function
 * returning a value plus outputs written with `=` and `+=` (s[0] += ...
 * adds to what the caller left there); a void function writing its output
 * through a walking pointer; a helper writing the output; a selected
 * struct parameter; an output that does not depend on the selected inputs
 * (its cotangent unused).
 *
 * The driver checks, for each function, that the return value and the
 * outputs are the original's, and that every entry of every d_ is the
 * derivative of the scalar <ct_ret, f> + <ct_y, y> (computed by calling the
 * original) by central finite differences, float64 and float32, with
 * tests/fdcheck.h's steps and tolerances (|g - n| <= 1e-6 + 1e-5
 * max(|g|,|n|) for double, 2e-3 + 2e-2 max(...) for float). */
#include <math.h>

#include "vjp_outputs.h"

REAL mixed(const REAL *x, REAL a, int n, REAL y[n], REAL *s) {
  REAL r = 0;
  for (int i = 0; i < n; i++) {
    y[i] = a * sin(x[i]);
    r += x[i] * x[i];
  }
  s[0] += y[0] * y[1];
  return r * a;
}
#pragma vgrad vjp(mixed) argnames(x, a) outputs(y, s)

/* void, the output filled through a pointer that walks it */
void walk(const REAL *x, int n, REAL out[n]) {
  REAL carry = 1;
  for (REAL *p = out; p < out + n; p++) {
    carry = carry * x[p - out] + (REAL)0.5;
    *p = carry;
  }
}
#pragma vgrad vjp(walk) outputs(out)

/* a helper writes the output pair */
static void pair(const REAL *c, REAL u, REAL *r) {
  r[0] = c[0] * u - c[1];
  r[1] = exp(c[2] * u) * r[0];
}
REAL through_helper(const REAL *c, REAL u, REAL r[2], REAL scale[3]) {
  pair(c, u, r);
  for (int i = 0; i < 3; i++)
    scale[i] = (REAL)(i + 1); /* no selected input reaches it */
  return r[0] * r[1] + u;
}
#pragma vgrad vjp(through_helper) argnames(c, u) outputs(r, scale) name(helper_vjp)

void layer(struct Layer L, const REAL in[2], REAL act[2]) {
  for (int i = 0; i < 2; i++)
    act[i] = tanh(L.w[i][0] * in[0] + L.w[i][1] * in[1] + L.b[i]);
}
#pragma vgrad vjp(layer) argnames(L, in) outputs(act)

#ifdef VG_DRIVER
#include "vjp_outputs.vg.h"
#include "fdcheck.h"

enum { N = 5 };
static REAL in_x[N] = {0.5, -0.9, 1.3, 0.4, -0.2}, in_a = 0.8, in_s0 = 0.25;
static REAL ct_ret = 0.7, ct_y[N] = {1.0, -0.5, 0.3, 2.0, -1.2}, ct_s[1] = {0.9};

static REAL mixed_dot(void) {
  REAL y[N], s = in_s0;
  REAL r = mixed(in_x, in_a, N, y, &s);
  REAL dot = ct_ret * r + ct_s[0] * s;
  for (int i = 0; i < N; i++)
    dot += ct_y[i] * y[i];
  return dot;
}

static REAL walk_dot(void) {
  REAL out[N];
  walk(in_x, N, out);
  REAL dot = 0;
  for (int i = 0; i < N; i++)
    dot += ct_y[i] * out[i];
  return dot;
}

static REAL in_c[3] = {0.6, -0.3, 0.45}, in_u = 0.9, ct_r[2] = {-0.8, 1.1}, ct_scale[3] = {5, 6, 7};
static REAL helper_dot(void) {
  REAL r[2], scale[3];
  REAL v = through_helper(in_c, in_u, r, scale);
  return ct_ret * v + ct_r[0] * r[0] + ct_r[1] * r[1] + ct_scale[0] * scale[0];
}

static struct Layer in_L = {{{0.3, -0.7}, {1.1, 0.2}}, {0.05, -0.4}};
static REAL in_in[2] = {0.8, -0.6}, ct_act[2] = {1.5, -0.4};
static REAL layer_dot(void) {
  REAL act[2];
  layer(in_L, in_in, act);
  return ct_act[0] * act[0] + ct_act[1] * act[1];
}

int main(void) {
  /* mixed: return value, y written, s added to */
  REAL y[N], y_ref[N], s = in_s0, s_ref = in_s0, d_x[N] = {0}, d_a = 0;
  REAL r = mixed_vjp(in_x, in_a, N, y, &s, ct_ret, ct_y, ct_s, d_x, &d_a);
  REAL r_ref = mixed(in_x, in_a, N, y_ref, &s_ref);
  fd_value("mixed", r, r_ref);
  for (int i = 0; i < N; i++)
    fd_same("mixed y", i, y[i], y_ref[i]);
  fd_same("mixed s", -1, s, s_ref);
  fd_check_array("mixed d_x", in_x, d_x, N, mixed_dot);
  fd_check("mixed d_a", -1, &in_a, d_a, mixed_dot);
  /* accumulated: a second call adds the same again */
  REAL d_x2[N], d_a2 = d_a;
  for (int i = 0; i < N; i++)
    d_x2[i] = d_x[i];
  s = in_s0;
  mixed_vjp(in_x, in_a, N, y, &s, ct_ret, ct_y, ct_s, d_x2, &d_a2);
  for (int i = 0; i < N; i++)
    fd_same("mixed d_x accumulated", i, d_x2[i], 2 * d_x[i]);
  fd_same("mixed d_a accumulated", -1, d_a2, 2 * d_a);

  /* walk: void */
  REAL out[N], out_ref[N], d_xw[N] = {0};
  walk_vjp(in_x, N, out, ct_y, d_xw);
  walk(in_x, N, out_ref);
  for (int i = 0; i < N; i++)
    fd_same("walk out", i, out[i], out_ref[i]);
  fd_check_array("walk d_x", in_x, d_xw, N, walk_dot);

  /* through_helper: scale is constant */
  REAL rr[2], rr_ref[2], sc[3], sc_ref[3], d_c[3] = {0}, d_u = 0;
  REAL v = helper_vjp(in_c, in_u, rr, sc, ct_ret, ct_r, ct_scale, d_c, &d_u);
  REAL v_ref = through_helper(in_c, in_u, rr_ref, sc_ref);
  fd_value("through_helper", v, v_ref);
  for (int i = 0; i < 2; i++)
    fd_same("through_helper r", i, rr[i], rr_ref[i]);
  for (int i = 0; i < 3; i++)
    fd_same("through_helper scale", i, sc[i], sc_ref[i]);
  fd_check_array("through_helper d_c", in_c, d_c, 3, helper_dot);
  fd_check("through_helper d_u", -1, &in_u, d_u, helper_dot);

  /* layer: a selected struct */
  REAL act[2], act_ref[2], d_in[2] = {0};
  struct Layer d_L = {{{0}}, {0}};
  layer_vjp(in_L, in_in, act, ct_act, &d_L, d_in);
  layer(in_L, in_in, act_ref);
  for (int i = 0; i < 2; i++)
    fd_same("layer act", i, act[i], act_ref[i]);
  for (int i = 0; i < 2; i++) {
    for (int j = 0; j < 2; j++)
      fd_check("layer d_L.w", 2 * i + j, &in_L.w[i][j], d_L.w[i][j], layer_dot);
    fd_check("layer d_L.b", i, &in_L.b[i], d_L.b[i], layer_dot);
  }
  fd_check_array("layer d_in", in_in, d_in, 2, layer_dot);
  return fd_report("vjp_outputs");
}
#endif
