/* The libvgrad array operations vgradcc differentiates: which calls they
 * are, and the call of each one's vector-Jacobian product. */
#include "ad.h"

#include <string.h>

static const ArrayOp ops[] = {
    {"vg_add", AOP_BINARY},     {"vg_sub", AOP_BINARY},     {"vg_mul", AOP_BINARY},
    {"vg_div", AOP_BINARY},     {"vg_maximum", AOP_BINARY}, {"vg_matmul", AOP_BINARY},
    {"vg_neg", AOP_UNARY},      {"vg_square", AOP_UNARY},   {"vg_sqrt", AOP_UNARY},
    {"vg_exp", AOP_UNARY},      {"vg_log", AOP_UNARY},      {"vg_abs", AOP_UNARY},
    {"vg_tanh", AOP_UNARY},     {"vg_sin", AOP_UNARY},      {"vg_cos", AOP_UNARY},
    {"vg_transpose", AOP_UNARY}, {"vg_sum", AOP_UNARY},     {"vg_mean", AOP_UNARY},
    {"vg_sum_axis", AOP_AXIS},  {"vg_mean_axis", AOP_AXIS}, {"vg_reshape", AOP_RESHAPE},
    {"vg_scalar", AOP_SCALAR},  {"vg_keep", AOP_IDENTITY},  {"vg_retain", AOP_IDENTITY},
    {"vg_copy", AOP_IDENTITY},  {"vg_astype", AOP_IDENTITY}, {"vg_from_f64", AOP_FROM},
    {"vg_from_f32", AOP_FROM},  {"vg_zeros", AOP_CONST},    {"vg_full", AOP_CONST},
    {"vg_zeros_like", AOP_CONST}, {"vg_ones_like", AOP_CONST}, {"vg_item", AOP_ITEM},
    {"vg_ndim", AOP_READER},    {"vg_shape", AOP_READER},   {"vg_size", AOP_READER},
    {"vg_dtype_of", AOP_READER}, {"vg_fprint", AOP_READER}, {"vg_free", AOP_FREE},
    {"vg_release", AOP_FREE},   {"vg_data_f64", AOP_DATA},  {"vg_data_f32", AOP_DATA},
    {"vg_stop_gradient_array", AOP_STOP},
};

const ArrayOp *ad_array_op(const char *name) {
  if (strncmp(name, "vg_", 3))
    return NULL;
  for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
    if (!strcmp(ops[i].name, name))
      return &ops[i];
  return NULL;
}

bool expr_is_array_call(Expr *e) {
  return e && e->kind == EX_CALL && ad_array_op(e->text) && type_is_array_value(e->type);
}
