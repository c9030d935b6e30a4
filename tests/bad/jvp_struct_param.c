// expect: 5:19: error: the selected parameter 'p' of type 'struct P': not supported in jvp yet
/* jvp of a struct parameter: refused until forward mode handles structs. */
struct P { double a, b; };
double jvp_struct_param(struct P p, double x) { return p.a * x + p.b; }
#pragma vgrad jvp(jvp_struct_param) argnums(0)
