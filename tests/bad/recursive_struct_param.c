// expect: 5:22: error: parameter 'p' of the recursive function 'walk' is struct P: vgradcc differentiates a recursive function whose parameters are numbers and arrays of numbers only; pass the members as parameters of their own, or write the recursion as a loop
/* A struct parameter of a recursive function. */
struct P { double a, b; };

double walk(struct P p, int n) {
  if (n == 0)
    return p.a;
  return p.b * walk(p, n - 1);
}

double loss(double x) {
  struct P p = {x, 0.5};
  return walk(p, 3);
}
#pragma vgrad value_and_grad(loss)
