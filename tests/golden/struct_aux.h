/* struct_aux.h: the result type of struct_aux.c, in a header so that the
 * generated header can include it rather than define it again. */
#ifndef STRUCT_AUX_H
#define STRUCT_AUX_H

#ifndef REAL
#define REAL double
#endif

/* The first member is the loss; the others are auxiliary outputs. */
typedef struct {
  REAL loss;
  REAL fit;
  REAL penalty;
  int nterms;
} FitOut;

#endif
