// expect: 13:5: error: struct parameter 'p' is assigned as a whole, so its pointer members may point elsewhere afterwards, while its gradient struct holds the caller's gradient buffers for the pointers it came with; assign its other members one by one instead
/* A selected struct parameter with pointer members, replaced as a whole:
 * its pointers may then point at memory whose gradient buffers the
 * caller's gradient struct does not hold. */
typedef struct {
  double *w;
  int n;
} L;

double f(L p, L q) {
  double s = p.w[0];
  if (s > 0)
    p = q;
  return s * p.w[0];
}
#pragma vgrad value_and_grad(f) argnums(0)
