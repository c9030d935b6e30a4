/* complex_loss.h: the struct of complex_loss.c, shared with its generated header. */
#ifndef COMPLEX_LOSS_H
#define COMPLEX_LOSS_H

#ifndef REAL
#define REAL double
#endif

struct Mode {
  REAL _Complex amp;
  REAL damping;
};

#endif
