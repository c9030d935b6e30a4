/* pointer_tables: local arrays of pointers to floating data, which
 * vgradcc replaces entry by entry (the loops indexing them unrolled).
 * Spellings: rows of three arrays walked as rows[r][i] and *(rows[r] + i),
 * counted by a literal, by `sizeof rows / sizeof rows[0]` and by a `const
 * int`; entries with offsets into one array and a constant index; arrays
 * written through a table's entries and read again; a counter declared
 * before its loop and read after it; and llm.c's parameter tensors: a
 * struct's pointer members pointed into one flat parameter buffer through
 * `REAL **ptrs[] = {&params->wte, ...}` in a helper, as train_gpt2.c's
 * malloc_and_point_parameters does; loops holding a switch, a continue, a
 * return, a local copy of the counter, counted down or by 2. */
#include <math.h>
#include <stddef.h>

#ifndef REAL
#define REAL double
#endif

REAL rows_sum(const REAL *a, const REAL *b, const REAL *c, int n) {
  const REAL *rows[3] = {a, b, c};
  REAL s = 0;
  for (int r = 0; r < 3; r++)
    for (int i = 0; i < n; i++)
      s += rows[r][i] * sin(rows[r][i]) * (r + 1);
  for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++)
    s += *(rows[r] + 1) * *rows[r];
  const int nrows = 2;
  for (int r = nrows; r >= 0; r -= 2)
    s += exp(0.5 * rows[r][0]);
  return s;
}
#pragma vgrad value_and_grad(rows_sum) argnums(0, 1, 2)

REAL halves(const REAL *x, int n) {
  const REAL *parts[2] = {x, x + n};
  REAL out1[4], out2[4];
  REAL *outs[2] = {out1, out2};
  for (int k = 0; k < 2; k++)
    for (int i = 0; i < n; i++)
      outs[k][i] = parts[k][i] * parts[1 - k][i];
  int k;
  REAL s = parts[1][0] * parts[0][n - 1];
  for (k = 0; k < 2; k++) {
    REAL t = 0;
    for (int i = 0; i < n; i++)
      t += outs[k][i] * outs[k][i];
    s += tanh(t) * (k + 1);
  }
  return s + k;
}
#pragma vgrad value_and_grad(halves) argnums(0)

/* the loops' bodies: a switch on the counter, a continue of an inner
 * loop, a return, a local copy of the counter; counted down, by 2, to <= */
REAL rows_misc(const REAL *a, const REAL *b, int n) {
  const REAL *rows[2] = {a, b};
  REAL s = rows[0][0];
  for (int i = 0; i <= 1; i++) {
    switch (i) {
    case 0:
      s += rows[i][1];
      break;
    default:
      s += rows[1 - i][0];
      break;
    }
    if (rows[i][0] > 100)
      return s;
    for (int k = 0; k < n; k++) {
      if (k == 1)
        continue;
      s += sin(rows[i][k]) * rows[1 - i][k];
    }
  }
  for (int i = 1; i >= 0; i--)
    s += *rows[i] * a[2];
  for (int i = 0; i < 2; i += 2)
    s += rows[i][1];
  for (int i = 0; i < 2; i++) {
    int r = 1 - i;
    s += rows[r][0] * rows[i][2];
  }
  return s;
}
#pragma vgrad value_and_grad(rows_misc) argnums(0, 1)

typedef struct {
  const REAL *wte; /* (V, C) */
  const REAL *wpe; /* (T, C) */
  const REAL *lnw; /* (C) */
} ParameterTensors;

enum { NUM_PARAMETER_TENSORS = 3 };

static void point_parameters(ParameterTensors *params, const size_t *param_sizes, const REAL *params_memory) {
  const REAL **ptrs[] = {&params->wte, &params->wpe, &params->lnw};
  const REAL *params_memory_iterator = params_memory;
  for (size_t i = 0; i < NUM_PARAMETER_TENSORS; i++) {
    *(ptrs[i]) = params_memory_iterator;
    params_memory_iterator += param_sizes[i];
  }
}

/* the embedding of tokens tok[0..T) scaled by lnw, squared and summed */
REAL embed_loss(const REAL *params_memory, const int *tok, int V, int T, int C) {
  ParameterTensors params;
  size_t param_sizes[NUM_PARAMETER_TENSORS] = {(size_t)V * C, (size_t)T * C, (size_t)C};
  point_parameters(&params, param_sizes, params_memory);
  REAL loss = 0;
  for (int t = 0; t < T; t++) {
    const REAL *wte_ix = params.wte + tok[t] * C;
    const REAL *wpe_t = params.wpe + t * C;
    for (int c = 0; c < C; c++) {
      REAL h = (wte_ix[c] + wpe_t[c]) * params.lnw[c];
      loss += h * h;
    }
  }
  return loss / (T * C);
}
#pragma vgrad value_and_grad(embed_loss) argnums(0)

#ifdef VG_DRIVER
#include "pointer_tables.vg.h"
#include "fdcheck.h"

static REAL in_a[3] = {0.4, -0.3, 0.25}, in_b[3] = {0.8, 0.1, -0.5}, in_c[3] = {-0.6, 0.5, 0.35};
static REAL loss_rows(void) { return rows_sum(in_a, in_b, in_c, 3); }

static REAL loss_misc(void) { return rows_misc(in_a, in_b, 3); }

static REAL in_x[8] = {0.3, -0.7, 0.45, 0.2, -0.15, 0.6, 0.9, -0.35};
static REAL loss_halves(void) { return halves(in_x, 4); }

/* V 3, T 2, C 2: wte 6, wpe 4, lnw 2 */
static REAL in_p[12] = {0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.05, -0.15, 0.25, 0.35, 0.9, 1.1};
static const int in_tok[2] = {2, 0};
static REAL loss_embed(void) { return embed_loss(in_p, in_tok, 3, 2, 2); }

int main(void) {
  REAL d_a[3] = {0}, d_b[3] = {0}, d_c[3] = {0};
  fd_value("rows_sum", rows_sum_value_and_grad(in_a, in_b, in_c, 3, d_a, d_b, d_c), loss_rows());
  fd_check_array("rows_sum d_a", in_a, d_a, 3, loss_rows);
  fd_check_array("rows_sum d_b", in_b, d_b, 3, loss_rows);
  fd_check_array("rows_sum d_c", in_c, d_c, 3, loss_rows);

  REAL d_ma[3] = {0}, d_mb[3] = {0};
  fd_value("rows_misc", rows_misc_value_and_grad(in_a, in_b, 3, d_ma, d_mb), loss_misc());
  fd_check_array("rows_misc d_a", in_a, d_ma, 3, loss_misc);
  fd_check_array("rows_misc d_b", in_b, d_mb, 3, loss_misc);

  REAL d_x[8] = {0};
  fd_value("halves", halves_value_and_grad(in_x, 4, d_x), loss_halves());
  fd_check_array("halves d_x", in_x, d_x, 8, loss_halves);

  REAL d_p[12] = {0};
  fd_value("embed_loss", embed_loss_value_and_grad(in_p, in_tok, 3, 2, 2, d_p), loss_embed());
  fd_check_array("embed_loss d_params", in_p, d_p, 12, loss_embed);
  return fd_report("pointer_tables");
}
#endif
