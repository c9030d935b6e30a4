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

/* The rules of one precision: cblas_Xdot's vjp and jvp for type T. */
#define VG_CBLAS_DOT_RULES(X, T)                                                                            \
  static inline T vg_cblas_##X##dot_vjp(long n, const T *x, long incx, const T *y, long incy, T ct_ret,      \
                                        T *d_x, T *d_y) {                                                   \
    T dot = 0;                                                                                              \
    for (long i = 0; i < n; i++) {                                                                          \
      T xi = x[vg_blas_at(i, n, incx)], yi = y[vg_blas_at(i, n, incy)];                                     \
      dot += xi * yi;                                                                                       \
      if (d_x)                                                                                              \
        d_x[vg_blas_at(i, n, incx)] += ct_ret * yi;                                                         \
      if (d_y)                                                                                              \
        d_y[vg_blas_at(i, n, incy)] += ct_ret * xi;                                                         \
    }                                                                                                       \
    return dot;                                                                                             \
  }                                                                                                         \
                                                                                                            \
  static inline T vg_cblas_##X##dot_jvp(long n, const T *x, long incx, const T *y, long incy, const T *t_x,  \
                                        const T *t_y, T *t_ret) {                                           \
    T dot = 0, t_dot = 0;                                                                                   \
    for (long i = 0; i < n; i++) {                                                                          \
      long ix = vg_blas_at(i, n, incx), iy = vg_blas_at(i, n, incy);                                        \
      dot += x[ix] * y[iy];                                                                                 \
      if (t_x)                                                                                              \
        t_dot += t_x[ix] * y[iy];                                                                           \
      if (t_y)                                                                                              \
        t_dot += x[ix] * t_y[iy];                                                                           \
    }                                                                                                       \
    *t_ret = t_dot;                                                                                         \
    return dot;                                                                                             \
  }

/* vg_cblas_ddot_vjp, vg_cblas_ddot_jvp, vg_cblas_sdot_vjp, vg_cblas_sdot_jvp */
VG_CBLAS_DOT_RULES(d, double)
VG_CBLAS_DOT_RULES(s, float)

#endif
