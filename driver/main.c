/* vgradcc: the command line (design 1.2).
 *   vgradcc [options] FILE.c [clang options...]                     */
#include "vgradcc.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
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

/* Temporary files being written, removed if we stop early. */
static char tmp_c[4096], tmp_h[4096];

static void remove_temporaries(void) {
  if (tmp_c[0])
    unlink(tmp_c);
  if (tmp_h[0])
    unlink(tmp_h);
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

int main(int argc, char **argv) {
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
  if (!input) {
    fputs(usage, stderr);
    error_at((Loc){0}, "no input file");
    return 1;
  }

  char *out_c = output ? xstrdup(output)
                       : ends_with(input, ".c") ? format("%.*s.vg.c", (int)strlen(input) - 2, input)
                                                : format("%s.vg.c", input);
  char *out_h = ends_with(out_c, ".c") ? format("%.*s.h", (int)strlen(out_c) - 2, out_c) : format("%s.h", out_c);
  if (!strcmp(out_c, input) || !strcmp(out_h, input)) {
    error_at((Loc){0}, "output '%s' would overwrite the input", out_c);
    return 1;
  }

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

  Buf src = {0}, hdr = {0};
  codegen_header(prog, derivs, guard_of(out_h), &hdr);
  codegen_source(prog, derivs, basename_of(out_h), &src);

  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  atexit(remove_temporaries);
  if (!write_temporary(out_h, &hdr, tmp_h, sizeof tmp_h) || !write_temporary(out_c, &src, tmp_c, sizeof tmp_c))
    return 1;
  if (rename(tmp_h, out_h) != 0) {
    error_at((Loc){0}, "cannot write '%s': %s", out_h, strerror(errno));
    return 1;
  }
  tmp_h[0] = '\0';
  if (rename(tmp_c, out_c) != 0) {
    error_at((Loc){0}, "cannot write '%s': %s", out_c, strerror(errno));
    unlink(out_h);
    return 1;
  }
  tmp_c[0] = '\0';
  return 0;
}
