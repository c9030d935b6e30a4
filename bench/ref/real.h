/* ref/real.h: the floating type of the float benchmarks (matmul, gpt2) and
 * the math functions they call: float and llm.c's expf, sqrtf, ... by
 * default; double and exp, sqrt, ... in the REF_F64 build, whose gradients
 * `make -C bench check` compares with finite differences (float ones are
 * too coarse for that). */
#ifndef REF_REAL_H
#define REF_REAL_H

#if defined(REF_F64) || defined(REAL_IS_double) /* REAL_IS_double: tests/realistic/gpt2's double build */
#define REAL double
#define EXPF exp
#define LOGF log
#define SQRTF sqrt
#define TANHF tanh
#define COSHF cosh
#else
#define REAL float
#define EXPF expf
#define LOGF logf
#define SQRTF sqrtf
#define TANHF tanhf
#define COSHF coshf
#endif

#endif
