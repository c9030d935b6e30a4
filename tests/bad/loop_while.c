// expect: 5:3: error: 'while' loops are not supported
/* A while loop in a differentiated function. */
double loop_while(double x) {
  double s = x;
  while (s < 10)
    s = s * 2;
  return s;
}
#pragma vgrad value_and_grad(loop_while)
