/* fnptr_rk4.h: the rates of the Lotka-Volterra model of fnptr_rk4.c. */
#ifndef FNPTR_RK4_H
#define FNPTR_RK4_H

#ifndef REAL
#define REAL double
#endif

struct rates {
  REAL birth, predation, growth, death;
};

#endif
