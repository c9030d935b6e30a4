/* struct_init.h: the types of struct_init.c, in a header so that the
 * generated header can include it rather than define them again. */
#ifndef STRUCT_INIT_H
#define STRUCT_INIT_H

#ifndef REAL
#define REAL double
#endif

typedef struct {
  REAL pos[2];
  REAL vel;
} State;

typedef struct {
  State st[2];
  REAL scale;
} Pair;

#endif
