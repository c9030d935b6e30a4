/* vgrad_tape.h: the tape of generated gradient code -- four stacks
 * (doubles, ints, pointers, floats).  The forward sweep pushes the values the
 * reverse sweep needs (overwritten variables, branch decisions, loop counts,
 * kept arrays); the reverse sweep pops them in the opposite order.
 *
 *     vg_tape t = {0};               (or vg_tape_init(&t))
 *     vg_tape_push_f64(&t, x);  ...  x = vg_tape_pop_f64(&t);
 *     vg_tape_free(&t);
 *
 * Each stack is a chain of blocks (8 KiB, doubling up to 8 MiB each, no
 * limit on their number): growing never copies what was pushed.  Push is a
 * bounds check and a store, pop a check and a load; runs of them can skip
 * the checks (vg_tape_reserve_X / _put_X, vg_tape_ensure_X / _take_X below);
 * moving to another block is out of line, in tape.c; a reservation larger
 * than 8 MiB gets one block of its own size, rounded up to a power of two.
 * vg_tape_free hands the blocks back to a pool in libvgrad (blocks up to
 * 512 MiB), from which the next tape takes them, so a gradient called again
 * does not fault in fresh pages from the system each time.  The pool keeps at
 * most VGRAD_TAPE_POOL_MB megabytes (environment, read once; default 1024,
 * 0 turns it off) and vg_tape_pool_release() returns all of it.
 *
 * float values have a stack of their own, 4 bytes each (a float program's
 * tape is half the size it would be as doubles).  Popping an empty stack is
 * reported as an error through vgrad.h's error handler (and then returns
 * 0 / NULL), never read garbage; ensuring more items than the stack holds
 * is reported and aborts.
 *
 * Statistics: bytes_pushed counts every push over the tape's life (8 bytes a
 * double, 4 a float or an int, sizeof(void *) a pointer); peak_bytes is the
 * most the tape has held at once, in the same units (not its capacity).
 * Pushes and pops carry no bookkeeping: the statistics are brought up to
 * date where the user of the tape says it turns from pushing to popping
 * (vg_tape_turn_to_pop: the only moments a peak can end) and back
 * (vg_tape_turn_to_push), by vg_tape_free and vg_tape_clear, and by
 * vg_tape_sync_stats.  Generated code marks every turn; a fresh tape is
 * pushing.
 *
 * Self-contained: compiles as C99 (-pedantic) and C++. */
#ifndef VGRAD_TAPE_H
#define VGRAD_TAPE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Header of one block; its items follow it (the header is four words, so
 * they are aligned for doubles, floats, ints and pointers). */
typedef struct vg_tape_block {
  struct vg_tape_block *prev; /* the block below in the same stack */
  size_t below;               /* items in all blocks below this one */
  size_t bytes;               /* room for items, in bytes */
  size_t used;                /* items it held when the stack moved on to the next block */
} vg_tape_block;

typedef struct vg_tape {
  /* Each stack: next free slot, first slot and end of its current block. */
  double *f64, *f64_base, *f64_end;
  int *i32, *i32_base, *i32_end;
  void **ptr, **ptr_base, **ptr_end;
  float *f32, *f32_base, *f32_end;
  vg_tape_block *block[4]; /* current block of each stack: f64, i32, ptr, f32 */
  vg_tape_block *spare[4]; /* one emptied block kept, for pushes after pops */
  int popping;      /* turned to popping (vg_tape_turn_to_pop) */
  size_t run_start; /* bytes held when the current run of pushes began */
  size_t bytes_pushed, peak_bytes;
} vg_tape;

/* Out of line (tape.c).  next_block: continues in a block with room for
 * at least n more items. */
void vg_tape_next_block_f64(vg_tape *t, size_t n);
void vg_tape_next_block_i32(vg_tape *t, size_t n);
void vg_tape_next_block_ptr(vg_tape *t, size_t n);
void vg_tape_next_block_f32(vg_tape *t, size_t n);
int vg_tape_prev_block_f64(vg_tape *t); /* 0: the stack is empty */
int vg_tape_prev_block_i32(vg_tape *t);
int vg_tape_prev_block_ptr(vg_tape *t);
int vg_tape_prev_block_f32(vg_tape *t);
void vg_tape_underflow(const char *function); /* reports the error */
void vg_tape_free(vg_tape *t);  /* releases the blocks; keeps the statistics */
void vg_tape_clear(vg_tape *t); /* pops everything; keeps each stack's first block */
void vg_tape_pool_release(void); /* returns the pooled blocks to the system */
size_t vg_tape_pool_bytes(void);  /* bytes the pool holds now */
void vg_tape_turn_to_pop(vg_tape *t);  /* a run of pushes ended: statistics */
void vg_tape_turn_to_push(vg_tape *t); /* a run of pushes begins */
void vg_tape_sync_stats(vg_tape *t);   /* bytes_pushed, peak_bytes up to date */

static inline void vg_tape_init(vg_tape *t) {
  int k;
  t->f64 = t->f64_base = t->f64_end = NULL;
  t->i32 = t->i32_base = t->i32_end = NULL;
  t->ptr = t->ptr_base = t->ptr_end = NULL;
  t->f32 = t->f32_base = t->f32_end = NULL;
  for (k = 0; k < 4; k++) t->block[k] = t->spare[k] = NULL;
  t->popping = 0;
  t->run_start = t->bytes_pushed = t->peak_bytes = 0;
}

/* Items on each stack now. */
static inline size_t vg_tape_count_f64(const vg_tape *t) {
  return (t->block[0] ? t->block[0]->below : 0) + (size_t)(t->f64 - t->f64_base);
}
static inline size_t vg_tape_count_i32(const vg_tape *t) {
  return (t->block[1] ? t->block[1]->below : 0) + (size_t)(t->i32 - t->i32_base);
}
static inline size_t vg_tape_count_ptr(const vg_tape *t) {
  return (t->block[2] ? t->block[2]->below : 0) + (size_t)(t->ptr - t->ptr_base);
}
static inline size_t vg_tape_count_f32(const vg_tape *t) {
  return (t->block[3] ? t->block[3]->below : 0) + (size_t)(t->f32 - t->f32_base);
}

/* Bytes held now, in the units of bytes_pushed. */
static inline size_t vg_tape_bytes_held(const vg_tape *t) {
  return vg_tape_count_f64(t) * sizeof(double) + vg_tape_count_i32(t) * sizeof(int) +
         vg_tape_count_ptr(t) * sizeof(void *) + vg_tape_count_f32(t) * sizeof(float);
}

static inline void vg_tape_push_f64(vg_tape *t, double v) {
  if (t->f64 == t->f64_end) vg_tape_next_block_f64(t, 1);
  *t->f64++ = v;
}

static inline double vg_tape_pop_f64(vg_tape *t) {
  if (t->f64 == t->f64_base && !vg_tape_prev_block_f64(t)) {
    vg_tape_underflow("vg_tape_pop_f64");
    return 0.0;
  }
  return *--t->f64;
}

static inline void vg_tape_push_f32(vg_tape *t, float v) {
  if (t->f32 == t->f32_end) vg_tape_next_block_f32(t, 1);
  *t->f32++ = v;
}

static inline float vg_tape_pop_f32(vg_tape *t) {
  if (t->f32 == t->f32_base && !vg_tape_prev_block_f32(t)) {
    vg_tape_underflow("vg_tape_pop_f32");
    return 0.0f;
  }
  return *--t->f32;
}

static inline void vg_tape_push_i32(vg_tape *t, int v) {
  if (t->i32 == t->i32_end) vg_tape_next_block_i32(t, 1);
  *t->i32++ = v;
}

static inline int vg_tape_pop_i32(vg_tape *t) {
  if (t->i32 == t->i32_base && !vg_tape_prev_block_i32(t)) {
    vg_tape_underflow("vg_tape_pop_i32");
    return 0;
  }
  return *--t->i32;
}

static inline void vg_tape_push_ptr(vg_tape *t, void *v) {
  if (t->ptr == t->ptr_end) vg_tape_next_block_ptr(t, 1);
  *t->ptr++ = v;
}

static inline void *vg_tape_pop_ptr(vg_tape *t) {
  if (t->ptr == t->ptr_base && !vg_tape_prev_block_ptr(t)) {
    vg_tape_underflow("vg_tape_pop_ptr");
    return NULL;
  }
  return *--t->ptr;
}

/* A run of n pushes without a check each: vg_tape_reserve_X(t, n) makes
 * room for them in one block, then n calls of vg_tape_put_X store them.
 * (Generated code reserves once per straight run of statements.)  A
 * checked pop past a block's start moves to where the block below was
 * left. */
static inline void vg_tape_reserve_f64(vg_tape *t, size_t n) {
  if ((size_t)(t->f64_end - t->f64) < n) vg_tape_next_block_f64(t, n);
}
static inline void vg_tape_reserve_i32(vg_tape *t, size_t n) {
  if ((size_t)(t->i32_end - t->i32) < n) vg_tape_next_block_i32(t, n);
}
static inline void vg_tape_reserve_ptr(vg_tape *t, size_t n) {
  if ((size_t)(t->ptr_end - t->ptr) < n) vg_tape_next_block_ptr(t, n);
}
static inline void vg_tape_reserve_f32(vg_tape *t, size_t n) {
  if ((size_t)(t->f32_end - t->f32) < n) vg_tape_next_block_f32(t, n);
}
/* The items of a counted loop's run: `count` iterations of `per` items,
 * computed in size_t; a product past SIZE_MAX is reported as out of memory
 * and aborts (a reservation computed in int would wrap to too few). */
size_t vg_tape_items_overflow(size_t count, size_t per);
static inline size_t vg_tape_items(size_t count, size_t per) {
  if (per && count > (size_t)-1 / per) return vg_tape_items_overflow(count, per);
  return count * per;
}
/* The counterpart for pops: vg_tape_ensure_X(t, n) makes the next n items
 * contiguous in the current block, then n calls of vg_tape_take_X return
 * them without a check each. */
void vg_tape_gather_f64(vg_tape *t, size_t n);
void vg_tape_gather_i32(vg_tape *t, size_t n);
void vg_tape_gather_ptr(vg_tape *t, size_t n);
void vg_tape_gather_f32(vg_tape *t, size_t n);
static inline void vg_tape_ensure_f64(vg_tape *t, size_t n) {
  if ((size_t)(t->f64 - t->f64_base) < n) vg_tape_gather_f64(t, n);
}
static inline void vg_tape_ensure_i32(vg_tape *t, size_t n) {
  if ((size_t)(t->i32 - t->i32_base) < n) vg_tape_gather_i32(t, n);
}
static inline void vg_tape_ensure_ptr(vg_tape *t, size_t n) {
  if ((size_t)(t->ptr - t->ptr_base) < n) vg_tape_gather_ptr(t, n);
}
static inline void vg_tape_ensure_f32(vg_tape *t, size_t n) {
  if ((size_t)(t->f32 - t->f32_base) < n) vg_tape_gather_f32(t, n);
}
static inline double vg_tape_take_f64(vg_tape *t) { return *--t->f64; }
static inline float vg_tape_take_f32(vg_tape *t) { return *--t->f32; }
static inline int vg_tape_take_i32(vg_tape *t) { return *--t->i32; }
static inline void *vg_tape_take_ptr(vg_tape *t) { return *--t->ptr; }

static inline void vg_tape_put_f64(vg_tape *t, double v) { *t->f64++ = v; }
static inline void vg_tape_put_f32(vg_tape *t, float v) { *t->f32++ = v; }
static inline void vg_tape_put_i32(vg_tape *t, int v) { *t->i32++ = v; }
static inline void vg_tape_put_ptr(vg_tape *t, void *v) { *t->ptr++ = v; }

/* A heap block of doubles (floats) that the forward sweep frees: its
 * elements and size onto the tape; the reverse sweep gets a malloc'd copy
 * back at a new address, and its size in *bytes.  The size alone, for a
 * block whose adjoint alone the reverse sweep allocates again: */
void vg_tape_push_size(vg_tape *t, size_t bytes);
size_t vg_tape_pop_size(vg_tape *t);
void vg_tape_push_block_f64(vg_tape *t, const double *p, size_t bytes);
double *vg_tape_pop_block_f64(vg_tape *t, size_t *bytes);
void vg_tape_push_block_f32(vg_tape *t, const float *p, size_t bytes);
float *vg_tape_pop_block_f32(vg_tape *t, size_t *bytes);

/* Complex values go on the real stacks as two items, the real part first
 * (C99 6.2.5: a complex has the layout of an array of its two parts). */
#ifndef __cplusplus
static inline void vg_tape_push_c64(vg_tape *t, double _Complex v) {
  const double *part = (const double *)&v;
  vg_tape_push_f64(t, part[0]);
  vg_tape_push_f64(t, part[1]);
}
static inline double _Complex vg_tape_pop_c64(vg_tape *t) {
  double _Complex v;
  double *part = (double *)&v;
  part[1] = vg_tape_pop_f64(t);
  part[0] = vg_tape_pop_f64(t);
  return v;
}
static inline void vg_tape_put_c64(vg_tape *t, double _Complex v) {
  const double *part = (const double *)&v;
  vg_tape_put_f64(t, part[0]);
  vg_tape_put_f64(t, part[1]);
}
static inline double _Complex vg_tape_take_c64(vg_tape *t) {
  double _Complex v;
  double *part = (double *)&v;
  part[1] = vg_tape_take_f64(t);
  part[0] = vg_tape_take_f64(t);
  return v;
}
static inline void vg_tape_push_c32(vg_tape *t, float _Complex v) {
  const float *part = (const float *)&v;
  vg_tape_push_f32(t, part[0]);
  vg_tape_push_f32(t, part[1]);
}
static inline float _Complex vg_tape_pop_c32(vg_tape *t) {
  float _Complex v;
  float *part = (float *)&v;
  part[1] = vg_tape_pop_f32(t);
  part[0] = vg_tape_pop_f32(t);
  return v;
}
static inline void vg_tape_put_c32(vg_tape *t, float _Complex v) {
  const float *part = (const float *)&v;
  vg_tape_put_f32(t, part[0]);
  vg_tape_put_f32(t, part[1]);
}
static inline float _Complex vg_tape_take_c32(vg_tape *t) {
  float _Complex v;
  float *part = (float *)&v;
  part[1] = vg_tape_take_f32(t);
  part[0] = vg_tape_take_f32(t);
  return v;
}
#endif

/* Spans of indices, for the gradient of a `#pragma omp parallel for`:
 * each thread adds into a buffer of its own over the span of the elements
 * of a shared adjoint array the loop adds to (lo..hi), computed before the
 * loop from the index c0 + coef1*i1 + ... and the counters' ranges. */
/* adds coef * c for c from first to last (an empty range: first alone) */
static inline void vg_span_term(long *lo, long *hi, long coef, long first, long last) {
  if (last < first)
    last = first;
  long a = coef * first, b = coef * last;
  *lo += a < b ? a : b;
  *hi += a < b ? b : a;
}
/* whether the bytes a..a_end and b..b_end do not overlap */
static inline int vg_apart(const void *a, const void *a_end, const void *b, const void *b_end) {
  return (const char *)a_end <= (const char *)b || (const char *)b_end <= (const char *)a;
}
/* whether rows stride elements apart, each reaching lo..hi past its start, never meet */
static inline int vg_rows_apart(long stride, long lo, long hi) {
  return hi - lo < (stride < 0 ? -stride : stride);
}
/* lo..hi grows to cover other_lo..other_hi */
static inline void vg_span_join(long *lo, long *hi, long other_lo, long other_hi) {
  if (other_lo < *lo)
    *lo = other_lo;
  if (other_hi > *hi)
    *hi = other_hi;
}

/* The bytes of the caller's memory a gradient function writes and its
 * reverse sweep restores (lo..hi): noted where the forward sweep saves
 * them, kept once it ends, put back once the reverse sweep ends, so the
 * caller sees them as a plain call leaves them.  Notes come from one
 * object (a pointer parameter), so lo..hi lies inside it. */
typedef struct {
  uintptr_t lo, hi; /* addresses; hi == 0: nothing noted */
  void *kept;
} vg_extent;
static inline void vg_extent_note(vg_extent *e, const void *at, const void *end) {
  uintptr_t a = (uintptr_t)at, b = (uintptr_t)end;
  if (a < e->lo || e->hi == 0)
    e->lo = a;
  if (b > e->hi)
    e->hi = b;
}
void vg_extent_keep(vg_extent *e);     /* copies lo..hi aside */
void vg_extent_put_back(vg_extent *e); /* copies it back and frees the copy */

#ifdef __cplusplus
}
#endif

#endif /* VGRAD_TAPE_H */
