// expect: 4:19: error: function 'vjp_void_no_outputs' returns nothing: name the pointer parameters whose cotangents vjp takes with outputs(...)
/* a void function with no outputs(...): nothing to take a cotangent of */
void vjp_void_no_outputs(double x, double y[1]) { y[0] = x * x; }
#pragma vgrad vjp(vjp_void_no_outputs)
