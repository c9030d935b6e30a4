// expect: 10:7: error: is not supported: non-local jumps cannot be reversed
/* setjmp in a differentiated function: the reverse sweep cannot follow a
 * longjmp back into it.  (The message names the function the setjmp
 * macro expands to: _setjmp with glibc.) */
#include <setjmp.h>

static jmp_buf env;

double f(double x) {
  if (setjmp(env))
    return 0;
  return x * x;
}
#pragma vgrad value_and_grad(f)
