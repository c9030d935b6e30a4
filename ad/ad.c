/* The AD stage: for each pragma, select, normalise, analyse, sweep. */
#include "ad.h"

#include <stdlib.h>
#include <string.h>

/* Adds f and the functions of the file it calls, at any depth. */
static void add_reached(Program *prog, Func *f, Vec *reached);

static bool add_callee(const Expr *e, const void *ctx) {
  const void *const *c = ctx;
  if (e->kind == EX_VAR && e->var->fn_init) /* a constant table of functions */
    return expr_any(e->var->fn_init, add_callee, ctx);
  if (e->kind != EX_CALL && e->kind != EX_FUNCREF) /* a function named as a value may be called through a pointer */
    return false;
  Program *prog = (Program *)c[0];
  for (int i = 0; i < prog->funcs.len; i++) {
    Func *g = prog->funcs.items[i];
    if (g->body && !strcmp(g->name, e->text))
      add_reached(prog, g, (Vec *)c[1]);
  }
  return false;
}

static void add_reached(Program *prog, Func *f, Vec *reached) {
  if (vec_contains(reached, f))
    return;
  vec_push(reached, f);
  const void *ctx[2] = {prog, reached};
  stmt_any(f->body, add_callee, ctx);
}

/* `#pragma omp` in code the gradient runs: said, not dropped silently. */
static void warn_serial_omp(Program *prog, Derivative *d) {
  Vec reached = {0};
  add_reached(prog, d->primal, &reached);
  for (int i = 0; i < prog->omp_pragmas.len; i++) {
    OmpPragma *omp = prog->omp_pragmas.items[i];
    for (int j = 0; j < reached.len; j++) {
      Func *f = reached.items[j];
      if (omp->loc.line > f->loc.line && omp->loc.line <= f->end_line) {
        warning_at(omp->loc, "'%s' is not carried into the gradient of '%s': its loop runs serially there "
                   "(parallel adjoints are not supported yet)", omp->text, d->primal->name);
        break;
      }
    }
  }
  free(reached.items);
}

static Derivative *differentiate(Program *prog, Pragma *p) {
  Derivative *d = xcalloc(1, sizeof(Derivative));
  if (!ad_select(prog, p, d))
    return NULL;
  warn_serial_omp(prog, d);
  Ad ad = {0};
  ad.prog = prog;
  ad.deriv = d;
  /* Reserve the contract's output names before locals are renamed: d_x,
   * unless the input declares d_x at file scope (then d_x_2, ...). */
  const char **out_names = xcalloc((size_t)d->selected.len + 1, sizeof(char *));
  for (int i = 0; i < d->selected.len; i++)
    out_names[i] = ad_fresh_name(&ad, format("d_%s", ad_param_name(d->selected.items[i])));
  if (!ad_normalize(&ad, d->primal))
    return NULL;
  for (int i = 0; i < d->selected.len; i++)
    ((Var *)ad.f->params.items[((Var *)d->selected.items[i])->param_index])->adj_name = out_names[i];
  free(out_names);
  ad_activity(&ad);
  if (!ad_reverse(&ad))
    return NULL;
  return d;
}

/* A global of the input read by the generated code, named like a
 * declaration of what the generated file includes (`double y1;` without
 * <math.h> in the input): its `extern` there would not compile. */
static bool is_global_clashing(const Expr *e, const void *ctx) {
  const Program *prog = ctx;
  return e->kind == EX_VAR && e->var->is_global && e->var->loc.file && !strcmp(e->var->loc.file, prog->path) &&
         name_set_contains(&prog->library_names, e->var->name);
}

static bool find_global_clash(const Expr *e, const void *ctx) {
  if (!is_global_clashing(e, ((const void **)ctx)[0]))
    return false;
  *(const Expr **)((const void **)ctx)[1] = e;
  return true;
}

static bool globals_ok(Program *prog, Derivative *d) {
  const Expr *found = NULL;
  const void *ctx[2] = {prog, &found};
  if (!stmt_any(d->out->body, find_global_clash, ctx))
    return true;
  error_at(found->var->loc, "the global '%s', which '%s' reads, has the name of a declaration of <math.h>, "
           "<stdio.h>, <stdlib.h>, <string.h> or the vgrad runtime, which the generated file includes; rename "
           "the global", found->var->name, d->primal->name);
  return false;
}

/* Every parameter a vg_array *, the loss an array or a struct of arrays and numbers. */
static bool entry_point_ok(Func *f) {
  if (f->params.len == 0 || f->params.len > 32)
    return false;
  for (int i = 0; i < f->params.len; i++)
    if (!type_is_array_value(((Var *)f->params.items[i])->type))
      return false;
  if (type_is_array_value(f->ret))
    return true;
  if (f->ret->kind != TY_STRUCT || !f->ret->nmembers || !type_is_array_value(f->ret->members[0].type))
    return false;
  for (int i = 1; i < f->ret->nmembers; i++) {
    Type *t = f->ret->members[i].type;
    if (!type_is_array_value(t) && !type_is_floating(t))
      return false;
  }
  return true;
}

/* Names the generated code refers to besides those of the headers it
 * includes: the runtime's (from its public headers, at build time) and the
 * helpers codegen/ may add. */
static const char *const runtime_names[] = {
#include "runtime_names.h"
    "vgradcc_digamma", "vgradcc_digammaf",
};

Vec *ad_differentiate(Program *prog) {
  Vec *out = xcalloc(1, sizeof(Vec));
  for (size_t i = 0; i < sizeof runtime_names / sizeof *runtime_names; i++)
    name_set_add(&prog->library_names, runtime_names[i]);
  for (int i = 0; i < prog->pragmas.len; i++) {
    Pragma *p = prog->pragmas.items[i];
    if (p->kind == PRAGMA_CHECKPOINT)
      continue; /* attached to its loop by the frontend */
    Derivative *d = differentiate(prog, p);
    if (!d || !globals_ok(prog, d))
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
    if (name_set_contains(&prog->library_names, d->out->name))
      error_at(p->loc, "the generated function '%s' would clash with '%s' of the C library or the vgrad runtime, "
               "which the generated file includes; choose another name with name(...)", d->out->name,
               d->out->name);
    vec_push(out, d);
  }
  /* Array losses also get a run-time entry point: the gradient w.r.t. every
   * argument, from which a call picks the argnums it asks for. */
  int n = out->len;
  for (int i = 0; i < n && !error_count(); i++) {
    Derivative *d = out->items[i];
    if (d->pragma->kind != PRAGMA_VALUE_AND_GRAD || !entry_point_ok(d->primal))
      continue;
    bool done = false;
    for (int j = 0; j < out->len; j++) {
      Derivative *o = out->items[j];
      done |= o->entry && o->primal == d->primal;
    }
    if (done)
      continue;
    if (d->selected.len == d->primal->params.len) {
      d->entry = true; /* already w.r.t. every argument */
      continue;
    }
    Pragma *all = xcalloc(1, sizeof(Pragma));
    *all = *d->pragma;
    all->has_argnums = all->argnums_all = true;
    all->nargnums = all->nargnames = 0;
    all->has_argnames = false;
    all->out_name = format("%s_vg_all", d->primal->name);
    Derivative *e = differentiate(prog, all);
    if (e) {
      e->internal = e->entry = true;
      vec_push(out, e);
    }
  }
  return error_count() ? NULL : out;
}
