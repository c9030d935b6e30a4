/* optional_arrays: arrays the loss tests against NULL before it reads them
 * (design 1.7), in the spellings of C code: `if (bias != NULL)`,
 * `if (!scale) ... else`, `if (NULL == shift)` with an early `continue`,
 * `if (bias && use_bias)`.  The caller may pass NULL for each, and then
 * NULL for its gradient: the generated code takes the branches the
 * original takes and never touches that gradient.  shift is not selected.
 * The generated function stops when a gradient is NULL and its array is
 * not; the header says which arrays may be NULL.
 *
 * The driver runs every combination of NULL and real arrays, with use_bias
 * 0 and 1, checks the value and each gradient against finite differences,
 * passes for a NULL array either NULL or a buffer that must stay zero, and
 * checks in a child process that a NULL d_bias with a real bias aborts. */
#include <stddef.h>
#ifndef REAL
#define REAL double
#endif

REAL layer(const REAL *x, const REAL *w, const REAL *bias, const REAL *scale, const REAL *shift, int n,
           int use_bias) {
  REAL s = 0;
  for (int o = 0; o < n; o++) {
    REAL v = w[o] * x[o];
    if (bias != NULL)
      v += bias[o];
    if (!scale)
      v = v * 0.5;
    else
      v *= scale[o] * v;
    if (NULL == shift) {
      s += v * v;
      continue;
    }
    if (bias && use_bias)
      v += shift[o] * bias[o] * w[o];
    s += (v - shift[o]) * (v - shift[o]);
  }
  return s;
}
#pragma vgrad value_and_grad(layer) argnums(1, 2, 3)

#ifdef VG_DRIVER
#include "optional_arrays.vg.h"
#include "fdcheck.h"
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#define N 4
static REAL in_x[N] = {0.6, -0.4, 0.9, 0.3}, in_w[N] = {0.8, 1.1, -0.7, 0.5};
static REAL in_bias[N] = {0.2, -0.3, 0.15, 0.4}, in_scale[N] = {1.2, 0.7, -0.9, 1.4};
static REAL in_shift[N] = {0.1, 0.25, -0.2, 0.05};
static const REAL *bias, *scale, *shift; /* in_bias or NULL, ... */
static int use_bias;
static REAL loss(void) { return layer(in_x, in_w, bias, scale, shift, N, use_bias); }

/* The gradient of a NULL array, when a buffer was passed: left as it was. */
static void untouched(const char *name, const REAL *d, int n) {
  for (int i = 0; i < n; i++)
    fd_same(name, i, d[i], 0);
}

/* Whether the generated function aborts when d_bias is NULL and bias is not
 * (in a child process: an abort leaves its tape behind). */
static int aborts_without_d_bias(void) {
  fflush(stdout);
  pid_t child = fork();
  if (child == 0) {
    REAL d_w[N] = {0}, d_scale[N] = {0};
    layer_value_and_grad(in_x, in_w, in_bias, in_scale, in_shift, N, 1, d_w, NULL, d_scale);
    _exit(0);
  }
  int status = 0;
  if (child < 0 || waitpid(child, &status, 0) != child)
    return -1;
  return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

int main(void) {
  for (int k = 0; k < 16; k++) {
    bias = k & 1 ? in_bias : NULL;
    scale = k & 2 ? in_scale : NULL;
    shift = k & 4 ? in_shift : NULL;
    use_bias = k >> 3;
    int pass_null = (k ^ (k >> 1)) & 1; /* for a NULL array: NULL or a buffer, alternately */
    REAL d_w[N] = {0}, d_bias[N] = {0}, d_scale[N] = {0};
    REAL value = layer_value_and_grad(in_x, in_w, bias, scale, shift, N, use_bias, d_w,
                                      bias || !pass_null ? d_bias : NULL, scale || !pass_null ? d_scale : NULL);
    printf("bias %s, scale %s, shift %s, use_bias %d: value %.6f\n", bias ? "given" : "NULL",
           scale ? "given" : "NULL", shift ? "given" : "NULL", use_bias, (double)value);
    fd_value("value", value, loss());
    fd_check_array("d_w", in_w, d_w, N, loss);
    if (bias)
      fd_check_array("d_bias", in_bias, d_bias, N, loss);
    else
      untouched("d_bias of NULL", d_bias, N);
    if (scale)
      fd_check_array("d_scale", in_scale, d_scale, N, loss);
    else
      untouched("d_scale of NULL", d_scale, N);
  }
  fd_same("abort on NULL d_bias", -1, aborts_without_d_bias(), 1);
  return fd_report("optional_arrays");
}
#endif
