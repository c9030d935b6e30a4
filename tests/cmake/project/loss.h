double loss(const double *w, double b, const double *x, const double *y, int n);
