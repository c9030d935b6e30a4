/* clause_harness: the pragma clause parser (frontend/pragma.y) on one text,
 * for AFL++ (`make fuzz`) and for the seed replay of `make test`.
 *
 *   clause_harness [FILE]     reads the text after `#pragma vgrad` from
 *                             FILE (or stdin) and parses it
 *
 * Built with afl-clang-fast it runs in AFL++'s persistent mode instead,
 * many inputs per process.
 *
 * Exits 0 whether the text is accepted or refused; aborts (a crash for
 * AFL) when the parser breaks its contract:
 *   - it refuses without an error, or accepts with one;
 *   - an error is placed outside the text (line 1, columns of the text) or
 *     has an empty message;
 *   - an accepted pragma is inconsistent: no function name, an argnums
 *     entry out of 0..1000000 or listed twice, an argnames entry that is
 *     not an identifier or listed twice, a snapshot count out of range.
 * It defines the diagnostics itself (instead of ir/diag.c) to check them. */
#include "vgradcc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *input_name;
static int text_col = 15; /* the clause text starts after "#pragma vgrad " */
static size_t text_len;
static int errors;

static void broken(const char *what) {
  fprintf(stderr, "clause_harness: %s: contract broken: %s\n", input_name, what);
  abort();
}

static void check_diagnostic(const char *kind, Loc loc, const char *fmt, va_list ap) {
  char msg[4096];
  int n = vsnprintf(msg, sizeof msg, fmt, ap);
  fprintf(stderr, "%s:%d:%d: %s: %s\n", loc.file ? loc.file : "?", loc.line, loc.col, kind, msg);
  if (n <= 0)
    broken("empty message");
  if (loc.file != input_name || loc.line != 1)
    broken("diagnostic not on the pragma's line");
  if (loc.col < text_col || (size_t)(loc.col - text_col) > text_len)
    broken("diagnostic column outside the clause text");
}

void error_at(Loc loc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  check_diagnostic("error", loc, fmt, ap);
  va_end(ap);
  errors++;
}

void note_at(Loc loc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  check_diagnostic("note", loc, fmt, ap);
  va_end(ap);
}

int error_count(void) { return errors; }

static bool is_identifier(const char *s) {
  if (!s || !*s || (*s >= '0' && *s <= '9'))
    return false;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
      return false;
  return true;
}

static void check_accepted(const Pragma *p) {
  if (p->kind == PRAGMA_CHECKPOINT) {
    if (p->snapshots < 0 || p->snapshots > 1000000)
      broken("snapshot count out of range");
    return;
  }
  if (p->kind == PRAGMA_NONDIFF) {
    if (!is_identifier(p->func))
      broken("the nondiff function is not an identifier");
    return;
  }
  if (p->kind == PRAGMA_CUSTOM_VJP || p->kind == PRAGMA_CUSTOM_JVP) {
    if (!is_identifier(p->func) || !is_identifier(p->with))
      broken("a custom rule's function is not an identifier");
    return;
  }
  if (p->kind != PRAGMA_VALUE_AND_GRAD && p->kind != PRAGMA_GRAD && p->kind != PRAGMA_JVP && p->kind != PRAGMA_VJP &&
      p->kind != PRAGMA_JACOBIAN && p->kind != PRAGMA_HVP && p->kind != PRAGMA_HESSIAN)
    broken("unknown pragma kind");
  if (!is_identifier(p->func))
    broken("the function is not an identifier");
  if (p->nargnums < 0 || p->nargnums > 64 || p->nargnames < 0 || p->nargnames > 64)
    broken("entry count out of range");
  if (p->has_argnums && !p->argnums_all && p->nargnums == 0)
    broken("argnums without entries");
  for (int i = 0; i < p->nargnums; i++) {
    if (p->argnums[i] < 0 || p->argnums[i] > 1000000)
      broken("argnums entry out of range");
    for (int j = 0; j < i; j++)
      if (p->argnums[i] == p->argnums[j])
        broken("argnums entry listed twice");
  }
  for (int i = 0; i < p->nargnames; i++) {
    if (!is_identifier(p->argnames[i]))
      broken("argnames entry is not an identifier");
    for (int j = 0; j < i; j++)
      if (!strcmp(p->argnames[i], p->argnames[j]))
        broken("argnames entry listed twice");
  }
  if (p->out_name && !is_identifier(p->out_name))
    broken("name() is not an identifier");
  if (p->loss_param && !is_identifier(p->loss_param))
    broken("loss() is not an identifier");
}

/* Parses the first `len` bytes of `data`, up to a NUL: the parser sees a
 * C string. */
static void run_one(const char *data, size_t len, const char *name) {
  const char *nul = memchr(data, '\0', len);
  text_len = nul ? (size_t)(nul - data) : len;
  char *s = xcalloc(text_len + 1, 1);
  memcpy(s, data, text_len);
  input_name = name;
  errors = 0;
  Pragma p = {0};
  Loc loc = {input_name, 1, text_col};
  bool ok = parse_pragma_clauses(s, loc, &p);
  if (ok && errors)
    broken("accepted with an error");
  if (!ok && !errors)
    broken("refused without an error");
  if (ok)
    check_accepted(&p);
  printf("%s\n", ok ? "accepted" : "refused");
  /* The Pragma owns its strings, accepted or not: freed so that the replay
   * in make test can check that the parser leaks nothing else. */
  free((char *)p.func);
  free((char *)p.out_name);
  free((char *)p.loss_param);
  free((char *)p.loss_text);
  free((char *)p.mode);
  free((char *)p.with);
  for (int i = 0; i < p.loss_nsteps; i++)
    free((char *)p.loss_steps[i].member);
  for (int i = 0; i < p.nargnames; i++)
    free((char *)p.argnames[i]), free((char *)p.argname_lens[i]);
  for (int i = 0; i < p.noutputs; i++)
    free((char *)p.outputs[i]), free((char *)p.output_lens[i]);
  free(s);
}

#ifdef __AFL_FUZZ_TESTCASE_LEN
/* AFL++ persistent mode (afl-clang-fast): many inputs per process, from
 * shared memory. */
__AFL_FUZZ_INIT();

int main(void) {
  __AFL_INIT();
  const unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
  while (__AFL_LOOP(10000))
    run_one((const char *)buf, (size_t)__AFL_FUZZ_TESTCASE_LEN, "<afl>");
  return 0;
}
#else
int main(int argc, char **argv) {
  const char *name = "<stdin>";
  FILE *f = stdin;
  if (argc > 1) {
    name = argv[1];
    f = fopen(argv[1], "rb");
    if (!f) {
      perror(argv[1]);
      return 2;
    }
  }
  Buf data = {0};
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
    size_t at = data.len;
    buf_printf(&data, "%*s", (int)n, "");
    memcpy(data.buf + at, chunk, n);
  }
  if (f != stdin)
    fclose(f);
  run_one(data.buf ? data.buf : "", data.len, name);
  free(data.buf);
  return 0;
}
#endif
