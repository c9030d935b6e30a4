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
  Func *g = call_definition(prog, e);
  if (g)
    add_reached(prog, g, (Vec *)c[1]);
  return false;
}

static void add_reached(Program *prog, Func *f, Vec *reached) {
  if (vec_contains(reached, f))
    return;
  vec_push(reached, f);
  const void *ctx[2] = {prog, reached};
  stmt_any(f->body, add_callee, ctx);
}

/* Under -fopenmp, a `#pragma omp` in code a gradient runs is a `parallel
 * for` with the clauses ad/omp.c knows, or refused: the others (critical,
 * atomic, simd, tasks, ordered, lastprivate, other reductions, ...) would
 * need a parallel adjoint of their own. */
static void refuse_unsupported_omp(OmpPragma *omp, const char *grad) {
  const char *t = omp->full + strlen("#pragma");
  t += strspn(t, " \t");
  t += strlen("omp");
  t += strspn(t, " \t");
  size_t len = strcspn(t, " \t(");
  const char *directive = format("%.*s", (int)len, t);
  if (!strcmp(directive, "atomic") && omp->attached)
    return; /* an update `x += e` (attach_omp_atomics; normalize.c checks the statement) */
  if (!strcmp(directive, "atomic")) {
    error_at(omp->loc, "'%s' in code the gradient of '%s' runs is not supported with -fopenmp: vgradcc knows "
             "'#pragma omp atomic' (or 'atomic update') before an update 'x += e' or 'x -= e'; compile without "
             "-fopenmp to run it serially in the gradient", omp->text, grad);
    return;
  }
  if (strcmp(directive, "parallel")) {
    error_at(omp->loc, "'#pragma omp %s' in code the gradient of '%s' runs is not supported with -fopenmp: only "
             "'#pragma omp parallel for' loops are; compile without -fopenmp to run it serially in the gradient",
             directive, grad);
    return;
  }
  t += len;
  t += strspn(t, " \t");
  if (strncmp(t, "for", 3) || (t[3] && !strchr(" \t(", t[3]))) {
    error_at(omp->loc, "'#pragma omp parallel' without 'for' in code the gradient of '%s' runs is not supported with "
             "-fopenmp, except over a region holding only one loop under '#pragma omp for': write '#pragma omp "
             "parallel for' on each loop, or compile without -fopenmp", grad);
    return;
  }
  t += 3;
  for (;;) { /* the clauses: NAME or NAME(ARGS), separated by blanks or commas */
    t += strspn(t, " \t,");
    if (!*t)
      return;
    size_t n = strcspn(t, " \t,(");
    const char *name = format("%.*s", (int)n, t);
    t += n;
    t += strspn(t, " \t");
    const char *arg = "";
    if (*t == '(') {
      const char *end = strchr(t, ')');
      if (!end)
        end = t + strlen(t);
      arg = format("%.*s", (int)(end - t - 1), t + 1);
      t = *end ? end + 1 : end;
    }
    const char *a = arg + strspn(arg, " \t");
    bool ok = !strcmp(name, "private") || !strcmp(name, "firstprivate") || !strcmp(name, "shared") ||
              (!strcmp(name, "default") && !strcmp(a, "shared"));
    if (!strcmp(name, "collapse"))
      ok = a[0] >= '1' && a[0] <= '9' && a[strspn(a, "0123456789")] == '\0';
    if (!strcmp(name, "reduction"))
      ok = a[0] == '+' && a[1 + strspn(a + 1, " \t")] == ':';
    if (!strcmp(name, "schedule")) {
      size_t k = strcspn(a, " \t,");
      const char *kind = format("%.*s", (int)k, a);
      const char *chunk = a + k + strspn(a + k, " \t");
      ok = (!strcmp(kind, "static") || !strcmp(kind, "dynamic") || !strcmp(kind, "guided")) &&
           (!*chunk || (chunk[0] == ',' && chunk[1 + strspn(chunk + 1, " \t")] >= '1' &&
                        chunk[1 + strspn(chunk + 1, " \t")] <= '9' &&
                        chunk[1 + strspn(chunk + 1, " \t") + strspn(chunk + 1 + strspn(chunk + 1, " \t"), "0123456789")] == '\0'));
    }
    if (!ok) {
      error_at(omp->loc, "the clause '%s%s%s%s' of '#pragma omp parallel for' in code the gradient of '%s' runs is not "
               "supported with -fopenmp (vgradcc knows collapse(N), schedule(static|dynamic|guided[, N]), private, "
               "firstprivate, shared, reduction(+: ...)); compile without -fopenmp to run the loop serially in the gradient",
               name, *arg || *t == ')' ? "(" : "", arg, *arg ? ")" : "", grad);
      return;
    }
  }
}

/* `#pragma omp` loops in code a gradient runs: d's primal and what it
 * calls, at any depth.  Each pragma is added to found once, and d's function
 * to grads when it reaches one. */
static void find_serial_omp(Program *prog, Derivative *d, Vec *found, Vec *grads) {
  Vec reached = {0};
  add_reached(prog, d->primal, &reached);
  Vec omps = {0}; /* this input's, then the others' */
  for (int i = 0; i < prog->omp_pragmas.len; i++)
    vec_push(&omps, prog->omp_pragmas.items[i]);
  for (int k = 0; k < prog->others.len; k++) {
    Program *other = prog->others.items[k];
    for (int i = 0; i < other->omp_pragmas.len; i++)
      vec_push(&omps, other->omp_pragmas.items[i]);
  }
  for (int i = 0; i < omps.len; i++) {
    OmpPragma *omp = omps.items[i];
    if (omp->merged) /* folded into its loop's `parallel for` (frontend) */
      continue;
    for (int j = 0; j < reached.len; j++) {
      Func *f = reached.items[j];
      if (omp->loc.line > f->loc.line && omp->loc.line <= f->end_line && f->loc.file && omp->loc.file &&
          !strcmp(f->loc.file, omp->loc.file)) {
        if (!vec_contains(found, omp)) {
          vec_push(found, omp);
          if (prog->openmp)
            refuse_unsupported_omp(omp, d->primal->name);
        }
        if (!vec_contains(grads, d->primal->name))
          vec_push(grads, (void *)d->primal->name);
        break;
      }
    }
  }
  free(omps.items);
  free(reached.items);
}

/* Whether the text of a `#pragma omp` line is a loop directive (`for`
 * among its words before any clause's parenthesis). */
static bool omp_is_loop(const char *text) {
  const char *paren = strchr(text, '(');
  for (const char *p = strstr(text, "for"); p && (!paren || p < paren); p = strstr(p + 1, "for"))
    if ((p == text || p[-1] == ' ' || p[-1] == '\t') && (p[3] == '\0' || p[3] == ' ' || p[3] == '\t'))
      return true;
  return false;
}

/* One warning per input file, at its first `#pragma omp` that a gradient
 * runs (the others' files after its own), counting them all: said, not
 * dropped silently. */
static void warn_serial_omp(Program *prog, Vec *all_found, Vec *grads) {
  Vec left = {0}; /* under -fopenmp: those omp.c did not make parallel nor warned about */
  for (int i = 0; i < all_found->len; i++) {
    OmpPragma *omp = all_found->items[i];
    if (!prog->openmp || (!omp->parallel && !omp->serial))
      vec_push(&left, omp);
  }
  Vec *found = &left;
  if (!found->len)
    return;
  OmpPragma *first = NULL;
  for (int i = 0; i < prog->omp_pragmas.len && !first; i++)
    if (vec_contains(found, prog->omp_pragmas.items[i]))
      first = prog->omp_pragmas.items[i];
  for (int k = 0; k < prog->others.len && !first; k++) {
    Program *other = prog->others.items[k];
    for (int i = 0; i < other->omp_pragmas.len && !first; i++)
      if (vec_contains(found, other->omp_pragmas.items[i]))
        first = other->omp_pragmas.items[i];
  }
  Buf names = {0};
  for (int i = 0; i < grads->len; i++)
    buf_printf(&names, "%s'%s'", i == 0 ? "" : i + 1 == grads->len ? " and " : ", ", (const char *)grads->items[i]);
  int loops = 0; /* `for` directives; the others (parallel regions, atomic, ...) are counted apart */
  for (int i = 0; i < found->len; i++)
    loops += omp_is_loop(((OmpPragma *)found->items[i])->text);
  const char *others = "";
  if (found->len > loops)
    others = format(", and %d other '#pragma omp' %s ignored there", found->len - loops,
                    found->len - loops == 1 ? "is" : "are");
  warning_at(first->loc, "'%s': %d %s under '#pragma omp' %s serially in the gradient of %s%s (%s)", first->text,
             loops, loops == 1 ? "loop" : "loops", loops == 1 ? "runs" : "run", names.buf, others,
             prog->openmp ? "vgradcc -fopenmp runs in parallel only a counted loop 'for (i = a; i < b; i += K)' "
                            "of a reverse-mode gradient"
                          : "vgradcc -fopenmp runs them in parallel where it can");
  free(names.buf);
  free(left.items);
}

const char *ad_line_of(const Ad *ad, Loc loc) {
  if (loc.file && strcmp(loc.file, ad->prog->path))
    return format("%s line %d", loc.file, loc.line);
  return format("line %d", loc.line);
}

static bool globals_ok(Program *prog, Derivative *d);

/* jvp: the tangent parameters' names reserved (t_x, t_ret, t_y), then the
 * pipeline the modes share, then the forward mode. */
static bool differentiate_forward(Ad *ad) {
  Derivative *d = ad->deriv;
  const char **t_names = xcalloc((size_t)d->selected.len + (size_t)d->outputs.len + 2, sizeof(char *));
  int k = 0;
  for (int i = 0; i < d->selected.len; i++)
    t_names[k++] = ad_fresh_name(ad, format("t_%s", ad_param_name(d->selected.items[i])));
  if (type_is_floating(d->primal->ret) || d->primal->ret->kind == TY_STRUCT)
    t_names[k++] = ad_fresh_name(ad, "t_ret");
  for (int i = 0; i < d->outputs.len; i++)
    t_names[k++] = ad_fresh_name(ad, format("t_%s", ad_param_name(d->outputs.items[i])));
  bool ok = ad_normalize(ad, d->primal);
  if (ok) {
    ad_activity(ad);
    ok = ad_forward(ad, t_names);
  }
  free(t_names);
  return ok;
}

static Derivative *differentiate(Program *prog, Pragma *p, Vec *omp_found, Vec *omp_grads) {
  Derivative *d = xcalloc(1, sizeof(Derivative));
  if (!ad_select(prog, p, d))
    return NULL;
  find_serial_omp(prog, d, omp_found, omp_grads);
  Ad ad = {0};
  ad.prog = prog;
  ad.deriv = d;
  if (p->kind == PRAGMA_JVP)
    return differentiate_forward(&ad) ? d : NULL;
  /* Reserve the contract's output names before locals are renamed: d_x,
   * unless the input declares d_x at file scope (then d_x_2, ...). */
  const char **out_names = xcalloc((size_t)d->selected.len + 1, sizeof(char *));
  for (int i = 0; i < d->selected.len; i++)
    out_names[i] = ad_fresh_name(&ad, format("d_%s", ad_param_name(d->selected.items[i])));
  if (p->kind == PRAGMA_VJP) { /* ct_ret, ct_y: reserved like the d_ names */
    ad.cotangent_names = xcalloc((size_t)d->outputs.len + 1, sizeof(char *));
    int k = 0;
    if (d->primal->ret->kind != TY_VOID)
      ad.cotangent_names[k++] = ad_fresh_name(&ad, "ct_ret");
    for (int i = 0; i < d->outputs.len; i++)
      ad.cotangent_names[k++] = ad_fresh_name(&ad, format("ct_%s", ad_param_name(d->outputs.items[i])));
  }
  for (int i = 0; i < d->int_params.len; i++) { /* allow_int: void *d_n */
    Var *n = d->int_params.items[i];
    Var *g = var_local(ad_fresh_name(&ad, format("d_%s", ad_param_name(n))), type_pointer_to(type_void()));
    g->loc = n->loc;
    g->param_index = n->param_index; /* for now: the parameter it belongs to (ad_reverse places it) */
    vec_push(&d->int_outputs, g);
  }
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

/* The forward and reverse functions of a recursive function (recursion.c):
 * the pipeline of a pragma's function, every floating parameter selected,
 * its sweeps assembled as two functions. */
static bool differentiate_pair(Program *prog, RecPair *pair, Vec *out) {
  Func *g = pair->g;
  pair->generating = true;
  Pragma *p = xcalloc(1, sizeof(Pragma));
  p->kind = PRAGMA_VALUE_AND_GRAD;
  p->loc = p->func_loc = g->loc;
  p->func = g->name;
  p->has_argnums = p->argnums_all = true;
  Derivative *d = xcalloc(1, sizeof(Derivative));
  d->pragma = p;
  d->primal = g;
  d->name = pair->rev_name;
  for (int i = 0; i < g->params.len; i++)
    if (pair->selected[i])
      vec_push(&d->selected, g->params.items[i]);
  Ad ad = {0};
  ad.prog = prog;
  ad.deriv = d;
  ad.split = pair;
  const char **out_names = xcalloc((size_t)d->selected.len + 1, sizeof(char *));
  for (int i = 0; i < d->selected.len; i++)
    out_names[i] = ad_fresh_name(&ad, format("d_%s", ad_param_name(d->selected.items[i])));
  bool ok = ad_normalize(&ad, g);
  if (ok) {
    for (int i = 0; i < d->selected.len; i++)
      ((Var *)ad.f->params.items[((Var *)d->selected.items[i])->param_index])->adj_name = out_names[i];
    ad_activity(&ad);
    ok = ad_reverse(&ad);
  }
  free(out_names);
  pair->generating = false;
  if (!ok) {
    pair->failed = true;
    return false;
  }
  const char *where = format("%s:%d", g->loc.file ? g->loc.file : prog->path, g->loc.line);
  Func *parts[2] = {pair->fwd, pair->rev};
  const char *what[2] = {"forward sweep", "reverse sweep"};
  for (int k = 0; k < 2; k++) {
    Derivative *h = xcalloc(1, sizeof(Derivative));
    *h = *d;
    h->out = parts[k];
    h->name = parts[k]->name;
    h->helper = format("%s of the recursive function %s (%s)", what[k], g->name, where);
    if (globals_ok(prog, h))
      vec_push(out, h);
  }
  return true;
}

static Vec *noted_omp_found, *noted_omp_grads;

/* The tangent function of a recursive function g (ad_recursive_jvp): the
 * jvp of g w.r.t. its floating scalar parameters, a static helper; the
 * recursive calls in it call it again. */
static void differentiate_recursive_jvp(Program *prog, Func *g, const char *name, Vec *out) {
  Pragma *p = xcalloc(1, sizeof(Pragma));
  p->kind = PRAGMA_JVP;
  p->loc = p->func_loc = g->loc;
  p->func = g->name;
  p->out_name = name;
  p->has_argnums = true;
  for (int i = 0; i < g->params.len && p->nargnums < 64; i++)
    if (type_is_floating(((Var *)g->params.items[i])->type)) {
      p->argnums_loc[p->nargnums] = g->loc;
      p->argnums[p->nargnums++] = i;
    }
  Derivative *d = differentiate(prog, p, noted_omp_found, noted_omp_grads);
  if (!d)
    return;
  d->internal = true;
  d->helper = format("value and tangent of the recursive function %s (%s:%d)", g->name,
                     g->loc.file ? g->loc.file : prog->path, g->loc.line);
  if (globals_ok(prog, d))
    vec_push(out, d);
}

/* A global of the input read by the generated code, named like a
 * declaration of what the generated file includes (`double y1;` without
 * <math.h> in the input): its `extern` there would not compile. */
static bool is_input_file(const Program *prog, const char *file) {
  if (!strcmp(file, prog->path))
    return true;
  for (int i = 0; i < prog->others.len; i++)
    if (!strcmp(file, ((Program *)prog->others.items[i])->path))
      return true;
  return false;
}

static bool is_global_clashing(const Expr *e, const void *ctx) {
  const Program *prog = ctx;
  return e->kind == EX_VAR && e->var->is_global && e->var->loc.file && is_input_file(prog, e->var->loc.file) &&
         name_set_contains(&prog->library_names, e->var->name);
}

/* Two globals of one name from different inputs, one of them static
 * (file-static `scale` in a.c and in b.c): the generated file, which
 * names both, can hold only one. */
static WalkStep add_global_var(Expr *e, void *out) {
  if (e->kind == EX_VAR && e->var->is_global && e->var->loc.file)
    vec_push(out, e->var);
  return WALK_ON;
}

static bool globals_apart(Derivative *d) {
  Vec globals = {0};
  walk_stmt(d->out->body, &(Walker){.expr_pre = add_global_var, .ctx = &globals});
  bool ok = true;
  for (int i = 0; ok && i < globals.len; i++)
    for (int j = 0; ok && j < i; j++) {
      Var *a = globals.items[j], *b = globals.items[i];
      if (strcmp(a->name, b->name) || !strcmp(a->loc.file, b->loc.file) || (!a->is_static && !b->is_static))
        continue;
      error_at(b->loc, "the gradient of '%s' uses two globals named '%s', of %s and of %s, and one of them is "
               "static: the generated file can name only one; rename one of them", d->primal->name,
               var_spelling(b), a->loc.file, b->loc.file);
      note_at(a->loc, "the other is here");
      ok = false;
    }
  free(globals.items);
  return ok;
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
    return globals_apart(d);
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

/* nondiff(g): g is a function vgradcc would otherwise differentiate or
 * call, which the generated file can call. */
static void check_nondiff(Program *prog, Pragma *p) {
  const char *g = p->func;
  if (ad_math_lookup(g) || ad_math_long_double(g) || ad_array_op(g) ||
      !strncmp(g, "vg_stop_gradient", strlen("vg_stop_gradient"))) {
    error_at(p->func_loc, "nondiff(%s): '%s' is differentiated by vgradcc; for a constant value of it write "
             "vg_stop_gradient(%s(...))", g, g, g);
    return;
  }
  for (int i = 0; i < prog->funcs.len; i++) {
    Func *f = prog->funcs.items[i];
    if (!strcmp(f->name, g) && f->body && f->is_static) {
      error_at(p->func_loc, "nondiff(%s): '%s' is static, so the generated file, which calls it, cannot reach it; "
               "remove 'static', or make it 'static inline' in a header the file includes", g, g);
      return;
    }
  }
  if (!name_set_contains(&prog->input_names, g))
    error_at(p->func_loc, "nondiff(%s): no function '%s' is declared in this file or the headers it includes", g, g);
}

/* differentiate for ad_jacobian, ad_hvp and ad_hessian, which make their
 * helpers with it: their serial omp loops are noted with the pragmas' own. */
static Derivative *differentiate_noting_omp(Program *prog, Pragma *p) {
  return differentiate(prog, p, noted_omp_found, noted_omp_grads);
}

Vec *ad_differentiate(Program *prog) {
  Vec *out = xcalloc(1, sizeof(Vec));
  ad_recursion_reset();
  Vec omp_found = {0}, omp_grads = {0}; /* OmpPragma*, char*: for warn_serial_omp */
  noted_omp_found = &omp_found;
  noted_omp_grads = &omp_grads;
  for (size_t i = 0; i < sizeof runtime_names / sizeof *runtime_names; i++)
    name_set_add(&prog->library_names, runtime_names[i]);
  for (int i = 0; i < prog->pragmas.len; i++) { /* first, as every differentiated call uses them */
    Pragma *p = prog->pragmas.items[i];
    if (p->kind == PRAGMA_CUSTOM_VJP || p->kind == PRAGMA_CUSTOM_JVP)
      ad_check_custom_rule(prog, p);
  }
  for (int i = 0; i < prog->pragmas.len; i++) {
    Pragma *p = prog->pragmas.items[i];
    if (p->kind == PRAGMA_CHECKPOINT || p->kind == PRAGMA_CUSTOM_VJP || p->kind == PRAGMA_CUSTOM_JVP)
      continue; /* attached to its loop by the frontend; rules checked above */
    if (p->kind == PRAGMA_NONDIFF) {
      check_nondiff(prog, p); /* its calls are constants (call_is_constant) */
      continue;
    }
    Derivative *d = p->kind == PRAGMA_JACOBIAN ? ad_jacobian(prog, p, out, differentiate_noting_omp)
                    : p->kind == PRAGMA_HVP    ? ad_hvp(prog, p, out, differentiate_noting_omp)
                    : p->kind == PRAGMA_HESSIAN ? ad_hessian(prog, p, out, differentiate_noting_omp)
                                               : differentiate(prog, p, &omp_found, &omp_grads);
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
    for (int k = 0; k < prog->others.len; k++) {
      Program *other = prog->others.items[k];
      for (int j = 0; j < other->funcs.len; j++) {
        Func *f = other->funcs.items[j];
        if (!f->is_static && f->body && !strcmp(f->name, d->out->name))
          error_at(p->loc, "the generated function '%s' would clash with the function of the same name in %s, "
                   "which is linked with it; choose another name with name(...)", d->out->name, other->path);
      }
    }
    if (name_set_contains(&prog->library_names, d->out->name))
      error_at(p->loc, "the generated function '%s' would clash with '%s' of the C library or the vgrad runtime, "
               "which the generated file includes; choose another name with name(...)", d->out->name,
               d->out->name);
    vec_push(out, d);
  }
  warn_serial_omp(prog, &omp_found, &omp_grads);
  free(omp_found.items);
  free(omp_grads.items);
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
    Derivative *e = differentiate(prog, all, &omp_found, &omp_grads);
    if (e) {
      e->internal = e->entry = true;
      vec_push(out, e);
    }
  }
  for (RecPair *pair; !error_count() && (pair = ad_next_pending_pair());)
    differentiate_pair(prog, pair, out);
  const char *jvp_name;
  for (Func *g; !error_count() && (g = ad_next_pending_jvp(&jvp_name));)
    differentiate_recursive_jvp(prog, g, jvp_name, out);
  return error_count() ? NULL : out;
}
