/* vgradcc: the command line (design 1.2, 1.7).
 *   vgradcc [options] FILE.c [MORE.c ...] [clang options...]        */
#include "vgradcc.h"

#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage[] =
    "usage: vgradcc [options] FILE.c [MORE.c ...] [clang options...]\n"
    "\n"
    "Differentiates the functions of FILE.c marked with\n"
    "  #pragma vgrad value_and_grad(FUNC) [clauses]   the loss and its gradient\n"
    "  #pragma vgrad grad(FUNC) [clauses]             the gradient only\n"
    "  #pragma vgrad jvp(FUNC) [clauses]              the value and its tangent (forward mode)\n"
    "  #pragma vgrad vjp(FUNC) [clauses]              the value and a vector-Jacobian product (reverse mode)\n"
    "  #pragma vgrad jacobian(FUNC) [clauses]         the value and the dense Jacobian (double *jac)\n"
    "  #pragma vgrad hvp(FUNC) [clauses]              the value, the gradient and a Hessian-vector product\n"
    "  #pragma vgrad hessian(FUNC) [clauses]          the value and the dense Hessian (double *hess)\n"
    "and writes their derivatives as C.  Clauses, in any order:\n"
    "  argnums(0, 2)   the parameters to differentiate, 0-based (default argnums(0))\n"
    "  argnums(all)    every parameter with floating content\n"
    "  argnames(w, b)  the parameters to differentiate, by name\n"
    "  name(ident)     the generated function's name (default FUNC_value_and_grad, FUNC_grad, FUNC_jvp,\n"
    "                  FUNC_vjp, FUNC_jacobian, FUNC_hvp, FUNC_hessian)\n"
    "  loss(p)         the loss is *p after the call, not the return value\n"
    "  allow_int       a selected integer parameter n gets an output void *d_n, never touched\n"
    "  holomorphic     value_and_grad, grad: a complex loss of complex inputs; d_z receives f'(z)\n"
    "  outputs(y, ...) jvp: the pointer parameters whose tangents it also writes (t_y);\n"
    "                  vjp: those whose cotangents it also takes (const double *ct_y)\n"
    "  jacobian: argnames(x[n], s) the columns, each array with its length (an expression of\n"
    "                  integer parameters); outputs(r[2 * m], return) the rows, in order;\n"
    "                  mode(fwd) a jvp per column, mode(rev) a vjp per row (default: the fewer)\n"
    "  hessian: argnames(x[n], s) the rows and columns, each array with its length\n"
    "Inside a loss, right before a counted loop:\n"
    "  #pragma vgrad checkpoint [snapshots(N)]\n"
    "                  replay the loop from snapshots instead of taping every step;\n"
    "                  snapshots(N): at most N (default: about sqrt(steps), chosen at run time)\n"
    "At file scope:\n"
    "  #pragma vgrad nondiff(g)\n"
    "                  calls of g are constants: no derivative flows through them\n"
    "  #pragma vgrad custom_vjp(g) with(g_vjp)   and   custom_jvp(g) with(g_jvp)\n"
    "                  calls of g use your derivative rules (signatures as vjp/jvp of g, argnums(all))\n"
    "In expressions (vgrad.h): vg_stop_gradient(x), x's value with derivative zero\n"
    "\n"
    "options (in any position):\n"
    "  -o OUT.c        output file (default FILE.vg.c beside FILE.c); the header is OUT.h;\n"
    "                  only when one input holds pragmas\n"
    "  -I DIR          add DIR to the include path of the C parser\n"
    "  -D NAME[=V]     define a macro for the C parser\n"
    "  -U NAME         undefine a macro for the C parser\n"
    "  -std=STD        C standard for the C parser (e.g. -std=c11)\n"
    "  -p BUILD_DIR    FILE.c's flags from BUILD_DIR/compile_commands.json (before the others)\n"
    "  -MD             also write a make dependency file: OUT.c depends on FILE.c and every\n"
    "                  header it includes (default name OUT.d)\n"
    "  -MMD            the same, listing only the user's headers (not system headers)\n"
    "  -MF FILE        the dependency file's name (with -MD or -MMD)\n"
    "  -MT TARGET      the rule's target instead of OUT.c (with -MD or -MMD; may be repeated)\n"
    "  -MQ TARGET      the same, with the characters special to make quoted\n"
    "  -MP             an empty rule for each header too, so a deleted header breaks no build\n"
    "  -fopenmp        #pragma omp parallel for loops (and atomic updates in them) run in parallel in\n"
    "                  both sweeps of a gradient; without it they run serially there (warned)\n"
    "  --help          print this help\n"
    "  --version       print the version\n"
    "Several files: every argument ending in .c is an input, parsed with the same options;\n"
    "a loss may call functions defined in any of them.  Each input holding a pragma gets its\n"
    "own FILE.vg.c and FILE.vg.h (helpers of the others inlined), so they link together.\n"
    "Other arguments are passed to the C parser (libclang).  Its include path ends with\n"
    "vgradcc's own include directory: #include <vgrad.h> needs no -I.  Outputs whose\n"
    "text is unchanged are left as they were (time stamp included).\n"
    "See vgradcc(1).\n";

/* The files vgradcc writes, in the order they are renamed into place: the
 * dependency file (with -MD), the header, the source.  Each one whose text
 * changed is written to a temporary beside it; the renames come after all
 * are written, each previous file kept under a third name (a hard link)
 * until the source, the last, is in place, so a failure at any point
 * leaves the previous outputs as they were and no temporary behind.  A
 * file that already holds its new text is left alone, time stamp included:
 * what depends on it is not rebuilt. */
typedef struct {
  const char *path;
  const char *named_by; /* the option that names it: -o, -MF */
  Buf *text;
  bool unchanged;
  char tmp[4096];  /* the temporary, until renamed */
  char kept[4096]; /* the previous file, until every output is in place */
  bool renamed;    /* in place, the previous file (if any) in kept */
} Output;

static Output *outputs; /* three for each input that holds a pragma */
static int noutputs;
static const char *input_path; /* for the message of on_crash */

/* Async-signal-safe: called from on_signal too.  Removes the temporaries
 * and puts back the previous file of each output already renamed. */
static void remove_temporaries(void) {
  for (int i = noutputs - 1; i >= 0; i--) {
    Output *o = &outputs[i];
    if (o->tmp[0])
      unlink(o->tmp);
    if (o->renamed) {
      if (o->kept[0])
        rename(o->kept, o->path);
      else
        unlink(o->path);
      o->kept[0] = '\0';
      o->renamed = false;
    }
    if (o->kept[0])
      unlink(o->kept);
    o->tmp[0] = o->kept[0] = '\0';
  }
}

static void on_signal(int sig) {
  remove_temporaries();
  signal(sig, SIG_DFL);
  raise(sig);
}

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && !strcmp(s + n - m, suffix);
}

static const char *basename_of(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

/* An include guard from the header's file name: mse.vg.h -> MSE_VG_H. */
static char *guard_of(const char *header) {
  const char *base = basename_of(header);
  char *g = xcalloc(strlen(base) + 3, 1);
  size_t k = 0;
  if (base[0] >= '0' && base[0] <= '9')
    g[k++] = '_';
  for (const char *p = base; *p; p++) {
    char c = *p;
    if (c >= 'a' && c <= 'z')
      c = (char)(c - 'a' + 'A');
    else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
      c = '_';
    g[k++] = c;
  }
  return g;
}

/* Writes `text` to a new temporary beside `path`; its name goes to `tmp`. */
static bool write_temporary(const char *path, Buf *text, char *tmp, size_t tmp_size) {
  int n = snprintf(tmp, tmp_size, "%s.tmpXXXXXX", path);
  if (n < 0 || (size_t)n >= tmp_size) {
    error_at((Loc){0}, "output path too long: '%s'", path);
    tmp[0] = '\0';
    return false;
  }
  int fd = mkstemp(tmp);
  if (fd < 0) {
    error_at((Loc){0}, "cannot create '%s': %s", path, strerror(errno));
    tmp[0] = '\0';
    return false;
  }
  /* mkstemp makes it 0600; an output gets the mode a new file would */
  mode_t mask = umask(0);
  umask(mask);
  fchmod(fd, 0666 & ~mask);
  FILE *f = fdopen(fd, "w");
  if (!f) {
    close(fd);
    error_at((Loc){0}, "cannot write '%s': %s", path, strerror(errno));
    return false;
  }
  size_t len = text->len;
  bool ok = fwrite(text->buf, 1, len, f) == len;
  ok &= fflush(f) == 0;
  ok &= fclose(f) == 0;
  if (!ok)
    error_at((Loc){0}, "cannot write '%s': %s", path, strerror(errno));
  return ok;
}

/* Whether paths a and b name one existing file (symlinks followed, hard
 * links and other spellings of the same path included). */
static bool same_file(const char *a, const char *b) {
  struct stat sa, sb;
  return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* An output that would replace an input or a file one includes, or two
 * outputs that are one file.  The dependency file is named by -MF, the
 * others by -o.  progs: the parsed inputs, or NULL before the parse. */
static bool overwrites_an_input(const char **inputs, int ninputs, Program **progs) {
  for (int k = 0; k < noutputs; k++) {
    const char *out = outputs[k].path;
    const char *option = outputs[k].named_by;
    for (int n = 0; n < ninputs; n++) {
      const char *input = inputs[n];
      Program *prog = progs ? progs[n] : NULL;
      if (same_file(out, input)) {
        error_at((Loc){0}, "output '%s' is the input file '%s'; choose another name with %s", out, input, option);
        return true;
      }
      for (int i = 0; prog && i < prog->includes.len; i++) {
        const Include *inc = prog->includes.items[i];
        if (same_file(out, inc->file)) {
          error_at((Loc){0}, "output '%s' is '%s', which '%s' includes; choose another name with %s", out,
                   inc->file, input, option);
          return true;
        }
      }
    }
    for (int j = 0; j < k; j++)
      if (!strcmp(outputs[j].path, out) || same_file(outputs[j].path, out)) {
        error_at((Loc){0}, "outputs '%s' and '%s' are the same file", outputs[j].path, out);
        return true;
      }
  }
  return false;
}

/* Keeps the existing file of an output under the name o->kept (a hard
 * link, or a copy where the file system has none), to put it back if a
 * later output cannot be written.  False (reported) when it cannot be kept. */
static bool keep_old(Output *o) {
  struct stat st;
  if (lstat(o->path, &st) != 0) {
    if (errno == ENOENT)
      return true; /* nothing to keep */
    error_at((Loc){0}, "cannot write '%s': %s", o->path, strerror(errno));
    return false;
  }
  if (S_ISDIR(st.st_mode)) {
    error_at((Loc){0}, "cannot write '%s': %s", o->path, strerror(EISDIR));
    return false;
  }
  int n = snprintf(o->kept, sizeof o->kept, "%s.old", o->tmp);
  if (n < 0 || (size_t)n >= sizeof o->kept) {
    o->kept[0] = '\0';
    error_at((Loc){0}, "output path too long: '%s'", o->path);
    return false;
  }
  if (link(o->path, o->kept) == 0)
    return true;
  if (!S_ISREG(st.st_mode)) {
    error_at((Loc){0}, "cannot keep '%s' while writing its replacement: %s", o->path, strerror(errno));
    o->kept[0] = '\0';
    return false;
  }
  FILE *from = fopen(o->path, "rb");
  int fd = from ? open(o->kept, O_WRONLY | O_CREAT | O_EXCL, st.st_mode & 07777) : -1;
  FILE *to = fd >= 0 ? fdopen(fd, "wb") : NULL;
  bool ok = to != NULL;
  char chunk[65536];
  size_t got;
  while (ok && (got = fread(chunk, 1, sizeof chunk, from)) > 0)
    ok = fwrite(chunk, 1, got, to) == got;
  ok = ok && !ferror(from);
  if (to)
    ok &= fclose(to) == 0;
  else if (fd >= 0)
    close(fd);
  if (from)
    fclose(from);
  if (!ok) {
    error_at((Loc){0}, "cannot keep '%s' while writing its replacement: %s", o->path, strerror(errno));
    if (fd >= 0)
      unlink(o->kept);
    o->kept[0] = '\0';
  }
  return ok;
}

/* Whether the regular file at `path` holds exactly `text`. */
static bool holds_text(const char *path, const Buf *text) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return false;
  struct stat st;
  bool same = fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == text->len;
  char chunk[65536];
  size_t off = 0, got;
  while (same && (got = fread(chunk, 1, sizeof chunk, f)) > 0) {
    same = off + got <= text->len && memcmp(chunk, text->buf + off, got) == 0;
    off += got;
  }
  same = same && off == text->len && !ferror(f);
  fclose(f);
  return same;
}

/* Writes the outputs all or nothing (see Output), the last one last. */
static bool write_outputs(void) {
  for (int i = 0; i < noutputs; i++) {
    Output *o = &outputs[i];
    o->unchanged = holds_text(o->path, o->text);
    if (!o->unchanged && !write_temporary(o->path, o->text, o->tmp, sizeof o->tmp))
      return false;
  }
  /* No signal between a rename and the bookkeeping that undoes it. */
  sigset_t stop, old_mask;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop, &old_mask);
  for (int i = 0; i < noutputs; i++) {
    Output *o = &outputs[i];
    if (o->unchanged)
      continue;
    if (i < noutputs - 1 && !keep_old(o))
      return false; /* remove_temporaries (atexit) undoes the renames so far */
    if (rename(o->tmp, o->path) != 0) {
      error_at((Loc){0}, "cannot write '%s': %s", o->path, strerror(errno));
      return false;
    }
    o->tmp[0] = '\0';
    o->renamed = true;
  }
  for (int i = 0; i < noutputs; i++)
    outputs[i].renamed = false; /* all in place: keep them */
  remove_temporaries();         /* the kept previous files */
  pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
  return true;
}

/* A path in a make rule: blanks and '#' escaped, '$' doubled, as gcc does. */
static void put_make_path(Buf *b, const char *path) {
  for (const char *p = path; *p; p++) {
    if (*p == ' ' || *p == '\t' || *p == '#')
      buf_printf(b, "\\");
    else if (*p == '$')
      buf_printf(b, "$");
    buf_printf(b, "%c", *p);
  }
}

/* The dependency file of -MD or -MMD: `TARGETS: FILE.c HEADER...`, one file a
 * line; with -MP an empty rule for each header. */
static void dependency_text(Buf *out, const Vec *targets, const Vec *depends, bool phony_headers) {
  for (int i = 0; i < targets->len; i++)
    buf_printf(out, "%s%s", i ? " " : "", (const char *)targets->items[i]);
  buf_printf(out, ":");
  for (int i = 0; i < depends->len; i++) {
    buf_printf(out, i ? " \\\n  " : " ");
    put_make_path(out, depends->items[i]);
  }
  buf_printf(out, "\n");
  for (int i = 1; phony_headers && i < depends->len; i++) {
    buf_printf(out, "\n");
    put_make_path(out, depends->items[i]);
    buf_printf(out, ":\n");
  }
}

/* A target for -MQ and the default one: quoted like a dependency. */
static char *quoted_target(const char *path) {
  Buf b = {0};
  put_make_path(&b, path);
  return b.buf ? b.buf : xstrdup("");
}

/* vgradcc's own include directory, so that `#include <vgrad.h>` needs no
 * -I: BINDIR/../include where it is installed, the source tree's runtime/
 * when it runs from the build directory (BUILD/vgradcc).  NULL if neither
 * holds vgrad.h. */
static char *own_include_dir(void) {
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0)
    return NULL;
  exe[n] = '\0';
  char *slash = strrchr(exe, '/');
  if (!slash)
    return NULL;
  *slash = '\0';
  static const char *const beside[] = {"include", "runtime"};
  for (int i = 0; i < 2; i++) {
    char *dir = format("%s/../%s", exe, beside[i]);
    char *header = format("%s/vgrad.h", dir);
    char real[PATH_MAX];
    bool found = access(header, R_OK) == 0 && realpath(dir, real);
    free(header);
    free(dir);
    if (found)
      return xstrdup(real);
  }
  return NULL;
}

/* The whole compilation: options, parse, differentiate, write. */
static int compile(int argc, char **argv) {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGHUP);
  pthread_sigmask(SIG_UNBLOCK, &stop_signals, NULL);
  const char *output = NULL, *build_dir = NULL, *dep_file = NULL;
  const char **inputs = xcalloc((size_t)argc + 1, sizeof(char *));
  int ninputs = 0;
  bool write_deps = false, user_headers_only = false, phony_headers = false;
  Vec dep_targets = {0};
  const char *dep_option = NULL; /* an -MF, -MT or -MQ, which need -MD or -MMD */
  const char **clang_args = xcalloc((size_t)argc * 2 + 3, sizeof(char *));
  int nclang = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      fputs(usage, stdout);
      return 0;
    }
    if (!strcmp(a, "--version")) {
      printf("vgradcc %s\n", VGRADCC_VERSION);
      return 0;
    }
    /* Options with an argument, apart or (for -MF, -MT, -MQ) joined. */
    const char *value = NULL;
    bool dep_arg = !strncmp(a, "-MF", 3) || !strncmp(a, "-MT", 3) || !strncmp(a, "-MQ", 3);
    if (!strcmp(a, "-o") || !strcmp(a, "-p") || !strcmp(a, "-I") || !strcmp(a, "-D") || !strcmp(a, "-U") ||
        !strcmp(a, "-include") || !strcmp(a, "-isystem") || (dep_arg && !a[3])) {
      if (i + 1 >= argc) {
        error_at((Loc){0}, !strcmp(a, "-o") || !strcmp(a, "-MF") ? "'%s' needs a file name"
                           : !strcmp(a, "-p")                     ? "'%s' needs a build directory"
                                                                  : "'%s' needs an argument",
                 a);
        return 1;
      }
      value = argv[++i];
    } else if (dep_arg) {
      value = a + 3;
    }
    if (!strcmp(a, "-o")) {
      output = value;
    } else if (!strcmp(a, "-p")) {
      build_dir = value;
    } else if (!strcmp(a, "-MD") || !strcmp(a, "-MMD")) {
      write_deps = true;
      user_headers_only = a[2] == 'M'; /* the last one given wins, as with gcc */
    } else if (!strcmp(a, "-MP")) {
      phony_headers = true;
    } else if (dep_arg) {
      dep_option = a[2] == 'F' ? "-MF" : a[2] == 'T' ? "-MT" : "-MQ";
      if (a[2] == 'F')
        dep_file = value;
      else
        vec_push(&dep_targets, a[2] == 'T' ? xstrdup(value) : quoted_target(value));
    } else if (!strcmp(a, "-M") || !strcmp(a, "-MM") || !strcmp(a, "-MG")) {
      /* they would reach clang -E, which would write or print dependencies */
      error_at((Loc){0},
               "'%s' is not a vgradcc option: -MD or -MMD writes the dependency file (see vgradcc --help)", a);
      return 1;
    } else if (value) {
      clang_args[nclang++] = a;
      clang_args[nclang++] = value;
    } else if (a[0] == '-' && a[1]) {
      clang_args[nclang++] = a;
    } else if (!ninputs || ends_with(a, ".c")) {
      inputs[ninputs++] = a; /* every FILE.c, and the first file whatever its name */
    } else {
      clang_args[nclang++] = a;
    }
  }
  input_path = inputs[0];
  if (!ninputs) {
    fputs(usage, stderr);
    error_at((Loc){0}, "no input file");
    return 1;
  }
  if (dep_option && !write_deps) {
    error_at((Loc){0}, "'%s' needs '-MD' or '-MMD': the dependency file is written only with one of them",
             dep_option);
    return 1;
  }
  /* Searched after every -I of the user's: theirs may hold another vgrad.h. */
  char *own_include = own_include_dir();
  if (own_include) {
    clang_args[nclang++] = "-I";
    clang_args[nclang++] = own_include;
  }
  for (int n = 0; n < ninputs; n++)
    for (int m = 0; m < n; m++)
      if (same_file(inputs[m], inputs[n])) {
        error_at((Loc){0}, "input '%s' is given twice", inputs[n]);
        return 1;
      }

  /* Every input, parsed with the same options (-p: each with its own
   * entry's flags first, the command line's after them, so a -D or -U
   * given here wins); then linked, so that calls reach definitions in
   * any of them.  Each input that holds a pragma is differentiated. */
  Program **progs = xcalloc((size_t)ninputs, sizeof(Program *));
  bool parsed = true;
  for (int n = 0; n < ninputs; n++) {
    const char **args = clang_args;
    int nargs = nclang;
    if (build_dir) {
      int nflags = 0;
      const char **flags = compile_db_flags(build_dir, inputs[n], &nflags);
      if (!flags)
        return 1;
      args = xcalloc((size_t)(nflags + nclang) + 1, sizeof(char *));
      memcpy(args, flags, (size_t)nflags * sizeof(char *));
      memcpy(args + nflags, clang_args, (size_t)nclang * sizeof(char *));
      nargs = nflags + nclang;
    }
    progs[n] = frontend_parse(inputs[n], nargs, args);
    parsed &= progs[n] != NULL;
  }
  if (!parsed)
    return 1;
  frontend_link(progs, ninputs);
  /* Which inputs get generated files: one alone whatever its pragmas (a
   * checkpoint alone too, as before several inputs), of several those
   * with a value_and_grad or grad. */
  bool *holds = xcalloc((size_t)ninputs, sizeof(bool));
  int nholding = 0;
  for (int n = 0; n < ninputs; n++) {
    for (int i = 0; i < progs[n]->pragmas.len; i++)
      holds[n] |= ninputs == 1 || ((Pragma *)progs[n]->pragmas.items[i])->kind == PRAGMA_VALUE_AND_GRAD ||
                  ((Pragma *)progs[n]->pragmas.items[i])->kind == PRAGMA_GRAD;
    nholding += holds[n];
  }
  if (nholding == 0 && error_count() == 0) {
    if (ninputs == 1)
      error_at((Loc){inputs[0], 1, 1}, "no '#pragma vgrad' in this file: nothing to differentiate");
    else
      error_at((Loc){0}, "no '#pragma vgrad' in any of the %d input files: nothing to differentiate", ninputs);
    return 1;
  }
  if (output && nholding > 1) {
    Buf names = {0};
    for (int n = 0, k = 0; n < ninputs; n++)
      if (holds[n])
        buf_printf(&names, "%s'%s'", k++ ? (k == nholding ? " and " : ", ") : "", inputs[n]);
    error_at((Loc){0}, "-o names one output, but %d inputs hold a '#pragma vgrad' (%s); leave -o out: each gets "
             "its own FILE.vg.c and FILE.vg.h beside it", nholding, names.buf);
    return 1;
  }

  outputs = xcalloc((size_t)nholding * 3, sizeof(Output));
  for (int n = 0; n < ninputs; n++) {
    if (!holds[n])
      continue;
    const char *input = inputs[n];
    char *out_c = output ? xstrdup(output)
                         : ends_with(input, ".c") ? format("%.*s.vg.c", (int)strlen(input) - 2, input)
                                                  : format("%s.vg.c", input);
    char *out_h = ends_with(out_c, ".c") ? format("%.*s.h", (int)strlen(out_c) - 2, out_c) : format("%s.h", out_c);
    if (write_deps) {
      const char *deps_path = dep_file ? dep_file
                              : ends_with(out_c, ".c") ? format("%.*s.d", (int)strlen(out_c) - 2, out_c)
                                                       : format("%s.d", out_c);
      outputs[noutputs++] = (Output){.path = deps_path, .named_by = "-MF", .text = xcalloc(1, sizeof(Buf))};
    }
    outputs[noutputs++] = (Output){.path = out_h, .named_by = "-o", .text = xcalloc(1, sizeof(Buf))};
    outputs[noutputs++] = (Output){.path = out_c, .named_by = "-o", .text = xcalloc(1, sizeof(Buf))};
  }
  if (overwrites_an_input(inputs, ninputs, NULL))
    return 1;

  Vec **derivs = xcalloc((size_t)ninputs, sizeof(Vec *));
  bool differentiated = true;
  for (int n = 0; n < ninputs; n++)
    if (holds[n]) {
      derivs[n] = ad_differentiate(progs[n]);
      differentiated &= derivs[n] != NULL;
    }
  if (!differentiated || error_count())
    return 1;
  /* the generated files are linked together: one symbol each */
  for (int n = 0; n < ninputs; n++)
    for (int i = 0; holds[n] && i < derivs[n]->len; i++) {
      Derivative *d = derivs[n]->items[i];
      for (int m = 0; m < n && !d->internal; m++)
        for (int j = 0; holds[m] && j < derivs[m]->len; j++) {
          Derivative *o = derivs[m]->items[j];
          if (!o->internal && !strcmp(o->out->name, d->out->name)) {
            error_at(d->pragma->loc, "the pragmas of %s and %s both generate a function named '%s'; give one of "
                     "them name(...)", inputs[m], inputs[n], d->out->name);
            note_at(o->pragma->loc, "the first is here");
          }
        }
    }
  if (error_count())
    return 1;

  if (overwrites_an_input(inputs, ninputs, progs))
    return 1;

  for (int n = 0, k = 0; n < ninputs; n++) {
    if (!holds[n])
      continue;
    Program *prog = progs[n];
    Output *deps = write_deps ? &outputs[k++] : NULL;
    Output *hdr = &outputs[k++], *src = &outputs[k++];
    codegen_header(prog, derivs[n], guard_of(hdr->path), hdr->text);
    codegen_source(prog, derivs[n], basename_of(hdr->path), src->text);
    if (deps) {
      Vec targets = dep_targets;
      if (targets.len == 0) {
        targets = (Vec){0};
        vec_push(&targets, quoted_target(src->path));
      }
      /* this input and its headers, then each other input and its own */
      Vec depends = {0};
      NameSet listed = {0};
      for (int m = -1; m < prog->others.len; m++) {
        Program *from = m < 0 ? prog : prog->others.items[m];
        Vec *list = user_headers_only ? &from->user_depends : &from->depends;
        for (int i = 0; i < list->len; i++)
          if (name_set_add(&listed, list->items[i]))
            vec_push(&depends, list->items[i]);
      }
      dependency_text(deps->text, &targets, &depends, phony_headers);
    }
  }

  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  signal(SIGHUP, on_signal);
  atexit(remove_temporaries);
  return write_outputs() ? 0 : 1;
}

typedef struct {
  int argc;
  char **argv;
  int status;
} Job;

/* The compiling thread's stack, its lowest GUARD_BYTES unmapped: a fault
 * there is the stack running out. */
enum { GUARD_BYTES = 1 << 16, ALT_STACK_BYTES = 1 << 16 };
static char *stack_guard;
static struct sigaction before_segv, before_bus; /* the handlers on_crash replaced */

static void say(const char *text) {
  size_t len = strlen(text);
  while (len > 0) {
    ssize_t n = write(2, text, len);
    if (n <= 0)
      break;
    text += n;
    len -= (size_t)n;
  }
}

/* SIGSEGV and SIGBUS, on the alternate stack: a message instead of a
 * silent crash.  Input nested deeper than the stack holds can only come
 * from inside libclang (ours stops at MAX_NESTING), anything else is a bug. */
static void on_crash(int sig, siginfo_t *info, void *context) {
  (void)context;
  char *addr = info->si_addr;
  remove_temporaries();
  if (sig == SIGSEGV && stack_guard && addr >= stack_guard && addr < stack_guard + GUARD_BYTES) {
    say("vgradcc: error: ");
    say(input_path ? input_path : "the input");
    say(" nests too deeply for the C parser (its stack ran out); split deeply nested expressions or "
        "statements\n");
    _exit(1);
  }
  say("vgradcc: internal error: the compiler crashed; please report it with the input\n");
  /* back to the handler before ours (a sanitizer's report, or the default):
   * returning faults again and reaches it */
  sigaction(sig, sig == SIGSEGV ? &before_segv : &before_bus, NULL);
  if (info->si_code <= 0) /* sent, not a fault: send it again */
    raise(sig);
}

static void *run_compile(void *arg) {
  Job *job = arg;
  /* An alternate stack for on_crash, unless the thread has one (the
   * sanitizers give each thread theirs, and free it at its end). */
  stack_t alt = {.ss_flags = SS_DISABLE};
  bool have_alt = sigaltstack(NULL, &alt) == 0 && !(alt.ss_flags & SS_DISABLE);
  if (!have_alt) {
    alt.ss_sp = malloc(ALT_STACK_BYTES);
    alt.ss_size = ALT_STACK_BYTES;
    alt.ss_flags = 0;
    have_alt = alt.ss_sp && sigaltstack(&alt, NULL) == 0;
  }
  if (have_alt) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_crash;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &before_segv);
    sigaction(SIGBUS, &sa, &before_bus);
  }
  job->status = compile(job->argc, job->argv);
  return NULL;
}

/* Every stage recurses over the nesting of the input: the compilation runs
 * on a thread with a stack of COMPILE_STACK_MB (reserved, touched only as
 * deep as it goes), which holds MAX_NESTING levels of each stage, libclang's
 * parser included (the frontend refuses deeper ones).  The main thread only
 * waits, with the stopping signals blocked, so that they reach the compiling
 * thread, whose handler removes the temporaries. */
int main(int argc, char **argv) {
  sigset_t stop, old_mask;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop, &old_mask);
  /* libclang parses on a thread of its own with an 8 MiB stack unless told
   * not to: clang's parser recurses over the nesting too (10 KiB a level
   * for a chain of casts), so it parses on this big stack instead.  Its
   * crash recovery would take SIGSEGV from on_crash, and cannot catch a
   * stack overflow anyway. */
  setenv("LIBCLANG_NOTHREADS", "1", 1);
  setenv("LIBCLANG_DISABLE_CRASH_RECOVERY", "1", 1);
  /* Less address space (ulimit -v) gets a smaller stack, down to 64 MiB:
   * the limit may then be out of reach, but running out is still reported
   * (on_crash), not a silent crash. */
  Job job = {argc, argv, 1};
  pthread_t thread;
  int err = 0;
  size_t stack_mb = COMPILE_STACK_MB;
  for (;; stack_mb /= 2) {
    size_t stack_bytes = stack_mb << 20;
    char *stack = mmap(NULL, stack_bytes + GUARD_BYTES, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    err = stack == MAP_FAILED ? errno : 0;
    if (!err && mprotect(stack, GUARD_BYTES, PROT_NONE) != 0)
      err = errno;
    pthread_attr_t attr;
    if (!err)
      err = pthread_attr_init(&attr);
    if (!err)
      err = pthread_attr_setstack(&attr, stack + GUARD_BYTES, stack_bytes);
    if (!err) {
      stack_guard = stack;
      err = pthread_create(&thread, &attr, run_compile, &job);
    }
    if (!err)
      break;
    if (stack != MAP_FAILED)
      munmap(stack, stack_bytes + GUARD_BYTES);
    if (stack_mb <= 64) {
      error_at((Loc){0}, "cannot start the compiler's thread with a stack of %zu MiB: %s", stack_mb, strerror(err));
      return 1;
    }
  }
  pthread_join(thread, NULL);
  return job.status;
}
