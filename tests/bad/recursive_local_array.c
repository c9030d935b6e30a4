// expect: 4:10: error: the local array 'v' (double[2]) of the recursive function 'deep' is read by its reverse sweep; vgradcc carries only numbers and pointers from the forward to the reverse function: not supported yet; use scalar locals, or write the recursion as a loop
/* A local array of a recursive function, read again by its reverse sweep. */
double deep(double x, int n) {
  double v[2];
  if (n == 0)
    return x;
  v[0] = x * x;
  v[1] = deep(v[0], n - 1);
  return v[0] * v[1];
}
#pragma vgrad value_and_grad(deep)
