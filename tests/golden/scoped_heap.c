/* scoped_heap: a heap block that one loop iteration allocates and frees,
 * as ADBench's LSTM cell does with its gates (one malloc per call, pointers
 * `forget = &gates[0]`, `change = gates + h` into it, free at the end).
 * The forward sweep frees the block where the function does, its contents
 * on the tape, and allocates no adjoint block; the reverse sweep gets the
 * contents back in a new block there, with a zeroed adjoint, and sets the
 * pointers into both again (ad/scoped_heap.c).  Before, every iteration's
 * block and its adjoint stayed allocated until the reverse sweep, and the
 * pointers into them went on the tape, and the old value of each gate.
 *
 * cell_loss: the gates are filled before anything reads them, so no old
 * value is saved, and the update's read of the forget gate is taped where
 * it reads it (ad/taped_reads.c), so the reverse sweep reads nothing from
 * the block: only its size goes on the tape, and only the adjoint block
 * is allocated again.  The driver checks the tape's bytes exactly, and,
 * with glibc, that the heap the forward sweep holds (measured by
 * note_heap, called as is) grows by no more than the tape, not by the
 * blocks.
 * accumulate: the block (calloc'd, the calloc(n, size) spelling) is read
 * and written again by its own updates, whose old values the reverse
 * sweep needs: saved as before, restored into the block it gets back.
 * walking, rows: a pointer walking the block, and one set in an inner
 * loop; not in the rule, held until the reverse sweep as before.
 * interleaved: two blocks, see there.  members: the block behind a local
 * struct's pointer member.
 * FD f64/f32. */
#ifndef REAL
#define REAL double
#endif
#include <math.h>
#include <stdlib.h>
#include <string.h>

void note_heap(void); /* the driver's: records the heap in use */
#pragma vgrad nondiff(note_heap)

static void cell(int h, const REAL *w, REAL *state, const REAL *in) {
  REAL *gates = malloc(2 * h * sizeof(REAL));
  REAL *forget = &gates[0];
  REAL *change = gates + h;
  for (int i = 0; i < h; i++) {
    forget[i] = 1 / (1 + exp(-(in[i] * w[i])));
    change[i] = tanh(state[i] * w[h + i]);
  }
  for (int i = 0; i < h; i++)
    state[i] = state[i] * forget[i] + change[i];
  free(gates);
}

REAL cell_loss(const REAL *w, const REAL *x, REAL *state, int steps, int h) {
  for (int t = 0; t < steps; t++) {
    cell(h, w, state, &x[t * h]);
    note_heap();
  }
  REAL s = 0;
  for (int i = 0; i < h; i++)
    s += state[i] * state[i];
  return s;
}
#pragma vgrad value_and_grad(cell_loss) argnums(0, 1)

REAL accumulate(const REAL *w, const REAL *x, int steps, int h) {
  REAL s = 0;
  for (int t = 0; t < steps; t++) {
    REAL *acc = calloc(h, sizeof(REAL));
    for (int k = 0; k < 2; k++)
      for (int i = 0; i < h; i++)
        acc[i] = acc[i] * w[i] + sin(x[t * h + i] * (k + 1));
    for (int i = 0; i < h; i++)
      s += acc[i] * acc[i];
    free(acc);
  }
  return s;
}
#pragma vgrad value_and_grad(accumulate) argnums(0, 1)

REAL walking(const REAL *w, const REAL *x, int steps, int h) {
  REAL s = 0;
  for (int t = 0; t < steps; t++) {
    REAL *buf = malloc(h * sizeof(REAL));
    REAL *p = buf;
    for (int i = 0; i < h; i++)
      *p++ = cos(x[t * h + i] * w[i]);
    for (int i = 0; i < h; i++)
      s += buf[i] * buf[i] * w[i];
    free(buf);
  }
  return s;
}
#pragma vgrad value_and_grad(walking) argnums(0, 1)

REAL rows(const REAL *w, const REAL *x, int steps, int h) {
  REAL s = 0;
  for (int t = 0; t < steps; t++) {
    REAL *buf = malloc(2 * h * sizeof(REAL));
    for (int r = 0; r < 2; r++) {
      REAL *row = &buf[r * h];
      for (int i = 0; i < h; i++)
        row[i] = sin(x[t * h + i] + w[i] * r);
    }
    for (int i = 0; i < 2 * h; i++)
      s += buf[i] * buf[i] * w[i % h];
    free(buf);
  }
  return s;
}
#pragma vgrad value_and_grad(rows) argnums(0, 1)

/* Two blocks in one inner loop's body, freed in the other order they were
 * allocated, sized `calloc(h, sizeof *a)` and `malloc(sizeof(REAL) * h)`,
 * one copied out with memcpy, a pointer `&b[h - 1]` read after the other
 * block's free: both in the rule, each block back before its pointers. */
REAL interleaved(const REAL *w, const REAL *x, int steps, int h) {
  REAL s = 0;
  REAL *keep = calloc(h, sizeof *keep);
  for (int t = 0; t < steps; t++) {
    for (int u = 0; u < 2; u++) {
      REAL *a = calloc(h, sizeof *a);
      REAL *b = malloc(sizeof(REAL) * h);
      REAL *last = &b[h - 1];
      for (int i = 0; i < h; i++) {
        a[i] = tanh(x[t * h + i] * w[i] + u);
        b[i] = a[i] * a[i];
      }
      memcpy(keep, b, h * sizeof(REAL));
      free(a);
      for (int i = 0; i < h; i++)
        s += keep[i] * *last * w[i];
      free(b);
    }
  }
  free(keep);
  return s;
}
#pragma vgrad value_and_grad(interleaved) argnums(0, 1)

/* The block behind a local struct's pointer member (`c.g`, held in a
 * variable of its own by ad/struct_pointers.c): in the rule too. */
typedef struct {
  int n;
  REAL *g;
} Gates;

REAL members(const REAL *w, const REAL *x, int steps, int h) {
  REAL s = 0;
  for (int t = 0; t < steps; t++) {
    Gates c;
    c.n = h;
    c.g = malloc(2 * h * sizeof(REAL));
    for (int i = 0; i < c.n; i++) {
      c.g[i] = tanh(x[t * h + i] * w[i]);
      c.g[h + i] = exp(-x[t * h + i]);
    }
    for (int i = 0; i < c.n; i++)
      s += c.g[i] * c.g[h + i] * w[i];
    free(c.g);
  }
  return s;
}
#pragma vgrad value_and_grad(members) argnums(0, 1)

#ifdef VG_DRIVER
#include <stdio.h>
#include <string.h>
#include <vgrad.h>

#include "fdcheck.h"
#include "scoped_heap.vg.h"

#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#include <malloc.h>
#define HEAP_MEASURED 1
static size_t heap_in_use(void) { return mallinfo2().uordblks; }
#else
#define HEAP_MEASURED 0
static size_t heap_in_use(void) { return 0; }
#endif

static size_t heap_peak;
void note_heap(void) {
  size_t now = heap_in_use();
  if (now > heap_peak)
    heap_peak = now;
}

enum { STEPS = 40, H = 8 };
static REAL in_w[2 * H], in_x[STEPS * H], in_state[H];
static int in_steps;

static REAL loss_cell(void) {
  REAL state[H];
  memcpy(state, in_state, sizeof state);
  return cell_loss(in_w, in_x, state, in_steps, H);
}
static REAL loss_accumulate(void) { return accumulate(in_w, in_x, in_steps, H); }
static REAL loss_walking(void) { return walking(in_w, in_x, in_steps, H); }
static REAL loss_rows(void) { return rows(in_w, in_x, in_steps, H); }
static REAL loss_interleaved(void) { return interleaved(in_w, in_x, in_steps, H); }
static REAL loss_members(void) { return members(in_w, in_x, in_steps, H); }

int main(void) {
  for (int i = 0; i < 2 * H; i++)
    in_w[i] = (REAL)(0.3 + 0.05 * i - 0.01 * i * i);
  for (int i = 0; i < STEPS * H; i++)
    in_x[i] = (REAL)(0.4 * sin(0.7 * i));
  for (int i = 0; i < H; i++)
    in_state[i] = (REAL)(0.1 * i - 0.3);
  for (in_steps = 1; in_steps <= STEPS; in_steps += STEPS - 1) {
    REAL d_w[2 * H] = {0}, d_x[STEPS * H] = {0}, state[H];
    memcpy(state, in_state, sizeof state);
    vg_memory_stats stats;
    vg_memory_stats_reset();
    heap_peak = 0;
    size_t heap_before = heap_in_use();
    REAL v = cell_loss_value_and_grad(in_w, in_x, state, in_steps, H, d_w, d_x);
    vg_memory_stats_get(&stats);
    /* per step and unit: exp, tanh (doubles), the old state and the forget
     * gate where the update reads it (REALs); per step the block's size (two
     * ints), not its contents: the reverse sweep reads no gate from it */
    double bytes = in_steps * (H * (2.0 * sizeof(double) + 2 * sizeof(REAL)) + 2 * sizeof(int));
    fd_value("cell_loss tape bytes pushed", (double)stats.tape_bytes_pushed, bytes);
    if (HEAP_MEASURED) {
      /* the tape, in blocks of 8 KiB and up, and the generated function's own arrays */
      double held = (double)heap_peak - (double)heap_before, allowed = bytes + 64 * 1024;
      fd_checks++;
      if (held > allowed) {
        printf("MISMATCH cell_loss: the forward sweep held %.0f bytes of heap, more than %.0f\n", held, allowed);
        fd_failures++;
      }
    }
    fd_value("cell_loss", v, loss_cell());
    fd_check_array("cell_loss d_w", in_w, d_w, 2 * H, loss_cell);
    fd_check_array("cell_loss d_x", in_x, d_x, in_steps * H, loss_cell);

    REAL a_w[2 * H] = {0}, a_x[STEPS * H] = {0};
    v = accumulate_value_and_grad(in_w, in_x, in_steps, H, a_w, a_x);
    fd_value("accumulate", v, loss_accumulate());
    fd_check_array("accumulate d_w", in_w, a_w, H, loss_accumulate);
    fd_check_array("accumulate d_x", in_x, a_x, in_steps * H, loss_accumulate);

    REAL k_w[2 * H] = {0}, k_x[STEPS * H] = {0};
    v = walking_value_and_grad(in_w, in_x, in_steps, H, k_w, k_x);
    fd_value("walking", v, loss_walking());
    fd_check_array("walking d_w", in_w, k_w, H, loss_walking);
    fd_check_array("walking d_x", in_x, k_x, in_steps * H, loss_walking);

    REAL r_w[2 * H] = {0}, r_x[STEPS * H] = {0};
    v = rows_value_and_grad(in_w, in_x, in_steps, H, r_w, r_x);
    fd_value("rows", v, loss_rows());
    fd_check_array("rows d_w", in_w, r_w, H, loss_rows);
    fd_check_array("rows d_x", in_x, r_x, in_steps * H, loss_rows);

    REAL i_w[2 * H] = {0}, i_x[STEPS * H] = {0};
    v = interleaved_value_and_grad(in_w, in_x, in_steps, H, i_w, i_x);
    fd_value("interleaved", v, loss_interleaved());
    fd_check_array("interleaved d_w", in_w, i_w, H, loss_interleaved);
    fd_check_array("interleaved d_x", in_x, i_x, in_steps * H, loss_interleaved);

    REAL m_w[2 * H] = {0}, m_x[STEPS * H] = {0};
    v = members_value_and_grad(in_w, in_x, in_steps, H, m_w, m_x);
    fd_value("members", v, loss_members());
    fd_check_array("members d_w", in_w, m_w, H, loss_members);
    fd_check_array("members d_x", in_x, m_x, in_steps * H, loss_members);
  }
  return fd_report("scoped_heap");
}
#endif
