/* tile_swap: the reverse of llm.c's tiled matmul (rows TILE at a time, each
 * weight loaded once per tile into an unrolled accumulator) sums into
 * d_inp eight rows apart per weight; ad/distribute.c moves those sums to a
 * copy of the nest with the loops swapped, whose inner loop runs over
 * contiguous elements (issue 13: the tiled matmul).  Spellings: the tile
 * as a `const int`, an enum constant and a #define; the accumulation as
 * `+=`, as `result[t] = result[t] + ...` and with the product turned
 * around; the weight through a row pointer; the input as `*(inp + k)`
 * (`tile_deref`) and through a row pointer set per tile row
 * (`tile_rows`: the copy computes its own `d_row`).  Not swapped, and
 * still right: a tile whose length depends on the outer counter
 * (`ragged`), a sum whose array the nest also reads (`reread`: inp read at
 * the element d_inp sums into and at another, the adjoints of both in one
 * array), and a pointer walking down the tile's rows (`tile_walk`,
 * `p += C`: set more than once in the nest).
 *
 * Values and gradients (every entry of inp, weight, bias) are checked
 * against central finite differences, float64 and float32, with
 * tests/fdcheck.h's steps and tolerances (|g - n| <= 1e-6 + 1e-5
 * max(|g|,|n|) for double, 2e-3 + 2e-2 max(...) for float). */
#include <math.h>
#ifndef REAL
#define REAL double
#endif

#define TILE_DEFINED 2
enum { TILE_ENUM = 4 };

REAL tile_const(const REAL *inp, const REAL *weight, const REAL *bias, int BT, int C, int OC) {
  const int LOOP_UNROLL = 8;
  REAL loss = 0;
  for (int obt = 0; obt < BT; obt += LOOP_UNROLL)
    for (int o = 0; o < OC; o++) {
      REAL result[8];
      for (int ibt = 0; ibt < LOOP_UNROLL; ibt++)
        result[ibt] = bias[o];
      for (int i = 0; i < C; i++) {
        REAL w = weight[i + o * C];
        for (int ibt = 0; ibt < LOOP_UNROLL; ibt++) {
          int bt = obt + ibt;
          result[ibt] += inp[bt * C + i] * w;
        }
      }
      for (int ibt = 0; ibt < LOOP_UNROLL; ibt++)
        loss += tanh(result[ibt]);
    }
  return loss;
}
#pragma vgrad value_and_grad(tile_const) argnums(0, 1, 2)

REAL tile_enum(const REAL *inp, const REAL *weight, const REAL *bias, int BT, int C, int OC) {
  REAL loss = 0;
  for (int obt = 0; obt < BT; obt += TILE_ENUM)
    for (int o = 0; o < OC; o++) {
      const REAL *wrow = weight + o * C;
      REAL result[TILE_ENUM];
      for (int t = 0; t < TILE_ENUM; t++)
        result[t] = bias[o];
      for (int i = 0; i < C; i++) {
        REAL w = wrow[i];
        for (int t = 0; t < TILE_ENUM; t++)
          result[t] = result[t] + w * inp[(obt + t) * C + i];
      }
      for (int t = 0; t < TILE_ENUM; t++)
        loss += result[t] * result[t];
    }
  return loss;
}
#pragma vgrad value_and_grad(tile_enum) argnums(0, 1, 2)

REAL tile_define(const REAL *inp, const REAL *weight, const REAL *bias, int BT, int C, int OC) {
  REAL loss = 0;
  for (int obt = 0; obt < BT; obt += TILE_DEFINED)
    for (int o = 0; o < OC; o++) {
      REAL result[TILE_DEFINED] = {0};
      for (int i = 0; i < C; i++) {
        REAL w = weight[o * C + i];
        for (int t = 0; t < TILE_DEFINED; t++) {
          int row = obt + t;
          result[t] += w * inp[i + row * C];
        }
      }
      for (int t = 0; t < TILE_DEFINED; t++)
        loss += sin(result[t] + bias[o]);
    }
  return loss;
}
#pragma vgrad value_and_grad(tile_define) argnums(0, 1, 2)

REAL tile_deref(const REAL *inp, const REAL *weight, const REAL *bias, int BT, int C, int OC) {
  REAL loss = 0;
  for (int obt = 0; obt < BT; obt += 4)
    for (int o = 0; o < OC; o++) {
      REAL result[4] = {0};
      for (int i = 0; i < C; i++) {
        REAL w = *(weight + o * C + i);
        for (int t = 0; t < 4; t++)
          result[t] += *(inp + (obt + t) * C + i) * w;
      }
      for (int t = 0; t < 4; t++)
        loss += tanh(result[t] + bias[o]);
    }
  return loss;
}
#pragma vgrad value_and_grad(tile_deref) argnums(0, 1, 2)

REAL tile_rows(const REAL *inp, const REAL *weight, const REAL *bias, int BT, int C, int OC) {
  REAL loss = 0;
  for (int obt = 0; obt < BT; obt += 4)
    for (int o = 0; o < OC; o++) {
      REAL result[4] = {0};
      for (int i = 0; i < C; i++) {
        REAL w = weight[o * C + i];
        for (int t = 0; t < 4; t++) {
          const REAL *row = inp + (obt + t) * C;
          result[t] = result[t] + row[i] * w;
        }
      }
      for (int t = 0; t < 4; t++)
        loss += tanh(result[t] + bias[o]);
    }
  return loss;
}
#pragma vgrad value_and_grad(tile_rows) argnums(0, 1, 2)

REAL tile_walk(const REAL *inp, const REAL *weight, const REAL *bias, int BT, int C, int OC) {
  REAL loss = 0;
  for (int obt = 0; obt < BT; obt += 4)
    for (int o = 0; o < OC; o++) {
      REAL result[4] = {0};
      for (int i = 0; i < C; i++) {
        REAL w = weight[o * C + i];
        const REAL *p = inp + obt * C + i;
        for (int t = 0; t < 4; t++) {
          result[t] += *p * w;
          p += C;
        }
      }
      for (int t = 0; t < 4; t++)
        loss += tanh(result[t] + bias[o]);
    }
  return loss;
}
#pragma vgrad value_and_grad(tile_walk) argnums(0, 1, 2)

REAL ragged(const REAL *inp, const REAL *weight, const REAL *bias, int BT, int C, int OC) {
  REAL loss = 0;
  for (int obt = 0; obt < BT; obt += 4)
    for (int o = 0; o < OC; o++) {
      REAL result[4] = {0};
      for (int i = 0; i < C; i++) {
        REAL w = weight[o * C + i];
        for (int t = 0; t < i % 4 + 1; t++)
          result[t] += inp[(obt + t) * C + i] * w;
      }
      for (int t = 0; t < 4; t++)
        loss += tanh(result[t] + bias[o]);
    }
  return loss;
}
#pragma vgrad value_and_grad(ragged) argnums(0, 1, 2)

REAL reread(const REAL *inp, const REAL *weight, const REAL *bias, int BT, int C, int OC) {
  REAL loss = 0;
  for (int obt = 0; obt < BT; obt += 4)
    for (int o = 0; o < OC; o++) {
      REAL result[4] = {0};
      for (int i = 0; i < C; i++) {
        REAL w = weight[o * C + i] * inp[i];
        for (int t = 0; t < 4; t++)
          result[t] += inp[(obt + t) * C + i] * w;
      }
      for (int t = 0; t < 4; t++)
        loss += tanh(result[t] + bias[o]);
    }
  return loss;
}
#pragma vgrad value_and_grad(reread) argnums(0, 1, 2)

#ifdef VG_DRIVER
#include <vgrad.h>

#include "tile_swap.vg.h"
#include "fdcheck.h"

enum { BT = 8, C = 5, OC = 3 };
static REAL in_inp[BT * C], in_w[OC * C], in_b[OC];
typedef REAL (*Plain)(const REAL *, const REAL *, const REAL *, int, int, int);
typedef REAL (*WithGrad)(const REAL *, const REAL *, const REAL *, int, int, int, REAL *, REAL *, REAL *);
static Plain current;
static REAL loss(void) { return current(in_inp, in_w, in_b, BT, C, OC); }

static void check(const char *name, Plain plain, WithGrad with_grad) {
  /* the gradient adds to what the caller's arrays hold */
  REAL d_inp[BT * C], d_w[OC * C], d_b[OC];
  for (int i = 0; i < BT * C; i++)
    d_inp[i] = (REAL)0.25;
  for (int i = 0; i < OC * C; i++)
    d_w[i] = (REAL)-0.5;
  for (int i = 0; i < OC; i++)
    d_b[i] = (REAL)1;
  current = plain;
  fd_value(name, with_grad(in_inp, in_w, in_b, BT, C, OC, d_inp, d_w, d_b), loss());
  for (int i = 0; i < BT * C; i++)
    d_inp[i] -= (REAL)0.25;
  for (int i = 0; i < OC * C; i++)
    d_w[i] += (REAL)0.5;
  for (int i = 0; i < OC; i++)
    d_b[i] -= (REAL)1;
  fd_check_array(name, in_inp, d_inp, BT * C, loss);
  fd_check_array(name, in_w, d_w, OC * C, loss);
  fd_check_array(name, in_b, d_b, OC, loss);
}

int main(void) {
  for (int i = 0; i < BT * C; i++)
    in_inp[i] = (REAL)(0.3 * sin(1.7 * i + 0.2));
  for (int i = 0; i < OC * C; i++)
    in_w[i] = (REAL)(0.5 * cos(0.9 * i + 0.4));
  for (int i = 0; i < OC; i++)
    in_b[i] = (REAL)(0.1 * i - 0.05);
  check("tile_const", tile_const, tile_const_value_and_grad);
  check("tile_enum", tile_enum, tile_enum_value_and_grad);
  check("tile_define", tile_define, tile_define_value_and_grad);
  check("tile_deref", tile_deref, tile_deref_value_and_grad);
  check("tile_rows", tile_rows, tile_rows_value_and_grad);
  check("tile_walk", tile_walk, tile_walk_value_and_grad);
  check("ragged", ragged, ragged_value_and_grad);
  check("reread", reread, reread_value_and_grad);
  return fd_report("tile_swap");
}
#endif
