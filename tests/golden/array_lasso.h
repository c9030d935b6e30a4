/* array_lasso.h: the result type of array_lasso.c, in a header so that the
 * generated header can include it rather than define it again. */
#ifndef ARRAY_LASSO_H
#define ARRAY_LASSO_H

#include "../../runtime/vgrad.h"

/* The first member is the loss; mse and l1 are auxiliary outputs.  All
 * three are arrays the caller frees. */
typedef struct {
  vg_array *loss, *mse, *l1;
} ArrayLassoOut;

#endif
