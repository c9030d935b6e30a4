// expect: 4:29: error: the recursive call to 'power': not supported in jvp yet
/* A recursive function's calls (not inlined) have no tangent yet. */
double power(double x, int k) { return k == 0 ? 1 : x * power(x, k - 1); }
double f(double x) { return power(x, 3) + x; }
#pragma vgrad jvp(f)
