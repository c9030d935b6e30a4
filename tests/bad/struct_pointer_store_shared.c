// expect: 23:6: error: storing a pointer in 'b->data' is not supported here: 'b' may point to a struct that other variables also point to by then; set the struct's pointer members right after allocating it ('b = malloc(sizeof *b); b->data = ...')
/* A heap matrix whose data pointer is replaced after another pointer to
 * the struct was taken: the other pointer would keep the old buffer. */
#include <stdlib.h>

typedef struct {
  int n;
  double *data;
} Vec;

double f(const double *x, int n) {
  Vec *a = malloc(sizeof(Vec));
  a->n = n;
  a->data = malloc(n * sizeof(double));
  for (int i = 0; i < n; i++)
    a->data[i] = x[i];
  Vec *b = a;
  double *twice = malloc(n * sizeof(double));
  for (int i = 0; i < n; i++)
    twice[i] = 2 * a->data[i] * x[i];
  free(a->data);
  b->n = n;
  b->data = twice;
  double s = 0;
  for (int i = 0; i < a->n; i++)
    s += a->data[i];
  free(b->data);
  free(a);
  return s;
}
#pragma vgrad value_and_grad(f) argnums(0)
