// expect: 6:18: error: use of undeclared identifier 'u1'
/* More errors than clang's limit of 20: each error keeps its
 * file:line:col, and clang's "too many errors emitted" follows them as a
 * note (it has no place of its own). */
double f(double x) {
  double a = x + u1;
  a += u2; a += u3; a += u4; a += u5; a += u6; a += u7; a += u8;
  a += u9; a += u10; a += u11; a += u12; a += u13; a += u14; a += u15;
  a += u16; a += u17; a += u18; a += u19; a += u20; a += u21; a += u22;
  return a;
}
#pragma vgrad value_and_grad(f)
