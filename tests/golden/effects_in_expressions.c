/* effects_in_expressions: assignments, ++/-- and the comma operator
 * inside expressions, as numerical C writes them (issue 19 point 1): a
 * for with two counters and a walking pointer, chained assignment,
 * `x[k++] = v`, assignments in loop and if conditions, `while (m--)`,
 * a comma in a return, GNU statement expressions (a MAX macro) and a
 * ?: statement that calls a function declared here.  FD f64/f32. */
#include <math.h>
#ifndef REAL
#define REAL double
#endif

#define MAX2(a, b) __extension__({ REAL a_ = (a), b_ = (b); a_ > b_ ? a_ : b_; })

void note_count(int k); /* defined by the driver: a call kept for its effect */

/* for (i = 0, p = x; ...; i++, p++): still a counted loop */
REAL walk_dot(const REAL *x, const REAL *w, int n) {
  REAL s = 0;
  int i;
  const REAL *p, *q;
  for (i = 0, p = x, q = w; i < n; i++, p++, q++)
    s += *p * *q;
  return s;
}
#pragma vgrad value_and_grad(walk_dot) argnums(0, 1)

/* two counters meeting in the middle, a continue, a chained assignment */
REAL mirror(const REAL *x, int n) {
  REAL s, t;
  int i, j;
  s = t = x[0] * (REAL)0.5;
  for (i = 0, j = n - 1; i < n; i++, j--) {
    if (i == j)
      continue;
    s += x[i] * x[j] + t;
  }
  return s;
}
#pragma vgrad value_and_grad(mirror) argnums(0)

/* y[k++] = v; a fixed point iteration with its assignment in the condition */
REAL iterate(const REAL *x, REAL a, int n) {
  REAL y[8];
  int k = 0;
  for (int i = 0; i < n && i < 8; i++)
    y[k++] = a * x[i];
  REAL r = x[0], s = 0;
  int steps = 0;
  while ((r = (REAL)0.5 * r + (REAL)0.1 * y[steps % k]) > (REAL)0.01 && steps < 12)
    steps++;
  int m = k;
  while (m--)
    s += y[m] * r;
  REAL u;
  if ((u = tanh(s)) > 0)
    s += u;
  else
    s -= u;
  int c = 0;
  do
    s += (REAL)0.1 * x[c] * a;
  while (++c < n);
  c > 2 ? note_count(c) : (void)0;
  return (u = s * s, u + MAX2(x[0], x[1] * a));
}
#pragma vgrad value_and_grad(iterate) argnums(0, 1)

#ifdef VG_DRIVER
#include "effects_in_expressions.vg.h"
#include "fdcheck.h"

static int notes;
void note_count(int k) { notes += k; }

static REAL in_x[5] = {0.3, -0.2, 0.7, 0.4, -0.5}, in_w[5] = {0.9, 0.1, -0.4, 0.6, 0.2}, in_a = 0.8;
static int in_n = 5;
static REAL loss_walk(void) { return walk_dot(in_x, in_w, in_n); }
static REAL loss_mirror(void) { return mirror(in_x, in_n); }
static REAL loss_iterate(void) { return iterate(in_x, in_a, in_n); }

int main(void) {
  for (in_n = 3; in_n <= 5; in_n++) {
    REAL d_x[5] = {0}, d_w[5] = {0}, d_a = 0;
    fd_value("walk_dot", walk_dot_value_and_grad(in_x, in_w, in_n, d_x, d_w), loss_walk());
    for (int i = 0; i < in_n; i++) {
      fd_check("walk_dot d_x", i, &in_x[i], d_x[i], loss_walk);
      fd_check("walk_dot d_w", i, &in_w[i], d_w[i], loss_walk);
    }
    REAL m_x[5] = {0};
    fd_value("mirror", mirror_value_and_grad(in_x, in_n, m_x), loss_mirror());
    for (int i = 0; i < in_n; i++)
      fd_check("mirror d_x", i, &in_x[i], m_x[i], loss_mirror);
    REAL i_x[5] = {0};
    int before = notes;
    REAL v = iterate_value_and_grad(in_x, in_a, in_n, i_x, &d_a);
    int by_generated = notes - before;
    fd_value("iterate", v, loss_iterate());
    int by_original = notes - before - by_generated;
    if (by_generated != by_original) {
      printf("MISMATCH iterate: the generated function called note_count for %d, the original for %d\n",
             by_generated, by_original);
      fd_failures++;
    }
    for (int i = 0; i < in_n; i++)
      fd_check("iterate d_x", i, &in_x[i], i_x[i], loss_iterate);
    fd_check("iterate d_a", 0, &in_a, d_a, loss_iterate);
  }
  return fd_report("effects_in_expressions");
}
#endif
