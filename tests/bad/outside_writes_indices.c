// expect: 13:5: error: the call to 'rotate', whose body is in none of the input files, may overwrite 'idx', whose values the gradient reads again; give vgradcc the file that defines 'rotate' as another input (vgradcc a.c b.c), or let the call write a copy that the function reads only after it
/* A function of another file rewrites the indices of a gather in a loop:
 * the reverse sweep needs the indices of each iteration, which the call
 * overwrites unseen (this was a silently wrong gradient). */
#include <math.h>
void rotate(int *idx, int n); /* in another file */

double f(const double *x, int n) {
  int idx[4] = {0, 1, 2, 3};
  double s = 0;
  for (int k = 0; k < n; k++) {
    s += x[idx[0]] * x[idx[1]] + sin(x[idx[2]]);
    rotate(idx, 4);
  }
  return s;
}
#pragma vgrad value_and_grad(f) argnums(0)
