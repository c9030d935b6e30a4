/* tape.c: the out-of-line half of vgrad_tape.h -- moving between blocks,
 * release, and the pool of released blocks.  Kept out of the inline push so
 * the fast path stays a compare and a store. */
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vg_internal.h"

/* Block sizes: 8 KiB << class.  A growing stack doubles its blocks up to
 * class MAX_CLASS (8 MiB); a single reservation larger than that (a counted
 * loop's pushes, reserved at once) takes a block of a larger class, up to
 * POOL_MAX_CLASS (512 MiB) pooled like the others, so that a gradient
 * called again does not fault in a fresh block of that size each time. */
enum { FIRST_BLOCK_BYTES = 8192, MAX_CLASS = 10, POOL_MAX_CLASS = 16, DEFAULT_POOL_MB = 1024 };

/* ---- the pool: released blocks by size class, shared by all threads ---- */

static vg_tape_block *pool[POOL_MAX_CLASS + 1];
static size_t pool_bytes, pool_limit;
static bool pool_limit_read;
static atomic_flag pool_lock = ATOMIC_FLAG_INIT;

/* Held for a few loads and stores; a waiter that keeps finding it taken
 * gives its core away, since the holder may be waiting for one (more
 * threads than cores). */
static void lock(void) {
  for (int spins = 0; atomic_flag_test_and_set_explicit(&pool_lock, memory_order_acquire); spins++) {
    if (spins >= 64) sched_yield();
  }
}
static void unlock(void) { atomic_flag_clear_explicit(&pool_lock, memory_order_release); }

static int class_of(size_t bytes) {
  int c = 0;
  while (c < POOL_MAX_CLASS && ((size_t)FIRST_BLOCK_BYTES << c) < bytes) c++;
  return c;
}

static vg_tape_block *acquire(int cls) {
  if (cls > POOL_MAX_CLASS) { /* a reservation larger than any pooled block */
    size_t bytes = (size_t)FIRST_BLOCK_BYTES << cls;
    vg_tape_block *b = malloc(sizeof(vg_tape_block) + bytes);
    if (!b) {
      vg__error("vg_tape: out of memory allocating a block of %zu bytes", bytes);
      abort();
    }
    b->bytes = bytes;
    return b;
  }
  lock();
  vg_tape_block *b = pool[cls];
  if (b) {
    pool[cls] = b->prev;
    pool_bytes -= b->bytes;
  }
  unlock();
  if (b) return b;
  size_t bytes = (size_t)FIRST_BLOCK_BYTES << cls;
  b = malloc(sizeof(vg_tape_block) + bytes);
  if (!b) {
    /* A push cannot be reported and continued from (it would write past
     * the end), so after the error handler this aborts. */
    vg__error("vg_tape: out of memory allocating a block of %zu bytes", bytes);
    abort();
  }
  b->bytes = bytes;
  return b;
}

static void release(vg_tape_block *b) {
  if (!b) return;
  lock();
  if (!pool_limit_read) {
    const char *env = getenv("VGRAD_TAPE_POOL_MB");
    char *end = NULL;
    unsigned long long mb = env ? strtoull(env, &end, 10) : 0;
    pool_limit = (size_t)(env && end != env && *end == '\0' ? mb : DEFAULT_POOL_MB) << 20;
    pool_limit_read = true;
  }
  bool keep = b->bytes <= ((size_t)FIRST_BLOCK_BYTES << POOL_MAX_CLASS) && pool_bytes + b->bytes <= pool_limit;
  if (keep) {
    int cls = class_of(b->bytes);
    b->prev = pool[cls];
    pool[cls] = b;
    pool_bytes += b->bytes;
  }
  unlock();
  if (!keep) free(b);
}

size_t vg_tape_pool_bytes(void) {
  lock();
  size_t bytes = pool_bytes;
  unlock();
  return bytes;
}

void vg_tape_pool_release(void) {
  lock();
  for (int c = 0; c <= POOL_MAX_CLASS; c++) {
    while (pool[c]) {
      vg_tape_block *b = pool[c];
      pool[c] = b->prev;
      free(b);
    }
  }
  pool_bytes = 0;
  unlock();
}

/* ---- moving between blocks ---- */

static char *items(vg_tape_block *b) { return (char *)(b + 1); }

/* Stack `k` (0 f64, 1 i32, 2 ptr, 3 f32) holds `used` items in its current block
 * and needs room for n more: continues in the spare block or a new one
 * twice the size of the current one (up to the largest class, or larger
 * for a larger n).  Returns the new block; the caller sets its pointers. */
static vg_tape_block *next_block(vg_tape *t, int k, size_t elsize, size_t used, size_t n) {
  vg_tape_block *cur = t->block[k], *b = t->spare[k];
  if (n > SIZE_MAX / elsize / 2) {
    vg__error("vg_tape: out of memory reserving %zu items", n);
    abort();
  }
  if (b && b->bytes / elsize >= n) {
    t->spare[k] = NULL;
  } else {
    int cls = cur ? class_of(cur->bytes) + 1 : 0;
    if (cls > MAX_CLASS)
      cls = MAX_CLASS;
    while (((size_t)FIRST_BLOCK_BYTES << cls) / elsize < n)
      cls++;
    b = acquire(cls);
  }
  if (cur && used == 0) { /* an empty block too small: replaced, never left empty in the chain */
    b->prev = cur->prev;
    b->below = cur->below;
    release(cur);
  } else {
    if (cur)
      cur->used = used;
    b->prev = cur;
    b->below = cur ? cur->below + used : 0;
  }
  t->block[k] = b;
  return b;
}

/* Stack `k`'s current block is empty: back to the full block below it,
 * keeping the empty one as the spare.  Returns NULL when there is none. */
static vg_tape_block *prev_block(vg_tape *t, int k) {
  vg_tape_block *cur = t->block[k];
  if (!cur || !cur->prev) return NULL;
  release(t->spare[k]);
  t->spare[k] = cur;
  t->block[k] = cur->prev;
  return cur->prev;
}

size_t vg_tape_items_overflow(size_t count, size_t per) {
  vg__error("vg_tape: out of memory reserving %zu iterations of %zu items", count, per);
  abort();
}

/* ---- gathering items for unchecked pops ---- */

/* Stack k's current block holds items up to *top (of elsize bytes each)
 * and the next n pops want them in one block: moves items from the blocks
 * below up into this one (first into a larger block if it is too small),
 * keeping their order.  A stack holding
 * fewer than n items in all is reported as an underflow and aborts (the
 * pops that follow would read outside the tape). */
static void gather(vg_tape *t, int k, size_t elsize, char **top, char **base, char **end, size_t n,
                   const char *function) {
  if (n > SIZE_MAX / elsize / 2) {
    vg_tape_underflow(function);
    abort();
  }
  for (;;) {
    vg_tape_block *cur = t->block[k];
    size_t have = cur ? (size_t)(*top - *base) / elsize : 0;
    if (have >= n)
      return;
    if (!cur || !cur->prev) {
      vg_tape_underflow(function);
      abort();
    }
    if (have == 0) { /* as a checked pop would: back to the block below */
      release(t->spare[k]);
      t->spare[k] = cur;
      t->block[k] = cur->prev;
      *base = items(cur->prev);
      *end = *base + cur->prev->bytes;
      *top = *base + cur->prev->used * elsize;
      continue;
    }
    if (cur->bytes / elsize < n) { /* too small to hold them all: a larger block takes its place */
      int cls = class_of(cur->bytes);
      while (((size_t)FIRST_BLOCK_BYTES << cls) / elsize < n)
        cls++;
      vg_tape_block *big = acquire(cls);
      memcpy(items(big), *base, have * elsize);
      big->prev = cur->prev;
      big->below = cur->below;
      t->block[k] = big;
      release(cur);
      cur = big;
      *base = items(big);
      *end = *base + big->bytes;
      *top = *base + have * elsize;
    }
    vg_tape_block *below = cur->prev;
    size_t m = n - have < below->used ? n - have : below->used;
    memmove(*base + m * elsize, *base, have * elsize);
    memcpy(*base, items(below) + (below->used - m) * elsize, m * elsize);
    below->used -= m;
    cur->below -= m;
    *top += m * elsize;
    if (below->used == 0) { /* emptied: out of the chain */
      cur->prev = below->prev;
      release(below);
    }
  }
}

/* The typed entry points of stack K (X: f64, i32, ptr, f32; T its item type):
 * the generic functions above on the stack's top, base and end. */
#define STACK_ENTRY_POINTS(X, K, T)                                                   \
  void vg_tape_next_block_##X(vg_tape *t, size_t n) {                                 \
    size_t used = t->X##_base ? (size_t)(t->X - t->X##_base) : 0;                    \
    vg_tape_block *b = next_block(t, K, sizeof(T), used, n);                          \
    t->X = t->X##_base = (T *)items(b);                                               \
    t->X##_end = t->X##_base + b->bytes / sizeof(T);                                  \
  }                                                                                   \
  int vg_tape_prev_block_##X(vg_tape *t) {                                            \
    vg_tape_block *b = prev_block(t, K);                                              \
    if (!b) return 0;                                                                 \
    t->X##_base = (T *)items(b);                                                      \
    t->X##_end = t->X##_base + b->bytes / sizeof(T);                                  \
    t->X = t->X##_base + b->used;                                                     \
    return 1;                                                                         \
  }                                                                                   \
  void vg_tape_gather_##X(vg_tape *t, size_t n) {                                     \
    char *top = (char *)t->X, *base = (char *)t->X##_base, *end = (char *)t->X##_end; \
    gather(t, K, sizeof(T), &top, &base, &end, n, "vg_tape_ensure_" #X);              \
    t->X = (T *)top, t->X##_base = (T *)base, t->X##_end = (T *)end;                  \
  }

STACK_ENTRY_POINTS(f64, 0, double)
STACK_ENTRY_POINTS(i32, 1, int)
STACK_ENTRY_POINTS(ptr, 2, void *)
STACK_ENTRY_POINTS(f32, 3, float)

/* ---- heap blocks the forward sweep frees ---- */

/* The byte count on the int stack, in two 31-bit halves. */
void vg_tape_push_size(vg_tape *t, size_t bytes) {
  vg_tape_push_i32(t, (int)(bytes & 0x7fffffff));
  vg_tape_push_i32(t, (int)((bytes >> 31) & 0x7fffffff));
}

size_t vg_tape_pop_size(vg_tape *t) {
  size_t high = (size_t)vg_tape_pop_i32(t);
  size_t low = (size_t)vg_tape_pop_i32(t);
  return high << 31 | low;
}

static void *new_copy(size_t bytes) {
  void *p = malloc(bytes ? bytes : 1);
  if (!p) {
    vg__error("vg_tape: out of memory allocating a block of %zu bytes back", bytes);
    abort();
  }
  return p;
}

/* Its whole elements, then its size; the pop returns a malloc'd copy (the
 * tail of a size that is no multiple of the element is not kept). */
#define BLOCK_ENTRY_POINTS(X, T)                                 \
  void vg_tape_push_block_##X(vg_tape *t, const T *p, size_t bytes) { \
    size_t n = bytes / sizeof(T);                                \
    vg_tape_reserve_##X(t, n);                                   \
    if (n)                                                       \
      memcpy(t->X, p, n * sizeof(T));                            \
    t->X += n;                                                   \
    vg_tape_push_size(t, bytes);                                         \
  }                                                              \
  T *vg_tape_pop_block_##X(vg_tape *t, size_t *bytes) {          \
    *bytes = vg_tape_pop_size(t);                                        \
    size_t n = *bytes / sizeof(T);                               \
    T *p = new_copy(*bytes);                                     \
    vg_tape_ensure_##X(t, n);                                    \
    t->X -= n;                                                   \
    if (n)                                                       \
      memcpy(p, t->X, n * sizeof(T));                            \
    return p;                                                    \
  }

BLOCK_ENTRY_POINTS(f64, double)
BLOCK_ENTRY_POINTS(f32, float)

void vg_tape_underflow(const char *function) {
  vg__error("%s: the tape is empty (more pops than pushes)", function);
}

/* ---- statistics ---- */

static vg_memory_stats stats;

void vg_memory_stats_get(vg_memory_stats *out) { *out = stats; }
void vg_memory_stats_reset(void) { stats = (vg_memory_stats){0, 0, 0}; }
void vg__note_snapshots(size_t peak_bytes) {
  if (peak_bytes > stats.snapshot_peak_bytes)
    stats.snapshot_peak_bytes = peak_bytes;
}

void vg_tape_turn_to_push(vg_tape *t) {
  if (!t->popping) return;
  t->popping = 0;
  t->run_start = vg_tape_bytes_held(t);
}

void vg_tape_turn_to_pop(vg_tape *t) {
  vg_tape_sync_stats(t);
  t->popping = 1;
}

/* A run of pushes only raises what is held: its end is where a peak is. */
void vg_tape_sync_stats(vg_tape *t) {
  if (t->popping) return;
  size_t held = vg_tape_bytes_held(t);
  t->bytes_pushed += held - t->run_start;
  if (held > t->peak_bytes) t->peak_bytes = held;
  t->run_start = held;
}

/* ---- release ---- */

/* Releases every block of stack k above the bottom one (all of them when
 * keep_bottom is false); returns the bottom block kept, or NULL. */
static vg_tape_block *release_stack(vg_tape *t, int k, bool keep_bottom) {
  vg_tape_block *b = t->block[k];
  release(t->spare[k]);
  t->spare[k] = NULL;
  while (b && (b->prev || !keep_bottom)) {
    vg_tape_block *below = b->prev;
    release(b);
    b = below;
  }
  t->block[k] = b;
  return b;
}

void vg_tape_free(vg_tape *t) {
  vg_tape_sync_stats(t);
  lock(); /* the threads of a parallel loop free their own tapes at once (-fopenmp) */
  stats.tape_bytes_pushed += t->bytes_pushed;
  if (t->peak_bytes > stats.tape_peak_bytes)
    stats.tape_peak_bytes = t->peak_bytes;
  unlock();
  for (int k = 0; k < 4; k++) release_stack(t, k, false);
  size_t pushed = t->bytes_pushed, peak = t->peak_bytes;
  vg_tape_init(t);
  t->bytes_pushed = pushed; /* statistics outlive the memory */
  t->peak_bytes = peak;
}

void vg_tape_clear(vg_tape *t) {
  vg_tape_block *b;
  vg_tape_sync_stats(t);
  t->popping = 0;
  t->run_start = 0;
  if ((b = release_stack(t, 0, true))) {
    t->f64 = t->f64_base = (double *)items(b);
    t->f64_end = t->f64_base + b->bytes / sizeof(double);
  }
  if ((b = release_stack(t, 1, true))) {
    t->i32 = t->i32_base = (int *)items(b);
    t->i32_end = t->i32_base + b->bytes / sizeof(int);
  }
  if ((b = release_stack(t, 2, true))) {
    t->ptr = t->ptr_base = (void **)items(b);
    t->ptr_end = t->ptr_base + b->bytes / sizeof(void *);
  }
  if ((b = release_stack(t, 3, true))) {
    t->f32 = t->f32_base = (float *)items(b);
    t->f32_end = t->f32_base + b->bytes / sizeof(float);
  }
}

/* ---- the caller's memory, kept across the reverse sweep ---- */

void vg_extent_keep(vg_extent *e) {
  e->kept = NULL;
  if (e->hi <= e->lo)
    return;
  e->kept = malloc(e->hi - e->lo);
  if (!e->kept) {
    vg__error("vg_extent: out of memory keeping %zu bytes of the caller's memory", e->hi - e->lo);
    abort();
  }
  memcpy(e->kept, (const void *)e->lo, e->hi - e->lo);
}

void vg_extent_put_back(vg_extent *e) {
  if (e->kept)
    memcpy((void *)e->lo, e->kept, e->hi - e->lo);
  free(e->kept);
  e->kept = NULL;
  e->lo = e->hi = 0;
}
