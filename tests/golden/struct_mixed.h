/* struct_mixed.h: the hyperparameters of struct_mixed.c, in a header so
 * that the generated header can include it rather than define it again. */
#ifndef STRUCT_MIXED_H
#define STRUCT_MIXED_H

#ifndef REAL
#define REAL double
#endif

/* A floating member and an int member (ADBench GMM's Wishart prior). */
typedef struct {
  REAL gamma;
  int m;
} Wishart;

#endif
