// expect: 4:65: error: assigning to one part of complex 'w' (__real__, __imag__) is not supported; assign the whole value: 'w = re + cimag(w) * I'
/* GNU __real__ as an assignment target: refused, saying what to write. */
#include <complex.h>
double f(double complex z) { double complex w = z * z; __real__ w = 2.0; return cabs(w); }
#pragma vgrad grad(f)
