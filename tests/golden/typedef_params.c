/* typedef_params: parameters whose types are typedefs: a pointer (dptr),
 * a pointer to const (cdptr), an array (vec3, a pointer as a parameter), a
 * typedef of a typedef (dptr2), a pointer to a struct (PairP), a struct by
 * value (Pair2, named through a typedef of a typedef) and a const pointer
 * (const dptr), beside a const array (const vec3) and a function pointer
 * (unary_fn, not differentiated).  The generated signature spells each as
 * its C type (double *x, const double *y, const double v[3], Pair *s,
 * Pair t, double (*f)(double)); gradients are double *d_x, double *d_v,
 * Pair *d_s, Pair *d_t.  argnums(all) selects
 * every one of them; a second pragma selects a few by name.  Locals and a
 * helper use the same typedefs. */
#include <math.h>

#include "typedef_params.h"

/* a helper with typedef'd parameters, called with them */
static real dot3(cdptr a, const vec3 b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }

real typedef_params(dptr x, cdptr y, const vec3 v, PairP s, Pair2 t, dptr2 z, const dptr c, unary_fn f, int n) {
  vec3 tmp; /* a typedef'd local array */
  dptr p = tmp;
  for (int i = 0; i < 3; i++)
    p[i] = v[i] * s->w[i] + t.w[i];
  real acc = dot3(tmp, v) * (real)0.5;
  for (int i = 0; i < n; i++)
    acc += x[i] * y[i] + sin(z[i]) * c[i];
  return acc + s->a * t.a * (f ? (real)1 : (real)2);
}
#pragma vgrad value_and_grad(typedef_params) argnums(all)
#pragma vgrad grad(typedef_params) name(typedef_params_some) argnames(v, s, z)

#ifdef VG_DRIVER
#include <string.h>

#include "typedef_params.vg.h"
#include "fdcheck.h"

#define N 3
static real in_x[N] = {0.3, -0.4, 0.5}, in_y[N] = {0.7, 0.2, -0.6}, in_z[N] = {0.1, 0.9, -0.3};
static real in_c[N] = {1.1, -0.8, 0.4};
static vec3 in_v = {0.5, -1.0, 1.5};
static Pair in_s = {0.6, {0.2, -0.7, 0.9}}, in_t = {-0.4, {0.3, 0.8, -0.5}};
static real half(real u) { return u / 2; }
static real loss(void) { return typedef_params(in_x, in_y, in_v, &in_s, in_t, in_z, in_c, half, N); }

static void check_pair(const char *name, Pair *in, const Pair *d) {
  fd_check(name, -1, &in->a, d->a, loss);
  fd_check_array(name, in->w, d->w, 3, loss);
}

int main(void) {
  real d_x[N] = {0}, d_y[N] = {0}, d_z[N] = {0}, d_c[N] = {0}, d_v[3] = {0};
  Pair d_s, d_t;
  memset(&d_s, 0, sizeof d_s);
  memset(&d_t, 0, sizeof d_t);
  real v = typedef_params_value_and_grad(in_x, in_y, in_v, &in_s, in_t, in_z, in_c, half, N, d_x, d_y, d_v, &d_s, &d_t,
                                         d_z, d_c);
  fd_value("value", v, loss());
  fd_check_array("d_x", in_x, d_x, N, loss);
  fd_check_array("d_y", in_y, d_y, N, loss);
  fd_check_array("d_v", in_v, d_v, 3, loss);
  check_pair("d_s", &in_s, &d_s);
  check_pair("d_t", &in_t, &d_t);
  fd_check_array("d_z", in_z, d_z, N, loss);
  fd_check_array("d_c", in_c, d_c, N, loss);

  /* argnames(v, s, z): the same gradients */
  real g_v[3] = {0}, g_z[N] = {0};
  Pair g_s;
  memset(&g_s, 0, sizeof g_s);
  typedef_params_some(in_x, in_y, in_v, &in_s, in_t, in_z, in_c, half, N, g_v, &g_s, g_z);
  for (int i = 0; i < 3; i++) {
    fd_same("g_v", i, g_v[i], d_v[i]);
    fd_same("g_s.w", i, g_s.w[i], d_s.w[i]);
  }
  fd_same("g_s.a", -1, g_s.a, d_s.a);
  for (int i = 0; i < N; i++)
    fd_same("g_z", i, g_z[i], d_z[i]);
  return fd_report("typedef_params");
}
#endif
