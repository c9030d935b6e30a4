/* Small allocation, string and vector helpers used by every stage. */
#include "vgradcc.h"

#include <stdlib.h>
#include <string.h>

void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p) {
    fprintf(stderr, "vgradcc: out of memory\n");
    exit(2);
  }
  return p;
}

char *xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *p = xcalloc(n, 1);
  memcpy(p, s, n);
  return p;
}

char *format(const char *fmt, ...) {
  Buf b = {0};
  va_list ap;
  va_start(ap, fmt);
  buf_vprintf(&b, fmt, ap);
  va_end(ap);
  return b.buf ? b.buf : xstrdup("");
}

void vec_push(Vec *v, void *item) {
  if (v->len == v->cap) {
    v->cap = v->cap ? v->cap * 2 : 8;
    void **items = realloc(v->items, (size_t)v->cap * sizeof(void *));
    if (!items) {
      fprintf(stderr, "vgradcc: out of memory\n");
      exit(2);
    }
    v->items = items;
  }
  v->items[v->len++] = item;
}

void buf_vprintf(Buf *b, const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0)
    return;
  if (b->len + (size_t)n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (b->len + (size_t)n + 1 > cap)
      cap *= 2;
    char *buf = realloc(b->buf, cap);
    if (!buf) {
      fprintf(stderr, "vgradcc: out of memory\n");
      exit(2);
    }
    b->buf = buf;
    b->cap = cap;
  }
  vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
}

void buf_printf(Buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  buf_vprintf(b, fmt, ap);
  va_end(ap);
}

void vec_insert_front(Vec *v, void *item) {
  vec_push(v, item);
  for (int i = v->len - 1; i > 0; i--)
    v->items[i] = v->items[i - 1];
  v->items[0] = item;
}

bool vec_contains(const Vec *v, const void *item) {
  for (int i = 0; i < v->len; i++)
    if (v->items[i] == item)
      return true;
  return false;
}

void vec_add_unique(Vec *v, void *item) {
  if (!vec_contains(v, item))
    vec_push(v, item);
}

void vec_insert_at(Vec *v, int at, void *item) {
  vec_push(v, item);
  for (int i = v->len - 1; i > at; i--)
    v->items[i] = v->items[i - 1];
  v->items[at] = item;
}
