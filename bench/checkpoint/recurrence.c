/* The 1,000,000-step recurrence x = x + h sin(p x), twice: taped, and under
 * `#pragma vgrad checkpoint` (binomial checkpointing, default snapshots). */
#include <math.h>

double recurrence_taped(double x0, double p, double h, int steps) {
  double x = x0;
  for (int i = 0; i < steps; i++)
    x = x + h * sin(p * x);
  return x;
}
#pragma vgrad value_and_grad(recurrence_taped) argnums(0, 1)

double recurrence_checkpointed(double x0, double p, double h, int steps) {
  double x = x0;
#pragma vgrad checkpoint
  for (int i = 0; i < steps; i++)
    x = x + h * sin(p * x);
  return x;
}
#pragma vgrad value_and_grad(recurrence_checkpointed) argnums(0, 1)
