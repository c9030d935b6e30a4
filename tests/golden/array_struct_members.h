/* array_struct_members.h: the result type of array_struct_members.c with
 * a number among its auxiliary outputs (ArrayLassoOut, arrays only, comes
 * from array_lasso.h). */
#ifndef ARRAY_STRUCT_MEMBERS_H
#define ARRAY_STRUCT_MEMBERS_H

#include "array_lasso.h"

/* loss first; rows (a number) and resid (an array) are auxiliary. */
typedef struct {
  vg_array *loss;
  double rows;
  vg_array *resid;
} FitOut;

#endif
