// expect: 4:44: error: parameter 'out' holds the loss (loss(out[1])) and cannot also be differentiated
/* An array that holds the loss is an output, not an input to differentiate. */
void f(double x, double *out) { out[0] = x * x; out[1] = out[0] * x; }
#pragma vgrad value_and_grad(f) argnums(0, 1) loss(out[1])
