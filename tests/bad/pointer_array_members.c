// expect: 15:21: error: taking the address of variable 'p.wte' is not supported; only of arrays, their elements and structs
/* Parameter tensors pointed into one buffer through an array of pointers
 * to the struct's members, filled in a loop (as GPT-2 training code in C
 * does): the members' gradient buffers would have to follow the array. */
#include <stdlib.h>

typedef struct {
  float *wte;
  float *wpe;
} Params;

float f(const float *x, int n) {
  Params p;
  float *mem = malloc(2 * (size_t)n * sizeof(float));
  float **ptrs[] = {&p.wte, &p.wpe};
  float *it = mem;
  for (int i = 0; i < 2 * n; i++)
    mem[i] = x[i % n] * (float)(i + 1);
  for (int i = 0; i < 2; i++) {
    *ptrs[i] = it;
    it += n;
  }
  float s = 0;
  for (int i = 0; i < n; i++)
    s += p.wte[i] * p.wpe[i];
  free(mem);
  return s;
}
#pragma vgrad value_and_grad(f) argnums(0)
