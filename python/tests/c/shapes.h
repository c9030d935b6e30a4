/* Types of structs.c, in a header of their own: load() follows it. */
#ifndef REAL
#define REAL double
#endif

struct affine {
  REAL scale;
  REAL shift[2];
  int unused_count; /* no gradient */
};

typedef struct {
  REAL loss;
  REAL fit;
  REAL penalty;
  int calls;
} Result;

/* a model whose weights live in a buffer of the caller's (design 1.7) */
typedef struct {
  int n;
  REAL *w;
  REAL scale;
} Model;

#define PENALTY_WEIGHT 0.25
