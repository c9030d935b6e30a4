/* struct_copy.h: the types of struct_copy.c, in a header so that the
 * generated header can include it rather than define it again. */
#ifndef STRUCT_COPY_H
#define STRUCT_COPY_H

#ifndef REAL
#define REAL double
#endif

/* A fixed array and a scalar. */
typedef struct {
  REAL w[3];
  REAL b;
} Layer;

/* A nested struct with an array member. */
typedef struct {
  Layer layer;
  REAL scale;
} Net;

#endif
