/* Diagnostics in the format of gcc and clang:
 *   file:line:col: error: message
 *     source line
 *         ^                                                          */
#include "vgradcc.h"

#include <stdlib.h>
#include <string.h>

static int errors;

/* Errors shown in one run, as clang's -ferror-limit: past it, one note says
 * more were found (they still count, so nothing is written). */
enum { ERROR_LIMIT = 20 };

/* Returns line `line` (1-based) of `path`, without its newline, or NULL. */
static char *source_line(const char *path, int line) {
  FILE *f = fopen(path, "r");
  if (!f)
    return NULL;
  Buf b = {0};
  int c, cur = 1;
  while ((c = fgetc(f)) != EOF) {
    if (cur == line) {
      if (c == '\n' || c == '\r')
        break;
      char ch = (char)c;
      buf_printf(&b, "%c", ch);
    } else if (c == '\n' && ++cur > line) {
      break;
    }
  }
  fclose(f);
  if (cur != line)
    return NULL;
  return b.buf ? b.buf : xstrdup("");
}

/* Each diagnostic once: a construct met twice (a helper inlined at two
 * calls, a statement lowered again) is reported where it is, once. */
static NameSet reported;

/* Returns false when this diagnostic was printed already. */
static bool report(const char *kind, Loc loc, const char *fmt, va_list ap) {
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  char *message = xcalloc((size_t)n + 1, 1);
  vsnprintf(message, (size_t)n + 1, fmt, ap);
  char *head = loc.file && loc.line > 0 ? format("%s:%d:%d: %s: ", loc.file, loc.line, loc.col > 0 ? loc.col : 1, kind)
                                        : format("vgradcc: %s: ", kind);
  char *whole = format("%s%s", head, message);
  free(head);
  free(message);
  if (!name_set_add(&reported, whole)) {
    free(whole);
    return false;
  }
  fprintf(stderr, "%s\n", whole);
  if (!loc.file || loc.line <= 0)
    return true;
  char *text = source_line(loc.file, loc.line);
  if (!text)
    return true;
  fprintf(stderr, "%s\n", text);
  /* Keep tabs so the caret lines up under the same columns. */
  int len = (int)strlen(text);
  for (int i = 0; i < loc.col - 1 && i < len; i++)
    fputc(text[i] == '\t' ? '\t' : ' ', stderr);
  fputs("^\n", stderr);
  free(text);
  return true;
}

void error_at(Loc loc, const char *fmt, ...) {
  if (errors >= ERROR_LIMIT) {
    if (errors++ == ERROR_LIMIT)
      fprintf(stderr, "vgradcc: note: more errors were found; only the first %d are shown\n", ERROR_LIMIT);
    return;
  }
  va_list ap;
  va_start(ap, fmt);
  if (report("error", loc, fmt, ap))
    errors++;
  va_end(ap);
}

void warning_at(Loc loc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  report("warning", loc, fmt, ap);
  va_end(ap);
}

void note_at(Loc loc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  report("note", loc, fmt, ap);
  va_end(ap);
}

int error_count(void) { return errors; }
