// expect: 4:71: error: clause 'allow_int' appears twice
/* Each clause at most once. */
double allow_int_twice(double x, int n) { return x * n; }
#pragma vgrad value_and_grad(allow_int_twice) argnums(0, 1) allow_int allow_int
