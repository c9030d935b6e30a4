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

/* ---- NameSet: chained hashing ---- */

struct NameEntry {
  const char *name;
  int value;
  NameEntry *next;
};

static size_t name_hash(const char *name) {
  size_t h = 14695981039346656037u; /* FNV-1a */
  for (const unsigned char *p = (const unsigned char *)name; *p; p++)
    h = (h ^ *p) * 1099511628211u;
  return h;
}

static NameEntry *name_set_find(const NameSet *s, const char *name) {
  if (!s->nbuckets)
    return NULL;
  for (NameEntry *e = s->buckets[name_hash(name) & (s->nbuckets - 1)]; e; e = e->next)
    if (!strcmp(e->name, name))
      return e;
  return NULL;
}

bool name_set_contains(const NameSet *s, const char *name) { return name_set_find(s, name) != NULL; }

int *name_set_value(const NameSet *s, const char *name) {
  NameEntry *e = name_set_find(s, name);
  return e ? &e->value : NULL;
}

bool name_set_add(NameSet *s, const char *name) {
  if (name_set_find(s, name))
    return false;
  if (s->len >= s->nbuckets) { /* grow: keep at most one entry per bucket on average */
    size_t n = s->nbuckets ? s->nbuckets * 2 : 64;
    NameEntry **buckets = xcalloc(n, sizeof(NameEntry *));
    for (size_t i = 0; i < s->nbuckets; i++)
      for (NameEntry *e = s->buckets[i], *next; e; e = next) {
        next = e->next;
        size_t b = name_hash(e->name) & (n - 1);
        e->next = buckets[b];
        buckets[b] = e;
      }
    free(s->buckets);
    s->buckets = buckets;
    s->nbuckets = n;
  }
  NameEntry *e = xcalloc(1, sizeof(NameEntry));
  e->name = name;
  size_t b = name_hash(name) & (s->nbuckets - 1);
  e->next = s->buckets[b];
  s->buckets[b] = e;
  s->len++;
  return true;
}

void name_set_remove(NameSet *s, const char *name) {
  if (!s->nbuckets)
    return;
  for (NameEntry **link = &s->buckets[name_hash(name) & (s->nbuckets - 1)]; *link; link = &(*link)->next)
    if (!strcmp((*link)->name, name)) {
      NameEntry *e = *link;
      *link = e->next;
      free(e);
      s->len--;
      return;
    }
}
