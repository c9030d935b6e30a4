/* vgrad_tape.h: the tape of generated gradient code -- three growable
 * stacks (doubles, ints, pointers).  The forward sweep pushes the values the
 * reverse sweep needs (overwritten variables, branch decisions, loop counts,
 * kept arrays); the reverse sweep pops them in the opposite order.
 *
 *     vg_tape t = {0};               (or vg_tape_init(&t))
 *     vg_tape_push_f64(&t, x);  ...  x = vg_tape_pop_f64(&t);
 *     vg_tape_free(&t);
 *
 * Push is a bounds check, a store and two counter updates; growth (doubling,
 * no fixed limit) is out of line, in tape.c.  float values are stored as
 * double, exactly.  Popping an empty stack is reported as an error through
 * vgrad.h's error handler (and then returns 0 / NULL), never read garbage.
 *
 * Statistics: bytes_pushed counts every push over the tape's life (8 bytes a
 * double or float, 4 an int, sizeof(void *) a pointer); peak_bytes is the
 * most the tape has held at once, in the same units (not its capacity).
 *
 * Self-contained: compiles as C99 (-pedantic) and C++. */
#ifndef VGRAD_TAPE_H
#define VGRAD_TAPE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vg_tape {
  double *f64;
  size_t nf64, capf64;
  int *i32;
  size_t ni32, capi32;
  void **ptr;
  size_t nptr, capptr;
  size_t bytes_pushed, peak_bytes;
} vg_tape;

/* Out of line (tape.c). */
void vg_tape_grow_f64(vg_tape *t);
void vg_tape_grow_i32(vg_tape *t);
void vg_tape_grow_ptr(vg_tape *t);
void vg_tape_underflow(const char *function); /* reports the error */
void vg_tape_free(vg_tape *t);                /* releases the memory; keeps the statistics */
void vg_tape_clear(vg_tape *t);               /* pops everything, keeps memory and stats */

static inline void vg_tape_init(vg_tape *t) {
  t->f64 = NULL;
  t->nf64 = t->capf64 = 0;
  t->i32 = NULL;
  t->ni32 = t->capi32 = 0;
  t->ptr = NULL;
  t->nptr = t->capptr = 0;
  t->bytes_pushed = t->peak_bytes = 0;
}

/* Bytes held now, in the units of bytes_pushed. */
static inline size_t vg_tape_bytes_held(const vg_tape *t) {
  return t->nf64 * sizeof(double) + t->ni32 * sizeof(int) + t->nptr * sizeof(void *);
}

/* Called after each push: the tape only grows by pushing, so checking
 * here keeps peak_bytes exact at all times. */
static inline void vg_tape_note_push(vg_tape *t, size_t bytes) {
  size_t held = vg_tape_bytes_held(t);
  t->bytes_pushed += bytes;
  if (held > t->peak_bytes) t->peak_bytes = held;
}

static inline void vg_tape_push_f64(vg_tape *t, double v) {
  if (t->nf64 == t->capf64) vg_tape_grow_f64(t);
  t->f64[t->nf64++] = v;
  vg_tape_note_push(t, sizeof(double));
}

static inline double vg_tape_pop_f64(vg_tape *t) {
  if (t->nf64 == 0) {
    vg_tape_underflow("vg_tape_pop_f64");
    return 0.0;
  }
  return t->f64[--t->nf64];
}

static inline void vg_tape_push_f32(vg_tape *t, float v) { vg_tape_push_f64(t, (double)v); }

static inline float vg_tape_pop_f32(vg_tape *t) {
  if (t->nf64 == 0) {
    vg_tape_underflow("vg_tape_pop_f32");
    return 0.0f;
  }
  return (float)t->f64[--t->nf64];
}

static inline void vg_tape_push_i32(vg_tape *t, int v) {
  if (t->ni32 == t->capi32) vg_tape_grow_i32(t);
  t->i32[t->ni32++] = v;
  vg_tape_note_push(t, sizeof(int));
}

static inline int vg_tape_pop_i32(vg_tape *t) {
  if (t->ni32 == 0) {
    vg_tape_underflow("vg_tape_pop_i32");
    return 0;
  }
  return t->i32[--t->ni32];
}

static inline void vg_tape_push_ptr(vg_tape *t, void *v) {
  if (t->nptr == t->capptr) vg_tape_grow_ptr(t);
  t->ptr[t->nptr++] = v;
  vg_tape_note_push(t, sizeof(void *));
}

static inline void *vg_tape_pop_ptr(vg_tape *t) {
  if (t->nptr == 0) {
    vg_tape_underflow("vg_tape_pop_ptr");
    return NULL;
  }
  return t->ptr[--t->nptr];
}

#ifdef __cplusplus
}
#endif

#endif /* VGRAD_TAPE_H */
