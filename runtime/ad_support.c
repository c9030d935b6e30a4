/* Small pieces the generated code of array losses calls: scalars moving
 * between C and arrays, and the seed of the reverse sweep. */
#include "vgrad.h"

#include <math.h>
#include <stddef.h>

double vg_grad_item(const vg_array *g) { return g ? vg_item(g) : 0.0; }

void vg_item_vjp(const vg_array *a, double g, vg_array **g_a) {
  if (g == 0.0 || !g_a)
    return;
  vg_array *c = vg_scalar(g);
  vg_accumulate(g_a, a, c);
  vg_free(c);
}

vg_array *vg_ones_like(const vg_array *a) {
  return vg_full(vg_ndim(a), vg_shape(a), 1.0, vg_dtype_of(a));
}

/* Adds g's elements, converted, into d (n elements, double or float). */
static void add_elements(const vg_array *g, double *d64, float *d32) {
  vg_array *a = (vg_array *)g; /* read only */
  size_t n = vg_size(a);
  if (vg_dtype_of(a) == VG_F64) {
    const double *src = vg_data_f64(a);
    for (size_t i = 0; i < n; i++) {
      if (d64) d64[i] += src[i];
      else d32[i] += (float)src[i];
    }
  } else {
    const float *src = vg_data_f32(a);
    for (size_t i = 0; i < n; i++) {
      if (d64) d64[i] += src[i];
      else d32[i] += src[i];
    }
  }
}

void vg_from_f64_vjp(const vg_array *g, double *d_data) {
  if (g && d_data)
    add_elements(g, d_data, NULL);
}

void vg_from_f32_vjp(const vg_array *g, float *d_data) {
  if (g && d_data)
    add_elements(g, NULL, d_data);
}

double vg_cos_apart(double a) { return cos(a); }
double vg_sin_apart(double a) { return sin(a); }
float vg_cosf_apart(float a) { return cosf(a); }
float vg_sinf_apart(float a) { return sinf(a); }
