/* self_update: in a loop, a variable updated from itself (x = e(x),
 * x += e(x), x -= e(x)) gets its new adjoint in one assignment, the
 * partials summed first: d_x = adj * (1.0 + factor * p).  Not when part
 * of it is added inside a branch of ?: (then cleared first and added to).
 * An array element updated from itself keeps clearing and adding (another
 * element's adjoint may be the same memory). */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

REAL updates(REAL x0, REAL p, REAL q, int n) {
  REAL x = x0;
  for (int i = 0; i < n; i++) {
    x += (REAL)0.1 * sin(p * x);     /* compound: 1 + partials */
    x -= (REAL)0.05 * x * x * q;     /* compound minus: x twice in the product */
    x = x / ((REAL)1 + (REAL)0.1 * x * x) + p; /* division by itself */
    x = (REAL)0.9 * x;               /* one factor, no 1 */
  }
  return x;
}
#pragma vgrad value_and_grad(updates) argnums(0, 1, 2)

/* part of x's adjoint inside a ?: */
REAL branchy(REAL x0, REAL p, int n) {
  REAL x = x0;
  for (int i = 0; i < n; i++)
    x = (i % 3 == 0 ? x * p : p - x) + (REAL)0.2 * x;
  return x;
}
#pragma vgrad value_and_grad(branchy) argnums(0, 1)

/* a parameter updated in place: its adjoint is a local until the end */
REAL param_update(REAL x, REAL p, int n) {
  for (int i = 0; i < n; i++)
    x = x + (REAL)0.3 * sin(p * x);
  return x * p;
}
#pragma vgrad value_and_grad(param_update) argnums(0, 1)

/* an element: a[i] and a[j] may be one */
REAL element(REAL x0, REAL p, int n) {
  REAL a[2] = {x0, p};
  for (int i = 0; i < n; i++)
    a[i % 2] = a[i % 2] * p + a[(i + 1) % 2];
  return a[0] + a[1];
}
#pragma vgrad value_and_grad(element) argnums(0, 1)

#ifdef VG_DRIVER
#include "self_update.vg.h"
#include "fdcheck.h"

static REAL in_x0, in_p, in_q;
static int in_n;
static REAL loss_updates(void) { return updates(in_x0, in_p, in_q, in_n); }
static REAL loss_branchy(void) { return branchy(in_x0, in_p, in_n); }
static REAL loss_param_update(void) { return param_update(in_x0, in_p, in_n); }
static REAL loss_element(void) { return element(in_x0, in_p, in_n); }

int main(void) {
  for (in_n = 0; in_n <= 10; in_n += 5) {
    in_x0 = (REAL)0.7;
    in_p = (REAL)0.6;
    in_q = (REAL)1.1;
    REAL d_x0 = 0, d_p = 0, d_q = 0;
    REAL v = updates_value_and_grad(in_x0, in_p, in_q, in_n, &d_x0, &d_p, &d_q);
    fd_value("updates", v, loss_updates());
    fd_check("updates d_x0", in_n, &in_x0, d_x0, loss_updates);
    fd_check("updates d_p", in_n, &in_p, d_p, loss_updates);
    fd_check("updates d_q", in_n, &in_q, d_q, loss_updates);

    d_x0 = d_p = 0;
    v = branchy_value_and_grad(in_x0, in_p, in_n, &d_x0, &d_p);
    fd_value("branchy", v, loss_branchy());
    fd_check("branchy d_x0", in_n, &in_x0, d_x0, loss_branchy);
    fd_check("branchy d_p", in_n, &in_p, d_p, loss_branchy);

    d_x0 = d_p = 0;
    v = param_update_value_and_grad(in_x0, in_p, in_n, &d_x0, &d_p);
    fd_value("param_update", v, loss_param_update());
    fd_check("param_update d_x", in_n, &in_x0, d_x0, loss_param_update);
    fd_check("param_update d_p", in_n, &in_p, d_p, loss_param_update);

    d_x0 = d_p = 0;
    v = element_value_and_grad(in_x0, in_p, in_n, &d_x0, &d_p);
    fd_value("element", v, loss_element());
    fd_check("element d_x0", in_n, &in_x0, d_x0, loss_element);
    fd_check("element d_p", in_n, &in_p, d_p, loss_element);
  }
  return fd_report("self_update");
}
#endif
