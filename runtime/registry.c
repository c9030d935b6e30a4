/* Run-time entry points: generated array losses register themselves by
 * name, so callers that only know the name at run time (bindings to Python
 * or R) can ask for the value and the gradients they choose. */
#include "vgrad.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vg_function {
  const char *name;
  int nargs, naux;
  vg_entry_fn entry;
};

static struct vg_function *table;
static int ntable, captable;

void vg_register(const char *name, int nargs, int naux, vg_entry_fn entry) {
  for (int i = 0; i < ntable; i++)
    if (!strcmp(table[i].name, name)) {
      table[i].nargs = nargs;
      table[i].naux = naux;
      table[i].entry = entry;
      return;
    }
  if (ntable == captable) {
    int cap = captable ? 2 * captable : 16;
    struct vg_function *t = realloc(table, (size_t)cap * sizeof *t);
    if (!t) {
      fprintf(stderr, "vgrad: error: vg_register: out of memory\n");
      abort();
    }
    table = t;
    captable = cap;
  }
  table[ntable++] = (struct vg_function){name, nargs, naux, entry};
}

const vg_function *vg_lookup(const char *name) {
  for (int i = 0; i < ntable; i++)
    if (!strcmp(table[i].name, name))
      return &table[i];
  return NULL;
}

int vg_function_nargs(const vg_function *f) { return f ? f->nargs : -1; }
int vg_function_naux(const vg_function *f) { return f ? f->naux : -1; }

int vg_call_value_and_grad(const vg_function *f, vg_array *const *args, int nargs, const int *argnums,
                           int nargnums, vg_array **value, vg_array **aux, vg_array **grads) {
  if (!f) {
    fprintf(stderr, "vgrad: error: vg_call_value_and_grad: no such function\n");
    return -1;
  }
  if (nargs != f->nargs) {
    fprintf(stderr, "vgrad: error: vg_call_value_and_grad: %s takes %d arrays, not %d\n", f->name, f->nargs, nargs);
    return -1;
  }
  for (int i = 0; i < nargnums; i++)
    if (argnums[i] < 0 || argnums[i] >= f->nargs) {
      fprintf(stderr, "vgrad: error: vg_call_value_and_grad: argnums entry %d is out of range for %s (0 to %d)\n",
              argnums[i], f->name, f->nargs - 1);
      return -1;
    }
  return f->entry(args, argnums, nargnums, value, aux, grads);
}
