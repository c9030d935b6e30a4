/* load.h: readers for the ADBench input files (see shared/adbench/README.md).
 *
 * Each loader keeps the differentiable parameters in one contiguous vector
 * `theta`, in the order of the objective's argnames, with named pointers into
 * it; finite differences perturb theta and the gradients are laid out the
 * same way. */
#ifndef BENCH_LOAD_H
#define BENCH_LOAD_H

#ifdef __cplusplus
extern "C" {
#endif

/* GMM: theta = alphas (k) | means (k*d) | icf (k*d*(d+1)/2). */
typedef struct {
  int d, k, n;
  long ntheta;
  double *theta;
  double *alphas, *means, *icf; /* views into theta */
  double *x;                    /* n*d points */
  double gamma;                 /* Wishart prior */
  int m;
} GmmInput;

/* BA, replicated as the README says: theta = cams (11n) | X (3m) | w (p). */
typedef struct {
  int n, m, p;
  long ntheta;
  double *theta;
  double *cams, *X, *w; /* views into theta */
  int *obs;             /* 2p: camera index, point index */
  double *feats;        /* 2p */
} BaInput;

/* LSTM: theta = main_params (2*l*4*b) | extra_params (3*b). */
typedef struct {
  int l, c, b;
  long ntheta;
  double *theta;
  double *main_params, *extra_params; /* views into theta */
  double *state;                      /* 2*l*b, the initial state */
  double *sequence;                   /* c*b */
} LstmInput;

/* Each returns 0, or -1 after printing "path: what went wrong". */
int gmm_load(const char *path, GmmInput *in);
int ba_load(const char *path, BaInput *in);
int lstm_load(const char *path, LstmInput *in);

void gmm_free(GmmInput *in);
void ba_free(BaInput *in);
void lstm_free(LstmInput *in);

#ifdef __cplusplus
}
#endif

#endif
