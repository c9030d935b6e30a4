// expect: 19:9: error: pointer 'xp' may point into 'state' or 'x', and 'x' has no gradient (it is not selected) and no length vgradcc can find for a buffer of its own; declare its length ('x[n]', n a parameter before it), add 'x' to argnums/argnames, or copy it into a local array and point 'xp' there
/* The layers' input pointer starts in the input x and then walks through
 * the state: with only the weights selected, x has no gradient buffer for
 * xp's adjoint to point into while xp is in x, and x's length is not
 * declared (golden/pointer_moves_unselected_len declares it). */
#include <math.h>

double layers(const double *w, const double *x, int nl, int h)
{
    double state[16];
    const double *xp = x;
    for (int l = 0; l < nl; l++) {
        for (int j = 0; j < h; j++) {
            double a = 0;
            for (int k = 0; k < h; k++)
                a += w[(l * h + j) * h + k] * xp[k];
            state[l * h + j] = tanh(a);
        }
        xp = state + l * h;
    }
    return xp[0];
}
#pragma vgrad value_and_grad(layers) argnums(0)
