/* struct_param.h: the parameter tree of struct_param.c, in a header so
 * that the generated header can include it rather than define it again. */
#ifndef STRUCT_PARAM_H
#define STRUCT_PARAM_H

#ifndef REAL
#define REAL double
#endif

/* A dense layer: a fixed array and a scalar. */
typedef struct {
  REAL w[3];
  REAL b;
} Dense;

struct Norm {
  REAL scale;
  REAL shift;
};

/* A model: nested structs and a scalar, like an MLX parameter tree. */
typedef struct {
  Dense layer;
  struct Norm norm;
  REAL temp;
} Model;

#endif
