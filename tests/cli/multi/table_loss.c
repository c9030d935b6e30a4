/* cli/multi-static-clash: a static table named like one of table_model.c,
 * both reaching the gradient: refused (the generated file can hold one). */
static const double weights[2] = {1.5, 2.5};
double table_model(double x);
double table_loss(double x) { return weights[0] * table_model(x); }
#pragma vgrad grad(table_loss)
