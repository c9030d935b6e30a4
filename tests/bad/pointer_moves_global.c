// expect: 11:5: error: pointer 'c' may point into 'w' or 'default_coef', and the global 'default_coef' has no gradient; copy 'default_coef' into a local array and point 'c' there
/* A pointer chosen between a selected array and a global table: the
 * adjoint pointer would have to point into the global's gradient, which
 * does not exist. */
const double default_coef[3] = {1.0, 0.5, 0.25};

double poly(const double *w, double t, int use_default)
{
    double s = 0;
    const double *c;
    c = use_default ? default_coef : w;
    for (int i = 0; i < 3; i++)
        s = s * t + c[i];
    return s;
}
#pragma vgrad value_and_grad(poly) argnums(0, 1)
