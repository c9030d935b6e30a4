// expect: 5:12: error: the local 'p' of type 'struct P': not supported in jvp yet
/* A struct local that depends on the selected input. */
struct P { double a, b; };
double f(double x) {
  struct P p;
  p.a = x * x;
  p.b = 1;
  return p.a + p.b;
}
#pragma vgrad jvp(f)
