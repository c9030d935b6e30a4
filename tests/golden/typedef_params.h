/* typedef_params.h: the typedefs of typedef_params.c, in a header so that
 * the generated header can include it rather than define them again. */
#ifndef TYPEDEF_PARAMS_H
#define TYPEDEF_PARAMS_H

#ifndef REAL
#define REAL double
#endif

typedef REAL real;
typedef real *dptr;              /* a pointer */
typedef const real *cdptr;       /* a pointer to const */
typedef real vec3[3];            /* an array: a pointer as a parameter */
typedef dptr dptr2;              /* a typedef of a typedef */
typedef real (*unary_fn)(real);  /* a function pointer */

typedef struct {
  real a;
  vec3 w; /* a typedef'd array member */
} Pair;
typedef Pair *PairP;             /* a pointer to a struct */
typedef Pair Pair2;              /* a struct by value, through two names */

#endif
