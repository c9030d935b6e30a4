// expect: 16:13: error: checkpoint: pointer 'p' carries its position from one iteration to the next, and vgradcc does not snapshot where its gradient points; compute it from the loop counter ('p = x + t', 'cur = t % 2 ? b : a') or leave this loop without checkpoint
/* A pointer set before a checkpointed loop and moved on inside an inner
 * loop of each step: the next step reads where the last one left it,
 * which the snapshots do not hold (bad/checkpoint_pointer_moves has it
 * in the step's own body; golden/ckpt_inner_call sets its pointers in
 * the inner loop before reading them, which is accepted). */
#include <math.h>

double walk(const double *x, int n)
{
    double buf[64] = {0}, c = 0;
    const double *p = buf;
#pragma vgrad checkpoint
    for (int t = 0; t < 4; t++) {
        for (int i = 0; i < n; i++) {
            c += sin(*p) * x[i];
            p++;
        }
        buf[t] = c;
    }
    return c;
}
#pragma vgrad value_and_grad(walk)
