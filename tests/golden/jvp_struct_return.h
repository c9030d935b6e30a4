/* jvp_struct_return.h: the result of jvp_struct_return.c, shared with its generated header. */
#ifndef JVP_STRUCT_RETURN_H
#define JVP_STRUCT_RETURN_H

#ifndef REAL
#define REAL double
#endif

typedef struct {
  REAL loss;
  REAL parts[2];
  int steps;
} Fit;

#endif
