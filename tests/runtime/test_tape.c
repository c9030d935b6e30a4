/* test_tape.c: the tape of vgrad_tape.h -- ten million mixed pushes and
 * pops, growth, statistics, underflow, clear and free. */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test_util.h"

enum { N = 10000000 };

static double now(void) {
  struct timespec ts;
  timespec_get(&ts, TIME_UTC);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Blocks of stack k, bottom first: their sizes double from 8 KiB to 8 MiB
 * and `below` counts the items under each. */
static bool blocks_well_formed(const vg_tape *t, int k, size_t elsize) {
  size_t sizes[64], belows[64];
  int n = 0;
  for (const vg_tape_block *b = t->block[k]; b && n < 64; b = b->prev, n++) {
    sizes[n] = b->bytes;
    belows[n] = b->below;
  }
  size_t expect_below = 0;
  for (int i = n - 1, j = 0; i >= 0; i--, j++) {
    size_t want = (size_t)8192 << (j < 10 ? j : 10);
    if (sizes[i] != want || belows[i] != expect_below) return false;
    expect_below += sizes[i] / elsize;
  }
  return n > 0;
}

static void test_mixed(void) {
  static char objects[64];
  vg_tape t = {0};
  size_t n_f64 = 0, n_i32 = 0, n_ptr = 0, n_f32 = 0;
  double t0 = now();
  for (int i = 0; i < N; i++) {
    switch (i % 4) {
    case 0:
      vg_tape_push_f64(&t, i * 0.5);
      n_f64++;
      break;
    case 1:
      vg_tape_push_i32(&t, -i);
      n_i32++;
      break;
    case 2:
      vg_tape_push_ptr(&t, &objects[i % 64]);
      n_ptr++;
      break;
    default:
      vg_tape_push_f32(&t, (float)i * 0.25f);
      n_f32++;
      break;
    }
  }
  double t1 = now();
  size_t bytes = n_f64 * sizeof(double) + n_i32 * sizeof(int) + n_ptr * sizeof(void *) + n_f32 * sizeof(float);
  check(vg_tape_count_f64(&t) == n_f64 && vg_tape_count_i32(&t) == n_i32 &&
            vg_tape_count_ptr(&t) == n_ptr && vg_tape_count_f32(&t) == n_f32,
        "tape_counts", "counts %zu %zu %zu %zu", vg_tape_count_f64(&t), vg_tape_count_i32(&t),
        vg_tape_count_ptr(&t), vg_tape_count_f32(&t));
  vg_tape_sync_stats(&t);
  check(t.bytes_pushed == bytes && t.peak_bytes == bytes && vg_tape_bytes_held(&t) == bytes,
        "tape_stats_after_pushes", "pushed %zu peak %zu, want %zu", t.bytes_pushed, t.peak_bytes,
        bytes);
  check(blocks_well_formed(&t, 0, sizeof(double)) && blocks_well_formed(&t, 1, sizeof(int)) &&
            blocks_well_formed(&t, 2, sizeof(void *)) && blocks_well_formed(&t, 3, sizeof(float)),
        "tape_blocks_double_up_to_8MiB", "unexpected block chain");
  bool ok = true;
  int bad = -1;
  vg_tape_turn_to_pop(&t);
  for (int i = N - 1; i >= 0 && ok; i--) {
    switch (i % 4) {
    case 0:
      ok = vg_tape_pop_f64(&t) == i * 0.5;
      break;
    case 1:
      ok = vg_tape_pop_i32(&t) == -i;
      break;
    case 2:
      ok = vg_tape_pop_ptr(&t) == &objects[i % 64];
      break;
    default:
      ok = vg_tape_pop_f32(&t) == (float)i * 0.25f;
      break;
    }
    if (!ok) bad = i;
  }
  double t2 = now();
  check(ok && vg_tape_count_f64(&t) == 0 && vg_tape_count_i32(&t) == 0 &&
            vg_tape_count_ptr(&t) == 0 && vg_tape_count_f32(&t) == 0,
        "tape_pop_10M_mixed_in_reverse",
        "mismatch at push %d", bad);
  check(t.peak_bytes == bytes && t.bytes_pushed == bytes && vg_tape_bytes_held(&t) == 0,
        "tape_stats_after_pops", "pushed %zu peak %zu", t.bytes_pushed, t.peak_bytes);
  printf("# tape: %d pushes in %.0f ms, pops in %.0f ms\n", N, (t1 - t0) * 1e3, (t2 - t1) * 1e3);
  vg_tape_turn_to_push(&t);
  for (int i = 0; i < 5000; i++) vg_tape_push_f64(&t, i); /* spans the first two blocks */
  for (int i = 0; i < 5000; i++) vg_tape_push_f32(&t, (float)i); /* and of the floats */
  vg_tape_clear(&t);
  check(vg_tape_count_f64(&t) == 0 && t.block[0] && !t.block[0]->prev && t.f64 == t.f64_base &&
            vg_tape_count_f32(&t) == 0 && t.block[3] && !t.block[3]->prev && t.f32 == t.f32_base &&
            vg_tape_bytes_held(&t) == 0,
        "tape_clear_keeps_first_block", "count %zu %zu", vg_tape_count_f64(&t), vg_tape_count_f32(&t));
  vg_tape_free(&t);
  check(t.f64 == NULL && t.i32 == NULL && t.ptr == NULL && t.f32 == NULL && !t.block[0] && !t.spare[0] &&
            !t.block[3] && !t.spare[3] && t.bytes_pushed == bytes + 5000 * 8 + 5000 * 4,
        "tape_free_releases_keeps_stats", "not reset");
  vg_tape_push_i32(&t, 7); /* usable again after free */
  check(vg_tape_pop_i32(&t) == 7, "tape_reuse_after_free", "wrong value");
  vg_tape_free(&t);
}

static void test_peak_interleaved(void) {
  vg_tape t;
  vg_tape_init(&t);
  for (int i = 0; i < 100; i++) vg_tape_push_f64(&t, i);
  vg_tape_turn_to_pop(&t);
  for (int i = 0; i < 60; i++) vg_tape_pop_f64(&t);
  vg_tape_turn_to_push(&t);
  for (int i = 0; i < 30; i++) vg_tape_push_i32(&t, i);
  /* held: 800 bytes, then 320, then 320 + 120 = 440 */
  vg_tape_sync_stats(&t);
  check(t.peak_bytes == 800 && t.bytes_pushed == 920 && vg_tape_bytes_held(&t) == 440,
        "tape_peak_interleaved", "peak %zu pushed %zu held %zu", t.peak_bytes, t.bytes_pushed,
        vg_tape_bytes_held(&t));
  for (int i = 0; i < 1000; i++) vg_tape_push_ptr(&t, NULL);
  vg_tape_sync_stats(&t);
  check(t.peak_bytes == 440 + 1000 * sizeof(void *), "tape_peak_new_high", "peak %zu",
        t.peak_bytes);
  vg_tape_free(&t);
}

/* Pushes and pops going back and forth over a block boundary, the pattern
 * of a checkpointed loop; values must come back in order. */
static void test_block_boundary(void) {
  vg_tape t = {0};
  const size_t first = 8192 / sizeof(double);
  for (size_t i = 0; i < first; i++) vg_tape_push_f64(&t, (double)i);
  bool ok = true;
  for (int round = 0; round < 100; round++) {
    vg_tape_push_f64(&t, -1.0 - round);
    vg_tape_push_f64(&t, -2.0 - round);
    ok = ok && vg_tape_pop_f64(&t) == -2.0 - round && vg_tape_pop_f64(&t) == -1.0 - round;
    ok = ok && vg_tape_pop_f64(&t) == (double)(first - 1);
    vg_tape_push_f64(&t, (double)(first - 1));
  }
  for (size_t i = first; i-- > 0;) ok = ok && vg_tape_pop_f64(&t) == (double)i;
  check(ok && vg_tape_count_f64(&t) == 0, "tape_back_and_forth_over_block_boundary",
        "value mismatch");
  vg_tape_free(&t);
}

/* A second tape of the same size takes its blocks from the pool: the same
 * memory, not new pages.  With VGRAD_TAPE_POOL_MB=0 (run.sh runs this
 * program a second time so) nothing is kept. */
static void test_pool_reuse(void) {
  const char *env = getenv("VGRAD_TAPE_POOL_MB");
  bool pool_off = env && !strcmp(env, "0");
  vg_tape t = {0};
  for (int i = 0; i < 100000; i++) vg_tape_push_f64(&t, i);
  const vg_tape_block *top = t.block[0];
  vg_tape_free(&t);
  size_t pooled = vg_tape_pool_bytes();
  for (int i = 0; i < 100000; i++) vg_tape_push_f64(&t, i);
  bool same = t.block[0] == top;
  bool ok = true;
  for (int i = 100000; i-- > 0;) ok = ok && vg_tape_pop_f64(&t) == i;
  vg_tape_free(&t);
  if (pool_off)
    check(ok && pooled == 0, "tape_pool_off_keeps_nothing", "pooled %zu", pooled);
  else
    check(same && ok && pooled >= 100000 * sizeof(double), "tape_blocks_reused_from_pool",
          "same %d ok %d pooled %zu", same, ok, pooled);
  vg_tape_pool_release();
  check(vg_tape_pool_bytes() == 0, "tape_pool_release_empties", "pool %zu", vg_tape_pool_bytes());

  /* One reservation larger than a growing stack's largest block (8 MiB; a
   * counted loop's pushes reserved at once) is pooled too. */
  const size_t big = 2000000; /* 16 MB */
  const vg_tape_block *big_block = NULL;
  for (int round = 0; round < 2; round++) {
    vg_tape_reserve_f64(&t, big);
    for (size_t i = 0; i < big; i++) vg_tape_put_f64(&t, (double)i);
    if (round == 0)
      big_block = t.block[0];
    else
      same = t.block[0] == big_block;
    vg_tape_turn_to_pop(&t);
    ok = true;
    for (size_t i = big; i-- > 0;) ok = ok && vg_tape_take_f64(&t) == (double)i;
    vg_tape_free(&t);
    if (round == 0)
      pooled = vg_tape_pool_bytes();
  }
  if (pool_off)
    check(ok && pooled == 0, "tape_pool_off_keeps_no_large_block", "pooled %zu", pooled);
  else
    check(same && ok && pooled >= big * sizeof(double), "tape_large_reservation_reused_from_pool",
          "same %d ok %d pooled %zu", same, ok, pooled);
  vg_tape_pool_release();
}

/* Runs of reserved puts between single pushes: blocks are left with room
 * to spare, and pops must find where each was left.  Then one reservation
 * larger than the largest block. */
static void test_reserve_and_put(void) {
  vg_tape t = {0};
  size_t n = 0;
  for (int r = 0; n < 200000; r++) {
    size_t run = 1 + (size_t)(r % 13);
    vg_tape_reserve_f64(&t, run);
    for (size_t i = 0; i < run; i++) vg_tape_put_f64(&t, (double)n++);
    vg_tape_push_f64(&t, (double)n++);
  }
  bool counted = vg_tape_count_f64(&t) == n;
  vg_tape_turn_to_pop(&t);
  bool ok = true;
  for (size_t i = n; i-- > 0;) ok = ok && vg_tape_pop_f64(&t) == (double)i;
  check(counted && ok && vg_tape_count_f64(&t) == 0, "tape_reserved_runs_pop_in_order",
        "counted %d ok %d", counted, ok);
  vg_tape_turn_to_push(&t);
  const size_t big = 3000000; /* 24 MB: more than an 8 MiB block */
  vg_tape_push_ptr(&t, &t);
  vg_tape_reserve_f64(&t, big);
  for (size_t i = 0; i < big; i++) vg_tape_put_f64(&t, (double)i);
  vg_tape_turn_to_pop(&t);
  ok = true;
  for (size_t i = big; i-- > 0;) ok = ok && vg_tape_pop_f64(&t) == (double)i;
  check(ok && vg_tape_pop_ptr(&t) == &t && vg_tape_count_f64(&t) == 0, "tape_reserve_beyond_largest_block",
        "values wrong");
  vg_tape_free(&t);
}

/* Takes in groups that do not match how the values were pushed: ensure
 * must bring items from the blocks below (and across reservation gaps)
 * into one block, in order. */
static void test_ensure_and_take(void) {
  vg_tape t = {0};
  size_t n = 0;
  for (int r = 0; n < 300000; r++) {
    size_t run = 1 + (size_t)(r % 11);
    vg_tape_reserve_f64(&t, run);
    for (size_t i = 0; i < run; i++) vg_tape_put_f64(&t, (double)n++);
    vg_tape_push_i32(&t, r);
    vg_tape_push_f64(&t, (double)n++);
  }
  size_t rounds = vg_tape_count_i32(&t);
  vg_tape_turn_to_pop(&t);
  bool ok = true;
  size_t left = n;
  for (int g = 0; left > 0 && ok; g++) {
    size_t want = 1 + (size_t)((g * 7) % 17);
    if (want > left) want = left;
    vg_tape_ensure_f64(&t, want);
    for (size_t i = 0; i < want; i++) ok = ok && vg_tape_take_f64(&t) == (double)--left;
  }
  for (size_t r = rounds; r-- > 0 && ok;) {
    if (r % 2 == 1) {
      vg_tape_ensure_i32(&t, 2);
      ok = vg_tape_take_i32(&t) == (int)r && vg_tape_take_i32(&t) == (int)r - 1;
      r--;
    } else {
      ok = vg_tape_pop_i32(&t) == (int)r;
    }
  }
  check(ok && vg_tape_count_f64(&t) == 0 && vg_tape_count_i32(&t) == 0, "tape_ensure_take_in_other_groups",
        "left %zu", left);
  /* more at once than the block holding the top can take: a larger one */
  vg_tape_turn_to_push(&t);
  const size_t many = 20000;
  for (size_t i = 0; i < many; i++) vg_tape_push_f64(&t, (double)i);
  vg_tape_push_f64(&t, -1.0);
  vg_tape_turn_to_pop(&t);
  ok = vg_tape_pop_f64(&t) == -1.0;
  vg_tape_ensure_f64(&t, many);
  for (size_t i = many; i-- > 0;) ok = ok && vg_tape_take_f64(&t) == (double)i;
  check(ok && vg_tape_count_f64(&t) == 0, "tape_ensure_more_than_a_block", "values wrong");
  vg_tape_free(&t);
}

static void test_underflow(void) {
  vg_tape t = {0};
  capture_errors();
  double d = vg_tape_pop_f64(&t);
  check(d == 0 && n_errors == 1 &&
            strcmp(first_error, "vg_tape_pop_f64: the tape is empty (more pops than pushes)") == 0,
        "tape_underflow_f64", "got %s", first_error);
  capture_errors();
  vg_tape_push_f64(&t, 1);
  void *p = vg_tape_pop_ptr(&t);
  check(p == NULL && n_errors == 1 && vg_tape_count_f64(&t) == 1 &&
            strcmp(first_error, "vg_tape_pop_ptr: the tape is empty (more pops than pushes)") == 0,
        "tape_underflow_ptr_separate_stacks", "got %s", first_error);
  capture_errors();
  check(vg_tape_pop_i32(&t) == 0 && vg_tape_pop_f32(&t) == 0.0f && vg_tape_pop_f64(&t) == 1.0 &&
            n_errors == 2,
        "tape_underflow_i32_f32", "%d errors", n_errors);
  restore_errors();
  vg_tape_free(&t);
}

static void test_float_exact(void) {
  vg_tape t = {0};
  float f = 0.1f;
  double d = 0.1;
  vg_tape_push_f32(&t, f);
  vg_tape_push_f64(&t, d);
  vg_tape_turn_to_pop(&t);
  check(vg_tape_pop_f64(&t) == d && vg_tape_pop_f32(&t) == f && t.bytes_pushed == 12 &&
            t.peak_bytes == 12,
        "tape_float_and_double_exact", "values changed, or pushed %zu peak %zu", t.bytes_pushed, t.peak_bytes);
  vg_tape_free(&t);
}

/* The float stack on its own: 4 bytes an item in the statistics, pushes
 * and pops back and forth over its first block's boundary (2048 floats),
 * reserved runs and puts, ensures gathering across blocks and takes, and
 * the doubles beside it untouched. */
static void test_f32_stack(void) {
  vg_tape t = {0};
  const size_t first = 8192 / sizeof(float);
  for (size_t i = 0; i < first; i++) vg_tape_push_f32(&t, (float)i);
  vg_tape_push_f64(&t, 0.5);
  bool ok = vg_tape_count_f32(&t) == first && vg_tape_count_f64(&t) == 1 && t.f32 == t.f32_end;
  for (int round = 0; round < 100; round++) {
    vg_tape_push_f32(&t, -1.0f - (float)round);
    vg_tape_push_f32(&t, -2.0f - (float)round);
    ok = ok && vg_tape_pop_f32(&t) == -2.0f - (float)round && vg_tape_pop_f32(&t) == -1.0f - (float)round;
    ok = ok && vg_tape_pop_f32(&t) == (float)(first - 1);
    vg_tape_push_f32(&t, (float)(first - 1));
  }
  vg_tape_sync_stats(&t);
  size_t held = first * 4 + 8;
  /* no turn between the pushes and pops: the statistics see what is held */
  check(ok && vg_tape_bytes_held(&t) == held && t.peak_bytes == held && t.bytes_pushed == held,
        "tape_f32_back_and_forth_over_block_boundary", "ok %d held %zu peak %zu", ok, vg_tape_bytes_held(&t),
        t.peak_bytes);
  /* runs of reserved puts between single pushes, then one run larger than
   * the largest block (3M floats, 12 MB) */
  size_t n = first;
  for (int r = 0; n < 200000; r++) {
    size_t run = 1 + (size_t)(r % 13);
    vg_tape_reserve_f32(&t, run);
    for (size_t i = 0; i < run; i++) vg_tape_put_f32(&t, (float)n++);
    vg_tape_push_f32(&t, (float)n++);
  }
  const size_t big = 3000000;
  vg_tape_reserve_f32(&t, big);
  for (size_t i = 0; i < big; i++) vg_tape_put_f32(&t, (float)(i % 1000));
  ok = vg_tape_count_f32(&t) == n + big && vg_tape_count_f64(&t) == 1;
  vg_tape_turn_to_pop(&t);
  size_t pushed = t.bytes_pushed;
  vg_tape_ensure_f32(&t, big);
  for (size_t i = big; i-- > 0;) ok = ok && vg_tape_take_f32(&t) == (float)(i % 1000);
  /* takes in groups other than the runs: ensure gathers across blocks */
  size_t left = n;
  for (int g = 0; left > 0 && ok; g++) {
    size_t want = 1 + (size_t)((g * 7) % 17);
    if (want > left) want = left;
    vg_tape_ensure_f32(&t, want);
    for (size_t i = 0; i < want; i++) ok = ok && vg_tape_take_f32(&t) == (float)--left;
  }
  ok = ok && vg_tape_pop_f64(&t) == 0.5;
  check(ok && vg_tape_count_f32(&t) == 0 && vg_tape_bytes_held(&t) == 0 &&
            pushed == (n + big) * sizeof(float) + sizeof(double) && t.peak_bytes == pushed,
        "tape_f32_reserve_put_ensure_take", "ok %d left %zu pushed %zu peak %zu", ok, left, pushed, t.peak_bytes);
  /* more at once than the block holding the top can take: a larger one */
  vg_tape_turn_to_push(&t);
  const size_t many = 20000;
  for (size_t i = 0; i < many; i++) vg_tape_push_f32(&t, (float)i);
  vg_tape_push_f32(&t, -1.0f);
  vg_tape_turn_to_pop(&t);
  ok = vg_tape_pop_f32(&t) == -1.0f;
  vg_tape_ensure_f32(&t, many);
  for (size_t i = many; i-- > 0;) ok = ok && vg_tape_take_f32(&t) == (float)i;
  check(ok && vg_tape_count_f32(&t) == 0, "tape_f32_ensure_more_than_a_block", "values wrong");
  capture_errors();
  check(vg_tape_pop_f32(&t) == 0.0f && n_errors == 1 &&
            strcmp(first_error, "vg_tape_pop_f32: the tape is empty (more pops than pushes)") == 0,
        "tape_underflow_f32", "got %s", first_error);
  restore_errors();
  vg_tape_free(&t);
  check(!t.block[3] && !t.spare[3] && t.f32 == NULL, "tape_f32_free_releases", "blocks left");
}

/* vg_tape_items: a loop's reservation in size_t, where int wraps (a
 * billion iterations of four pushes), and a product past SIZE_MAX stops
 * with the out-of-memory message of the default handler. */
static void test_items(void) {
  check(vg_tape_items(1073742824u, 4) == (size_t)1073742824u * 4 && vg_tape_items(0, 7) == 0 &&
            vg_tape_items(SIZE_MAX / 3, 3) == SIZE_MAX / 3 * 3 && vg_tape_items(SIZE_MAX, 1) == SIZE_MAX,
        "tape_items_in_size_t", "products wrong");
  int fds[2];
  if (pipe(fds) != 0) return;
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], 2);
    close(fds[0]);
    volatile size_t count = SIZE_MAX / 2;
    vg_tape_items(count, 4);
    _exit(0); /* not reached */
  }
  close(fds[1]);
  char buf[256] = "";
  ssize_t n = read(fds[0], buf, sizeof buf - 1);
  buf[n > 0 ? n : 0] = 0;
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  check(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT && strstr(buf, "vg_tape: out of memory reserving "),
        "tape_items_overflow_stops", "status %d, stderr: %s", status, buf);
}

/* Heap blocks through the tape (a freed block's contents and size, back as
 * a copy): blocks of every size up to one spanning several tape blocks,
 * interleaved with single pushes and sizes no multiple of the element;
 * popped in the opposite order, each copy equal, each size exact. */
static void test_heap_blocks(void) {
  vg_tape t = {0};
  enum { BLOCKS = 40 };
  size_t sizes[BLOCKS];
  bool ok = true;
  for (int b = 0; b < BLOCKS; b++) {
    size_t n = b == BLOCKS - 1 ? (size_t)3 << 20 : (size_t)(b * b * 37); /* the last: 24 MiB of doubles */
    sizes[b] = n * sizeof(double) + (size_t)(b % 3); /* a tail of 0 to 2 bytes */
    double *p = malloc(sizes[b] ? sizes[b] : 1);
    for (size_t i = 0; i < n; i++) p[i] = (double)b * 1e6 + (double)i;
    vg_tape_push_f64(&t, -1.0 - b);
    vg_tape_push_block_f64(&t, p, sizes[b]);
    free(p);
    float f[5] = {1.5f, 2.5f, (float)b, 4.5f, 5.5f};
    vg_tape_push_block_f32(&t, f, b % 2 ? sizeof f : 0);
    vg_tape_push_size(&t, ((size_t)1 << 40) + (size_t)b);
  }
  vg_tape_turn_to_pop(&t);
  for (int b = BLOCKS - 1; b >= 0 && ok; b--) {
    size_t bytes = 0;
    ok = vg_tape_pop_size(&t) == ((size_t)1 << 40) + (size_t)b;
    float *f = vg_tape_pop_block_f32(&t, &bytes);
    ok = ok && bytes == (b % 2 ? 5 * sizeof(float) : 0) && (!bytes || (f[2] == (float)b && f[4] == 5.5f));
    free(f);
    double *p = vg_tape_pop_block_f64(&t, &bytes);
    size_t n = bytes / sizeof(double);
    ok = ok && bytes == sizes[b];
    for (size_t i = 0; i < n && ok; i++) ok = p[i] == (double)b * 1e6 + (double)i;
    free(p);
    ok = ok && vg_tape_pop_f64(&t) == -1.0 - b;
  }
  check(ok && vg_tape_count_f64(&t) == 0 && vg_tape_count_i32(&t) == 0 && vg_tape_count_f32(&t) == 0,
        "tape_heap_blocks", "a block came back different");
  vg_tape_free(&t);
}

int main(void) {
  test_mixed();
  test_peak_interleaved();
  test_block_boundary();
  test_pool_reuse();
  test_reserve_and_put();
  test_ensure_and_take();
  test_underflow();
  test_float_exact();
  test_f32_stack();
  test_items();
  test_heap_blocks();
  return finish();
}
