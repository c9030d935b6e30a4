/* companion_self.h: the type of companion_self.c, in a header so that the
 * generated file can include it. */
#ifndef COMPANION_SELF_H
#define COMPANION_SELF_H

#ifndef REAL
#define REAL double
#endif

struct cell {
  REAL v;
  REAL g;
};

#endif
