// expect: 6:49: error: loss(s.total): 's' is the function's own copy, which the caller never sees; pass it by pointer (struct S *s) and write loss(s->...)
/* loss(E) names where the caller finds the loss after the call: a member
 * of a struct passed by value is not such a place. */
struct S { double total; };
void f(double x, struct S s) { s.total = x * x; }
#pragma vgrad value_and_grad(f) argnums(0) loss(s.total)
