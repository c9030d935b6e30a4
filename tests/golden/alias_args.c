/* alias_args: the same array passed for two pointer parameters, one of
 * which the function writes.  The analyses treat parameters as separate
 * arrays, so the generated function refuses such a call at run time (with
 * a message and abort) instead of returning a wrong gradient; distinct
 * arrays work as usual. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>

#ifndef REAL
#define REAL double
#endif

void smooth(int n, const REAL *x, REAL *y, REAL *err) {
  *err = 0;
  for (int i = 0; i < n; i++) {
    y[i] = 0.5 * (x[i] + x[(i + 1) % n]);
    *err += y[i] * y[i];
  }
}
#pragma vgrad value_and_grad(smooth) argnames(x, y) loss(err)

#ifdef VG_DRIVER
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alias_args.vg.h"
#include "fdcheck.h"

static REAL in_x[4] = {0.3, -1.2, 0.8, 2.0};
static REAL loss(void) {
  REAL y[4], e;
  smooth(4, in_x, y, &e);
  return e;
}

int main(void) {
  REAL y[4], e, d_x[4] = {0}, d_y[4] = {0};
  smooth_value_and_grad(4, in_x, y, &e, d_x, d_y);
  fd_value("value", e, loss());
  fd_check_array("d_x", in_x, d_x, 4, loss);

  /* x and y the same array: refused, in a child process */
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    REAL t[4] = {1, 2, 3, 4}, g[4] = {0};
    fclose(stderr); /* the message is expected; keep the test output clean */
    smooth_value_and_grad(4, t, t, &e, g, g);
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  fd_value("aliased call aborts", WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT, 1);
  return fd_report("alias_args");
}
#endif
