// expect: 5:3: error: 'do' loops are not supported
/* A do-while loop in a differentiated function. */
double loop_do(double x) {
  double s = x;
  do {
    s = s * s;
  } while (s < 10);
  return s;
}
#pragma vgrad value_and_grad(loop_do)
