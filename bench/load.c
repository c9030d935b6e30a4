/* load.c: readers for the ADBench GMM, BA and LSTM text formats. */
#include "load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *alloc_or_die(size_t count, size_t size) {
  void *p = calloc(count ? count : 1, size);
  if (!p) {
    fprintf(stderr, "out of memory (%zu x %zu bytes)\n", count, size);
    exit(1);
  }
  return p;
}

/* Reads `count` whitespace-separated numbers; reports what was missing. */
static int read_doubles(FILE *f, const char *path, const char *what, double *out, long count) {
  for (long i = 0; i < count; i++)
    if (fscanf(f, "%lf", &out[i]) != 1) {
      fprintf(stderr, "%s: expected %ld numbers for %s, read %ld\n", path, count, what, i);
      return -1;
    }
  return 0;
}

static int read_ints(FILE *f, const char *path, const char *what, int *out, int count) {
  for (int i = 0; i < count; i++)
    if (fscanf(f, "%d", &out[i]) != 1) {
      fprintf(stderr, "%s: expected %d integers for %s\n", path, count, what);
      return -1;
    }
  return 0;
}

static FILE *open_input(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f)
    perror(path);
  return f;
}

int gmm_load(const char *path, GmmInput *in) {
  memset(in, 0, sizeof *in);
  FILE *f = open_input(path);
  if (!f)
    return -1;
  int dkn[3];
  int rc = read_ints(f, path, "d k n", dkn, 3);
  if (rc == 0 && (dkn[0] < 1 || dkn[1] < 1 || dkn[2] < 1)) {
    fprintf(stderr, "%s: bad sizes d=%d k=%d n=%d\n", path, dkn[0], dkn[1], dkn[2]);
    rc = -1;
  }
  if (rc == 0) {
    int d = in->d = dkn[0], k = in->k = dkn[1], n = in->n = dkn[2];
    long icf_len = (long)k * d * (d + 1) / 2;
    in->ntheta = k + (long)k * d + icf_len;
    in->theta = alloc_or_die(in->ntheta, sizeof(double));
    in->alphas = in->theta;
    in->means = in->alphas + k;
    in->icf = in->means + (long)k * d;
    in->x = alloc_or_die((size_t)n * d, sizeof(double));
    double gm[2];
    rc = read_doubles(f, path, "alphas", in->alphas, k);
    if (rc == 0)
      rc = read_doubles(f, path, "means", in->means, (long)k * d);
    if (rc == 0)
      rc = read_doubles(f, path, "icf", in->icf, icf_len);
    if (rc == 0)
      rc = read_doubles(f, path, "points", in->x, (long)n * d);
    if (rc == 0)
      rc = read_doubles(f, path, "gamma m", gm, 2);
    in->gamma = gm[0];
    in->m = (int)gm[1];
  }
  fclose(f);
  if (rc != 0)
    gmm_free(in);
  return rc;
}

int ba_load(const char *path, BaInput *in) {
  memset(in, 0, sizeof *in);
  FILE *f = open_input(path);
  if (!f)
    return -1;
  int nmp[3];
  double cam[11], pt[3], w, feat[2];
  int rc = read_ints(f, path, "n m p", nmp, 3);
  if (rc == 0 && (nmp[0] < 1 || nmp[1] < 1 || nmp[2] < 1)) {
    fprintf(stderr, "%s: bad sizes n=%d m=%d p=%d\n", path, nmp[0], nmp[1], nmp[2]);
    rc = -1;
  }
  if (rc == 0)
    rc = read_doubles(f, path, "camera", cam, 11);
  if (rc == 0)
    rc = read_doubles(f, path, "point", pt, 3);
  if (rc == 0)
    rc = read_doubles(f, path, "weight", &w, 1);
  if (rc == 0)
    rc = read_doubles(f, path, "feature", feat, 2);
  fclose(f);
  if (rc != 0)
    return rc;

  /* The file holds one of each; the problem replicates them. */
  int n = in->n = nmp[0], m = in->m = nmp[1], p = in->p = nmp[2];
  in->ntheta = 11L * n + 3L * m + p;
  in->theta = alloc_or_die(in->ntheta, sizeof(double));
  in->cams = in->theta;
  in->X = in->cams + 11L * n;
  in->w = in->X + 3L * m;
  in->obs = alloc_or_die(2 * (size_t)p, sizeof(int));
  in->feats = alloc_or_die(2 * (size_t)p, sizeof(double));
  for (int i = 0; i < n; i++)
    memcpy(in->cams + 11L * i, cam, sizeof cam);
  for (int i = 0; i < m; i++)
    memcpy(in->X + 3L * i, pt, sizeof pt);
  for (int i = 0; i < p; i++) {
    in->w[i] = w;
    in->obs[2 * i] = i % n;
    in->obs[2 * i + 1] = i % m;
    in->feats[2 * i] = feat[0];
    in->feats[2 * i + 1] = feat[1];
  }
  return 0;
}

int lstm_load(const char *path, LstmInput *in) {
  memset(in, 0, sizeof *in);
  FILE *f = open_input(path);
  if (!f)
    return -1;
  int lcb[3];
  int rc = read_ints(f, path, "l c b", lcb, 3);
  if (rc == 0 && (lcb[0] < 1 || lcb[1] < 2 || lcb[2] < 1)) {
    fprintf(stderr, "%s: bad sizes l=%d c=%d b=%d\n", path, lcb[0], lcb[1], lcb[2]);
    rc = -1;
  }
  if (rc == 0) {
    int l = in->l = lcb[0], c = in->c = lcb[1], b = in->b = lcb[2];
    long main_len = 2L * l * 4 * b;
    in->ntheta = main_len + 3L * b;
    in->theta = alloc_or_die(in->ntheta, sizeof(double));
    in->main_params = in->theta;
    in->extra_params = in->theta + main_len;
    in->state = alloc_or_die(2 * (size_t)l * b, sizeof(double));
    in->sequence = alloc_or_die((size_t)c * b, sizeof(double));
    rc = read_doubles(f, path, "main parameters", in->main_params, main_len);
    if (rc == 0)
      rc = read_doubles(f, path, "extra parameters", in->extra_params, 3L * b);
    if (rc == 0)
      rc = read_doubles(f, path, "state", in->state, 2L * l * b);
    if (rc == 0)
      rc = read_doubles(f, path, "sequence", in->sequence, (long)c * b);
  }
  fclose(f);
  if (rc != 0)
    lstm_free(in);
  return rc;
}

void gmm_free(GmmInput *in) {
  free(in->theta);
  free(in->x);
  memset(in, 0, sizeof *in);
}

void ba_free(BaInput *in) {
  free(in->theta);
  free(in->obs);
  free(in->feats);
  memset(in, 0, sizeof *in);
}

void lstm_free(LstmInput *in) {
  free(in->theta);
  free(in->state);
  free(in->sequence);
  memset(in, 0, sizeof *in);
}
