// expect: 4:19: error: function 'f' returns nothing: name the pointer parameters whose tangents jvp returns with outputs(...)
/* A void function's jvp needs outputs(...). */
void f(double x, double *y) { y[0] = x * x; }
#pragma vgrad jvp(f)
