/* test_tape.c: the tape of vgrad_tape.h -- ten million mixed pushes and
 * pops, growth, statistics, underflow, clear and free. */
#include <stdint.h>
#include <time.h>

#include "test_util.h"

enum { N = 10000000 };

static double now(void) {
  struct timespec ts;
  timespec_get(&ts, TIME_UTC);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static bool power_of_two_times_1024(size_t cap) {
  return cap >= 1024 && cap % 1024 == 0 && ((cap / 1024) & (cap / 1024 - 1)) == 0;
}

static void test_mixed(void) {
  static char objects[64];
  vg_tape t = {0};
  size_t n_f64 = 0, n_i32 = 0, n_ptr = 0;
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
      n_f64++;
      break;
    }
  }
  double t1 = now();
  size_t bytes = n_f64 * sizeof(double) + n_i32 * sizeof(int) + n_ptr * sizeof(void *);
  check(t.nf64 == n_f64 && t.ni32 == n_i32 && t.nptr == n_ptr, "tape_counts", "counts %zu %zu %zu",
        t.nf64, t.ni32, t.nptr);
  check(t.bytes_pushed == bytes && t.peak_bytes == bytes && vg_tape_bytes_held(&t) == bytes,
        "tape_stats_after_pushes", "pushed %zu peak %zu, want %zu", t.bytes_pushed, t.peak_bytes,
        bytes);
  check(power_of_two_times_1024(t.capf64) && t.capf64 >= n_f64 && t.capf64 < 2 * n_f64 &&
            power_of_two_times_1024(t.capi32) && power_of_two_times_1024(t.capptr),
        "tape_growth_doubles", "capacities %zu %zu %zu", t.capf64, t.capi32, t.capptr);
  bool ok = true;
  int bad = -1;
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
  check(ok && t.nf64 == 0 && t.ni32 == 0 && t.nptr == 0, "tape_pop_10M_mixed_in_reverse",
        "mismatch at push %d", bad);
  check(t.peak_bytes == bytes && t.bytes_pushed == bytes && vg_tape_bytes_held(&t) == 0,
        "tape_stats_after_pops", "pushed %zu peak %zu", t.bytes_pushed, t.peak_bytes);
  printf("# tape: %d pushes in %.0f ms, pops in %.0f ms\n", N, (t1 - t0) * 1e3, (t2 - t1) * 1e3);
  size_t cap = t.capf64;
  vg_tape_push_f64(&t, 1);
  vg_tape_clear(&t);
  check(t.nf64 == 0 && t.capf64 == cap && t.f64 != NULL, "tape_clear_keeps_memory", "cap %zu",
        t.capf64);
  vg_tape_free(&t);
  check(t.f64 == NULL && t.i32 == NULL && t.ptr == NULL && t.capf64 == 0 && t.nf64 == 0 &&
            t.bytes_pushed == bytes + 8,
        "tape_free_releases_keeps_stats", "not reset");
  vg_tape_push_i32(&t, 7); /* usable again after free */
  check(vg_tape_pop_i32(&t) == 7, "tape_reuse_after_free", "wrong value");
  vg_tape_free(&t);
}

static void test_peak_interleaved(void) {
  vg_tape t;
  vg_tape_init(&t);
  for (int i = 0; i < 100; i++) vg_tape_push_f64(&t, i);
  for (int i = 0; i < 60; i++) vg_tape_pop_f64(&t);
  for (int i = 0; i < 30; i++) vg_tape_push_i32(&t, i);
  /* held: 800 bytes, then 320, then 320 + 120 = 440 */
  check(t.peak_bytes == 800 && t.bytes_pushed == 920 && vg_tape_bytes_held(&t) == 440,
        "tape_peak_interleaved", "peak %zu pushed %zu held %zu", t.peak_bytes, t.bytes_pushed,
        vg_tape_bytes_held(&t));
  for (int i = 0; i < 1000; i++) vg_tape_push_ptr(&t, NULL);
  check(t.peak_bytes == 440 + 1000 * sizeof(void *), "tape_peak_new_high", "peak %zu",
        t.peak_bytes);
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
  check(p == NULL && n_errors == 1 && t.nf64 == 1 &&
            strcmp(first_error, "vg_tape_pop_ptr: the tape is empty (more pops than pushes)") == 0,
        "tape_underflow_ptr_separate_stacks", "got %s", first_error);
  capture_errors();
  check(vg_tape_pop_i32(&t) == 0 && vg_tape_pop_f32(&t) == 1.0f && vg_tape_pop_f32(&t) == 0.0f &&
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
  check(vg_tape_pop_f64(&t) == d && vg_tape_pop_f32(&t) == f && t.bytes_pushed == 16,
        "tape_float_and_double_exact", "values changed");
  vg_tape_free(&t);
}

int main(void) {
  test_mixed();
  test_peak_interleaved();
  test_underflow();
  test_float_exact();
  return finish();
}
