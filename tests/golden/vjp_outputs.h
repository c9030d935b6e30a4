/* vjp_outputs.h: the struct of vjp_outputs.c, which its generated header includes. */
#ifndef VJP_OUTPUTS_H
#define VJP_OUTPUTS_H

#ifndef REAL
#define REAL double
#endif

struct Layer {
  REAL w[2][2];
  REAL b[2];
};

#endif
