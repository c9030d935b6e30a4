/* caller_after.h: the types of caller_after.c, in a header so that the
 * generated header can include it rather than define them again. */
#ifndef CALLER_AFTER_H
#define CALLER_AFTER_H

#include <stdbool.h>
#include <stdint.h>

#ifndef REAL
#define REAL double
#endif

/* one member of each kind the caller's memory is put back as */
typedef struct {
  REAL w;
  const char *name;
  unsigned char u;
  bool on;
  short k;
  uint16_t count;
} Rec;

#endif
