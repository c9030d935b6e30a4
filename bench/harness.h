/* harness.h: timing harness shared by the benchmark drivers.
 *
 * One driver process per benchmark and problem size. The driver registers
 * its methods (the primal and each way of computing value and gradient);
 * bench_run() then
 *   1. runs each method once (warm-up), recording its peak RSS, its tape
 *      size and its value and gradient;
 *   2. compares every gradient with a reference one (max relative difference);
 *   3. times all methods interleaved, `reps` rounds, each measurement looping
 *      the method until it takes at least `min_time` seconds;
 *   4. prints a summary to stderr and appends one tab-separated row per
 *      method to the --out file (see run.sh and report.awk).
 * Finite differences (--fd) are added by the harness itself from the primal. */
#ifndef BENCH_HARNESS_H
#define BENCH_HARNESS_H

#ifdef __cplusplus
extern "C" {
#endif

/* Computes the objective at the problem's current theta and returns it.
 * Gradient methods add d(objective)/d(theta) into grad, which the harness
 * zeroes before each call (the convention of vgradcc's generated code);
 * the primal gets grad == NULL. */
typedef double (*MethodFn)(void *ctx, double *grad);

/* Bytes recorded for the reverse sweep by the calls since the previous call
 * of this function: pushed in total and the most held at once; -1 when
 * unknown. */
typedef void (*TapeFn)(void *ctx, long long *pushed, long long *peak);

enum { BENCH_MAX_METHODS = 12 };

typedef struct {
  char name[32];
  MethodFn fn;
  void *ctx;
  int gradient; /* computes a gradient */
  int exact;    /* an exact gradient: can serve as the reference */
  TapeFn tape;
  char note[256];
  int skipped; /* a row with only a note */
  /* finite differences: components evaluated, and their indices */
  long fd_count;
  long *fd_index;
  /* results */
  double value, *grad, check, median, *samples;
  double call_time; /* seconds per call, from the warm-up */
  long inner;
  long long tape_pushed, tape_peak, rss_peak;
} Method;

typedef struct {
  const char *bench; /* "gmm" */
  const char *size;  /* "1k_d10_K25" */
  const char *input; /* the positional argument, if any */
  long ntheta;
  double *theta; /* the differentiated parameters, flat */
  /* options */
  int reps;
  double min_time;  /* seconds per measurement */
  int fd;           /* add finite differences */
  double fd_time;   /* seconds per finite-difference measurement */
  double adolc_max_ops; /* skip ADOL-C above this estimated tape length */
  int strict;       /* exit non-zero on a gradient mismatch */
  double exact_tol; /* largest check of an exact gradient (--tol; 1e-8) */
  /* Called after finite differences change theta, for problems that keep
   * their own copy of it (the float benchmarks); NULL otherwise. */
  void (*theta_changed)(void *ctx);
  void *theta_ctx;
  const char *out;  /* TSV rows appended here */
  const char *ref;  /* reference value and gradient written here */
  const char *vg_note; /* why there is no vgradcc column, from run.sh */
  Method methods[BENCH_MAX_METHODS];
  int nmethods;
} Bench;

/* Parses the common options; exits with a usage message on a bad one.
 *   --reps N  --min-time S  --fd  --fd-time S  --adolc-max-ops N  --strict  --tol X
 *   --size LABEL  --out FILE  --ref FILE  --vgradcc-note TEXT  [INPUT] */
void bench_init(Bench *b, const char *bench, int argc, char **argv);

/* The flat parameter vector that finite differences perturb and gradients
 * follow. */
void bench_problem(Bench *b, double *theta, long ntheta);

Method *bench_add(Bench *b, const char *name, MethodFn fn, void *ctx, int gradient);

/* A method that is not run here; the note says why. */
void bench_skip(Bench *b, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Runs everything (see above); returns the process exit status. */
int bench_run(Bench *b);

/* Utilities for the drivers. */
void *bench_alloc(long count, long size); /* zeroed; exits when out of memory */
double bench_now(void);                   /* monotonic seconds */

#ifdef __cplusplus
}
#endif

#endif
