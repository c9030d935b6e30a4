// expect: 6:30: error: function 'count' returns 'int'; the loss must be a double, a float or a one-element vg_array *
/* The loss must be floating (or a struct whose first member is). */
int count(double x) {
  return x > 0;
}
#pragma vgrad value_and_grad(count)
