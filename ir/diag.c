/* Diagnostics in the format of gcc and clang:
 *   file:line:col: error: message
 *     source line
 *         ^                                                          */
#include "vgradcc.h"

#include <stdlib.h>
#include <string.h>

static int errors;

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

static void report(const char *kind, Loc loc, const char *fmt, va_list ap) {
  if (loc.file && loc.line > 0)
    fprintf(stderr, "%s:%d:%d: %s: ", loc.file, loc.line, loc.col > 0 ? loc.col : 1, kind);
  else
    fprintf(stderr, "vgradcc: %s: ", kind);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  if (!loc.file || loc.line <= 0)
    return;
  char *text = source_line(loc.file, loc.line);
  if (!text)
    return;
  fprintf(stderr, "%s\n", text);
  /* Keep tabs so the caret lines up under the same columns. */
  int len = (int)strlen(text);
  for (int i = 0; i < loc.col - 1 && i < len; i++)
    fputc(text[i] == '\t' ? '\t' : ' ', stderr);
  fputs("^\n", stderr);
  free(text);
}

void error_at(Loc loc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  report("error", loc, fmt, ap);
  va_end(ap);
  errors++;
}

void note_at(Loc loc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  report("note", loc, fmt, ap);
  va_end(ap);
}

int error_count(void) { return errors; }
