/* globals_tables: the globals and constant tables of numerical C (issue 19
 * point 3): static const tables at file scope and in the function (copied
 * into the generated file), a non-static global table and number read, a
 * global running average written in a loop and read again, a global loss
 * written for the caller, a call counter written by an inlined helper and
 * read by a function of another file between (stored before and loaded
 * after that call), enum and const int sizes of local arrays.  Each global
 * holds afterwards what the original leaves there; an assert between
 * (a C library call) is no reason to refuse.  FD f64/f32. */
#include <assert.h>
#include <math.h>
#ifndef REAL
#define REAL double
#endif

enum { TERMS = 3 };
static const REAL table[4] = {0.5, 1.5, -2.0, 0.25};
static const REAL rotation[2][2] = {{0.6, -0.8}, {0.8, 0.6}};
static const int table_len = 4;
REAL coefs[3] = {1.0, 2.0, 3.0};
REAL decay = 0.9;

REAL running = 0.5; /* written and read back */
REAL last_loss;     /* written for the caller */
int calls;          /* counted by a helper, read by check_calls */
int check_calls(int expected); /* in another file (the driver here) */

static REAL counted(REAL v) {
  calls++;
  return v * v;
}

REAL tables(const REAL *x, int n) {
  static const REAL weights[TERMS] = {0.1, 0.2, 0.3};
  const int m = TERMS;
  REAL buf[TERMS], scaled[m];
  REAL s = 0;
  for (int i = 0; i < TERMS && i < n; i++) {
    buf[i] = table[i % table_len] * x[i] * coefs[i] * weights[i];
    scaled[i] = buf[i] * rotation[i % 2][(i + 1) % 2];
    s += scaled[i] * decay;
  }
  for (int i = 0; i < n; i++) {
    running = decay * running + (1 - decay) * x[i];
    s += running * x[i];
  }
  assert(s == s); /* the C library's: no need to store the globals around it */
  last_loss = s;
  return s * running;
}
#pragma vgrad value_and_grad(tables) argnums(0)

REAL counting(const REAL *x, int n) {
  REAL s = 0;
  for (int i = 0; i < n; i++)
    s += counted(x[i]);
  s *= (REAL)check_calls(calls);
  calls = calls + 1;
  return s;
}
#pragma vgrad value_and_grad(counting) argnums(0)

#ifdef VG_DRIVER
#include "globals_tables.vg.h"
#include "fdcheck.h"

int check_calls(int expected) { return calls == expected ? 1 : -1000; }

static REAL in_x[5] = {0.3, -0.2, 0.7, 0.4, -0.5};
static int in_n = 5;
static REAL loss_tables(void) {
  running = 0.5;
  return tables(in_x, in_n);
}
static REAL loss_counting(void) {
  calls = 0;
  return counting(in_x, in_n);
}

int main(void) {
  for (in_n = 2; in_n <= 5; in_n += 3) {
    REAL d_x[5] = {0};
    running = 0.5;
    REAL v = tables_value_and_grad(in_x, in_n, d_x);
    REAL running_after = running, loss_after = last_loss;
    fd_value("tables", v, loss_tables());
    fd_exact("global running", running_after, running);
    fd_exact("global last_loss", loss_after, last_loss);
    fd_check_array("tables d_x", in_x, d_x, in_n, loss_tables);

    REAL c_x[5] = {0};
    calls = 0;
    v = counting_value_and_grad(in_x, in_n, c_x);
    int calls_after = calls;
    fd_value("counting", v, loss_counting());
    fd_exact("global calls", calls_after, calls);
    fd_check_array("counting d_x", in_x, c_x, in_n, loss_counting);
  }
  return fd_report("globals_tables");
}
#endif
