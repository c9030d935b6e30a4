// expect: 15:8: error: 'c->steps' is a bit-field of the caller's memory, which vgradcc puts back after the reverse sweep through its address, and a bit-field has none: declare 'steps' a plain integer member
/* A bit-field of the caller's memory reached through a pointer that may
 * point into a local struct too: put back through its address, which a
 * bit-field has not. */
typedef struct {
  double w;
  int steps : 4;
} Counter;

double count_either(Counter *s, const double *x, int n) {
  Counter local = {0.5, 1};
  double acc = 0;
  for (int i = 0; i < n; i++) {
    Counter *c = i % 2 ? s : &local;
    c->steps = c->steps + 1;
    acc += c->w * x[i] * c->steps;
  }
  return acc;
}
#pragma vgrad value_and_grad(count_either) argnums(0, 1)
