/* mem_structs: memcpy and memset of arrays of structs of numbers (an int
 * member among the floating ones): memset(buf, 0, sizeof buf),
 * memcpy(old, pts, n * sizeof *pts) from a struct parameter and
 * memcpy(buf, old, n * sizeof(struct P)) at every step of a loop.  Each
 * becomes a loop of struct assignments (buf[k] = (struct P){0} for
 * memset), taped member by member. */
#include <string.h>

#include "mem_structs.h"

REAL mem_structs(const struct P *pts, REAL a, int n) {
  struct P buf[4], old[4];
  memset(buf, 0, sizeof buf);
  memcpy(old, pts, n * sizeof *pts);
  for (int r = 0; r < 2; r++) {
    memcpy(buf, old, n * sizeof(struct P));
    for (int i = 0; i < n; i++) {
      old[i].x = a * buf[i].y + buf[(i + 1) % n].x;
      old[i].y = buf[i].x * buf[i].y + buf[i].tag;
    }
  }
  REAL s = 0;
  for (int i = 0; i < 4; i++)
    s += old[i % n].x * buf[i].y + buf[i].x;
  return s;
}
#pragma vgrad value_and_grad(mem_structs) argnums(0, 1)

#ifdef VG_DRIVER
#include "mem_structs.vg.h"
#include "fdcheck.h"

static struct P in_pts[3] = {{0.5, -0.3, 1}, {0.8, 0.4, 2}, {-0.6, 0.7, 3}};
static REAL in_a = 0.45;
static REAL loss(void) { return mem_structs(in_pts, in_a, 3); }

int main(void) {
  struct P d_pts[3] = {{0, 0, 0}, {0, 0, 0}, {0, 0, 0}};
  REAL d_a = 0;
  REAL v = mem_structs_value_and_grad(in_pts, in_a, 3, d_pts, &d_a);
  fd_value("value", v, loss());
  for (int i = 0; i < 3; i++) {
    fd_check("d_pts.x", i, &in_pts[i].x, d_pts[i].x, loss);
    fd_check("d_pts.y", i, &in_pts[i].y, d_pts[i].y, loss);
  }
  fd_check("d_a", -1, &in_a, d_a, loss);
  return fd_report("mem_structs");
}
#endif
