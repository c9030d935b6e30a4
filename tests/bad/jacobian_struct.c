// expect: 10:50: error: argnames(p): jacobian takes double or float scalars and arrays; 'p' has type 'struct P'
/* a struct input: not a column jacobian can count yet */
struct P {
  double a, b;
};
void jacobian_struct(struct P p, double r[2]) {
  r[0] = p.a * p.b;
  r[1] = p.a;
}
#pragma vgrad jacobian(jacobian_struct) argnames(p) outputs(r[2])
