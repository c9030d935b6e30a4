// expect: 16:13: error: checkpoint: pointer 'cur' carries its position from one iteration to the next, and vgradcc does not snapshot where its gradient points; compute it from the loop counter ('p = x + t', 'cur = t % 2 ? b : a') or leave this loop without checkpoint
/* Ping-pong buffers in a checkpointed loop: the replays from snapshots
 * would find the gradient pointers d_cur and d_nxt where the last run
 * left them.  (A pointer walked with p++ there is refused the same way.) */
#include <math.h>

double steps(const double *x, int n)
{
    double a[4], b[4];
    for (int i = 0; i < 4; i++)
        a[i] = x[i];
    double *cur = a, *nxt = b;
#pragma vgrad checkpoint
    for (int t = 0; t < n; t++) {
        for (int i = 0; i < 4; i++)
            nxt[i] = sin(cur[i]) + 0.5 * cur[(i + 1) % 4];
        double *was = cur;
        cur = nxt;
        nxt = was;
    }
    return cur[0] * cur[1];
}
#pragma vgrad value_and_grad(steps)
