/* matmul.c: vg_matmul, its VJP, and the matrix-multiply kernel under both.
 *
 * The kernel is the classic Goto/BLIS blocking, in plain C plus AVX2+FMA and
 * AVX-512 micro-kernels chosen at run time (no BLAS to link):
 *
 *   for each NC-wide column block of B
 *     for each KC-deep slice:   pack B's slice into NR-wide panels  (~L3)
 *       for each MC-tall row block of A:  pack it into MR-tall panels (~L2)
 *         for each NR panel of B (stays in L1), each MR panel of A:
 *           micro-kernel: an MR x NR tile of C held in registers, KC updates
 *
 * Packing copies into contiguous double buffers, so the micro-kernel streams
 * memory linearly whatever the operands' strides (transposed operands in the
 * VJP cost nothing extra) and dtypes (float32 is widened on the way: float32
 * products are accumulated in double). */
#include <stdlib.h>
#include <string.h>

#include "vg_internal.h"

#if defined(__GNUC__) && defined(__x86_64__)
#define VG_HAVE_X86_KERNELS 1
#include <immintrin.h>
#endif

enum { MC = 96, KC = 256, NC = 2048, MAX_MR = 8, MAX_NR = 16 };

/* C[i*ldc + j] += sum_p a[p*mr + i] * b[p*nr + j] for one mr x nr tile. */
typedef void (*micro_fn)(size_t kc, const double *a, const double *b, double *c, size_t ldc);

typedef struct {
  size_t mr, nr;
  micro_fn fn;
} micro_kernel;

/* Portable 4 x 4: sixteen scalar accumulators fit the registers of any
 * 64-bit target. */
static void micro_4x4(size_t kc, const double *a, const double *b, double *c, size_t ldc) {
  double c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  double c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (size_t p = 0; p < kc; p++, a += 4, b += 4) {
    double b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
    c00 += a[0] * b0, c01 += a[0] * b1, c02 += a[0] * b2, c03 += a[0] * b3;
    c10 += a[1] * b0, c11 += a[1] * b1, c12 += a[1] * b2, c13 += a[1] * b3;
    c20 += a[2] * b0, c21 += a[2] * b1, c22 += a[2] * b2, c23 += a[2] * b3;
    c30 += a[3] * b0, c31 += a[3] * b1, c32 += a[3] * b2, c33 += a[3] * b3;
  }
  double *r0 = c, *r1 = c + ldc, *r2 = c + 2 * ldc, *r3 = c + 3 * ldc;
  r0[0] += c00, r0[1] += c01, r0[2] += c02, r0[3] += c03;
  r1[0] += c10, r1[1] += c11, r1[2] += c12, r1[3] += c13;
  r2[0] += c20, r2[1] += c21, r2[2] += c22, r2[3] += c23;
  r3[0] += c30, r3[1] += c31, r3[2] += c32, r3[3] += c33;
}

#ifdef VG_HAVE_X86_KERNELS
/* 6 x 8 with AVX2 FMA: 12 accumulators + 2 B vectors + 1 broadcast A use
 * 15 of the 16 ymm registers. */
__attribute__((target("avx2,fma"))) static void
micro_6x8_avx2(size_t kc, const double *a, const double *b, double *c, size_t ldc) {
  __m256d c00 = _mm256_setzero_pd(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  __m256d c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  for (size_t p = 0; p < kc; p++, a += 6, b += 8) {
    __m256d b0 = _mm256_load_pd(b), b1 = _mm256_load_pd(b + 4), t;
#define ROW(i)                               \
  t = _mm256_broadcast_sd(a + i);            \
  c##i##0 = _mm256_fmadd_pd(t, b0, c##i##0); \
  c##i##1 = _mm256_fmadd_pd(t, b1, c##i##1);
    ROW(0) ROW(1) ROW(2) ROW(3) ROW(4) ROW(5)
#undef ROW
  }
#define STORE(i)                                                                       \
  _mm256_storeu_pd(c + i * ldc, _mm256_add_pd(_mm256_loadu_pd(c + i * ldc), c##i##0)); \
  _mm256_storeu_pd(c + i * ldc + 4, _mm256_add_pd(_mm256_loadu_pd(c + i * ldc + 4), c##i##1));
  STORE(0) STORE(1) STORE(2) STORE(3) STORE(4) STORE(5)
#undef STORE
}

/* 8 x 16 with AVX-512F: 16 accumulators + 2 B vectors + 1 broadcast of the
 * 32 zmm registers. */
__attribute__((target("avx512f"))) static void
micro_8x16_avx512(size_t kc, const double *a, const double *b, double *c, size_t ldc) {
  __m512d c00 = _mm512_setzero_pd(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  __m512d c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  __m512d c60 = c00, c61 = c00, c70 = c00, c71 = c00;
  for (size_t p = 0; p < kc; p++, a += 8, b += 16) {
    __m512d b0 = _mm512_load_pd(b), b1 = _mm512_load_pd(b + 8), t;
#define ROW(i)                               \
  t = _mm512_set1_pd(a[i]);                  \
  c##i##0 = _mm512_fmadd_pd(t, b0, c##i##0); \
  c##i##1 = _mm512_fmadd_pd(t, b1, c##i##1);
    ROW(0) ROW(1) ROW(2) ROW(3) ROW(4) ROW(5) ROW(6) ROW(7)
#undef ROW
  }
#define STORE(i)                                                                       \
  _mm512_storeu_pd(c + i * ldc, _mm512_add_pd(_mm512_loadu_pd(c + i * ldc), c##i##0)); \
  _mm512_storeu_pd(c + i * ldc + 8, _mm512_add_pd(_mm512_loadu_pd(c + i * ldc + 8), c##i##1));
  STORE(0) STORE(1) STORE(2) STORE(3) STORE(4) STORE(5) STORE(6) STORE(7)
#undef STORE
}
#endif

/* The widest kernel this CPU runs.  VGRAD_MATMUL_KERNEL=portable, avx2 or
 * avx512 caps the choice, so tests can cover every kernel on one machine. */
static micro_kernel pick_kernel(void) {
  const micro_kernel portable = {4, 4, micro_4x4};
  const char *cap = getenv("VGRAD_MATMUL_KERNEL");
  if (!cap) cap = "avx512";
  if (strcmp(cap, "portable") == 0) return portable;
#ifdef VG_HAVE_X86_KERNELS
  __builtin_cpu_init();
  if (strcmp(cap, "avx512") == 0 && __builtin_cpu_supports("avx512f"))
    return (micro_kernel){8, 16, micro_8x16_avx512};
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    return (micro_kernel){6, 8, micro_6x8_avx2};
#endif
  return portable;
}

/* ---- packing: widen to double, pad partial panels with zeros ---- */

#define PACK_FUNCTIONS(SUFFIX, T)                                                           \
  /* mc x kc block of A (already offset) -> mr-row panels, column by column. */             \
  static void pack_a_##SUFFIX(const T *A, ptrdiff_t rs, ptrdiff_t cs, size_t mc, size_t kc, \
                              size_t mr, double *dst) {                                     \
    for (size_t ir = 0; ir < mc; ir += mr) {                                                \
      size_t rows = mc - ir < mr ? mc - ir : mr;                                            \
      const T *src = A + (ptrdiff_t)ir * rs;                                                \
      for (size_t p = 0; p < kc; p++, dst += mr) {                                          \
        size_t i = 0;                                                                       \
        for (; i < rows; i++) dst[i] = src[(ptrdiff_t)i * rs + (ptrdiff_t)p * cs];          \
        for (; i < mr; i++) dst[i] = 0;                                                     \
      }                                                                                     \
    }                                                                                       \
  }                                                                                         \
  /* kc x nc block of B (already offset) -> nr-column panels, row by row. */                \
  static void pack_b_##SUFFIX(const T *B, ptrdiff_t rs, ptrdiff_t cs, size_t kc, size_t nc, \
                              size_t nr, double *dst) {                                     \
    for (size_t jr = 0; jr < nc; jr += nr) {                                                \
      size_t cols = nc - jr < nr ? nc - jr : nr;                                            \
      const T *src = B + (ptrdiff_t)jr * cs;                                                \
      for (size_t p = 0; p < kc; p++, dst += nr) {                                          \
        size_t j = 0;                                                                       \
        for (; j < cols; j++) dst[j] = src[(ptrdiff_t)p * rs + (ptrdiff_t)j * cs];          \
        for (; j < nr; j++) dst[j] = 0;                                                     \
      }                                                                                     \
    }                                                                                       \
  }

PACK_FUNCTIONS(f64, double)
PACK_FUNCTIONS(f32, float)

static void pack_a(vg_matref A, size_t i0, size_t p0, size_t mc, size_t kc, size_t mr,
                   double *dst) {
  ptrdiff_t off = (ptrdiff_t)i0 * A.rs + (ptrdiff_t)p0 * A.cs;
  if (A.dtype == VG_F64)
    pack_a_f64((const double *)A.data + off, A.rs, A.cs, mc, kc, mr, dst);
  else
    pack_a_f32((const float *)A.data + off, A.rs, A.cs, mc, kc, mr, dst);
}

static void pack_b(vg_matref B, size_t p0, size_t j0, size_t kc, size_t nc, size_t nr,
                   double *dst) {
  ptrdiff_t off = (ptrdiff_t)p0 * B.rs + (ptrdiff_t)j0 * B.cs;
  if (B.dtype == VG_F64)
    pack_b_f64((const double *)B.data + off, B.rs, B.cs, kc, nc, nr, dst);
  else
    pack_b_f32((const float *)B.data + off, B.rs, B.cs, kc, nc, nr, dst);
}

static double at(vg_matref M, size_t i, size_t j) {
  ptrdiff_t o = (ptrdiff_t)i * M.rs + (ptrdiff_t)j * M.cs;
  return M.dtype == VG_F64 ? ((const double *)M.data)[o] : (double)((const float *)M.data)[o];
}

static size_t round_up(size_t x, size_t m) { return (x + m - 1) / m * m; }
static size_t min_size(size_t a, size_t b) { return a < b ? a : b; }

/* C (double, zeroed or holding what to add to) += A B, blocked. */
static bool gemm_blocked(size_t m, size_t n, size_t k, vg_matref A, vg_matref B, double *C,
                         size_t ldc) {
  micro_kernel K = pick_kernel();
  size_t mcap = round_up(min_size(m, MC), K.mr), kcap = min_size(k, KC);
  size_t ncap = round_up(min_size(n, NC), K.nr);
  double *Ap = aligned_alloc(64, round_up(mcap * kcap * sizeof(double), 64));
  double *Bp = aligned_alloc(64, round_up(kcap * ncap * sizeof(double), 64));
  if (!Ap || !Bp) {
    free(Ap);
    free(Bp);
    return false;
  }
  double tile[MAX_MR * MAX_NR];
  for (size_t jc = 0; jc < n; jc += NC) {
    size_t nc = min_size(NC, n - jc);
    for (size_t pc = 0; pc < k; pc += KC) {
      size_t kc = min_size(KC, k - pc);
      pack_b(B, pc, jc, kc, nc, K.nr, Bp);
      for (size_t ic = 0; ic < m; ic += MC) {
        size_t mc = min_size(MC, m - ic);
        pack_a(A, ic, pc, mc, kc, K.mr, Ap);
        for (size_t jr = 0; jr < nc; jr += K.nr) {
          size_t cols = min_size(K.nr, nc - jr);
          for (size_t ir = 0; ir < mc; ir += K.mr) {
            size_t rows = min_size(K.mr, mc - ir);
            double *c = C + (ic + ir) * ldc + jc + jr;
            const double *a = Ap + ir * kc, *b = Bp + jr * kc;
            if (rows == K.mr && cols == K.nr) {
              K.fn(kc, a, b, c, ldc);
            } else { /* edge: compute the padded tile aside, add its valid part */
              memset(tile, 0, sizeof tile);
              K.fn(kc, a, b, tile, K.nr);
              for (size_t i = 0; i < rows; i++)
                for (size_t j = 0; j < cols; j++) c[i * ldc + j] += tile[i * K.nr + j];
            }
          }
        }
      }
    }
  }
  free(Ap);
  free(Bp);
  return true;
}

/* Below this many multiply-adds packing costs more than it saves. */
enum { SMALL_GEMM = 32 * 32 * 32 };

void vg__gemm(size_t m, size_t n, size_t k, vg_matref A, vg_matref B, void *C, vg_dtype ct,
              ptrdiff_t ldc, bool accumulate) {
  if (m == 0 || n == 0) return;
  /* Small products and matrix-vector: plain dot products, i-j-p order.
   * (The size test is in double so that it cannot overflow.) */
  if ((double)m * (double)n * (double)k <= SMALL_GEMM || n == 1) {
    for (size_t i = 0; i < m; i++)
      for (size_t j = 0; j < n; j++) {
        double s = 0;
        for (size_t p = 0; p < k; p++) s += at(A, i, p) * at(B, p, j);
        ptrdiff_t o = (ptrdiff_t)i * ldc + (ptrdiff_t)j;
        if (ct == VG_F64)
          ((double *)C)[o] = accumulate ? ((double *)C)[o] + s : s;
        else
          ((float *)C)[o] = (float)(accumulate ? ((float *)C)[o] + s : s);
      }
    return;
  }
  /* The blocked kernel accumulates into double: C itself when it is double,
   * else a double copy. */
  double *Cd = NULL;
  size_t ldd = (size_t)ldc;
  if (ct == VG_F64) {
    Cd = C;
    if (!accumulate)
      for (size_t i = 0; i < m; i++) memset(Cd + i * ldd, 0, n * sizeof(double));
  } else {
    ldd = n;
    Cd = malloc(m * n * sizeof(double));
    if (!Cd) {
      vg__error("vg_matmul: out of memory");
      return;
    }
    for (size_t i = 0; i < m; i++)
      for (size_t j = 0; j < n; j++)
        Cd[i * n + j] = accumulate ? ((float *)C)[(ptrdiff_t)i * ldc + (ptrdiff_t)j] : 0.0;
  }
  if (!gemm_blocked(m, n, k, A, B, Cd, ldd)) vg__error("vg_matmul: out of memory");
  if (ct != VG_F64) {
    for (size_t i = 0; i < m; i++)
      for (size_t j = 0; j < n; j++)
        ((float *)C)[(ptrdiff_t)i * ldc + (ptrdiff_t)j] = (float)Cd[i * n + j];
    free(Cd);
  }
}

/* ---- vg_matmul: numpy's shape rules ---- */

typedef struct {
  size_t m, n, k;
  int nbatch_dims;
  int batch[VG_MAX_DIMS];
  size_t nbatch;
  ptrdiff_t a_step[VG_MAX_DIMS], b_step[VG_MAX_DIMS]; /* elements per batch index */
  int out_ndim;
  int out_shape[VG_MAX_DIMS];
} mm_plan;

static bool plan(const vg_array *a, const vg_array *b, mm_plan *P, const char *fn) {
  if (a->ndim == 0 || b->ndim == 0) {
    vg__error("%s: shapes %s and %s: matmul needs at least one dimension (use vg_mul for "
              "scalars)",
              fn, VG_SHAPE(a), VG_SHAPE(b));
    return false;
  }
  /* A 1-D left operand is a row (1,k), a 1-D right operand a column (k,1). */
  int na = a->ndim, nb = b->ndim;
  size_t ka = (size_t)a->shape[na - 1], kb = (size_t)b->shape[nb == 1 ? 0 : nb - 2];
  P->m = na == 1 ? 1 : (size_t)a->shape[na - 2];
  P->n = nb == 1 ? 1 : (size_t)b->shape[nb - 1];
  P->k = ka;
  if (ka != kb) {
    vg__error("%s: shapes %s and %s are not aligned (inner dimensions %zu and %zu differ)", fn,
              VG_SHAPE(a), VG_SHAPE(b), ka, kb);
    return false;
  }
  int abd = na > 2 ? na - 2 : 0, bbd = nb > 2 ? nb - 2 : 0;
  if (!vg__broadcast(abd, a->shape, bbd, b->shape, &P->nbatch_dims, P->batch)) {
    vg__error("%s: shapes %s and %s: batch dimensions cannot be broadcast", fn, VG_SHAPE(a),
              VG_SHAPE(b));
    return false;
  }
  /* Batch strides, right-aligned, 0 where an operand is broadcast. */
  ptrdiff_t sa = (ptrdiff_t)(P->m * P->k), sb = (ptrdiff_t)(P->k * P->n);
  P->nbatch = 1;
  for (int d = P->nbatch_dims - 1, ea = abd - 1, eb = bbd - 1; d >= 0; d--, ea--, eb--) {
    P->nbatch *= (size_t)P->batch[d];
    P->a_step[d] = (ea < 0 || a->shape[ea] == 1) ? 0 : sa;
    P->b_step[d] = (eb < 0 || b->shape[eb] == 1) ? 0 : sb;
    if (ea >= 0) sa *= a->shape[ea];
    if (eb >= 0) sb *= b->shape[eb];
  }
  P->out_ndim = 0;
  for (int d = 0; d < P->nbatch_dims; d++) P->out_shape[P->out_ndim++] = P->batch[d];
  if (na > 1) P->out_shape[P->out_ndim++] = (int)P->m;
  if (nb > 1) P->out_shape[P->out_ndim++] = (int)P->n;
  return true;
}

/* Element offsets of batch `bi`'s matrices in a and b. */
static void batch_offsets(const mm_plan *P, size_t bi, ptrdiff_t *oa, ptrdiff_t *ob) {
  *oa = *ob = 0;
  for (int d = P->nbatch_dims - 1; d >= 0; d--) {
    size_t i = bi % (size_t)P->batch[d];
    bi /= (size_t)P->batch[d];
    *oa += (ptrdiff_t)i * P->a_step[d];
    *ob += (ptrdiff_t)i * P->b_step[d];
  }
}

static const void *elem(const vg_array *x, ptrdiff_t offset) {
  return (const char *)x->data + offset * (ptrdiff_t)vg__elsize(x->dtype);
}

vg_array *vg_matmul(vg_array *a, vg_array *b) {
  const char *fn = "vg_matmul";
  bool ok_a = vg__check(a, fn, "a"), ok_b = vg__check(b, fn, "b");
  vg_array *out = NULL;
  mm_plan P;
  if (ok_a && ok_b && plan(a, b, &P, fn)) {
    vg_dtype dt = a->dtype == b->dtype ? a->dtype : VG_F64;
    out = vg__alloc(P.out_ndim, P.out_shape, dt, true, fn);
    for (size_t bi = 0; out && bi < P.nbatch; bi++) {
      ptrdiff_t oa, ob;
      batch_offsets(&P, bi, &oa, &ob);
      vg_matref A = {elem(a, oa), a->dtype, (ptrdiff_t)P.k, 1};
      vg_matref B = {elem(b, ob), b->dtype, (ptrdiff_t)P.n, 1};
      vg__gemm(P.m, P.n, P.k, A, B, (char *)out->data + bi * P.m * P.n * vg__elsize(dt), dt,
               (ptrdiff_t)P.n, false);
    }
  }
  if (ok_a) vg__consume(a);
  if (ok_b && b != a) vg__consume(b);
  return out;
}

/* For out = a b per batch:  g_a += g b^T  and  g_b += a^T g, summed over the
 * batches an operand was broadcast to (they accumulate into the same slice). */
void vg_matmul_vjp(const vg_array *a, const vg_array *b, const vg_array *out, const vg_array *g_out,
                   vg_array **g_a, vg_array **g_b) {
  const char *fn = "vg_matmul_vjp";
  mm_plan P;
  if (!vg__check(a, fn, "a") || !vg__check(b, fn, "b") || !plan(a, b, &P, fn)) return;
  if (!vg__out_ok(out, P.out_ndim, P.out_shape, fn) ||
      !vg__check_gout(g_out, P.out_ndim, P.out_shape, fn) || !vg__slot_ok(g_a, a, fn) ||
      !vg__slot_ok(g_b, b, fn))
    return;
  if (g_a && !vg__grad_slot(g_a, a, fn)) return;
  if (g_b && !vg__grad_slot(g_b, b, fn)) return;
  ptrdiff_t m = (ptrdiff_t)P.m, n = (ptrdiff_t)P.n, k = (ptrdiff_t)P.k;
  for (size_t bi = 0; bi < P.nbatch; bi++) {
    ptrdiff_t oa, ob;
    batch_offsets(&P, bi, &oa, &ob);
    vg_matref G = {elem(g_out, (ptrdiff_t)bi * m * n), g_out->dtype, n, 1};
    if (g_a) {
      vg_matref Bt = {elem(b, ob), b->dtype, 1, n};
      vg__gemm(P.m, P.k, P.n, G, Bt, (char *)(*g_a)->data + oa * (ptrdiff_t)vg__elsize(a->dtype),
               a->dtype, k, true);
    }
    if (g_b) {
      vg_matref At = {elem(a, oa), a->dtype, 1, k};
      vg__gemm(P.k, P.n, P.m, At, G, (char *)(*g_b)->data + ob * (ptrdiff_t)vg__elsize(b->dtype),
               b->dtype, n, true);
    }
  }
}
