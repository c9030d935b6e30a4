// expect: 13:9: error: 'dst[i]' writes through pointer 'dst', which may point into the caller's memory or into a block this function allocates; vgradcc puts the caller's memory back after the reverse sweep, when the block is freed: write through a pointer of each
/* A pointer written through that may point into the caller's output or a
 * heap scratch block: the caller's values are put back after the reverse
 * sweep, when the block is already freed. */
#include <stdlib.h>

double fill(const double *x, double *out, int n, int keep)
{
    double *scratch = malloc(n * sizeof(double));
    double *dst = keep ? out : scratch;
    double s = 0;
    for (int i = 0; i < n; i++) {
        dst[i] = x[i] * x[i];
        s += dst[i];
    }
    free(scratch);
    return s;
}
#pragma vgrad value_and_grad(fill) argnums(0, 1)
