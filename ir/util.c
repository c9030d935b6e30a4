/* Small allocation, string and vector helpers used by every stage. */
#include "vgradcc.h"

#include <assert.h>
#include <stdint.h>
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

/* Exactly the bytes needed: names and snippets are made by the thousand. */
char *format(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *s = xcalloc((size_t)(n > 0 ? n : 0) + 1, 1);
  va_start(ap, fmt);
  if (n > 0)
    vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return s;
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
  /* Formatted straight into the room left when it fits (the usual case). */
  int n = b->buf ? vsnprintf(b->buf + b->len, b->cap - b->len, fmt, ap2) : vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0)
    return;
  if (b->buf && b->len + (size_t)n + 1 <= b->cap) {
    b->len += (size_t)n;
    return;
  }
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
  assert(at >= 0 && at <= v->len);
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

void name_set_add_all(NameSet *into, const NameSet *from) {
  for (size_t i = 0; i < from->nbuckets; i++)
    for (NameEntry *e = from->buckets[i]; e; e = e->next)
      name_set_add(into, e->name);
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

/* ---- PtrSet: open addressing, linear probing, tombstones ---- */

static char ptr_set_removed; /* marks a slot whose pointer was removed */
#define PTR_SET_REMOVED ((void *)&ptr_set_removed)

static size_t ptr_hash(const void *p) {
  size_t h = (size_t)(uintptr_t)p;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdu;
  h ^= h >> 33;
  return h;
}

/* The slot holding p, or the empty slot where a probe for it ends. */
static size_t ptr_set_slot(const PtrSet *s, const void *p) {
  size_t mask = s->cap - 1, i = ptr_hash(p) & mask;
  while (s->slots[i] && s->slots[i] != p)
    i = (i + 1) & mask;
  return i;
}

bool ptr_set_contains(const PtrSet *s, const void *p) {
  return s->cap && s->slots[ptr_set_slot(s, p)] == p;
}

static void ptr_set_rehash(PtrSet *s, size_t cap) {
  void **old = s->slots;
  size_t old_cap = s->cap;
  s->slots = xcalloc(cap, sizeof(void *));
  s->cap = cap;
  s->len = s->used = 0;
  for (size_t i = 0; i < old_cap; i++)
    if (old[i] && old[i] != PTR_SET_REMOVED) {
      s->slots[ptr_set_slot(s, old[i])] = old[i];
      s->len++;
      s->used++;
    }
  free(old);
}

bool ptr_set_add(PtrSet *s, void *p) {
  if (ptr_set_contains(s, p))
    return false;
  if ((s->used + 1) * 4 > s->cap * 3) { /* at most 3/4 full, removed slots counted */
    size_t cap = s->cap ? s->cap : 16;
    ptr_set_rehash(s, s->len * 2 >= cap ? cap * 2 : cap); /* else only the removed slots go */
  }
  size_t mask = s->cap - 1, i = ptr_hash(p) & mask;
  while (s->slots[i] && s->slots[i] != PTR_SET_REMOVED)
    i = (i + 1) & mask;
  if (!s->slots[i])
    s->used++;
  s->slots[i] = p;
  s->len++;
  return true;
}

void ptr_set_remove(PtrSet *s, const void *p) {
  if (!s->cap)
    return;
  size_t i = ptr_set_slot(s, p);
  if (s->slots[i] == p) {
    s->slots[i] = PTR_SET_REMOVED;
    s->len--;
  }
}

PtrSet ptr_set_copy(const PtrSet *s) {
  PtrSet c = *s;
  if (s->cap) {
    c.slots = xcalloc(s->cap, sizeof(void *));
    memcpy(c.slots, s->slots, s->cap * sizeof(void *));
  }
  return c;
}

bool ptr_set_union_into(PtrSet *into, const PtrSet *from) {
  bool grew = false;
  for (size_t i = 0; i < from->cap; i++)
    if (from->slots[i] && from->slots[i] != PTR_SET_REMOVED)
      grew |= ptr_set_add(into, from->slots[i]);
  return grew;
}

void ptr_set_free(PtrSet *s) {
  free(s->slots);
  *s = (PtrSet){0};
}

const char *name_set_fresh(NameSet *s, const char *base) {
  const char *name = base;
  for (int k = 2; name_set_contains(s, name); k++)
    name = format("%s_%d", base, k);
  name_set_add(s, name);
  return name;
}
