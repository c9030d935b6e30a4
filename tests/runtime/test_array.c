/* test_array.c: forward values of every vg_array operation against numbers
 * worked out by hand, dtypes, the ownership rule, and error messages. */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_util.h"

static const double E = 2.718281828459045;
static const double PI = 3.141592653589793;

/* Owned arrays from literals. */
static vg_array *mat(int rows, int cols, const double *v) {
  return vg_from_f64(v, 2, (int[]){rows, cols});
}
static vg_array *vec(int n, const double *v) { return vg_from_f64(v, 1, (int[]){n}); }

static void test_create_and_read(void) {
  vg_array *a = mat(2, 3, (double[]){1, 2, 3, 4, 5, 6});
  check(vg_ndim(a) == 2 && vg_shape(a)[0] == 2 && vg_shape(a)[1] == 3 && vg_size(a) == 6 &&
            vg_dtype_of(a) == VG_F64 && vg_data_f64(a)[5] == 6 && !vg_is_temporary(a),
        "create_from_f64", "wrong ndim/shape/size/dtype/data");
  vg_free(a);

  float f[] = {1.5f, -2.5f};
  vg_array *b = vg_from_f32(f, 1, (int[]){2});
  check(vg_dtype_of(b) == VG_F32 && vg_data_f32(b)[1] == -2.5f && vg_size(b) == 2,
        "create_from_f32", "wrong dtype or data");
  vg_free(b);

  vg_array *s = vg_scalar(3.25);
  check(vg_ndim(s) == 0 && vg_size(s) == 1 && vg_item(s) == 3.25, "create_scalar_0d",
        "ndim %d size %zu", vg_ndim(s), vg_size(s));
  vg_free(s);

  vg_array *z = vg_zeros(3, (int[]){2, 0, 4}, VG_F32);
  check(vg_size(z) == 0 && vg_ndim(z) == 3 && vg_dtype_of(z) == VG_F32, "create_zeros_empty",
        "size %zu", vg_size(z));
  vg_free(z);
  CHECK_VALUES("create_zeros", vg_zeros(2, (int[]){1, 2}, VG_F64), 2, ARR(1, 2), ARR(0, 0), 0);
  CHECK_VALUES("create_full_f32", vg_full(1, (int[]){3}, 0.5, VG_F32), 1, ARR(3),
               ARR(0.5, 0.5, 0.5), 0);

  vg_array *c = mat(1, 2, (double[]){7, 8});
  CHECK_VALUES("copy", vg_copy(c), 2, ARR(1, 2), ARR(7, 8), 0);
  vg_array *c32 = vg_astype(c, VG_F32);
  check(vg_dtype_of(c32) == VG_F32 && vg_data_f32(c32)[1] == 8.0f, "astype_f32",
        "dtype or value wrong");
  vg_free(c32);
  CHECK_VALUES("zeros_like", vg_zeros_like(c), 2, ARR(1, 2), ARR(0, 0), 0);
  vg_free(c);
}

static void test_print(void) {
  vg_array *a = mat(2, 2, (double[]){1, 0.1, -2.5, 1e20});
  FILE *f = tmpfile();
  char buf[256] = "";
  if (f) {
    vg_fprint(f, a);
    rewind(f);
    if (!fgets(buf, sizeof buf, f)) buf[0] = 0;
    fclose(f);
  }
  check(strcmp(buf, "array([[1, 0.1], [-2.5, 1e+20]], shape=(2,2), float64)\n") == 0, "fprint",
        "printed %s", buf);
  vg_free(a);
}

static void test_broadcasting(void) {
  vg_array *a42 = mat(4, 2, (double[]){1, 2, 3, 4, 5, 6, 7, 8});
  vg_array *b2 = vec(2, (double[]){10, 20});
  CHECK_VALUES("add_broadcast_4x2_2", vg_add(a42, b2), 2, ARR(4, 2),
               ARR(11, 22, 13, 24, 15, 26, 17, 28), 0);
  CHECK_VALUES("add_broadcast_2_4x2", vg_add(b2, a42), 2, ARR(4, 2),
               ARR(11, 22, 13, 24, 15, 26, 17, 28), 0);
  CHECK_VALUES("sub_broadcast_4x2_2", vg_sub(a42, b2), 2, ARR(4, 2),
               ARR(-9, -18, -7, -16, -5, -14, -3, -12), 0);

  vg_array *c31 = mat(3, 1, (double[]){1, 2, 3});
  vg_array *r14 = mat(1, 4, (double[]){1, 10, 100, 1000});
  CHECK_VALUES("mul_broadcast_3x1_1x4", vg_mul(c31, r14), 2, ARR(3, 4),
               ARR(1, 10, 100, 1000, 2, 20, 200, 2000, 3, 30, 300, 3000), 0);
  CHECK_VALUES("div_broadcast_1x4_3x1", vg_div(r14, c31), 2, ARR(3, 4),
               ARR(1, 10, 100, 1000, 0.5, 5, 50, 500, 1. / 3, 10. / 3, 100. / 3, 1000. / 3), 1e-15);

  vg_array *two = vg_scalar(2);
  vg_array *m = mat(2, 2, (double[]){1, 2, 3, 4});
  CHECK_VALUES("mul_scalar_left", vg_mul(two, m), 2, ARR(2, 2), ARR(2, 4, 6, 8), 0);
  CHECK_VALUES("sub_scalar_left", vg_sub(two, m), 2, ARR(2, 2), ARR(1, 0, -1, -2), 0);
  CHECK_VALUES("div_scalar_right", vg_div(m, two), 2, ARR(2, 2), ARR(0.5, 1, 1.5, 2), 0);
  CHECK_VALUES("add_scalar_scalar", vg_add(two, two), 0, ARR(0), ARR(4), 0);

  /* (2,1,3) with (4,1) -> (2,4,3): leading axis added and two axes stretched. */
  vg_array *p = vg_from_f64((double[]){1, 2, 3, 4, 5, 6}, 3, (int[]){2, 1, 3});
  vg_array *q = mat(4, 1, (double[]){0, 10, 20, 30});
  double want[24];
  for (int i = 0; i < 2; i++)
    for (int j = 0; j < 4; j++)
      for (int k = 0; k < 3; k++) want[(i * 4 + j) * 3 + k] = (i * 3 + k + 1) + 10 * j;
  char why[256] = "";
  vg_array *pq = vg_add(p, q);
  check(values_are(pq, 3, (int[]){2, 4, 3}, want, 0, why, sizeof why), "add_broadcast_3d", "%s",
        why);
  vg_free(pq);

  /* Eight dimensions, alternating 1s: (2,1,2,1,2,1,2,1) + (1,2,1,2,1,2,1,2). */
  double v16[16], w16[16];
  for (int i = 0; i < 16; i++) v16[i] = i, w16[i] = 100 * i;
  vg_array *p8 = vg_from_f64(v16, 8, (int[]){2, 1, 2, 1, 2, 1, 2, 1});
  vg_array *q8 = vg_from_f64(w16, 8, (int[]){1, 2, 1, 2, 1, 2, 1, 2});
  vg_array *s8 = vg_add(p8, q8);
  /* out[i0 j0 i1 j1 ...] = v[i] + w[j]: each v and each w appears 16 times */
  bool ok8 = vg_size(s8) == 256 && vg_ndim(s8) == 8 && vg_data_f64(s8)[255] == 15 + 1500 &&
             vg_data_f64(s8)[1] == 100;
  vg_array *t8 = vg_sum(s8);
  check(ok8 && vg_item(t8) == 120 * 16 + 12000 * 16, "add_broadcast_8d", "sum %g", vg_item(t8));
  vg_free(t8);
  vg_free(p8);
  vg_free(q8);

  vg_array *mx_a = vec(4, (double[]){1, 5, NAN, -1});
  vg_array *mx_b = vec(4, (double[]){2, 3, 0, NAN});
  CHECK_VALUES("maximum_nan_propagates", vg_maximum(mx_a, mx_b), 1, ARR(4), ARR(2, 5, NAN, NAN), 0);
  vg_array *c25 = vg_scalar(2.5); /* constructors give owned arrays: freed below */
  CHECK_VALUES("maximum_broadcast", vg_maximum(m, c25), 2, ARR(2, 2), ARR(2.5, 2.5, 3, 4), 0);
  vg_free(c25);

  vg_array *empty = vg_zeros(2, (int[]){0, 2}, VG_F64);
  vg_array *e2 = vg_add(empty, b2);
  check(shape_is(e2, 2, (int[]){0, 2}) && vg_size(e2) == 0, "add_empty_broadcast", "wrong shape");
  vg_free(e2);

  /* Owned operands are never changed by in-place reuse of temporaries. */
  vg_array *t = vg_sum(vg_mul(vg_add(a42, b2), vg_sub(a42, b2)));
  check(vg_data_f64(a42)[0] == 1 && vg_data_f64(b2)[1] == 20 && vg_item(t) == 204 - 2000,
        "owned_operands_untouched", "an input changed or the value is wrong");
  vg_free(t);
  vg_free(empty);
  vg_free(mx_a);
  vg_free(mx_b);
  vg_free(p);
  vg_free(q);
  vg_free(two);
  vg_free(m);
  vg_free(c31);
  vg_free(r14);
  vg_free(a42);
  vg_free(b2);
}

/* Offset in a (ndim na, shape sa, right-aligned) of output index idx. */
static size_t source_offset(int n, const int *idx, int na, const int *sa) {
  size_t off = 0;
  for (int d = 0; d < na; d++)
    off = off * (size_t)sa[d] + (size_t)(sa[d] == 1 ? 0 : idx[n - na + d]);
  return off;
}

/* Random shapes of up to 5 axes with random 1s and missing leading axes,
 * against a direct index computation: exercises the loop's axis merging. */
static void test_broadcast_random(void) {
  unsigned r = 7;
  int bad = -1;
  for (int trial = 0; trial < 400 && bad < 0; trial++) {
    int n = (int)((r = r * 1103515245 + 12345) >> 16) % 6, full[5], sa[5], sb[5];
    for (int d = 0; d < n; d++) full[d] = 1 + (int)((r = r * 1103515245 + 12345) >> 16) % 4;
    int na = n - (int)((r = r * 1103515245 + 12345) >> 16) % (n + 1), nb = n;
    if ((r >> 20) & 1) nb = na, na = n; /* either side may lack axes */
    for (int d = 0; d < na; d++)
      sa[d] = ((r = r * 1103515245 + 12345) >> 17) & 1 ? 1 : full[n - na + d];
    for (int d = 0; d < nb; d++)
      sb[d] = ((r = r * 1103515245 + 12345) >> 17) & 1 ? 1 : full[n - nb + d];
    vg_array *a = vg_zeros(na, sa, VG_F64), *b = vg_zeros(nb, sb, VG_F32);
    for (size_t i = 0; i < vg_size(a); i++) vg_data_f64(a)[i] = (double)i;
    for (size_t i = 0; i < vg_size(b); i++) vg_data_f32(b)[i] = (float)(1000 * i);
    vg_array *c = vg_add(a, b);
    int shape[5], idx[5] = {0};
    for (int d = 0; d < n; d++) shape[d] = 1;
    for (int d = 0; d < na; d++)
      shape[n - na + d] = sa[d] > shape[n - na + d] ? sa[d] : shape[n - na + d];
    for (int d = 0; d < nb; d++)
      shape[n - nb + d] = sb[d] > shape[n - nb + d] ? sb[d] : shape[n - nb + d];
    bool ok = c && vg_ndim(c) == n;
    for (size_t i = 0; ok && i < vg_size(c); i++) {
      double want =
          (double)source_offset(n, idx, na, sa) + 1000.0 * (double)source_offset(n, idx, nb, sb);
      ok = vg_data_f64(c)[i] == want;
      for (int d = n - 1; d >= 0 && ++idx[d] == shape[d]; d--) idx[d] = 0; /* next index */
    }
    if (!ok) bad = trial;
    vg_free(c);
    vg_free(a);
    vg_free(b);
  }
  check(bad < 0, "broadcast_random_shapes_400", "trial %d differs from the direct computation",
        bad);
}

static void test_unary(void) {
  vg_array *x = vec(3, (double[]){-2, 0, 0.5});
  CHECK_VALUES("neg", vg_neg(x), 1, ARR(3), ARR(2, -0.0, -0.5), 0);
  CHECK_VALUES("square", vg_square(x), 1, ARR(3), ARR(4, 0, 0.25), 0);
  CHECK_VALUES("abs", vg_abs(x), 1, ARR(3), ARR(2, 0, 0.5), 0);
  CHECK_VALUES("tanh", vg_tanh(x), 1, ARR(3), ARR(-0.9640275800758169, 0, 0.46211715726000974),
               1e-15);
  CHECK_VALUES("exp", vg_exp(x), 1, ARR(3), ARR(0.1353352832366127, 1, 1.6487212707001282), 1e-15);
  vg_array *y = vec(3, (double[]){4, 1, E});
  CHECK_VALUES("sqrt", vg_sqrt(y), 1, ARR(3), ARR(2, 1, 1.6487212707001282), 1e-15);
  CHECK_VALUES("log", vg_log(y), 1, ARR(3), ARR(1.3862943611198906, 0, 1), 1e-15);
  vg_array *z = vec(3, (double[]){0, PI / 2, PI});
  CHECK_VALUES("sin", vg_sin(z), 1, ARR(3), ARR(0, 1, 0), 1e-15);
  CHECK_VALUES("cos", vg_cos(z), 1, ARR(3), ARR(1, 0, -1), 1e-15);
  CHECK_VALUES("log_of_zero_is_minus_inf", vg_log(vg_zeros_like(z)), 1, ARR(3),
               ARR(-INFINITY, -INFINITY, -INFINITY), 0);
  /* A chain of unary operations on one temporary. */
  CHECK_VALUES("unary_chain", vg_sqrt(vg_square(vg_neg(y))), 1, ARR(3), ARR(4, 1, E), 1e-15);
  vg_free(x);
  vg_free(y);
  vg_free(z);
}

static void test_dtypes(void) {
  vg_array *a = vg_from_f32((float[]){1.5f, 2.5f}, 1, (int[]){2});
  vg_array *b = vg_from_f32((float[]){0.25f, 4}, 1, (int[]){2});
  vg_array *c = vec(2, (double[]){0.1, 0.2});
  vg_array *ab = vg_mul(a, b), *ac = vg_add(a, c), *e = vg_exp(a), *s = vg_sum(a);
  check(vg_dtype_of(ab) == VG_F32 && vg_data_f32(ab)[1] == 10.0f, "dtype_f32_f32_is_f32",
        "dtype %d", vg_dtype_of(ab));
  check(vg_dtype_of(ac) == VG_F64 && vg_data_f64(ac)[0] == 1.5 + 0.1, "dtype_f32_f64_is_f64",
        "dtype %d value %.17g", vg_dtype_of(ac), elem(ac, 0));
  check(vg_dtype_of(e) == VG_F32 && vg_data_f32(e)[0] == (float)exp(1.5),
        "dtype_unary_f32_rounded_once", "value %.9g", elem(e, 0));
  check(vg_dtype_of(s) == VG_F32 && vg_item(s) == 4.0, "dtype_sum_f32", "wrong sum");
  vg_array *mm = vg_matmul(a, c);
  check(vg_dtype_of(mm) == VG_F64 && fabs(vg_item(mm) - (0.15 + 0.5)) < 1e-15, "dtype_matmul_mixed",
        "value %.17g", vg_item(mm));
  vg_free(mm);
  vg_free(ab);
  vg_free(ac);
  vg_free(e);
  vg_free(s);
  vg_free(a);
  vg_free(b);
  vg_free(c);
}

static void test_matmul(void) {
  vg_array *a = mat(2, 2, (double[]){1, 2, 3, 4});
  vg_array *b = mat(2, 2, (double[]){5, 6, 7, 8});
  CHECK_VALUES("matmul_2x2", vg_matmul(a, b), 2, ARR(2, 2), ARR(19, 22, 43, 50), 0);
  vg_array *u = vec(3, (double[]){1, 2, 3}), *v = vec(3, (double[]){4, 5, 6});
  CHECK_VALUES("matmul_1d_1d_inner", vg_matmul(u, v), 0, ARR(0), ARR(32), 0);
  vg_array *m23 = mat(2, 3, (double[]){1, 2, 3, 4, 5, 6});
  CHECK_VALUES("matmul_2d_1d", vg_matmul(m23, u), 1, ARR(2), ARR(14, 32), 0);
  vg_array *m32 = mat(3, 2, (double[]){1, 2, 3, 4, 5, 6});
  CHECK_VALUES("matmul_1d_2d", vg_matmul(u, m32), 1, ARR(2), ARR(22, 28), 0);
  CHECK_VALUES("matmul_2x3_3x2", vg_matmul(m23, m32), 2, ARR(2, 2), ARR(22, 28, 49, 64), 0);
  /* A stack of two 2x2 matrices times one 2x2: the second operand broadcasts. */
  vg_array *st = vg_from_f64((double[]){1, 2, 3, 4, 1, 0, 0, 1}, 3, (int[]){2, 2, 2});
  CHECK_VALUES("matmul_batched_broadcast", vg_matmul(st, b), 3, ARR(2, 2, 2),
               ARR(19, 22, 43, 50, 5, 6, 7, 8), 0);
  vg_array *z30 = vg_zeros(2, (int[]){3, 0}, VG_F64), *z02 = vg_zeros(2, (int[]){0, 2}, VG_F64);
  CHECK_VALUES("matmul_empty_inner_is_zero", vg_matmul(z30, z02), 2, ARR(3, 2),
               ARR(0, 0, 0, 0, 0, 0), 0);
  vg_free(z30);
  vg_free(z02);

  /* Large enough for the blocked kernel, with ragged edges: compare with a
   * plain triple loop, for f64 and f32, with each micro-kernel (up to the
   * best this CPU has). */
  enum { M = 67, K = 91, N = 45 };
  static double A[M * K], B[K * N], C[M * N];
  static float A32[M * K], B32[K * N];
  unsigned s = 12345;
  for (int i = 0; i < M * K; i++)
    A32[i] = (float)(A[i] = (s = s * 1103515245 + 12345) % 1000 / 500.0 - 1);
  for (int i = 0; i < K * N; i++)
    B32[i] = (float)(B[i] = (s = s * 1103515245 + 12345) % 1000 / 500.0 - 1);
  for (int i = 0; i < M; i++)
    for (int j = 0; j < N; j++) {
      double acc = 0;
      for (int p = 0; p < K; p++) acc += A[i * K + p] * B[p * N + j];
      C[i * N + j] = acc;
    }
  static const char *kernels[] = {"avx512", "avx2", "portable"}; /* the best one available */
  for (int kernel = 0; kernel < 3; kernel++) {
    setenv("VGRAD_MATMUL_KERNEL", kernels[kernel], 1);
    for (int f32 = 0; f32 < 2; f32++) {
      vg_array *x = f32 ? vg_from_f32(A32, 2, (int[]){M, K}) : vg_from_f64(A, 2, (int[]){M, K});
      vg_array *y = f32 ? vg_from_f32(B32, 2, (int[]){K, N}) : vg_from_f64(B, 2, (int[]){K, N});
      vg_array *r = vg_matmul(x, y);
      double worst = 0;
      for (int i = 0; i < M * N; i++) worst = fmax(worst, fabs(elem(r, (size_t)i) - C[i]));
      char name[64];
      snprintf(name, sizeof name, "matmul_blocked_%s_kernel_%s", kernels[kernel],
               f32 ? "f32" : "f64");
      /* f32 inputs are the f64 ones rounded; products are accumulated in double. */
      check(shape_is(r, 2, (int[]){M, N}) && worst < (f32 ? 1e-4 : 1e-12), name, "max error %g",
            worst);
      vg_free(r);
      vg_free(x);
      vg_free(y);
    }
  }
  unsetenv("VGRAD_MATMUL_KERNEL");
  vg_free(st);
  vg_free(m23);
  vg_free(m32);
  vg_free(u);
  vg_free(v);
  vg_free(a);
  vg_free(b);
}

static void test_shape_ops(void) {
  vg_array *m = mat(2, 3, (double[]){1, 2, 3, 4, 5, 6});
  CHECK_VALUES("transpose_2d", vg_transpose(m), 2, ARR(3, 2), ARR(1, 4, 2, 5, 3, 6), 0);
  double d[24];
  for (int i = 0; i < 24; i++) d[i] = i;
  vg_array *t3 = vg_from_f64(d, 3, (int[]){2, 3, 4});
  vg_array *tt = vg_transpose(t3);
  /* out[k][j][i] = in[i][j][k] */
  bool ok = shape_is(tt, 3, (int[]){4, 3, 2});
  for (int i = 0; ok && i < 2; i++)
    for (int j = 0; j < 3; j++)
      for (int k = 0; k < 4; k++)
        if (elem(tt, (size_t)((k * 3 + j) * 2 + i)) != (i * 3 + j) * 4 + k) ok = false;
  check(ok, "transpose_3d_reverses_axes", "wrong element");
  vg_free(tt);
  vg_array *v = vec(3, (double[]){1, 2, 3});
  CHECK_VALUES("transpose_1d_identity", vg_transpose(v), 1, ARR(3), ARR(1, 2, 3), 0);
  CHECK_VALUES("reshape_minus_one", vg_reshape(m, 2, (int[]){3, -1}), 2, ARR(3, 2),
               ARR(1, 2, 3, 4, 5, 6), 0);
  CHECK_VALUES("reshape_to_0d", vg_reshape(vg_sum(v), 0, NULL), 0, ARR(0), ARR(6), 0);
  CHECK_VALUES("reshape_temporary", vg_reshape(vg_neg(m), 1, (int[]){6}), 1, ARR(6),
               ARR(-1, -2, -3, -4, -5, -6), 0);
  vg_free(t3);
  vg_free(v);
  vg_free(m);
}

static void test_reductions(void) {
  vg_array *m = mat(2, 3, (double[]){1, 2, 3, 4, 5, 6});
  CHECK_VALUES("sum", vg_sum(m), 0, ARR(0), ARR(21), 0);
  CHECK_VALUES("mean", vg_mean(m), 0, ARR(0), ARR(3.5), 0);
  CHECK_VALUES("sum_axis_0", vg_sum_axis(m, 0), 1, ARR(3), ARR(5, 7, 9), 0);
  CHECK_VALUES("sum_axis_1", vg_sum_axis(m, 1), 1, ARR(2), ARR(6, 15), 0);
  CHECK_VALUES("sum_axis_minus_1", vg_sum_axis(m, -1), 1, ARR(2), ARR(6, 15), 0);
  CHECK_VALUES("mean_axis_0", vg_mean_axis(m, 0), 1, ARR(3), ARR(2.5, 3.5, 4.5), 0);
  CHECK_VALUES("mean_axis_1", vg_mean_axis(m, 1), 1, ARR(2), ARR(2, 5), 0);
  double d[24];
  for (int i = 0; i < 24; i++) d[i] = i;
  vg_array *t = vg_from_f64(d, 3, (int[]){2, 3, 4});
  /* middle axis: out[i][k] = sum_j (12 i + 4 j + k) = 36 i + 12 + 3 k */
  CHECK_VALUES("sum_axis_middle_3d", vg_sum_axis(t, 1), 2, ARR(2, 4),
               ARR(12, 15, 18, 21, 48, 51, 54, 57), 0);
  vg_array *empty = vg_zeros(1, (int[]){0}, VG_F64);
  CHECK_VALUES("sum_empty_is_0", vg_sum(empty), 0, ARR(0), ARR(0), 0);
  CHECK_VALUES("mean_empty_is_nan", vg_mean(empty), 0, ARR(0), ARR(NAN), 0);
  /* Pairwise summation: 10^6 copies of 0.1 in float32 stay accurate. */
  enum { BIG = 1000000 };
  vg_array *big = vg_full(1, (int[]){BIG}, 0.1, VG_F32);
  vg_array *bs = vg_sum(big);
  check(fabs(vg_item(bs) - BIG * (double)0.1f) < 1e-2, "sum_f32_accurate", "sum %.9g", vg_item(bs));
  vg_free(bs);
  vg_free(big);
  vg_free(empty);
  vg_free(t);
  vg_free(m);
}

/* ---- ownership ---- */

static vg_array *loss(vg_array *a, vg_array *b) { return vg_mean(vg_square(vg_sub(a, b))); }

/* Uses x twice, not knowing whether it was given a temporary: 2 x^2. */
static vg_array *twice(vg_array *x) {
  x = vg_retain(x);
  vg_array *y = vg_mul(x, vg_add(x, x));
  vg_release(x);
  return y;
}

static void test_ownership(void) {
  long base = vg_live_arrays();
  vg_array *a = vec(3, (double[]){1, 2, 3}), *b = vec(3, (double[]){1, 0, 0});
  vg_array *l = loss(a, b);
  check(vg_live_arrays() == base + 3 && vg_is_temporary(l) && fabs(vg_item(l) - 13. / 3) < 1e-15,
        "nested_expression_frees_intermediates", "live %ld", vg_live_arrays() - base);
  vg_free(l);
  check(vg_live_arrays() == base + 2, "result_freed", "live %ld", vg_live_arrays() - base);

  /* A kept temporary survives being an operand, and is freed once. */
  vg_array *d = vg_keep(vg_sub(a, b));
  vg_array *r = vg_add(vg_sum(d), vg_mean(d));
  check(!vg_is_temporary(d) && fabs(vg_item(r) - (5 + 5. / 3)) < 1e-14 &&
            vg_live_arrays() == base + 4,
        "keep_survives_use", "live %ld", vg_live_arrays() - base);
  vg_free(r);
  vg_free(d);

  /* The same temporary as both operands is consumed once. */
  vg_array *t = vg_sub(a, b);
  vg_array *s = vg_sum(vg_mul(t, t));
  check(vg_item(s) == 13 && vg_live_arrays() == base + 3, "same_temporary_twice", "live %ld",
        vg_live_arrays() - base);
  vg_free(s);

  /* vg_keep on an owned array adds a reference: two vg_free calls. */
  vg_array *k = vg_keep(a);
  vg_free(k);
  check(vg_live_arrays() == base + 2 && vg_data_f64(a)[2] == 3, "keep_owned_is_reference",
        "live %ld", vg_live_arrays() - base);

  /* The retain/release pattern of a function using its argument twice works
   * whether it is given a temporary or an owned array. */
  long before = vg_live_arrays();
  vg_array *y1 = twice(a), *y2 = twice(vg_neg(a));
  check(vg_live_arrays() == before + 2 && vg_data_f64(a)[1] == 2 && vg_data_f64(y1)[2] == 18 &&
            vg_data_f64(y2)[2] == 18,
        "retain_release_pattern", "live %ld", vg_live_arrays() - before);
  vg_free(y1);
  vg_free(y2);
  vg_free(a);
  vg_free(b);
  check(vg_live_arrays() == base, "ownership_all_freed", "live %ld", vg_live_arrays() - base);
}

/* ---- errors ---- */

#define CHECK_ERROR(name, expr, message)                                                         \
  do {                                                                                           \
    capture_errors();                                                                            \
    long live_ = vg_live_arrays();                                                               \
    vg_array *r_ = (expr);                                                                       \
    check(r_ == NULL && n_errors >= 1 && strcmp(first_error, message) == 0 &&                    \
              vg_live_arrays() == live_,                                                         \
          name, "got %s (%d errors, result %p, live %+ld)", n_errors ? first_error : "no error", \
          n_errors, (void *)r_, vg_live_arrays() - live_);                                       \
    restore_errors();                                                                            \
  } while (0)

static void test_errors(void) {
  vg_array *a42 = vg_zeros(2, (int[]){4, 2}, VG_F64), *b3 = vg_zeros(1, (int[]){3}, VG_F64);
  vg_array *c31 = vg_zeros(2, (int[]){3, 1}, VG_F64), *m22 = vg_zeros(2, (int[]){2, 2}, VG_F64);
  CHECK_ERROR("error_add_broadcast", vg_add(a42, b3),
              "vg_add: shapes (4,2) and (3,) cannot be broadcast");
  CHECK_ERROR("error_mul_broadcast_temporaries_freed", vg_mul(vg_neg(a42), vg_neg(b3)),
              "vg_mul: shapes (4,2) and (3,) cannot be broadcast");
  CHECK_ERROR(
      "error_matmul_inner", vg_matmul(a42, c31),
      "vg_matmul: shapes (4,2) and (3,1) are not aligned (inner dimensions 2 and 3 differ)");
  CHECK_ERROR("error_matmul_0d", vg_matmul(vg_sum(a42), a42),
              "vg_matmul: shapes () and (4,2): matmul needs at least one dimension (use vg_mul "
              "for scalars)");
  CHECK_ERROR("error_reshape", vg_reshape(a42, 2, (int[]){3, 3}),
              "vg_reshape: cannot reshape array of shape (4,2) into shape (3,3)");
  CHECK_ERROR("error_reshape_two_unknown", vg_reshape(a42, 2, (int[]){-1, -1}),
              "vg_reshape: invalid shape (-1,-1) (only one -1 is allowed, no other negative)");
  CHECK_ERROR("error_sum_axis", vg_sum_axis(a42, 2),
              "vg_sum_axis: axis 2 is out of range for shape (4,2)");
  CHECK_ERROR("error_mean_axis_0d", vg_mean_axis(vg_sum(a42), 0),
              "vg_mean_axis: axis 0 is out of range for shape ()");
  CHECK_ERROR("error_null_operand", vg_exp(NULL), "vg_exp: a is NULL");
  CHECK_ERROR("error_null_in_expression", vg_sum(vg_add(NULL, vg_neg(a42))), "vg_add: a is NULL");
  CHECK_ERROR("error_negative_dim", vg_zeros(2, (int[]){2, -1}, VG_F64),
              "vg_zeros: negative dimension in shape (2,-1)");
  CHECK_ERROR("error_too_many_dims", vg_zeros(9, (int[]){1, 1, 1, 1, 1, 1, 1, 1, 1}, VG_F64),
              "vg_zeros: ndim 9 is out of range (0 to 8)");
  CHECK_ERROR("error_from_null_data", vg_from_f64(NULL, 1, (int[]){2}),
              "vg_from_f64: data is NULL for shape (2,)");

  capture_errors();
  double v = vg_item(m22);
  check(isnan(v) && strcmp(first_error,
                           "vg_item: the array has shape (2,2) (4 elements), not one element") == 0,
        "error_item", "got %s", first_error);
  float *p = vg_data_f32(m22);
  check(p == NULL &&
            strcmp(vg_last_error(), "vg_data_f32: the array is float64 (use vg_data_f64)") == 0,
        "error_data_dtype", "got %s", vg_last_error());

  /* VJP argument errors change nothing. */
  vg_array *g = vg_zeros(1, (int[]){3}, VG_F64), *ga = NULL;
  capture_errors();
  vg_add_vjp(a42, m22, NULL, g, &ga, NULL);
  check(ga == NULL &&
            strcmp(first_error, "vg_add_vjp: shapes (4,2) and (2,2) cannot be broadcast") == 0,
        "error_vjp_shapes", "got %s", first_error);
  capture_errors();
  vg_add_vjp(a42, a42, NULL, g, &ga, NULL);
  check(ga == NULL &&
            strcmp(first_error,
                   "vg_add_vjp: g_out has shape (3,) but the result has shape (4,2)") == 0,
        "error_vjp_gout_shape", "got %s", first_error);
  capture_errors();
  vg_array *wrong = vg_zeros(1, (int[]){2}, VG_F64);
  vg_exp_vjp(a42, NULL, a42, &wrong);
  check(strcmp(first_error,
               "vg_exp_vjp: the gradient has shape (2,) but its array has shape (4,2)") == 0,
        "error_vjp_slot_shape", "got %s", first_error);
  restore_errors();
  vg_free(wrong);
  vg_free(g);

  /* The default handler prints the message and aborts: run it in a child. */
  int fds[2];
  if (pipe(fds) == 0) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
      dup2(fds[1], 2);
      close(fds[0]);
      vg_add(a42, b3);
      _exit(0); /* not reached */
    }
    close(fds[1]);
    char buf[256] = "";
    ssize_t n = read(fds[0], buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    check(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT &&
              strstr(buf, "vgrad: error: vg_add: shapes (4,2) and (3,) cannot be broadcast\n"),
          "error_default_handler_aborts", "status %d, stderr: %s", status, buf);
  }
  vg_free(a42);
  vg_free(b3);
  vg_free(c31);
  vg_free(m22);
}

int main(void) {
  test_create_and_read();
  test_print();
  test_broadcasting();
  test_broadcast_random();
  test_unary();
  test_dtypes();
  test_matmul();
  test_shape_ops();
  test_reductions();
  test_ownership();
  test_errors();
  return finish();
}
