/* ckpt_mixed: a checkpointed loop whose body has an index and a fill of a
 * local array redone instead of saved, a branch with sin and cos of
 * self-updates, fmax and fmin, reading a local, a parameter and an array
 * that change after the loop (g = g + e, p += e, w[k] += e, *=, -=): the
 * replays and the redone values read them as in the forward sweep.
 * Against the same loop taped and finite differences, f64/f32. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

REAL mix(const REAL *x, REAL p, int n) {
  REAL w[4] = {x[0], x[1], x[2], x[3]};
  REAL g = p * (REAL)0.5, s = (REAL)0.2;
#pragma vgrad checkpoint snapshots(2)
  for (int i = 0; i < n; i++) {
    int k = (i * 3) % 4;
    REAL cent[3];
    for (int j = 0; j < 3; j++)
      cent[j] = x[j] - g;
    REAL q = 0;
    for (int j = 0; j < 3; j++)
      q += cent[j] * cent[j] * w[k];
    if (q > (REAL)0.3)
      s = s + (REAL)0.1 * sin(s * p + q);
    else
      s = s - (REAL)0.05 * cos(s + w[k] * g);
    s = fmax(s, (REAL)-2) + (REAL)0.01 * fmin(q, p);
  }
  g = g + x[1];
  p += x[2];
  for (int k = 0; k < 4; k++) {
    w[k] += x[k];
    w[k] *= p;
    w[k] -= g;
  }
  return s + g * p + w[0] * w[3];
}
#pragma vgrad value_and_grad(mix) argnums(0, 1)

REAL mix_taped(const REAL *x, REAL p, int n) {
  REAL w[4] = {x[0], x[1], x[2], x[3]};
  REAL g = p * (REAL)0.5, s = (REAL)0.2;
  for (int i = 0; i < n; i++) {
    int k = (i * 3) % 4;
    REAL cent[3];
    for (int j = 0; j < 3; j++)
      cent[j] = x[j] - g;
    REAL q = 0;
    for (int j = 0; j < 3; j++)
      q += cent[j] * cent[j] * w[k];
    if (q > (REAL)0.3)
      s = s + (REAL)0.1 * sin(s * p + q);
    else
      s = s - (REAL)0.05 * cos(s + w[k] * g);
    s = fmax(s, (REAL)-2) + (REAL)0.01 * fmin(q, p);
  }
  g = g + x[1];
  p += x[2];
  for (int k = 0; k < 4; k++) {
    w[k] += x[k];
    w[k] *= p;
    w[k] -= g;
  }
  return s + g * p + w[0] * w[3];
}
#pragma vgrad value_and_grad(mix_taped) argnums(0, 1)

#ifdef VG_DRIVER
#include "ckpt_mixed.vg.h"
#include "fdcheck.h"
static REAL in_x[4] = {0.3, 0.5, -0.4, 0.9}, in_p = 0.8;
static int in_n;
static REAL loss(void) { return mix(in_x, in_p, in_n); }

int main(void) {
  for (in_n = 0; in_n < 12; in_n += 5) {
    REAL d_x[4] = {0}, t_x[4] = {0}, d_p = 0, t_p = 0;
    fd_value("value", mix_value_and_grad(in_x, in_p, in_n, d_x, &d_p), loss());
    mix_taped_value_and_grad(in_x, in_p, in_n, t_x, &t_p);
    for (int k = 0; k < 4; k++)
      fd_same("d_x = taped", k, d_x[k], t_x[k]);
    fd_same("d_p = taped", in_n, d_p, t_p);
    fd_check_array("d_x", in_x, d_x, 4, loss);
    fd_check("d_p", in_n, &in_p, d_p, loss);
  }
  return fd_report("ckpt_mixed");
}
#endif
