// expect: 10:12: error: an assignment, '++' or '--' in the condition of a 'do' loop whose body has 'continue' is not supported; write the loop as 'while'
/* The condition of this do loop assigns r, and its body has a continue,
 * which must evaluate that condition next. */
double f(double x, int n) {
  double r = x, s = 0;
  do {
    if (n-- % 2)
      continue;
    s += r;
  } while ((r = r * 0.5) > 0.1);
  return s;
}
#pragma vgrad value_and_grad(f) argnums(0)
