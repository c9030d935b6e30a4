// expect: 4:8: error: the recursive function 'acc' writes the global 'total': not supported yet; pass it as a parameter and return it
/* A recursive function that writes a global. */
double total;
double acc(double x, int n) {
  if (n == 0)
    return x;
  total += x;
  return acc(x * 0.5, n - 1);
}
#pragma vgrad value_and_grad(acc)
