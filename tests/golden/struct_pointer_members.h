/* struct_pointer_members.h: the parameter structs of
 * struct_pointer_members.c, in a header so that the generated header can
 * include it rather than define them again. */
#ifndef STRUCT_POINTER_MEMBERS_H
#define STRUCT_POINTER_MEMBERS_H

#ifndef REAL
#define REAL double
#endif

/* A layer whose weights live elsewhere: pointer members, an int, a scalar. */
typedef struct {
  REAL *w;
  const REAL *b;
  int n;
  REAL scale;
} Layer;

/* Parameters as pointers into one buffer (GPT-2 style), nested in a model. */
struct Weights {
  REAL *wte; /* V x C token embeddings */
  REAL *wpe; /* T x C position embeddings */
  REAL *lnw; /* C */
};

typedef struct {
  struct Weights params;
  int V, C;
} Model;

#endif
