/* struct_address.h: the types of struct_address.c, in a header so that
 * the generated header can include it rather than define it again. */
#ifndef STRUCT_ADDRESS_H
#define STRUCT_ADDRESS_H

#ifndef REAL
#define REAL double
#endif

typedef struct {
  REAL w[3];
  REAL b;
} Unit;

typedef struct {
  Unit unit;
  REAL scale;
} Stack;

#endif
