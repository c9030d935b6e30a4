/* struct_loop.h: the types of struct_loop.c, in a header so that the
 * generated header can include it rather than define it again. */
#ifndef STRUCT_LOOP_H
#define STRUCT_LOOP_H

#ifndef REAL
#define REAL double
#endif

/* A fixed array and a scalar. */
typedef struct {
  REAL pos[2];
  REAL vel;
} State;

/* A nested struct, an integer the derivatives read, and a scalar. */
typedef struct {
  State st;
  int hits;
  REAL energy;
} Body;

struct Acc {
  REAL sum;
  REAL sq;
};

#endif
