/* vgrad.h: the libvgrad runtime -- vg_array, its differentiable operations
 * and their vector-Jacobian products, and the tape used by code that
 * vgradcc generates.  Link with -lvgrad -lm.
 *
 * ==== Ownership: one rule ====================================================
 *
 *   Constructors that take C values (vg_from_f64, vg_from_f32, vg_scalar,
 *   vg_zeros, vg_full) return an array you OWN: release it with vg_free.
 *
 *   Every function that takes arrays and returns an array (vg_add ...
 *   vg_mean_axis, vg_copy, vg_astype, vg_zeros_like) returns a TEMPORARY,
 *   and FREES THE TEMPORARY ARRAYS PASSED TO IT.  Owned arrays passed to it
 *   are never touched.
 *
 * So a nested expression cleans up after itself:
 *
 *     vg_array *loss(vg_array *a, vg_array *b) {
 *       return vg_mean(vg_square(vg_sub(a, b)));  // a, b: owned, kept
 *     }                                           // the two inner results: freed
 *     ...
 *     vg_array *l = loss(a, b);   // a temporary: pass it on, or
 *     printf("%g\n", vg_item(l)); // read it (readers never free), and
 *     vg_free(l);                 // release it
 *
 * To use a temporary more than once, store it with vg_keep(), which turns it
 * into an owned array, and vg_free() it when done:
 *
 *     vg_array *d = vg_keep(vg_sub(a, b));
 *     vg_array *r = vg_add(vg_sum(d), vg_mean(d));   // d survives both
 *     vg_free(d);
 *
 * vg_keep(x) always gives the caller one owned reference, whatever x was:
 * for a temporary it is the temporary itself; for an owned array it is an
 * extra reference (arrays are reference counted), and each reference ends
 * with one vg_free.  Hence a function that uses an argument several times,
 * and cannot know whether it was given a temporary, writes
 *
 *     x = vg_keep(x);  ...uses of x...;  vg_free(x);
 *
 * which is also how generated code keeps forward intermediates alive until
 * the reverse sweep.  vg_retain/vg_release are the same functions under
 * reference-counting names.
 *
 * Constants are constructed, hence owned: vg_mul(vg_scalar(2), x) leaks the
 * scalar.  Make them once and free them:
 *
 *     vg_array *two = vg_scalar(2);  ... vg_mul(two, x) ...;  vg_free(two);
 *
 * Details:
 *   - Passing the same temporary twice (vg_mul(t, t)) frees it once.
 *   - An operation may reuse a temporary operand's memory for its result.
 *   - Readers (vg_ndim, vg_shape, vg_size, vg_item, vg_data_*, vg_dtype_of,
 *     vg_fprint) and every *_vjp function never free their arguments.
 *   - Arrays hold no pointer to other arrays (no hidden graph), so nothing
 *     lives longer than its last reference.
 *   - Not thread-safe per array: do not use one array from two threads at
 *     once.  Different arrays in different threads are fine.
 *   - vg_live_arrays() counts arrays not yet freed, to check for leaks.
 *
 * ==== Errors =================================================================
 *
 * A bad call (shapes that cannot be broadcast, NULL or freed arrays, axis out
 * of range, out of memory...) reports one message naming the operation and
 * the shapes, e.g.
 *     vg_add: shapes (4,2) and (3,) cannot be broadcast
 * to the error handler.  The default handler prints "vgrad: error: MESSAGE"
 * to stderr and aborts.  A handler installed with vg_set_error_handler may
 * return (or longjmp); the failing call then returns NULL (NaN for vg_item,
 * nothing changed for *_vjp), after freeing its temporary arguments as usual.
 * A NULL array argument is itself an error, so a failure inside an
 * expression is reported again by each enclosing operation; vg_last_error()
 * keeps the latest message, vg_first_error() the first since vg_clear_error().
 *
 * ==== Arrays =================================================================
 *
 * Up to VG_MAX_DIMS dimensions, row-major, contiguous, float64 or float32.
 * A 0-d array (ndim 0) holds one element: vg_scalar, vg_sum and vg_mean
 * return one.  Elementwise operations broadcast like numpy; when the two
 * dtypes differ the result is float64, otherwise it keeps the dtype.
 * float32 elementwise math is evaluated in double and rounded once.
 */
#ifndef VGRAD_H
#define VGRAD_H

#include <stddef.h>
#include <stdio.h>

#include "vgrad_tape.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VG_MAX_DIMS 8

typedef enum vg_dtype { VG_F64 = 0, VG_F32 = 1 } vg_dtype;

/* Opaque: use the functions below. */
typedef struct vg_array vg_array;

/* ---- errors ---- */

typedef void (*vg_error_fn)(const char *message, void *user);

/* Installs `fn` (NULL: the default, print and abort); `user` is passed back. */
void vg_set_error_handler(vg_error_fn fn, void *user);
vg_error_fn vg_get_error_handler(void **user);
/* Latest / first error message since vg_clear_error() on this thread, or NULL. */
const char *vg_last_error(void);
const char *vg_first_error(void);
void vg_clear_error(void);

/* ---- ownership (see the rule at the top) ---- */

vg_array *vg_keep(vg_array *a);   /* returns a, now with one more owned reference */
vg_array *vg_retain(vg_array *a); /* the same as vg_keep */
void vg_free(vg_array *a);        /* ends one reference; NULL is ignored */
void vg_release(vg_array *a);     /* the same as vg_free */
int vg_is_temporary(const vg_array *a);
long vg_live_arrays(void); /* arrays allocated and not yet freed */

/* ---- create (owned results; the data is copied) ---- */

/* shape: ndim entries (NULL allowed when ndim is 0); dimensions >= 0. */
vg_array *vg_from_f64(const double *data, int ndim, const int *shape);
vg_array *vg_from_f32(const float *data, int ndim, const int *shape);
vg_array *vg_scalar(double value); /* 0-d float64 */
vg_array *vg_zeros(int ndim, const int *shape, vg_dtype dtype);
vg_array *vg_full(int ndim, const int *shape, double value, vg_dtype dtype);

/* ---- derived arrays (temporary results) ---- */

vg_array *vg_zeros_like(vg_array *a);
vg_array *vg_copy(vg_array *a);
vg_array *vg_astype(vg_array *a, vg_dtype dtype);

/* ---- read (never free their argument) ---- */

int vg_ndim(const vg_array *a);
const int *vg_shape(const vg_array *a); /* ndim entries, valid while a lives */
size_t vg_size(const vg_array *a);      /* number of elements */
vg_dtype vg_dtype_of(const vg_array *a);
double vg_item(const vg_array *a); /* the value of a one-element array */
double *vg_data_f64(vg_array *a);  /* elements, row-major; NULL (and an */
float *vg_data_f32(vg_array *a);   /* error) if the dtype differs */
void vg_fprint(FILE *f, const vg_array *a);

/* ---- elementwise, numpy broadcasting ---- */

vg_array *vg_add(vg_array *a, vg_array *b);
vg_array *vg_sub(vg_array *a, vg_array *b);
vg_array *vg_mul(vg_array *a, vg_array *b);
vg_array *vg_div(vg_array *a, vg_array *b);
vg_array *vg_maximum(vg_array *a, vg_array *b); /* NaN in either gives NaN */

vg_array *vg_neg(vg_array *a);
vg_array *vg_square(vg_array *a);
vg_array *vg_sqrt(vg_array *a);
vg_array *vg_exp(vg_array *a);
vg_array *vg_log(vg_array *a);
vg_array *vg_abs(vg_array *a);
vg_array *vg_tanh(vg_array *a);
vg_array *vg_sin(vg_array *a);
vg_array *vg_cos(vg_array *a);

/* ---- linear algebra and shape ---- */

/* numpy matmul: 1-D x 1-D is the inner product (0-d); (m,k) x (k,) is (m,);
 * (k,) x (k,n) is (n,); (m,k) x (k,n) is (m,n); more dimensions are stacks
 * of matrices whose leading (batch) dimensions broadcast. */
vg_array *vg_matmul(vg_array *a, vg_array *b);
vg_array *vg_transpose(vg_array *a); /* reverses all axes (numpy a.T) */
/* New shape with the same number of elements; one entry may be -1. */
vg_array *vg_reshape(vg_array *a, int ndim, const int *shape);

/* ---- reductions ---- */

vg_array *vg_sum(vg_array *a);  /* 0-d */
vg_array *vg_mean(vg_array *a); /* 0-d; NaN for an empty array */
/* Removes `axis` (negative counts from the end, as in numpy). */
vg_array *vg_sum_axis(vg_array *a, int axis);
vg_array *vg_mean_axis(vg_array *a, int axis);

/* ==== Vector-Jacobian products ==============================================
 *
 * For each operation y = op(x1, ..., xn) there is
 *
 *     void op_vjp(x1, ..., xn, [non-array arguments of op,]
 *                 const vg_array *out, const vg_array *g_out,
 *                 vg_array **g_x1, ..., vg_array **g_xn);
 *
 *   x1..xn  the operation's array arguments, as passed to the forward call
 *           and still alive: vg_keep a temporary operand before that call,
 *           or the operation frees it
 *   out     the forward result y, or NULL (then it is recomputed if needed)
 *   g_out   dL/dy, with y's shape (any one-element array when y has one)
 *   g_xi    where dL/dxi is ACCUMULATED: if *g_xi is NULL a zero array of
 *           xi's shape and dtype is allocated first (owned by the caller,
 *           release it with vg_free); otherwise *g_xi must have xi's shape
 *           and is updated in place.  Pass g_xi = NULL (not a pointer to
 *           NULL) when that gradient is not wanted.  The same slot may be
 *           given twice (vg_mul_vjp(p, p, ..., &g_p, &g_p)): both add.
 *
 * Gradients of broadcast operands are summed over the broadcast axes, so
 * they always have the operand's shape.  *_vjp functions never free their
 * arguments, temporary or not.  Conventions at kinks: vg_abs'(0) = 0;
 * vg_maximum splits the gradient equally between tied operands.
 *
 * A reverse sweep by hand, for L = mean((a - b)^2):
 *
 *     vg_array *d = vg_keep(vg_sub(a, b));
 *     vg_array *s = vg_keep(vg_square(d));
 *     vg_array *L = vg_mean(s);
 *     vg_array *seed = vg_scalar(1.0), *g_s = NULL, *g_d = NULL;
 *     vg_array *g_a = NULL, *g_b = NULL;
 *     vg_mean_vjp(s, L, seed, &g_s);
 *     vg_square_vjp(d, s, g_s, &g_d);
 *     vg_sub_vjp(a, b, d, g_d, &g_a, &g_b);
 *     ...; vg_free(d); vg_free(s); vg_free(L); vg_free(seed);
 *     vg_free(g_s); vg_free(g_d); vg_free(g_a); vg_free(g_b);
 */

void vg_add_vjp(const vg_array *a, const vg_array *b, const vg_array *out, const vg_array *g_out,
                vg_array **g_a, vg_array **g_b);
void vg_sub_vjp(const vg_array *a, const vg_array *b, const vg_array *out, const vg_array *g_out,
                vg_array **g_a, vg_array **g_b);
void vg_mul_vjp(const vg_array *a, const vg_array *b, const vg_array *out, const vg_array *g_out,
                vg_array **g_a, vg_array **g_b);
void vg_div_vjp(const vg_array *a, const vg_array *b, const vg_array *out, const vg_array *g_out,
                vg_array **g_a, vg_array **g_b);
void vg_maximum_vjp(const vg_array *a, const vg_array *b, const vg_array *out,
                    const vg_array *g_out, vg_array **g_a, vg_array **g_b);

void vg_neg_vjp(const vg_array *a, const vg_array *out, const vg_array *g_out, vg_array **g_a);
void vg_square_vjp(const vg_array *a, const vg_array *out, const vg_array *g_out, vg_array **g_a);
void vg_sqrt_vjp(const vg_array *a, const vg_array *out, const vg_array *g_out, vg_array **g_a);
void vg_exp_vjp(const vg_array *a, const vg_array *out, const vg_array *g_out, vg_array **g_a);
void vg_log_vjp(const vg_array *a, const vg_array *out, const vg_array *g_out, vg_array **g_a);
void vg_abs_vjp(const vg_array *a, const vg_array *out, const vg_array *g_out, vg_array **g_a);
void vg_tanh_vjp(const vg_array *a, const vg_array *out, const vg_array *g_out, vg_array **g_a);
void vg_sin_vjp(const vg_array *a, const vg_array *out, const vg_array *g_out, vg_array **g_a);
void vg_cos_vjp(const vg_array *a, const vg_array *out, const vg_array *g_out, vg_array **g_a);

void vg_matmul_vjp(const vg_array *a, const vg_array *b, const vg_array *out, const vg_array *g_out,
                   vg_array **g_a, vg_array **g_b);
void vg_transpose_vjp(const vg_array *a, const vg_array *out, const vg_array *g_out,
                      vg_array **g_a);
void vg_reshape_vjp(const vg_array *a, int ndim, const int *shape, const vg_array *out,
                    const vg_array *g_out, vg_array **g_a);

void vg_sum_vjp(const vg_array *a, const vg_array *out, const vg_array *g_out, vg_array **g_a);
void vg_mean_vjp(const vg_array *a, const vg_array *out, const vg_array *g_out, vg_array **g_a);
void vg_sum_axis_vjp(const vg_array *a, int axis, const vg_array *out, const vg_array *g_out,
                     vg_array **g_a);
void vg_mean_axis_vjp(const vg_array *a, int axis, const vg_array *out, const vg_array *g_out,
                      vg_array **g_a);

/* The building block of the VJPs, for generated code that sums adjoints:
 * *g += contrib, where the shapes of `like` and contrib must broadcast
 * together; contrib is summed over the axes that `like` lacks or has as 1,
 * and repeated along the axes where contrib has 1.  *g NULL: allocated
 * first as zeros of like's shape and dtype; otherwise it must have that shape. */
void vg_accumulate(vg_array **g, const vg_array *like, const vg_array *contrib);

/* For generated code (ad_support.c): the value of an adjoint that may be
 * NULL (meaning zero); d/da of vg_item(a) times g, added into *g_a; an owned
 * array of ones shaped like a (the seed); and the adjoint of vg_from_f64 /
 * vg_from_f32, added into the data's adjoint. */
double vg_grad_item(const vg_array *g);
void vg_item_vjp(const vg_array *a, double g, vg_array **g_a);
vg_array *vg_ones_like(const vg_array *a);
void vg_from_f64_vjp(const vg_array *g, double *d_data);
void vg_from_f32_vjp(const vg_array *g, float *d_data);

/* For generated code (ad_support.c): cos and sin out of line, so that the
 * C compiler does not fuse them with the sin or cos of the same angle into
 * one sincos.  Used in loops whose variable's next value goes through that
 * sin: there sincos lengthens the chain from one iteration to the next,
 * while a separate cos runs beside it. */
double vg_cos_apart(double a);
double vg_sin_apart(double a);
float vg_cosf_apart(float a);
float vg_sinf_apart(float a);

/* ==== Checkpointing (checkpoint.c) ==========================================
 *
 * The schedule of `#pragma vgrad checkpoint` loops: generated code asks for
 * the next action and performs it on the loop's state.  ADVANCE: run steps
 * [from, to) without taping; STORE: copy the state (at step from) into
 * vg_ckpt_push_snapshot(); RESTORE: copy vg_ckpt_top_snapshot() back (the
 * state at step from); REVERSE: the state is at step from: run steps
 * [from, to) taped, then their reverse, last first (one step when the
 * number of snapshots is given; about sqrt(n) when it is chosen at run
 * time, with about sqrt(n) snapshots).  Snapshots are kept in a growable
 * stack. */
enum { VG_CK_DONE, VG_CK_ADVANCE, VG_CK_STORE, VG_CK_RESTORE, VG_CK_REVERSE, VG_CK_DROP };
struct vg_ckpt_frame {
  long start, end, s;
  int phase;
  long cursor;
};
typedef struct vg_ckpt {
  struct vg_ckpt_frame *frames;
  size_t nframes, cap_frames;
  struct {
    int action;
    long from, to;
  } queue[4];
  int nqueue, head;
  unsigned char *store;
  size_t nstored, cap_store, state_bytes;
  long snapshots;
  long nsteps, stride;  /* the loop's steps; steps per schedule step */
  size_t peak_bytes;    /* most snapshot bytes held at once */
  long steps_advanced;  /* steps recomputed without taping */
} vg_ckpt;
void vg_ckpt_begin(vg_ckpt *c, long nsteps, long snapshots, size_t state_bytes);
int vg_ckpt_next(vg_ckpt *c, long *from, long *to);
unsigned char *vg_ckpt_push_snapshot(vg_ckpt *c);
const unsigned char *vg_ckpt_top_snapshot(const vg_ckpt *c);
void vg_ckpt_end(vg_ckpt *c);

/* Memory the generated functions used, summed over the tapes they freed
 * since the last reset (not thread-safe: for measurements). */
typedef struct {
  size_t tape_bytes_pushed;   /* every value pushed, in bytes */
  size_t tape_peak_bytes;     /* the most one tape held at once */
  size_t snapshot_peak_bytes; /* the most checkpoint snapshots held at once */
} vg_memory_stats;
void vg_memory_stats_get(vg_memory_stats *out);
void vg_memory_stats_reset(void);

/* ==== Run-time entry points =================================================
 *
 * Every value_and_grad function whose parameters are all vg_array * is also
 * registered under the name of the function it differentiates (before main
 * runs with gcc and clang; otherwise call vgrad_register_FILE() from the
 * generated header).  Look it up by name and call it with argnums chosen at
 * run time:
 *
 *     const vg_function *f = vg_lookup("loss");
 *     vg_array *args[3] = {w, x, y}, *value, *grads[1];
 *     int argnums[1] = {0};
 *     vg_call_value_and_grad(f, args, 3, argnums, 1, &value, NULL, grads);
 *
 * value, each aux[i] (vg_function_naux of them; doubles become 0-d arrays)
 * and grads[i] (the gradient for argnums[i]) are new arrays the caller
 * frees.  Returns 0, or -1 after a message on stderr. */
typedef struct vg_function vg_function;
typedef int (*vg_entry_fn)(vg_array *const *args, const int *argnums, int nargnums, vg_array **value,
                           vg_array **aux, vg_array **grads);
void vg_register(const char *name, int nargs, int naux, vg_entry_fn entry);
const vg_function *vg_lookup(const char *name);
int vg_function_nargs(const vg_function *f);
int vg_function_naux(const vg_function *f);
int vg_call_value_and_grad(const vg_function *f, vg_array *const *args, int nargs, const int *argnums,
                           int nargnums, vg_array **value, vg_array **aux, vg_array **grads);

/* ==== vg_stop_gradient ======================================================
 *
 * vg_stop_gradient(x) is x in value, with derivative zero: vgradcc treats
 * its result as a constant, so no gradient flows back through it into x
 * (JAX's and MLX's stop_gradient).  For double, float, vg_array * and, in
 * C, double _Complex and float _Complex (a _Generic macro; C++ gets
 * overloads of the first three).  On an array it returns the
 * array itself, not a copy: a temporary stays a temporary, an owned array
 * stays owned (see the ownership rule above).  The functions it selects
 * are the names vgradcc recognises, and generated code calls them too. */
static inline double vg_stop_gradient_f64(double x) { return x; }
static inline float vg_stop_gradient_f32(float x) { return x; }
static inline vg_array *vg_stop_gradient_array(vg_array *a) { return a; }
#ifndef __cplusplus
static inline double _Complex vg_stop_gradient_c64(double _Complex x) { return x; }
static inline float _Complex vg_stop_gradient_c32(float _Complex x) { return x; }
#endif

#ifdef __cplusplus
}
static inline double vg_stop_gradient(double x) { return x; }
static inline float vg_stop_gradient(float x) { return x; }
static inline vg_array *vg_stop_gradient(vg_array *a) { return a; }
#elif defined(__GNUC__) /* gcc, clang: no -pedantic warning under -std=c99 */
#define vg_stop_gradient(x)                                                                       \
  (__extension__ _Generic((x), double: vg_stop_gradient_f64, float: vg_stop_gradient_f32,          \
                          vg_array *: vg_stop_gradient_array, double _Complex: vg_stop_gradient_c64, \
                          float _Complex: vg_stop_gradient_c32)(x))
#else
#define vg_stop_gradient(x)                                                                       \
  (_Generic((x), double: vg_stop_gradient_f64, float: vg_stop_gradient_f32,                        \
            vg_array *: vg_stop_gradient_array, double _Complex: vg_stop_gradient_c64,               \
            float _Complex: vg_stop_gradient_c32)(x))
#endif

#endif /* VGRAD_H */
