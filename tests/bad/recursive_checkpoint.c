// expect: 8:3: error: '#pragma vgrad checkpoint' in the recursive function 'run' is not supported yet; remove the pragma (the loop is then taped whole)
/* Checkpointing inside a recursive function. */
double run(double x, int n) {
  if (n == 0)
    return x;
  double y = x;
#pragma vgrad checkpoint
  for (int i = 0; i < 10; i++)
    y = y * 0.9 + 0.1 * y * y;
  return run(y, n - 1);
}
#pragma vgrad value_and_grad(run)
