/* harness.c: see harness.h. */
#define _POSIX_C_SOURCE 200809L
#include "harness.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

/* Tolerances for flagging a gradient as wrong, relative to its largest
 * component: exact methods must agree to rounding, differences roughly. */
static const double EXACT_TOL = 1e-8; /* the default of --tol */
static const double FD_TOL = 1e-4;

void *bench_alloc(long count, long size) {
  void *p = calloc(count > 0 ? (size_t)count : 1, (size_t)size);
  if (!p) {
    fprintf(stderr, "out of memory (%ld x %ld bytes)\n", count, size);
    exit(1);
  }
  return p;
}

double bench_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* ---- peak resident set size ---- */

/* Resets the kernel's high-water mark so the next reading is the peak of
 * what runs in between (Linux >= 4.0); returns -1 where unsupported. */
static int rss_reset_peak(void) {
  FILE *f = fopen("/proc/self/clear_refs", "w");
  if (!f)
    return -1;
  int ok = fputs("5", f) >= 0;
  return (fclose(f) == 0 && ok) ? 0 : -1;
}

/* Peak RSS in bytes: VmHWM, else getrusage's peak for the whole process. */
static long long rss_peak(void) {
  FILE *f = fopen("/proc/self/status", "r");
  if (f) {
    char line[256];
    long long kb = -1;
    while (fgets(line, sizeof line, f))
      if (sscanf(line, "VmHWM: %lld kB", &kb) == 1)
        break;
    fclose(f);
    if (kb >= 0)
      return kb * 1024;
  }
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (long long)ru.ru_maxrss * 1024;
}

/* ---- options ---- */

static void usage(const char *prog) {
  fprintf(stderr,
          "usage: %s [--reps N] [--min-time S] [--fd] [--fd-time S] [--adolc-max-ops N]\n"
          "          [--strict] [--tol X] [--size LABEL] [--out FILE.tsv] [--ref FILE]\n"
          "          [--vgradcc-note TEXT] [INPUT]\n",
          prog);
  exit(2);
}

/* "path/to/gmm_d10_K25.txt" -> "gmm_d10_K25" (a static buffer). */
static const char *base_label(const char *path) {
  static char label[128];
  const char *slash = strrchr(path, '/');
  snprintf(label, sizeof label, "%s", slash ? slash + 1 : path);
  char *dot = strrchr(label, '.');
  if (dot)
    *dot = '\0';
  return label;
}

void bench_init(Bench *b, const char *bench, int argc, char **argv) {
  memset(b, 0, sizeof *b);
  b->bench = bench;
  b->reps = 7;
  b->min_time = 0.05;
  b->fd_time = 0.5;
  b->adolc_max_ops = 5e8;
  b->exact_tol = EXACT_TOL;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *val = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "--fd"))
      b->fd = 1;
    else if (!strcmp(a, "--strict"))
      b->strict = 1;
    else if (a[0] == '-' && a[1] == '-' && !val)
      usage(argv[0]);
    else if (!strcmp(a, "--reps"))
      b->reps = atoi(argv[++i]);
    else if (!strcmp(a, "--tol"))
      b->exact_tol = atof(argv[++i]);
    else if (!strcmp(a, "--min-time"))
      b->min_time = atof(argv[++i]);
    else if (!strcmp(a, "--fd-time"))
      b->fd_time = atof(argv[++i]);
    else if (!strcmp(a, "--adolc-max-ops"))
      b->adolc_max_ops = atof(argv[++i]);
    else if (!strcmp(a, "--size"))
      b->size = argv[++i];
    else if (!strcmp(a, "--out"))
      b->out = argv[++i];
    else if (!strcmp(a, "--ref"))
      b->ref = argv[++i];
    else if (!strcmp(a, "--vgradcc-note"))
      b->vg_note = argv[++i];
    else if (a[0] == '-' || b->input)
      usage(argv[0]);
    else
      b->input = a;
  }
  if (b->reps < 1)
    b->reps = 1;
  if (!b->size)
    b->size = b->input ? base_label(b->input) : "default";
}

void bench_problem(Bench *b, double *theta, long ntheta) {
  b->theta = theta;
  b->ntheta = ntheta;
}

static Method *new_method(Bench *b, const char *name) {
  if (b->nmethods == BENCH_MAX_METHODS) {
    fprintf(stderr, "too many methods\n");
    exit(1);
  }
  Method *m = &b->methods[b->nmethods++];
  memset(m, 0, sizeof *m);
  snprintf(m->name, sizeof m->name, "%s", name);
  m->check = NAN;
  m->median = NAN;
  m->value = NAN;
  m->tape_pushed = m->tape_peak = m->rss_peak = -1;
  return m;
}

Method *bench_add(Bench *b, const char *name, MethodFn fn, void *ctx, int gradient) {
  Method *m = new_method(b, name);
  m->fn = fn;
  m->ctx = ctx;
  m->gradient = gradient;
  m->exact = gradient;
  return m;
}

void bench_skip(Bench *b, const char *name, const char *fmt, ...) {
  Method *m = new_method(b, name);
  m->skipped = 1;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(m->note, sizeof m->note, fmt, ap);
  va_end(ap);
}

/* ---- finite differences ---- */

/* Central differences on the components fd_index[0..fd_count) of theta,
 * each perturbed by a step relative to its size. ctx is the Bench; the
 * primal is methods[0]. */
static double fd_gradient(void *ctx, double *grad) {
  Bench *b = ctx;
  Method *primal = &b->methods[0];
  Method *fd = NULL;
  for (int i = 0; i < b->nmethods; i++)
    if (b->methods[i].fn == fd_gradient)
      fd = &b->methods[i];
  for (long c = 0; c < fd->fd_count; c++) {
    long j = fd->fd_index[c];
    double t = b->theta[j];
    volatile double up = t + 6e-6 * fmax(1.0, fabs(t)); /* an exactly representable step */
    double h = up - t;
    b->theta[j] = t + h;
    if (b->theta_changed)
      b->theta_changed(b->theta_ctx);
    double fp = primal->fn(primal->ctx, NULL);
    b->theta[j] = t - h;
    if (b->theta_changed)
      b->theta_changed(b->theta_ctx);
    double fm = primal->fn(primal->ctx, NULL);
    b->theta[j] = t;
    if (b->theta_changed)
      b->theta_changed(b->theta_ctx);
    grad[j] += (fp - fm) / (2.0 * h);
  }
  return NAN; /* no value of its own */
}

/* Chooses how many components one measurement differentiates: all of them
 * when that fits in fd_time, otherwise an evenly spread sample whose time is
 * scaled up to the whole gradient. */
static void add_fd(Bench *b, double primal_time) {
  Method *m = bench_add(b, "fd", fd_gradient, b, 1);
  m->exact = 0;
  long count = (long)(b->fd_time / (2.0 * fmax(primal_time, 1e-9)));
  if (count < 1)
    count = 1;
  if (2 * count >= b->ntheta) /* close enough: do them all */
    count = b->ntheta;
  m->fd_count = count;
  m->fd_index = bench_alloc(count, sizeof(long));
  for (long c = 0; c < count; c++)
    m->fd_index[c] = (long)((double)c * b->ntheta / count);
  if (count == b->ntheta)
    snprintf(m->note, sizeof m->note, "central differences, %ld primal calls", 2 * count);
  else
    snprintf(m->note, sizeof m->note,
             "central differences; time scaled from %ld of %ld components", count, b->ntheta);
}

/* ---- running ---- */

static double call_once(Bench *b, Method *m) {
  if (m->grad)
    memset(m->grad, 0, b->ntheta * sizeof(double));
  return m->fn(m->ctx, m->grad);
}

/* Runs the method once for its results and memory, then picks how many
 * calls make one measurement. */
static void warm_up(Bench *b, Method *m) {
  if (m->gradient)
    m->grad = bench_alloc(b->ntheta, sizeof(double));
  m->samples = bench_alloc(b->reps, sizeof(double));
  long long unused;
  if (m->tape) /* counters that accumulate start afresh */
    m->tape(m->ctx, &unused, &unused);
  int have_reset = rss_reset_peak() == 0;
  double t0 = bench_now();
  m->value = call_once(b, m);
  double t = bench_now() - t0;
  m->rss_peak = rss_peak();
  if (!have_reset && m->note[0] == '\0')
    snprintf(m->note, sizeof m->note, "peak RSS is the process's so far");
  if (m->tape)
    m->tape(m->ctx, &m->tape_pushed, &m->tape_peak);
  if (m->fn != fd_gradient && t < b->min_time) { /* the first call may be cold */
    t0 = bench_now();
    call_once(b, m);
    t = bench_now() - t0;
  }
  m->call_time = t;
  m->inner = m->fn == fd_gradient ? 1 : (long)ceil(b->min_time / fmax(t, 1e-9));
  if (m->inner < 1)
    m->inner = 1;
  fprintf(stderr, "  warm-up %-12s %10.3f ms\n", m->name, 1e3 * t);
}

/* max |g - ref| / max |ref| over the components the method computed. */
static double grad_difference(Bench *b, const Method *m, const Method *ref) {
  double diff = 0.0, scale = 0.0;
  long count = m->fd_index ? m->fd_count : b->ntheta;
  for (long c = 0; c < count; c++) {
    long j = m->fd_index ? m->fd_index[c] : c;
    diff = fmax(diff, fabs(m->grad[j] - ref->grad[j]));
    scale = fmax(scale, fabs(ref->grad[j]));
    if (isnan(m->grad[j]))
      diff = INFINITY;
  }
  return scale > 0 ? diff / scale : diff;
}

static const Method *find_method(const Bench *b, const char *name) {
  for (int i = 0; i < b->nmethods; i++)
    if (!strcmp(b->methods[i].name, name) && !b->methods[i].skipped)
      return &b->methods[i];
  return NULL;
}

/* The reference gradient: the hand-written adjoint's, else ADOL-C's, else
 * vgradcc's (the one under test comes last, so that a wrong one shows as a
 * mismatch against an independent method). */
static const Method *reference(const Bench *b) {
  static const char *const order[] = {"hand", "adolc_tape", "adolc_reuse", "vgradcc"};
  for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
    const Method *ref = find_method(b, order[i]);
    if (ref)
      return ref;
  }
  return NULL;
}

/* The primal's value, then the reference gradient if there is one: raw
 * doubles, for the torch scripts. */
static void write_reference(const Bench *b, const Method *ref) {
  FILE *f = fopen(b->ref, "wb");
  if (!f) {
    perror(b->ref);
    return;
  }
  double value = b->methods[0].value;
  fwrite(&value, sizeof value, 1, f);
  if (ref)
    fwrite(ref->grad, sizeof(double), b->ntheta, f);
  fclose(f);
}

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void print_number(FILE *f, const char *fmt, double v) {
  if (isnan(v))
    fputs("NA", f);
  else
    fprintf(f, fmt, v);
}

static void print_bytes(FILE *f, long long v) {
  if (v < 0)
    fputs("NA", f);
  else
    fprintf(f, "%lld", v);
}

/* One tab-separated row per method; the columns are read by report.awk. */
static void write_rows(const Bench *b) {
  FILE *f = fopen(b->out, "a");
  if (!f) {
    perror(b->out);
    return;
  }
  for (int i = 0; i < b->nmethods; i++) {
    const Method *m = &b->methods[i];
    fprintf(f, "%s\t%s\t%ld\t%s\t", b->bench, b->size, b->ntheta, m->name);
    print_number(f, "%.6e", m->median);
    fprintf(f, "\t%d\t%ld\t", m->skipped ? 0 : b->reps, m->inner);
    print_number(f, "%.17g", m->value);
    fputc('\t', f);
    print_number(f, "%.3e", m->check);
    fputc('\t', f);
    print_bytes(f, m->tape_pushed);
    fputc('\t', f);
    print_bytes(f, m->tape_peak);
    fputc('\t', f);
    print_bytes(f, m->rss_peak);
    fprintf(f, "\t%s\n", m->note);
  }
  fclose(f);
}

int bench_run(Bench *b) {
  if (b->nmethods == 0 || b->methods[0].gradient || b->methods[0].skipped) {
    fprintf(stderr, "%s: the first method must be the primal\n", b->bench);
    return 1;
  }
  fprintf(stderr, "%s %s: %ld parameters, %d rounds\n", b->bench, b->size, b->ntheta, b->reps);

  Method *primal = &b->methods[0];
  warm_up(b, primal);
  if (b->fd)
    add_fd(b, primal->call_time);
  for (int i = 1; i < b->nmethods; i++)
    if (!b->methods[i].skipped)
      warm_up(b, &b->methods[i]);

  /* Correctness: every value against the primal's, every gradient against
   * the reference. */
  int mismatch = 0;
  const Method *ref = reference(b);
  for (int i = 1; i < b->nmethods; i++) {
    Method *m = &b->methods[i];
    if (m->skipped || !m->gradient)
      continue;
    double value_diff = isnan(m->value) ? 0.0
                                        : fabs(m->value - primal->value) /
                                              fmax(fabs(primal->value), 1e-300);
    m->check = value_diff;
    if (ref && m != ref)
      m->check = fmax(value_diff, grad_difference(b, m, ref));
    if (m->check > (m->exact ? b->exact_tol : FD_TOL)) {
      mismatch = 1;
      size_t len = strlen(m->note);
      snprintf(m->note + len, sizeof m->note - len, "%sMISMATCH with %s", len ? "; " : "",
               ref ? ref->name : "primal");
    }
  }
  if (ref) {
    Method *r = (Method *)ref;
    size_t len = strlen(r->note);
    snprintf(r->note + len, sizeof r->note - len, "%sreference gradient", len ? "; " : "");
  }
  if (b->ref)
    write_reference(b, ref);

  /* Interleaved rounds. */
  for (int r = 0; r < b->reps; r++)
    for (int i = 0; i < b->nmethods; i++) {
      Method *m = &b->methods[i];
      if (m->skipped)
        continue;
      double t0 = bench_now();
      for (long k = 0; k < m->inner; k++)
        call_once(b, m);
      double t = (bench_now() - t0) / m->inner;
      if (m->fd_index)
        t *= (double)b->ntheta / m->fd_count; /* cost per whole gradient */
      m->samples[r] = t;
    }

  for (int i = 0; i < b->nmethods; i++) {
    Method *m = &b->methods[i];
    if (m->skipped) {
      fprintf(stderr, "  %-12s %12s  %s\n", m->name, "-", m->note);
      continue;
    }
    qsort(m->samples, b->reps, sizeof(double), compare_doubles);
    m->median = b->reps % 2 ? m->samples[b->reps / 2]
                            : 0.5 * (m->samples[b->reps / 2 - 1] + m->samples[b->reps / 2]);
    fprintf(stderr, "  %-12s %12.4f ms %8.2fx primal  check %-9.2e rss %7.1f MB", m->name,
            1e3 * m->median, m->median / primal->median, m->check, m->rss_peak / 1048576.0);
    if (m->tape_pushed >= 0)
      fprintf(stderr, "  tape %.1f MB", m->tape_pushed / 1048576.0);
    fprintf(stderr, "  %s\n", m->note);
  }
  if (b->out)
    write_rows(b);
  for (int i = 0; i < b->nmethods; i++) {
    free(b->methods[i].grad);
    free(b->methods[i].samples);
    free(b->methods[i].fd_index);
  }
  return mismatch && b->strict ? 3 : 0;
}
