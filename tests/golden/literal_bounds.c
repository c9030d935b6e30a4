/* literal_bounds: counted loops whose bound is a literal C reads in a way
 * other than decimal digits.  Their pushes are reserved before the loop by
 * its number of iterations, which must be the loop's own: 0x12 is 18 (it
 * was read as 0, the tape reserved for none, and the puts ran past the
 * block), 2.5 lets the counter run to 3 (a count is taken only from
 * integers: the loop then reserves each iteration), 'a' is 97. */
#include <math.h>

#ifndef REAL
#define REAL double
#endif

REAL hex(REAL x) {
  REAL y = x;
  for (int i = 0; i < 0x12; i++)
    y = (REAL)sin(y) * x + (REAL)cos(y) * x * (REAL)0.01;
  return y;
}
#pragma vgrad value_and_grad(hex)

REAL fraction(REAL x) {
  REAL y = x;
  for (int i = 0; i < 2.5; i++)
    y = (REAL)sin(y) * x + (REAL)cos(y) * x * (REAL)0.5;
  return y;
}
#pragma vgrad value_and_grad(fraction)

REAL character(REAL x) {
  REAL y = x;
  for (int i = 'Z'; i < 'a'; i++)
    y = (REAL)sin(y) * x + (REAL)cos(y) * x * (REAL)0.1;
  return y;
}
#pragma vgrad value_and_grad(character)

#ifdef VG_DRIVER
#include "literal_bounds.vg.h"
#include "fdcheck.h"

static REAL in_x;
static REAL loss_hex(void) { return hex(in_x); }
static REAL loss_fraction(void) { return fraction(in_x); }
static REAL loss_character(void) { return character(in_x); }

int main(void) {
  in_x = (REAL)0.9;
  REAL d = 0;
  fd_value("hex", hex_value_and_grad(in_x, &d), loss_hex());
  fd_check("hex d_x", -1, &in_x, d, loss_hex);
  d = 0;
  fd_value("fraction", fraction_value_and_grad(in_x, &d), loss_fraction());
  fd_check("fraction d_x", -1, &in_x, d, loss_fraction);
  d = 0;
  fd_value("character", character_value_and_grad(in_x, &d), loss_character());
  fd_check("character d_x", -1, &in_x, d, loss_character);
  return fd_report("literal_bounds");
}
#endif
