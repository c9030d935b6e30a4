/* cli/multi-shared: energy_a.vg.c and energy_b.vg.c, which both inline
 * shared.c's soft_clip, linked into one program with shared.c; each
 * gradient against finite differences; REAL double or float. */
#include "fdcheck.h"
#include "shared.h"
#include "energy_a.vg.h"
#include "energy_b.vg.h"

static REAL x[4] = {0.3, -0.5, 0.9, 1.4};
static REAL s = 0.7;

static REAL loss_a(void) { return energy_a(x, 4); }
static REAL loss_b(void) { return energy_b(s, x, 4); }

int main(void) {
  REAL d_x[4] = {0};
  energy_a_grad(x, 4, d_x);
  fd_check_array("energy_a d_x", x, d_x, 4, loss_a);
  REAL d_s = 0, d_x_b[4] = {0};
  REAL v = energy_b_value_and_grad(s, x, 4, &d_s, d_x_b);
  fd_value("energy_b", v, loss_b());
  fd_check("energy_b d_s", 0, &s, d_s, loss_b);
  fd_check_array("energy_b d_x", x, d_x_b, 4, loss_b);
  return fd_report("multi-shared");
}
