/* ba_check.c: the gradient vgradcc generates for samples/ba.c (bundle
 * adjustment) against central finite differences, for every entry of
 * d_cams, d_X and d_w, with 2 cameras, 3 points and 6 observations (every
 * camera sees every point, gathered through obs).  Camera 0 has a rotation
 * of about 0.4 rad (Rodrigues' formula); camera 1 starts with none (the
 * first-order branch; the differences step into the other, whose derivative
 * at 0 is the same).  Tolerances: samplecheck.h. */
#include "ba.h"
#include "ba.vg.h"
#include "samplecheck.h"

enum { NCAM = 2, NPT = 3, NOBS = 6 };

static REAL cams[NCAM * BA_CAM_SIZE], X[NPT * 3], w[NOBS], feats[NOBS * 2];
static int obs[NOBS * 2];

static REAL loss(void) {
  REAL err = 0;
  ba_objective(NCAM, NPT, NOBS, cams, X, w, obs, feats, &err);
  return err;
}

int main(void) {
  for (int c = 0; c < NCAM; c++) {
    REAL *cam = cams + c * BA_CAM_SIZE;
    if (c == 0)
      sc_fill(cam, 3, 0.1, 0.3); /* rotation */
    else
      sc_zero(cam, 3);
    sc_fill(cam + 3, 2, -0.3, 0.3); /* centre, well behind the points */
    cam[5] = (REAL)sc_uniform(-5.5, -4.5);
    cam[6] = (REAL)sc_uniform(1.0, 2.0);   /* focal length */
    sc_fill(cam + 7, 2, -0.2, 0.2);        /* principal point */
    cam[9] = (REAL)sc_uniform(0.05, 0.15); /* k1 */
    cam[10] = (REAL)sc_uniform(0.01, 0.03); /* k2 */
  }
  sc_fill(X, NPT * 3, -1, 1);
  sc_fill(w, NOBS, 0.7, 1.3);
  sc_fill(feats, NOBS * 2, -0.5, 0.5);
  for (int i = 0; i < NOBS; i++) {
    obs[2 * i] = i % NCAM;
    obs[2 * i + 1] = i % NPT;
  }

  REAL err = -1;
  REAL d_cams[NCAM * BA_CAM_SIZE], d_X[NPT * 3], d_w[NOBS];
  sc_zero(d_cams, NCAM * BA_CAM_SIZE);
  sc_zero(d_X, NPT * 3);
  sc_zero(d_w, NOBS);
  ba_objective_value_and_grad(NCAM, NPT, NOBS, cams, X, w, obs, feats, &err, d_cams, d_X, d_w);

  REAL want = sc_begin(loss);
  printf("err = %.10g\n", (double)want);
  fd_value("err", err, want);
  sc_check_array("d_cams", cams, d_cams, NCAM * BA_CAM_SIZE, loss);
  sc_check_array("d_X", X, d_X, NPT * 3, loss);
  sc_check_array("d_w", w, d_w, NOBS, loss);
  return sc_report("ba");
}
