/* vgradcc: the command line (design 1.2).
 *   vgradcc [options] FILE.c [clang options...]                     */
#include "vgradcc.h"

#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage[] =
    "usage: vgradcc [options] FILE.c [clang options...]\n"
    "\n"
    "Differentiates the functions of FILE.c marked with\n"
    "  #pragma vgrad value_and_grad(FUNC) [argnums(...)|argnames(...)] [name(...)] [loss(p)]\n"
    "  #pragma vgrad grad(FUNC) ...\n"
    "and writes their reverse-mode gradients as C.\n"
    "\n"
    "options:\n"
    "  -o OUT.c        output file (default FILE.vg.c beside FILE.c); the header is OUT.h\n"
    "  -I DIR          add DIR to the include path of the C parser\n"
    "  -D NAME[=V]     define a macro for the C parser\n"
    "  -U NAME         undefine a macro for the C parser\n"
    "  -std=STD        C standard for the C parser (e.g. -std=c11)\n"
    "  --help          print this help\n"
    "  --version       print the version\n"
    "Arguments after FILE.c are passed to the C parser (libclang).\n"
    "See vgradcc(1).\n";

/* The outputs are written to temporaries beside them and renamed into
 * place, the header first.  A pre-existing header is kept under a third
 * name (a hard link) until the source is in place too, so a failure at any
 * point leaves the previous outputs as they were and no temporary behind. */
static char tmp_c[4096], tmp_h[4096], kept_h[4096];
static const char *renamed_h; /* the header renamed into place, until the source follows */
static const char *input_path; /* for the message of on_crash */

/* Async-signal-safe: called from on_signal too. */
static void remove_temporaries(void) {
  if (tmp_c[0])
    unlink(tmp_c);
  if (tmp_h[0])
    unlink(tmp_h);
  if (renamed_h) { /* the new header without its source: back to the old one */
    if (kept_h[0])
      rename(kept_h, renamed_h);
    else
      unlink(renamed_h);
    kept_h[0] = '\0';
    renamed_h = NULL;
  }
  if (kept_h[0])
    unlink(kept_h);
  tmp_c[0] = tmp_h[0] = kept_h[0] = '\0';
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

/* An output that would replace the input or a file it includes. */
static bool overwrites_an_input(const char *out_c, const char *out_h, const char *input, Program *prog) {
  const char *outs[2] = {out_c, out_h};
  for (int k = 0; k < 2; k++) {
    if (same_file(outs[k], input)) {
      error_at((Loc){0}, "output '%s' is the input file '%s'; choose another name with -o", outs[k], input);
      return true;
    }
    for (int i = 0; prog && i < prog->includes.len; i++) {
      const Include *inc = prog->includes.items[i];
      if (same_file(outs[k], inc->file)) {
        error_at((Loc){0}, "output '%s' is '%s', which '%s' includes; choose another name with -o", outs[k],
                 inc->file, input);
        return true;
      }
    }
  }
  if (same_file(out_c, out_h)) {
    error_at((Loc){0}, "outputs '%s' and '%s' are the same file", out_c, out_h);
    return true;
  }
  return false;
}

/* Keeps an existing header under the name kept_h (a hard link, or a copy
 * where the file system has none), to put it back if the source cannot be
 * written.  False (reported) when it cannot be kept. */
static bool keep_old_header(const char *out_h) {
  struct stat st;
  if (lstat(out_h, &st) != 0) {
    if (errno == ENOENT)
      return true; /* nothing to keep */
    error_at((Loc){0}, "cannot write '%s': %s", out_h, strerror(errno));
    return false;
  }
  if (S_ISDIR(st.st_mode)) {
    error_at((Loc){0}, "cannot write '%s': %s", out_h, strerror(EISDIR));
    return false;
  }
  int n = snprintf(kept_h, sizeof kept_h, "%s.old", tmp_h);
  if (n < 0 || (size_t)n >= sizeof kept_h) {
    kept_h[0] = '\0';
    error_at((Loc){0}, "output path too long: '%s'", out_h);
    return false;
  }
  if (link(out_h, kept_h) == 0)
    return true;
  if (!S_ISREG(st.st_mode)) {
    error_at((Loc){0}, "cannot keep '%s' while writing its replacement: %s", out_h, strerror(errno));
    kept_h[0] = '\0';
    return false;
  }
  FILE *from = fopen(out_h, "rb");
  int fd = from ? open(kept_h, O_WRONLY | O_CREAT | O_EXCL, st.st_mode & 07777) : -1;
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
    error_at((Loc){0}, "cannot keep '%s' while writing its replacement: %s", out_h, strerror(errno));
    if (fd >= 0)
      unlink(kept_h);
    kept_h[0] = '\0';
  }
  return ok;
}

/* The whole compilation: options, parse, differentiate, write. */
static int compile(int argc, char **argv) {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGHUP);
  pthread_sigmask(SIG_UNBLOCK, &stop_signals, NULL);
  const char *input = NULL, *output = NULL;
  const char **clang_args = xcalloc((size_t)argc * 2 + 1, sizeof(char *));
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
    if (!strcmp(a, "-o")) {
      if (i + 1 >= argc) {
        error_at((Loc){0}, "'-o' needs a file name");
        return 1;
      }
      output = argv[++i];
    } else if (!strcmp(a, "-I") || !strcmp(a, "-D") || !strcmp(a, "-U") || !strcmp(a, "-include") ||
               !strcmp(a, "-isystem")) {
      if (i + 1 >= argc) {
        error_at((Loc){0}, "'%s' needs an argument", a);
        return 1;
      }
      clang_args[nclang++] = a;
      clang_args[nclang++] = argv[++i];
    } else if (a[0] == '-' && a[1]) {
      clang_args[nclang++] = a;
    } else if (!input) {
      input = a;
    } else {
      clang_args[nclang++] = a;
    }
  }
  input_path = input;
  if (!input) {
    fputs(usage, stderr);
    error_at((Loc){0}, "no input file");
    return 1;
  }

  char *out_c = output ? xstrdup(output)
                       : ends_with(input, ".c") ? format("%.*s.vg.c", (int)strlen(input) - 2, input)
                                                : format("%s.vg.c", input);
  char *out_h = ends_with(out_c, ".c") ? format("%.*s.h", (int)strlen(out_c) - 2, out_c) : format("%s.h", out_c);
  if (overwrites_an_input(out_c, out_h, input, NULL))
    return 1;

  Program *prog = frontend_parse(input, nclang, clang_args);
  if (!prog)
    return 1;
  if (prog->pragmas.len == 0 && error_count() == 0) {
    error_at((Loc){input, 1, 1}, "no '#pragma vgrad' in this file: nothing to differentiate");
    return 1;
  }
  Vec *derivs = ad_differentiate(prog);
  if (!derivs)
    return 1;

  if (overwrites_an_input(out_c, out_h, input, prog))
    return 1;

  Buf src = {0}, hdr = {0};
  codegen_header(prog, derivs, guard_of(out_h), &hdr);
  codegen_source(prog, derivs, basename_of(out_h), &src);

  /* No signal between a rename and the bookkeeping that undoes it. */
  sigset_t stop, old_mask;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGHUP);
  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  signal(SIGHUP, on_signal);
  atexit(remove_temporaries);
  if (!write_temporary(out_h, &hdr, tmp_h, sizeof tmp_h) || !write_temporary(out_c, &src, tmp_c, sizeof tmp_c))
    return 1;
  pthread_sigmask(SIG_BLOCK, &stop, &old_mask);
  if (!keep_old_header(out_h))
    return 1;
  if (rename(tmp_h, out_h) != 0) {
    error_at((Loc){0}, "cannot write '%s': %s", out_h, strerror(errno));
    return 1;
  }
  tmp_h[0] = '\0';
  renamed_h = out_h;
  if (rename(tmp_c, out_c) != 0) {
    error_at((Loc){0}, "cannot write '%s': %s", out_c, strerror(errno));
    return 1; /* remove_temporaries puts the old header back */
  }
  tmp_c[0] = '\0';
  renamed_h = NULL;
  remove_temporaries(); /* the kept old header */
  pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
  return 0;
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
