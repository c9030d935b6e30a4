/* loss_first_of_two: the loss in the first element of an output buffer
 * whose second element the function also writes, as ADBench's
 * computeReprojError writes a residual pair (bench/ref/ba.c met it):
 * loss(err[0]), loss(*err) and loss(err) were refused ("'err' may only
 * be used as *err or err[0]") although loss(err[1]) was accepted.  Used
 * otherwise, err is an output buffer whose gradient lives in a buffer of
 * the generated function, the loss its first element.  err holds what
 * the original leaves in it.
 *
 * The driver checks value and gradient (cam, X, every entry) against
 * central finite differences, float64 and float32, with tests/fdcheck.h's
 * steps and tolerances (|g - n| <= 1e-6 + 1e-5 max(|g|,|n|) for double,
 * 2e-3 + 2e-2 max(...) for float), for each spelling and for err[1]. */
#include <math.h>
#ifndef REAL
#define REAL double
#endif

void reproj(const REAL *cam, const REAL *X, REAL *err) {
  REAL p0 = cam[0] * X[0] + cam[1] * X[1];
  REAL p1 = cam[2] * X[1] - sin(cam[0]) * X[2];
  err[0] = p0 / (1 + X[2] * X[2]) - (REAL)0.3;
  err[1] = p1 * err[0] + tanh(p0);
}
#pragma vgrad value_and_grad(reproj) argnums(0, 1) loss(err[0]) name(reproj_first)
#pragma vgrad value_and_grad(reproj) argnums(0, 1) loss(*err) name(reproj_star)
#pragma vgrad grad(reproj) argnums(0, 1) loss(err) name(reproj_plain)
#pragma vgrad value_and_grad(reproj) argnums(0, 1) loss(err[1]) name(reproj_second)

/* the residual through a helper: err passed on */
static void residual(const REAL *cam, const REAL *X, REAL *r) {
  r[0] = cam[0] * cam[1] - X[0];
  r[1] = cam[2] * X[1] * r[0];
}
void reproj_helper(const REAL *cam, const REAL *X, REAL *err) {
  residual(cam, X, err);
  err[0] = err[0] * err[0] + (REAL)0.1 * err[1];
}
#pragma vgrad value_and_grad(reproj_helper) argnums(0, 1) loss(err)

#ifdef VG_DRIVER
#include "loss_first_of_two.vg.h"
#include "fdcheck.h"

static REAL in_cam[3] = {0.7, -0.4, 1.1}, in_X[3] = {0.5, 0.9, -0.6};
static int in_k;
static REAL loss(void) {
  REAL err[2];
  reproj(in_cam, in_X, err);
  return err[in_k];
}
static REAL helper_loss(void) {
  REAL err[2];
  reproj_helper(in_cam, in_X, err);
  return err[0];
}

typedef void (*Grad)(const REAL *, const REAL *, REAL *, REAL *, REAL *);

int main(void) {
  Grad first[3] = {reproj_first, reproj_star, reproj_plain};
  const char *names[3] = {"loss(err[0])", "loss(*err)", "loss(err)"};
  REAL want[2];
  reproj(in_cam, in_X, want);
  for (int s = 0; s < 4; s++) {
    REAL err[2] = {0}, d_cam[3] = {0}, d_X[3] = {0};
    in_k = s < 3 ? 0 : 1;
    (s < 3 ? first[s] : reproj_second)(in_cam, in_X, err, d_cam, d_X);
    const char *name = s < 3 ? names[s] : "loss(err[1])";
    fd_exact(name, err[0], want[0]);
    fd_exact(name, err[1], want[1]);
    fd_check_array("d_cam", in_cam, d_cam, 3, loss);
    fd_check_array("d_X", in_X, d_X, 3, loss);
  }
  REAL err[2] = {0}, hwant[2], d_cam[3] = {0}, d_X[3] = {0};
  reproj_helper(in_cam, in_X, hwant);
  reproj_helper_value_and_grad(in_cam, in_X, err, d_cam, d_X);
  fd_exact("helper err[0]", err[0], hwant[0]);
  fd_exact("helper err[1]", err[1], hwant[1]);
  fd_check_array("d_cam (helper)", in_cam, d_cam, 3, helper_loss);
  fd_check_array("d_X (helper)", in_X, d_X, 3, helper_loss);
  return fd_report("loss_first_of_two");
}
#endif
