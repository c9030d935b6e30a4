// expect: 16:13: error: pointer 'p' may point into 'x' or 'w', and 'x' has no gradient (it is not selected) and no length vgradcc can find for a buffer of its own; declare its length ('x[n]', n a parameter before it), add 'x' to argnums/argnames, or copy it into a local array and point 'p' there
/* A message names the user's variable as written ('p', not the name the
 * second 'p' gets in the generated code) and both arrays a ?: chooses;
 * x, which is not selected, has no gradient for p's adjoint to point into. */
double f(const double *x, const double *w, int n)
{
    double s = 0;
    {
        const double *p = x;
        s += p[0];
    }
    {
        const double *p = x;
        for (int i = 0; i < n; i++) {
            s += p[0] * p[0];
            p = i % 2 ? x + i : w + i;
        }
    }
    return s;
}
#pragma vgrad value_and_grad(f) argnums(1)
