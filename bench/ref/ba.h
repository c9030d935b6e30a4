/* ref/ba.h: ADBench's bundle adjustment written as ADBench's C reference
 * writes it (see ba.c): residuals into per-observation buffers. Camera
 * layout and inputs as in ../../samples/ba.h. */
#ifndef REF_BA_H
#define REF_BA_H

enum { REF_BA_NCAMPARAMS = 11 };

/* Residuals of one observation: err[0..2) = w (projection - feat). */
void ref_ba_reproj_error(const double *cam, const double *X, const double *w,
                         const double *feat, double *err);

/* The weight residual: *err = 1 - w^2. */
void ref_ba_weight_error(const double *w, double *err);

/* All residuals: reproj_err (2p) and w_err (p). */
void ref_ba_objective(int n, int m, int p, const double *cams, const double *X, const double *w,
                      const int *obs, const double *feats, double *reproj_err, double *w_err);

/* The scalar loss 1/2 (|reproj_err|^2 + |w_err|^2) into *loss, the residual
 * buffers filled on the way. */
void ref_ba_loss(int n, int m, int p, const double *cams, const double *X, const double *w,
                 const int *obs, const double *feats, double reproj_err[2 * p], double w_err[p],
                 double *loss);

#endif
