/* struct_copy: whole structs copied: a struct local initialised from a
 * struct behind a pointer (Layer h = *head), a struct assigned to a local
 * (c = net), and a struct passed by value to a helper.  Every member's
 * adjoint, array members included, goes back to the struct it was copied
 * from. */
#include <math.h>

#include "struct_copy.h"

/* l.w . x + l.b, with the layer by value */
static REAL apply(Layer l, const REAL *x) { return l.w[0] * x[0] + l.w[1] * x[1] + l.w[2] * x[2] + l.b; }

REAL struct_copy(Net net, const Layer *head, const REAL *x) {
  Layer h = *head;
  Net c;
  c = net;
  c.layer.b = c.layer.b * c.scale;
  REAL z = tanh(apply(c.layer, x));
  return z * (h.w[0] + h.w[1] * x[1] + h.w[2] * z) + h.b * c.layer.w[2];
}
#pragma vgrad value_and_grad(struct_copy) argnames(net, head)

#ifdef VG_DRIVER
#include <string.h>

#include "struct_copy.vg.h"
#include "fdcheck.h"

static Net in_net = {{{0.4, -0.3, 0.25}, 0.1}, 1.2};
static Layer in_head = {{0.7, -0.5, 0.3}, 0.2};
static REAL in_x[3] = {0.5, -1.0, 1.5};
static REAL loss(void) { return struct_copy(in_net, &in_head, in_x); }

int main(void) {
  Net d_net;
  Layer d_head;
  memset(&d_net, 0, sizeof d_net);
  memset(&d_head, 0, sizeof d_head);
  REAL v = struct_copy_value_and_grad(in_net, &in_head, in_x, &d_net, &d_head);
  fd_value("value", v, loss());
  fd_check_array("d_net.layer.w", in_net.layer.w, d_net.layer.w, 3, loss);
  fd_check("d_net.layer.b", -1, &in_net.layer.b, d_net.layer.b, loss);
  fd_check("d_net.scale", -1, &in_net.scale, d_net.scale, loss);
  fd_check_array("d_head.w", in_head.w, d_head.w, 3, loss);
  fd_check("d_head.b", -1, &in_head.b, d_head.b, loss);
  return fd_report("struct_copy");
}
#endif
