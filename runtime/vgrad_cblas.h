/* vgrad_cblas.h: vgradcc's built-in derivative rules for CBLAS (design
 * 1.6), used by generated code when the differentiated file includes
 * <cblas.h>: cblas_Xdot, cblas_Xaxpy, cblas_Xscal, cblas_Xgemv and
 * cblas_Xgemm, X = d or s.  Each rule has the signature a custom_vjp /
 * custom_jvp rule of the user would have (an output y gets `const T *ct_y`
 * in the vjp, and its tangent `T *t_y` is updated in place by the jvp);
 * NULL gradients or tangents are those of arguments that do not depend on
 * the selected inputs.  vg_cblas_X_written gives how many elements from
 * the output pointer on the call may write (the region the reverse sweep
 * saves); the vjp adds the cotangent of an element of that region the call
 * leaves alone (a stride's gap, the rows of C beyond N) to its gradient
 * unchanged.  Strides follow BLAS: element i of a vector with a negative
 * increment inc is x[(n - 1 - i) * -inc]; n <= 0 is an empty vector.  A
 * call whose arguments BLAS rejects (a leading dimension too small, a
 * zero increment where BLAS forbids it; xscal with inc <= 0, which BLAS
 * leaves alone) writes nothing and has the identity as its rule.  The
 * rules compute in plain loops, not through BLAS. */
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

/* CBLAS's enumerations, by value (<cblas.h> need not come first). */
enum { VG_BLAS_ROW_MAJOR = 101, VG_BLAS_COL_MAJOR = 102, VG_BLAS_NO_TRANS = 111, VG_BLAS_TRANS = 112,
       VG_BLAS_CONJ_TRANS = 113, VG_BLAS_CONJ_NO_TRANS = 114 };

static inline long vg_blas_abs(long v) { return v < 0 ? -v : v; }
static inline long vg_blas_max1(long v) { return v > 1 ? v : 1; }
/* The span of a strided vector of n elements: 1 + (n - 1) |inc| (0 when empty). */
static inline long vg_blas_span(long n, long inc) { return n > 0 ? 1 + (n - 1) * vg_blas_abs(inc) : 0; }
/* Whether offset k of a vector's span is one of its elements (not a stride's gap). */
static inline int vg_blas_on_stride(long k, long inc) { return inc == 0 || k % vg_blas_abs(inc) == 0; }
static inline int vg_blas_transposed(int trans) { return trans == VG_BLAS_TRANS || trans == VG_BLAS_CONJ_TRANS; }
static inline int vg_blas_trans_ok(int trans) { return trans >= VG_BLAS_NO_TRANS && trans <= VG_BLAS_CONJ_NO_TRANS; }
/* The offset of element (i, j) of op(A), A stored in `order` with leading dimension ld. */
static inline long vg_blas_mat_at(int order, int trans, long ld, long i, long j) {
  return (order == VG_BLAS_ROW_MAJOR) == !vg_blas_transposed(trans) ? i * ld + j : i + j * ld;
}

/* xaxpy: y := alpha x + y.  Every element of y's span passes its cotangent on. */
static inline long vg_cblas_axpy_written(long n, long incy) { return vg_blas_span(n, incy); }

/* xscal: x := alpha x; BLAS does nothing for inc <= 0. */
static inline long vg_cblas_scal_written(long n, long incx) { return incx > 0 ? vg_blas_span(n, incx) : 0; }

/* xgemv: y := alpha op(A) x + beta y, A m x n; op(A) has rows rows and cols columns. */
static inline int vg_cblas_gemv_ok(int order, int trans, long m, long n, long lda, long incx, long incy) {
  return (order == VG_BLAS_ROW_MAJOR || order == VG_BLAS_COL_MAJOR) && vg_blas_trans_ok(trans) && m >= 0 &&
         n >= 0 && lda >= vg_blas_max1(order == VG_BLAS_ROW_MAJOR ? n : m) && incx != 0 && incy != 0;
}
static inline long vg_cblas_gemv_written(int order, int trans, long m, long n, long lda, long incx, long incy) {
  if (!vg_cblas_gemv_ok(order, trans, m, n, lda, incx, incy))
    return 0;
  return vg_blas_span(vg_blas_transposed(trans) ? n : m, incy);
}

/* xgemm: C := alpha op(A) op(B) + beta C, C m x n, op(A) m x k. */
static inline int vg_cblas_gemm_ok(int order, int ta, int tb, long m, long n, long k, long lda, long ldb, long ldc) {
  int row = order == VG_BLAS_ROW_MAJOR;
  long a_ld = row ? (vg_blas_transposed(ta) ? m : k) : (vg_blas_transposed(ta) ? k : m);
  long b_ld = row ? (vg_blas_transposed(tb) ? k : n) : (vg_blas_transposed(tb) ? n : k);
  return (row || order == VG_BLAS_COL_MAJOR) && vg_blas_trans_ok(ta) && vg_blas_trans_ok(tb) && m >= 0 &&
         n >= 0 && k >= 0 && lda >= vg_blas_max1(a_ld) && ldb >= vg_blas_max1(b_ld) &&
         ldc >= vg_blas_max1(row ? n : m);
}
static inline long vg_cblas_gemm_written(int order, int ta, int tb, long m, long n, long k, long lda, long ldb,
                                         long ldc) {
  if (!vg_cblas_gemm_ok(order, ta, tb, m, n, k, lda, ldb, ldc) || m == 0 || n == 0)
    return 0;
  return order == VG_BLAS_ROW_MAJOR ? (m - 1) * ldc + n : (n - 1) * ldc + m;
}

#define VG_CBLAS_WRITER_RULES(X, T)                                                                          \
  static inline long vg_cblas_##X##axpy_written(long n, T alpha, const T *x, long incx, const T *y, long incy) { \
    (void)alpha, (void)x, (void)incx, (void)y;                                                              \
    return vg_cblas_axpy_written(n, incy);                                                                  \
  }                                                                                                         \
  static inline void vg_cblas_##X##axpy_vjp(long n, T alpha, const T *x, long incx, T *y, long incy,        \
                                            const T *ct_y, T *d_alpha, T *d_x, T *d_y) {                    \
    (void)y;                                                                                                \
    for (long i = 0; i < n; i++) {                                                                          \
      long ix = vg_blas_at(i, n, incx), iy = vg_blas_at(i, n, incy);                                        \
      if (d_alpha)                                                                                          \
        *d_alpha += ct_y[iy] * x[ix];                                                                       \
      if (d_x)                                                                                              \
        d_x[ix] += alpha * ct_y[iy];                                                                        \
    }                                                                                                       \
    for (long k = 0; d_y && k < vg_cblas_axpy_written(n, incy); k++)                                        \
      d_y[k] += ct_y[k];                                                                                    \
  }                                                                                                         \
  static inline void vg_cblas_##X##axpy_jvp(long n, T alpha, const T *x, long incx, T *y, long incy,        \
                                            T t_alpha, const T *t_x, T *t_y) {                              \
    for (long i = 0; i < n; i++) {                                                                          \
      long ix = vg_blas_at(i, n, incx), iy = vg_blas_at(i, n, incy);                                        \
      t_y[iy] += t_alpha * x[ix] + (t_x ? alpha * t_x[ix] : 0);                                             \
      y[iy] += alpha * x[ix];                                                                               \
    }                                                                                                       \
  }                                                                                                         \
                                                                                                            \
  static inline long vg_cblas_##X##scal_written(long n, T alpha, const T *x, long incx) {                   \
    (void)alpha, (void)x;                                                                                   \
    return vg_cblas_scal_written(n, incx);                                                                  \
  }                                                                                                         \
  static inline void vg_cblas_##X##scal_vjp(long n, T alpha, T *x, long incx, const T *ct_x, T *d_alpha,   \
                                            T *d_x) {                                                       \
    long span = vg_cblas_scal_written(n, incx);                                                             \
    for (long k = 0; k < span; k++) {                                                                       \
      int on = vg_blas_on_stride(k, incx);                                                                  \
      if (d_alpha && on)                                                                                    \
        *d_alpha += ct_x[k] * x[k];                                                                         \
      if (d_x)                                                                                              \
        d_x[k] += on ? alpha * ct_x[k] : ct_x[k];                                                           \
    }                                                                                                       \
  }                                                                                                         \
  static inline void vg_cblas_##X##scal_jvp(long n, T alpha, T *x, long incx, T t_alpha, T *t_x) {          \
    for (long i = 0; incx > 0 && i < n; i++) {                                                              \
      t_x[i * incx] = t_alpha * x[i * incx] + alpha * t_x[i * incx];                                        \
      x[i * incx] *= alpha;                                                                                 \
    }                                                                                                       \
  }                                                                                                         \
                                                                                                            \
  static inline long vg_cblas_##X##gemv_written(int order, int trans, long m, long n, T alpha, const T *a,   \
                                                long lda, const T *x, long incx, T beta, const T *y,        \
                                                long incy) {                                                \
    (void)alpha, (void)a, (void)x, (void)beta, (void)y;                                                     \
    return vg_cblas_gemv_written(order, trans, m, n, lda, incx, incy);                                      \
  }                                                                                                         \
  static inline void vg_cblas_##X##gemv_vjp(int order, int trans, long m, long n, T alpha, const T *a,      \
                                            long lda, const T *x, long incx, T beta, T *y, long incy,       \
                                            const T *ct_y, T *d_alpha, T *d_a, T *d_x, T *d_beta, T *d_y) { \
    long span = vg_cblas_gemv_written(order, trans, m, n, lda, incx, incy);                                 \
    long rows = vg_blas_transposed(trans) ? n : m, cols = vg_blas_transposed(trans) ? m : n;                \
    for (long i = 0; span && i < rows; i++) {                                                               \
      T g = ct_y[vg_blas_at(i, rows, incy)], ax = 0;                                                        \
      for (long j = 0; j < cols; j++) {                                                                     \
        long at = vg_blas_mat_at(order, trans, lda, i, j), jx = vg_blas_at(j, cols, incx);                  \
        ax += a[at] * x[jx];                                                                                \
        if (d_a)                                                                                            \
          d_a[at] += alpha * g * x[jx];                                                                     \
        if (d_x)                                                                                            \
          d_x[jx] += alpha * g * a[at];                                                                     \
      }                                                                                                     \
      if (d_alpha)                                                                                          \
        *d_alpha += g * ax;                                                                                 \
      if (d_beta)                                                                                           \
        *d_beta += g * y[vg_blas_at(i, rows, incy)];                                                        \
    }                                                                                                       \
    for (long k = 0; d_y && k < span; k++)                                                                  \
      d_y[k] += vg_blas_on_stride(k, incy) ? beta * ct_y[k] : ct_y[k];                                      \
  }                                                                                                         \
  static inline void vg_cblas_##X##gemv_jvp(int order, int trans, long m, long n, T alpha, const T *a,      \
                                            long lda, const T *x, long incx, T beta, T *y, long incy,       \
                                            T t_alpha, const T *t_a, const T *t_x, T t_beta, T *t_y) {      \
    if (!vg_cblas_gemv_written(order, trans, m, n, lda, incx, incy))                                        \
      return;                                                                                               \
    long rows = vg_blas_transposed(trans) ? n : m, cols = vg_blas_transposed(trans) ? m : n;                \
    for (long i = 0; i < rows; i++) {                                                                       \
      T ax = 0, t_ax = 0;                                                                                   \
      for (long j = 0; j < cols; j++) {                                                                     \
        long at = vg_blas_mat_at(order, trans, lda, i, j), jx = vg_blas_at(j, cols, incx);                  \
        ax += a[at] * x[jx];                                                                                \
        t_ax += (t_a ? t_a[at] * x[jx] : 0) + (t_x ? a[at] * t_x[jx] : 0);                                  \
      }                                                                                                     \
      long iy = vg_blas_at(i, rows, incy);                                                                  \
      T t = t_alpha * ax + alpha * t_ax + (t_beta != 0 ? t_beta * y[iy] : 0);                               \
      t_y[iy] = beta != 0 ? t + beta * t_y[iy] : t;                                                         \
      y[iy] = beta != 0 ? alpha * ax + beta * y[iy] : alpha * ax;                                           \
    }                                                                                                       \
  }                                                                                                         \
                                                                                                            \
  static inline long vg_cblas_##X##gemm_written(int order, int ta, int tb, long m, long n, long k, T alpha,  \
                                                const T *a, long lda, const T *b, long ldb, T beta,         \
                                                const T *c, long ldc) {                                     \
    (void)alpha, (void)a, (void)b, (void)beta, (void)c;                                                     \
    return vg_cblas_gemm_written(order, ta, tb, m, n, k, lda, ldb, ldc);                                    \
  }                                                                                                         \
  static inline void vg_cblas_##X##gemm_vjp(int order, int ta, int tb, long m, long n, long k, T alpha,     \
                                            const T *a, long lda, const T *b, long ldb, T beta, T *c,       \
                                            long ldc, const T *ct_c, T *d_alpha, T *d_a, T *d_b, T *d_beta, \
                                            T *d_c) {                                                       \
    long span = vg_cblas_gemm_written(order, ta, tb, m, n, k, lda, ldb, ldc);                               \
    if (!span)                                                                                              \
      return;                                                                                               \
    for (long s = 0; d_c && s < span; s++) /* C's gaps: passed on */                                       \
      if (s % ldc >= (order == VG_BLAS_ROW_MAJOR ? n : m))                                                  \
        d_c[s] += ct_c[s];                                                                                  \
    for (long i = 0; i < m; i++)                                                                            \
      for (long j = 0; j < n; j++) {                                                                        \
        long ic = vg_blas_mat_at(order, VG_BLAS_NO_TRANS, ldc, i, j);                                       \
        T g = ct_c[ic], ab = 0;                                                                             \
        for (long l = 0; l < k; l++) {                                                                      \
          long ia = vg_blas_mat_at(order, ta, lda, i, l), ib = vg_blas_mat_at(order, tb, ldb, l, j);         \
          ab += a[ia] * b[ib];                                                                              \
          if (d_a)                                                                                          \
            d_a[ia] += alpha * g * b[ib];                                                                   \
          if (d_b)                                                                                          \
            d_b[ib] += alpha * g * a[ia];                                                                   \
        }                                                                                                   \
        if (d_alpha)                                                                                        \
          *d_alpha += g * ab;                                                                               \
        if (d_beta)                                                                                         \
          *d_beta += g * c[ic];                                                                             \
        if (d_c)                                                                                            \
          d_c[ic] += beta * g;                                                                              \
      }                                                                                                     \
  }                                                                                                         \
  static inline void vg_cblas_##X##gemm_jvp(int order, int ta, int tb, long m, long n, long k, T alpha,     \
                                            const T *a, long lda, const T *b, long ldb, T beta, T *c,       \
                                            long ldc, T t_alpha, const T *t_a, const T *t_b, T t_beta,      \
                                            T *t_c) {                                                       \
    if (!vg_cblas_gemm_written(order, ta, tb, m, n, k, lda, ldb, ldc))                                      \
      return;                                                                                               \
    for (long i = 0; i < m; i++)                                                                            \
      for (long j = 0; j < n; j++) {                                                                        \
        long ic = vg_blas_mat_at(order, VG_BLAS_NO_TRANS, ldc, i, j);                                       \
        T ab = 0, t_ab = 0;                                                                                 \
        for (long l = 0; l < k; l++) {                                                                      \
          long ia = vg_blas_mat_at(order, ta, lda, i, l), ib = vg_blas_mat_at(order, tb, ldb, l, j);         \
          ab += a[ia] * b[ib];                                                                              \
          t_ab += (t_a ? t_a[ia] * b[ib] : 0) + (t_b ? a[ia] * t_b[ib] : 0);                                \
        }                                                                                                   \
        T t = t_alpha * ab + alpha * t_ab + (t_beta != 0 ? t_beta * c[ic] : 0);                             \
        t_c[ic] = beta != 0 ? t + beta * t_c[ic] : t;                                                       \
        c[ic] = beta != 0 ? alpha * ab + beta * c[ic] : alpha * ab;                                         \
      }                                                                                                     \
  }

/* vg_cblas_daxpy_vjp, ..., vg_cblas_sgemm_jvp and their _written */
VG_CBLAS_WRITER_RULES(d, double)
VG_CBLAS_WRITER_RULES(s, float)

#endif
