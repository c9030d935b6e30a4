/* Included by loss.c; tests/cmake/check.sh edits LOSS_SCALE and checks
 * that the gradient is made again. */
#define LOSS_SCALE 2.0
