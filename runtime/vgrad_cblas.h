/* vgrad_cblas.h: vgradcc's built-in derivative rules for CBLAS (design
 * 1.6), used by generated code when the differentiated file includes
 * <cblas.h>: cblas_ddot and cblas_sdot.  Each rule has the signature a
 * custom_vjp / custom_jvp rule of the user would have; NULL gradients or
 * tangents are those of arguments that do not depend on the selected
 * inputs.  Strides follow BLAS: element i of a vector with a negative
 * increment inc is x[(n - 1 - i) * -inc]; n <= 0 is an empty vector. */
#ifndef VGRAD_CBLAS_H
#define VGRAD_CBLAS_H

/* The offset of element i of a strided vector of n elements. */
static inline long vg_blas_at(long i, long n, long inc) { return inc >= 0 ? i * inc : (n - 1 - i) * -inc; }

static inline double vg_cblas_ddot_vjp(long n, const double *x, long incx, const double *y, long incy,
                                       double ct_ret, double *d_x, double *d_y) {
  double dot = 0;
  for (long i = 0; i < n; i++) {
    double xi = x[vg_blas_at(i, n, incx)], yi = y[vg_blas_at(i, n, incy)];
    dot += xi * yi;
    if (d_x)
      d_x[vg_blas_at(i, n, incx)] += ct_ret * yi;
    if (d_y)
      d_y[vg_blas_at(i, n, incy)] += ct_ret * xi;
  }
  return dot;
}

static inline double vg_cblas_ddot_jvp(long n, const double *x, long incx, const double *y, long incy,
                                       const double *t_x, const double *t_y, double *t_ret) {
  double dot = 0, t_dot = 0;
  for (long i = 0; i < n; i++) {
    long ix = vg_blas_at(i, n, incx), iy = vg_blas_at(i, n, incy);
    dot += x[ix] * y[iy];
    if (t_x)
      t_dot += t_x[ix] * y[iy];
    if (t_y)
      t_dot += x[ix] * t_y[iy];
  }
  *t_ret = t_dot;
  return dot;
}

static inline float vg_cblas_sdot_vjp(long n, const float *x, long incx, const float *y, long incy, float ct_ret,
                                      float *d_x, float *d_y) {
  float dot = 0;
  for (long i = 0; i < n; i++) {
    float xi = x[vg_blas_at(i, n, incx)], yi = y[vg_blas_at(i, n, incy)];
    dot += xi * yi;
    if (d_x)
      d_x[vg_blas_at(i, n, incx)] += ct_ret * yi;
    if (d_y)
      d_y[vg_blas_at(i, n, incy)] += ct_ret * xi;
  }
  return dot;
}

static inline float vg_cblas_sdot_jvp(long n, const float *x, long incx, const float *y, long incy, const float *t_x,
                                      const float *t_y, float *t_ret) {
  float dot = 0, t_dot = 0;
  for (long i = 0; i < n; i++) {
    long ix = vg_blas_at(i, n, incx), iy = vg_blas_at(i, n, incy);
    dot += x[ix] * y[iy];
    if (t_x)
      t_dot += t_x[ix] * y[iy];
    if (t_y)
      t_dot += x[ix] * t_y[iy];
  }
  *t_ret = t_dot;
  return dot;
}

#endif
