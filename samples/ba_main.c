/* ba_main.c: bundle adjustment on a tiny made-up scene (2 cameras, 4 points,
 * each camera seeing each point): prints the loss and part of its gradient,
 * from the function vgradcc generated from ba.c. Build:
 *
 *     vgradcc ba.c -o ba.vg.c
 *     cc ba_main.c ba.c ba.vg.c -lvgrad -lm */
#include <stdio.h>

#include "ba.h"
#include "ba.vg.h" /* declares ba_objective_value_and_grad */

enum { NCAM = 2, NPT = 4, NOBS = 8 };

int main(void) {
  /* rotation (angle-axis), centre, focal, principal point, k1, k2 */
  REAL cams[NCAM * BA_CAM_SIZE] = {
      0.05, -0.1, 0.02, 0.0, 0.0, -5.0, 1.2, 0.01, -0.02, 0.1, 0.01,
      -0.2, 0.15, 0.0, 1.0, 0.2, -4.5, 1.1, 0.0, 0.03, 0.08, 0.02,
  };
  REAL X[NPT * 3] = {0.1, 0.2, 0.0, -0.5, 0.3, 0.4, 0.6, -0.4, -0.2, 0.0, 0.7, 0.3};
  REAL w[NOBS], feats[NOBS * 2];
  int obs[NOBS * 2];
  for (int i = 0; i < NOBS; i++) {
    obs[2 * i] = i / NPT;     /* camera */
    obs[2 * i + 1] = i % NPT; /* point */
    w[i] = (REAL)(1.0 - 0.01 * i);
    feats[2 * i] = (REAL)(0.05 * (i % 3) - 0.05);
    feats[2 * i + 1] = (REAL)(0.04 * (i % 4) - 0.06);
  }

  REAL err, d_cams[NCAM * BA_CAM_SIZE] = {0}, d_X[NPT * 3] = {0}, d_w[NOBS] = {0};
  ba_objective_value_and_grad(NCAM, NPT, NOBS, cams, X, w, obs, feats, &err, d_cams, d_X, d_w);

  printf("ba: %d cameras, %d points, %d observations\n", NCAM, NPT, NOBS);
  printf("err                   = %.6f\n", (double)err);
  printf("d err / d rotation[0] = [%.6f, %.6f, %.6f]\n", (double)d_cams[0], (double)d_cams[1],
         (double)d_cams[2]);
  printf("d err / d focal[0]    = %.6f\n", (double)d_cams[6]);
  printf("d err / d X[0]        = [%.6f, %.6f, %.6f]\n", (double)d_X[0], (double)d_X[1], (double)d_X[2]);
  printf("d err / d w[0..1]     = [%.6f, %.6f]\n", (double)d_w[0], (double)d_w[1]);
  return 0;
}
