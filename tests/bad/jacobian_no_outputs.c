// expect: 4:24: error: jacobian(jacobian_no_outputs) needs outputs(...): the rows, each pointer output with its length (outputs(r[2 * m])) and 'return' for the return value
/* jacobian without outputs(...): no rows */
double jacobian_no_outputs(double x) { return x * x; }
#pragma vgrad jacobian(jacobian_no_outputs)
