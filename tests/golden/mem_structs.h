/* mem_structs.h: the point type of mem_structs.c, which the generated
 * header includes. */
#ifndef MEM_STRUCTS_H
#define MEM_STRUCTS_H

#ifndef REAL
#define REAL double
#endif

struct P {
  REAL x, y;
  int tag;
};

#endif
