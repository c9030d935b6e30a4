/* custom_rule_header: a library function and its rules declared in a
 * header the file includes (the way design 1.6 asks for them), defined in
 * another object (here the driver's): the generated file includes the
 * header rather than declaring them again.  The function calls it in a
 * loop on a row of a local matrix that each pass overwrites, so the rule
 * must see each pass's row.  With REAL float the rules are the float ones
 * (`float ct_ret`, `float *d_w`).  FD f64/f32, gradient and tangent. */
#include <math.h>

#include "custom_rule_header.h"

#pragma vgrad custom_vjp(decay_sum) with(decay_sum_vjp)
#pragma vgrad custom_jvp(decay_sum) with(decay_sum_jvp)

REAL custom_rule_header(const REAL *w, REAL b, int n) {
  REAL row[3];
  REAL acc = 0;
  for (int k = 0; k < 3; k++) {
    for (int i = 0; i < n && i < 3; i++)
      row[i] = w[i] * (k + 1) + acc;
    acc += decay_sum(row, n, b * (k + 1)) * 0.5f;
  }
  return acc * acc;
}
#pragma vgrad value_and_grad(custom_rule_header) argnums(0, 1)
#pragma vgrad jvp(custom_rule_header) argnums(0, 1)

#ifdef VG_DRIVER
#include "custom_rule_header.vg.h"
#include "fdcheck.h"

REAL decay_sum(const REAL *w, int n, REAL b) {
  REAL s = 0;
  for (int i = 0; i < n; i++)
    s += w[i] * exp(-b * i);
  return s;
}

REAL decay_sum_vjp(const REAL *w, int n, REAL b, REAL ct_ret, REAL *d_w, REAL *d_b) {
  REAL s = 0;
  for (int i = 0; i < n; i++) {
    REAL e = exp(-b * i);
    s += w[i] * e;
    if (d_w)
      d_w[i] += ct_ret * e;
    if (d_b)
      *d_b -= ct_ret * w[i] * e * i;
  }
  return s;
}

REAL decay_sum_jvp(const REAL *w, int n, REAL b, const REAL *t_w, REAL t_b, REAL *t_ret) {
  REAL s = 0, t = 0;
  for (int i = 0; i < n; i++) {
    REAL e = exp(-b * i);
    s += w[i] * e;
    t += (t_w ? t_w[i] * e : 0) - w[i] * e * i * t_b;
  }
  *t_ret = t;
  return s;
}

enum { N = 3 };
static REAL in_w[N] = {0.4, -0.7, 0.55}, in_b = 0.3;
static const REAL dir_w[N] = {0.8, 0.2, -0.5}, dir_b = 0.6;

static REAL loss(void) { return custom_rule_header(in_w, in_b, N); }

static double along(REAL eps, int index) {
  (void)index;
  REAL w[N];
  for (int i = 0; i < N; i++)
    w[i] = in_w[i] + eps * dir_w[i];
  return custom_rule_header(w, in_b + eps * dir_b, N);
}

int main(void) {
  REAL d_w[N] = {0}, d_b = 0;
  REAL v = custom_rule_header_value_and_grad(in_w, in_b, N, d_w, &d_b);
  fd_value("custom_rule_header", v, loss());
  fd_check_array("d_w", in_w, d_w, N, loss);
  fd_check("d_b", -1, &in_b, d_b, loss);
  REAL t_ret = -99;
  REAL vj = custom_rule_header_jvp(in_w, in_b, N, dir_w, dir_b, &t_ret);
  fd_value("custom_rule_header (jvp)", vj, loss());
  fd_check_tangent("t_ret", -1, t_ret, along);
  return fd_report("custom_rule_header");
}
#endif
