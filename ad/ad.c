/* The AD stage: for each pragma, select, normalise, analyse, sweep. */
#include "ad.h"

#include <string.h>

static Derivative *differentiate(Program *prog, Pragma *p) {
  Derivative *d = xcalloc(1, sizeof(Derivative));
  if (!ad_select(prog, p, d))
    return NULL;
  Ad ad = {0};
  ad.prog = prog;
  ad.deriv = d;
  /* Reserve the contract's output names before locals are renamed. */
  for (int i = 0; i < d->selected.len; i++)
    vec_push(&ad.names, format("d_%s", ((Var *)d->selected.items[i])->name));
  if (!ad_normalize(&ad, d->primal))
    return NULL;
  ad_activity(&ad);
  if (!ad_reverse(&ad))
    return NULL;
  return d;
}

Vec *ad_differentiate(Program *prog) {
  Vec *out = xcalloc(1, sizeof(Vec));
  for (int i = 0; i < prog->pragmas.len; i++) {
    Pragma *p = prog->pragmas.items[i];
    Derivative *d = differentiate(prog, p);
    if (!d)
      continue;
    for (int j = 0; j < out->len; j++) {
      Derivative *o = out->items[j];
      if (!strcmp(o->out->name, d->out->name)) {
        error_at(p->loc, "two pragmas generate a function named '%s'; give one of them name(...)", d->out->name);
        note_at(o->pragma->loc, "the first is here");
      }
    }
    for (int j = 0; j < prog->funcs.len; j++) {
      Func *f = prog->funcs.items[j];
      if (!strcmp(f->name, d->out->name))
        error_at(p->loc, "the generated function '%s' would clash with a function of the same name in this file",
                 d->out->name);
    }
    vec_push(out, d);
  }
  return error_count() ? NULL : out;
}
