// expect: 4:23: error: nondiff(wieght): no function 'wieght' is declared in this file or the headers it includes
/* nondiff names a function the file does not declare (a misspelling). */
double weight(double v);
#pragma vgrad nondiff(wieght)

double nondiff_undeclared(double x) { return x * x; }
#pragma vgrad value_and_grad(nondiff_undeclared)
