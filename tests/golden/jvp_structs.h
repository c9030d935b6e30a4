/* jvp_structs.h: the struct of jvp_structs.c, which its generated header includes. */
#ifndef JVP_STRUCTS_H
#define JVP_STRUCTS_H

#ifndef REAL
#define REAL double
#endif

struct Layer {
  REAL w[3];
  REAL bias;
  int n;
};

#endif
