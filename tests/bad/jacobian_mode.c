// expect: 7:66: error: mode(forward): expected mode(fwd) (a jvp per column) or mode(rev) (a vjp per row)
/* mode(...) takes fwd or rev */
double jacobian_mode(double x, double r[1]) {
  r[0] = x;
  return x * x;
}
#pragma vgrad jacobian(jacobian_mode) outputs(return, r[1]) mode(forward)
