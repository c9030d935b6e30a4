/* struct_param: parameters of struct type, one by value (a model with a
 * nested struct, a struct with a fixed array, and a scalar) and one by
 * const pointer; members read as m->w[i] (in a helper), s.b,
 * model.layer.w[i], and a struct local written and read member by member.  The gradient outputs are structs of the same types
 * (Model *d_model, Dense *d_head), added to like raw-memory gradients. */
#include <math.h>

#include "struct_param.h"

/* m->w . x + m->b */
static REAL affine(const Dense *m, const REAL *x) {
  REAL s = m->b;
  for (int i = 0; i < 3; i++)
    s += m->w[i] * x[i];
  return s;
}

REAL struct_param(Model model, const Dense *head, const REAL *x) {
  Dense scaled; /* a struct local */
  for (int i = 0; i < 3; i++)
    scaled.w[i] = model.layer.w[i] * model.norm.scale;
  scaled.b = model.layer.b + model.norm.shift;
  REAL z = scaled.b;
  for (int i = 0; i < 3; i++)
    z += scaled.w[i] * x[i];
  REAL y = affine(head, x) * tanh(z) + head->w[2] * scaled.b;
  return y * y / model.temp;
}
#pragma vgrad value_and_grad(struct_param) argnames(model, head)

#ifdef VG_DRIVER
#include <string.h>

#include "struct_param.vg.h"
#include "fdcheck.h"

static Model in_model = {{{0.4, -0.3, 0.25}, 0.1}, {1.2, -0.2}, 1.5};
static Dense in_head = {{0.7, -0.5, 0.3}, 0.2};
static REAL in_x[3] = {0.5, -1.0, 1.5};
static REAL loss(void) { return struct_param(in_model, &in_head, in_x); }

int main(void) {
  Model d_model;
  Dense d_head;
  memset(&d_model, 0, sizeof d_model);
  memset(&d_head, 0, sizeof d_head);
  REAL v = struct_param_value_and_grad(in_model, &in_head, in_x, &d_model, &d_head);
  fd_value("value", v, loss());
  fd_check_array("d_model.layer.w", in_model.layer.w, d_model.layer.w, 3, loss);
  fd_check("d_model.layer.b", -1, &in_model.layer.b, d_model.layer.b, loss);
  fd_check("d_model.norm.scale", -1, &in_model.norm.scale, d_model.norm.scale, loss);
  fd_check("d_model.norm.shift", -1, &in_model.norm.shift, d_model.norm.shift, loss);
  fd_check("d_model.temp", -1, &in_model.temp, d_model.temp, loss);
  fd_check_array("d_head.w", in_head.w, d_head.w, 3, loss);
  fd_check("d_head.b", -1, &in_head.b, d_head.b, loss);
  return fd_report("struct_param");
}
#endif
