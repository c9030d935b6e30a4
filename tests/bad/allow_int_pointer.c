// expect: 4:60: error: parameter 1 'idx' of 'allow_int_pointer' has type 'const int *', which has no floating-point content to differentiate; allow_int accepts
/* allow_int accepts integer parameters, not pointers to them. */
double allow_int_pointer(double x, const int *idx) { return x * idx[0]; }
#pragma vgrad value_and_grad(allow_int_pointer) argnums(0, 1) allow_int
