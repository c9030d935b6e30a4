/* custom_rule_header.h: a library's declarations, with the derivative
 * rules of its function beside it (golden/custom_rule_header). */
#ifndef CUSTOM_RULE_HEADER_H
#define CUSTOM_RULE_HEADER_H
#ifndef REAL
#define REAL double
#endif

/* sum of w[i] * exp(-b * i) over i < n */
REAL decay_sum(const REAL *w, int n, REAL b);
REAL decay_sum_vjp(const REAL *w, int n, REAL b, REAL ct_ret, REAL *d_w, REAL *d_b);
REAL decay_sum_jvp(const REAL *w, int n, REAL b, const REAL *t_w, REAL t_b, REAL *t_ret);

#endif
