/* macro_pragmas: the pragmas are those the preprocessor keeps, each once.
 * Two made by a macro on one line are both generated; one in `#if 0` or
 * in an untaken `#ifdef` branch is not (they name functions that do not
 * exist: honoured, they would be refused); the `#else` branch taken is.
 * The marks use the form that compiles warning-free under any compiler
 * (README, "Compiling the marked file"): VGRAD(...) is `_Pragma` only when
 * vgradcc, which defines __VGRADCC__, reads the file; cli/pragma-guard
 * compiles this file with gcc -Wall -Werror. */
#ifndef REAL
#define REAL double
#endif

#ifdef __VGRADCC__
#define VGRAD(x) _Pragma(#x)
#else
#define VGRAD(x)
#endif

REAL square(REAL x) { return x * x; }
REAL cube(REAL x) { return x * x * x; }
REAL mixed(REAL x, REAL y) { return x * y + y * y * (REAL)0.5; }

VGRAD(vgrad grad(square)) VGRAD(vgrad value_and_grad(cube) name(cube_vg))

#if 0
VGRAD(vgrad grad(no_such_function))
#pragma vgrad grad(not_this_one_either)
#endif

#ifdef UNDEFINED_MACRO
VGRAD(vgrad grad(not_defined))
#else
VGRAD(vgrad value_and_grad(mixed) argnums(0, 1))
#endif

#ifdef VG_DRIVER
#include "macro_pragmas.vg.h"
#include "fdcheck.h"

static REAL in_x, in_y;
static REAL loss_square(void) { return square(in_x); }
static REAL loss_cube(void) { return cube(in_x); }
static REAL loss_mixed(void) { return mixed(in_x, in_y); }

int main(void) {
  in_x = (REAL)1.3;
  in_y = (REAL)-0.7;
  REAL d_x = 0, d_y = 0;
  square_grad(in_x, &d_x);
  fd_check("square d_x", -1, &in_x, d_x, loss_square);
  d_x = 0;
  fd_value("cube", cube_vg(in_x, &d_x), loss_cube());
  fd_check("cube d_x", -1, &in_x, d_x, loss_cube);
  d_x = 0;
  fd_value("mixed", mixed_value_and_grad(in_x, in_y, &d_x, &d_y), loss_mixed());
  fd_check("mixed d_x", -1, &in_x, d_x, loss_mixed);
  fd_check("mixed d_y", -1, &in_y, d_y, loss_mixed);
  return fd_report("macro_pragmas");
}
#endif
