/* assert_kept: assert() in a differentiated function and in a helper it
 * calls stays assert() in the generated code (<assert.h> included there),
 * evaluated on the primal values, also on active ones inside a loop; not
 * differentiated.  The generated function aborts where the original does.
 * cli/assert-strict: -std=c99 (glibc's other expansion of assert) gives
 * the same file.  FD f64/f32. */
#define _POSIX_C_SOURCE 200809L /* the driver's fork */
#include <assert.h>
#include <math.h>
#ifndef REAL
#define REAL double
#endif

static REAL weight(REAL w, int k) {
  assert(k >= 0);
  return w / (REAL)(k + 1);
}

REAL weighted_norm(const REAL *x, REAL w, int n) {
  assert(n > 0 && x);
  REAL s = 0;
  for (int i = 0; i < n; i++) {
    assert(x[i] == x[i]); /* no NaN */
    s += weight(w, i) * x[i] * x[i];
  }
  assert(s >= 0);
  return sqrt(s);
}
#pragma vgrad value_and_grad(weighted_norm) argnums(0, 1)

#ifdef VG_DRIVER
#include "assert_kept.vg.h"
#include "fdcheck.h"
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static REAL in_x[4] = {0.3, -0.2, 0.7, 0.4}, in_w = 1.3;
static int in_n = 4;
static REAL loss(void) { return weighted_norm(in_x, in_w, in_n); }

/* Whether the generated function stops on an assertion for these inputs
 * (in a child process: an abort leaves its tape behind). */
static int generated_aborts(const REAL *x, int n) {
  fflush(stdout);
  pid_t child = fork();
  if (child == 0) {
    REAL d_x[4] = {0}, d_w = 0;
    weighted_norm_value_and_grad(x, in_w, n, d_x, &d_w);
    _exit(0);
  }
  int status = 0;
  if (child < 0 || waitpid(child, &status, 0) != child)
    return -1;
  return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

int main(void) {
  REAL d_x[4] = {0}, d_w = 0;
  fd_value("weighted_norm", weighted_norm_value_and_grad(in_x, in_w, in_n, d_x, &d_w), loss());
  fd_check_array("d_x", in_x, d_x, in_n, loss);
  fd_check("d_w", -1, &in_w, d_w, loss);
  REAL nan_x[4] = {0.3, NAN, 0.7, 0.4};
  int cases[3][2] = {{generated_aborts(in_x, 4), 0}, {generated_aborts(in_x, 0), 1}, {generated_aborts(nan_x, 4), 1}};
  for (int i = 0; i < 3; i++) {
    fd_checks++;
    if (cases[i][0] != cases[i][1]) {
      printf("MISMATCH assertion case %d: the generated function %s\n", i, cases[i][0] ? "aborted" : "did not abort");
      fd_failures++;
    }
  }
  return fd_report("assert_kept");
}
#endif
