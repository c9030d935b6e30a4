/* hvp(f): the gradient and the Hessian times a direction, reverse over
 * forward.  f's jvp J(x, t) returns f(x) and writes <g(x), t> into
 * *t_ret; a vjp of J with the cotangent 1 on t_ret and 0 on the value
 * gives the gradient of <g(x), t>: w.r.t. x that is H t, w.r.t. t it is
 * g(x).  The usual pipeline makes both: J as a function that is never
 * written out, the vjp of J as a static helper that f_hvp calls:
 *
 *   R f_hvp(P p..., T t_w..., G d_w..., G h_w...)
 *   { R t_ret = 0, one = 1; return f_hvp_rev(p..., t_w..., &t_ret, 0, &one, h_w..., d_w...); }
 *
 * hessian(f) argnames(x[n], ...): an hvp per column, the unit direction of
 * that column, its h_ the column of the Hessian (symmetric: also its row). */
#include "ad.h"

#include <stdlib.h>
#include <string.h>

/* A name no input declares, no library function has and no generated
 * function of `out` takes. */
static const char *fresh_function_name(Program *prog, Vec *out, const char *base) {
  const char *name = base;
  for (int k = 2;; k++) {
    bool taken = name_set_contains(&prog->input_names, name) || name_set_contains(&prog->library_names, name);
    for (int i = 0; !taken && i < out->len; i++)
      taken = !strcmp(((Derivative *)out->items[i])->name, name);
    for (int i = 0; !taken && i < prog->funcs.len; i++)
      taken = !strcmp(((Func *)prog->funcs.items[i])->name, name);
    if (!taken)
      return name;
    name = format("%s_%d", base, k);
  }
}

/* ---- J, the jvp, as the input of a second transform ---- */

/* What the analyses of ad/ left on a variable of J goes; its name, type
 * and declared length stay. */
static Var *fresh_var(const Var *v) {
  Var *c = xcalloc(1, sizeof(Var));
  c->name = v->name;
  c->spelling = v->spelling;
  c->type = v->type;
  c->loc = v->loc;
  c->param_index = v->param_index;
  c->is_global = v->is_global;
  c->is_static = v->is_static;
  c->is_library = v->is_library;
  c->init = v->init;
  c->fn_init = v->fn_init;
  c->declared_len = v->declared_len;
  c->unaliased = v->unaliased;
  return c;
}

typedef struct {
  Vec from, to; /* J's locals and their fresh copies */
} Locals;

static WalkStep collect_decl(Stmt *s, void *ctx) {
  Locals *l = ctx;
  if (s->kind == ST_DECL && !vec_contains(&l->from, s->var)) {
    vec_push(&l->from, s->var);
    Var *c = fresh_var(s->var);
    c->param_index = -1;
    vec_push(&l->to, c);
  }
  return WALK_ON;
}

/* The marks of the first transform on statements and expressions go too:
 * the second one sets its own. */
static WalkStep clear_stmt_marks(Stmt *s, void *ctx) {
  (void)ctx;
  s->is_def = s->recompute = false;
  s->trips = NULL;
  s->known_trips = 0;
  s->slot = s->info = NULL;
  s->omp_loop = NULL;
  return WALK_ON;
}

static WalkStep clear_expr_marks(Expr *e, void *ctx) {
  (void)ctx;
  e->cache = e->fwd_value = e->companion = NULL;
  /* a call the forward transform wrote (isnan, calloc, memset) is the C
   * library's, as the frontend marks the input's own */
  if (e->kind == EX_CALL && e->call == CALL_PLAIN && !e->callee && !e->lhs)
    e->system_callee = true;
  return WALK_ON;
}

/* J as a function of the input: fresh variables, its locals listed, the
 * marks of the forward transform cleared. */
static Func *as_primal(Func *j, Loc loc) {
  Func *f = xcalloc(1, sizeof(Func));
  *f = *j;
  f->loc = loc;
  f->is_static = true;
  f->params = (Vec){0};
  f->locals = (Vec){0};
  Locals l = {0};
  for (int i = 0; i < j->params.len; i++) {
    Var *c = fresh_var(j->params.items[i]);
    c->param_index = i;
    vec_push(&l.from, j->params.items[i]);
    vec_push(&l.to, c);
    vec_push(&f->params, c);
  }
  Walker collect = {.stmt_pre = collect_decl, .ctx = &l};
  walk_stmt(j->body, &collect);
  for (int i = j->params.len; i < l.to.len; i++)
    vec_push(&f->locals, l.to.items[i]);
  f->body = stmt_clone(j->body, (Var **)l.from.items, (Var **)l.to.items, l.from.len);
  Walker clear = {.stmt_pre = clear_stmt_marks, .expr_pre = clear_expr_marks};
  walk_stmt(f->body, &clear);
  /* J declares every local at its top, = 0: as the generated code declares
   * them too, the second transform need not redo (and undo) those stores */
  for (int i = 0; i < f->body->body.len; i++) {
    Stmt *s = f->body->body.items[i];
    if (s->kind == ST_DECL && s->init && s->init->kind == EX_NUM && !strcmp(s->init->text, "0"))
      s->init = NULL;
  }
  free(l.from.items);
  free(l.to.items);
  return f;
}

/* What the second transform cannot differentiate in J: the call of a
 * custom_jvp rule without a body in the inputs (one with a body is
 * inlined and differentiated like any helper, its tangents in one-element
 * arrays: for_hvp), the derivative of lgamma or tgamma (digamma, whose
 * derivative vgradcc does not have).  Reported at the call of the input
 * that brought it in. */
typedef struct {
  Program *prog;
  const char *f;
  bool failed;
} SecondOrder;

static WalkStep refuse_second_order(Expr *e, void *ctx) {
  SecondOrder *so = ctx;
  if (e->kind != EX_CALL || so->failed)
    return WALK_ON;
  for (int i = 0; i < so->prog->custom_rules.len; i++) {
    Pragma *rule = so->prog->custom_rules.items[i];
    Func *body = rule->builtin ? NULL : ad_find_function(so->prog, rule->with);
    if (body && body->body)
      continue; /* the rule's own body, differentiated as any helper's */
    if (rule->kind == PRAGMA_CUSTOM_JVP && !strcmp(e->text, rule->with) && rule->builtin) {
      error_at(e->loc, "hvp(%s): the second derivative through vgradcc's built-in rule for '%s' is not supported "
               "yet; write the loop it computes", so->f, rule->func);
      so->failed = true;
      return WALK_STOP;
    }
    if (rule->kind == PRAGMA_CUSTOM_JVP && !strcmp(e->text, rule->with)) {
      error_at(e->loc, "hvp(%s): '%s' has a custom rule (custom_jvp with '%s'), whose own derivative vgradcc does "
               "not have: '%s' has no body in the inputs; give its definition in the file (or another input) and "
               "hvp differentiates the rule itself", so->f, rule->func, rule->with, rule->with);
      so->failed = true;
      return WALK_STOP;
    }
  }
  if (!strcmp(e->text, "vgradcc_digamma") || !strcmp(e->text, "vgradcc_digammaf")) {
    error_at(e->loc, "hvp(%s): the second derivative of lgamma or tgamma (the derivative of digamma) is not "
             "supported yet", so->f);
    so->failed = true;
    return WALK_STOP;
  }
  return WALK_ON;
}

/* ---- hvp ---- */

static Expr *var_of(Var *v) { return expr_var(v, (Loc){0}); }

/* t_x, d_x, h_x must not be parameters of f already. */
static bool names_free(Derivative *d) {
  Func *f = d->primal;
  static const char *prefixes[] = {"t", "d", "h"};
  for (int i = 0; i < d->selected.len; i++)
    for (int k = 0; k < 3; k++) {
      const char *out = format("%s_%s", prefixes[k], ad_param_name(d->selected.items[i]));
      for (int j = 0; j < f->params.len; j++)
        if (!strcmp(((Var *)f->params.items[j])->name, out)) {
          error_at(d->pragma->func_loc, "the %s for '%s' would be named '%s', which clashes with parameter '%s' of "
                   "'%s'; rename the parameter", k == 0 ? "direction" : k == 1 ? "gradient output" : "Hessian-vector "
                   "product output", ad_param_name(d->selected.items[i]), out, out, f->name);
          return false;
        }
    }
  return true;
}

/* The pragma of f's jvp: hvp's selection, the name given. */
static Pragma *jvp_pragma(Pragma *p, const char *name) {
  Pragma *q = xcalloc(1, sizeof(Pragma));
  *q = *p;
  q->kind = PRAGMA_JVP;
  q->for_hvp = true;
  q->out_name = name;
  q->has_outputs = false;
  q->noutputs = 0;
  for (int i = 0; i < p->nargnames; i++)
    q->argname_lens[i] = NULL;
  return q;
}

/* The pragma of J's vjp: f's selected parameters and J's tangent inputs,
 * the cotangent of t_ret. */
static Pragma *vjp_pragma(Pragma *p, Derivative *d, Func *j, const char *name) {
  Pragma *q = xcalloc(1, sizeof(Pragma));
  q->kind = PRAGMA_VJP;
  q->loc = p->loc;
  q->func = j->name;
  q->func_loc = p->func_loc;
  q->out_name = name;
  q->has_argnums = true;
  int nparams = d->primal->params.len, k = 0;
  for (int i = 0; i < d->selected.len; i++)
    q->argnums[k++] = ((Var *)d->selected.items[i])->param_index;
  for (int i = 0; i < d->selected.len; i++)
    q->argnums[k++] = nparams + i;
  for (int i = 0; i < k; i++)
    q->argnums_loc[i] = p->func_loc;
  q->nargnums = k;
  q->has_outputs = true;
  q->outputs[0] = ((Var *)j->params.items[nparams + d->selected.len])->name;
  q->outputs_loc[0] = p->func_loc;
  q->noutputs = 1;
  return q;
}

static Var *param(Func *fn, const char *name, Type *type) {
  Var *v = var_local(name, type);
  v->param_index = fn->params.len;
  vec_push(&fn->params, v);
  return v;
}

Derivative *ad_hvp(Program *prog, Pragma *p, Vec *out, Derivative *(*make)(Program *, Pragma *)) {
  Derivative *d = xcalloc(1, sizeof(Derivative));
  if (!ad_select(prog, p, d) || !names_free(d))
    return NULL;
  Func *f = d->primal;
  if (d->selected.len > 64 / 2) {
    error_at(p->func_loc, "hvp(%s): more than 32 selected parameters", f->name);
    return NULL;
  }
  /* 1. J = f's jvp, never written out */
  Derivative *dj = make(prog, jvp_pragma(p, fresh_function_name(prog, out, format("%s_tangent", d->name))));
  if (!dj)
    return NULL;
  int nparams = f->params.len, nsel = d->selected.len;
  for (int i = 0; i < nsel; i++) {
    Type *tt = ((Var *)dj->out->params.items[nparams + i])->type;
    if (tt->kind == TY_PTR && !tt->base->is_const) { /* jvp's tangent of an array f writes, in place */
      error_at(p->func_loc, "hvp(%s): selected parameter '%s' is an array '%s' writes; the Hessian w.r.t. what it "
               "held before the call is not supported yet: copy the input into a parameter of its own", f->name,
               ad_param_name(d->selected.items[i]), f->name);
      return NULL;
    }
  }
  SecondOrder so = {prog, f->name, false};
  walk_stmt(dj->out->body, &(Walker){.expr_pre = refuse_second_order, .ctx = &so});
  if (so.failed)
    return NULL;
  Func *j = as_primal(dj->out, f->loc);
  Var *tangent_out = j->params.items[nparams + nsel]; /* one value, a local of f_hvp */
  tangent_out->declared_len = expr_num("1", type_int());
  tangent_out->unaliased = true;
  /* 2. its vjp, a static helper, made while J stands among the input's functions */
  vec_push(&prog->funcs, j);
  Derivative *dv = make(prog, vjp_pragma(p, d, j, fresh_function_name(prog, out, format("%s_rev", d->name))));
  prog->funcs.len--;
  if (!dv)
    return NULL;
  dv->internal = true;
  dv->helper = format("the reverse sweep of the jvp of %s, for %s", f->name, d->name);
  vec_push(out, dv);

  /* 3. f_hvp(p..., t..., d..., h...) calls it */
  Func *v = dv->out;
  Func *fn = xcalloc(1, sizeof(Func));
  fn->name = d->name;
  fn->ret = f->ret;
  fn->loc = f->loc;
  d->out = fn;
  Var **t = xcalloc((size_t)nsel + 1, sizeof(Var *)), **g = xcalloc((size_t)nsel + 1, sizeof(Var *)),
      **h = xcalloc((size_t)nsel + 1, sizeof(Var *));
  for (int i = 0; i < nparams; i++) {
    Var *q = xcalloc(1, sizeof(Var));
    *q = *(Var *)v->params.items[i];
    q->param_index = i;
    vec_push(&fn->params, q);
  }
  /* the vjp's parameters: J's (f's, the t_, t_ret), ct_ret, ct_t_ret, then
   * d_ of f's selected (H t) and of the t_ (the gradient) */
  int ct = nparams + nsel + 1, grads = ct + 2;
  for (int i = 0; i < nsel; i++) {
    const char *x = ad_param_name(d->selected.items[i]);
    t[i] = param(fn, format("t_%s", x), ((Var *)v->params.items[nparams + i])->type);
  }
  for (int i = 0; i < nsel; i++)
    g[i] = param(fn, format("d_%s", ad_param_name(d->selected.items[i])),
                 ((Var *)v->params.items[grads + nsel + i])->type);
  for (int i = 0; i < nsel; i++)
    h[i] = param(fn, format("h_%s", ad_param_name(d->selected.items[i])),
                 ((Var *)v->params.items[grads + i])->type);
  Stmt *body = stmt_block(f->loc);
  Type *r = type_unqualified(f->ret);
  Var *t_ret = var_local("t_ret", r), *one = var_local("one", r);
  vec_push(&body->body, stmt_decl(t_ret, expr_num("0", type_int())));
  vec_push(&body->body, stmt_decl(one, expr_num("1", type_int())));
  Expr *call = expr_call(v->name, f->ret, NULL, NULL);
  for (int i = 0; i < nparams + nsel; i++)
    vec_push(&call->args, var_of(fn->params.items[i]));
  vec_push(&call->args, expr_addr_of(var_of(t_ret)));
  vec_push(&call->args, expr_num("0", type_int()));
  vec_push(&call->args, expr_addr_of(var_of(one)));
  for (int i = 0; i < nsel; i++)
    vec_push(&call->args, var_of(h[i]));
  for (int i = 0; i < nsel; i++)
    vec_push(&call->args, var_of(g[i]));
  Stmt *ret = new_stmt(ST_RETURN, f->loc);
  ret->expr = call;
  vec_push(&body->body, stmt_comment("H t is the gradient of <g, t> w.r.t. the inputs, g its gradient w.r.t. t"));
  vec_push(&body->body, ret);
  fn->body = body;
  free(t);
  free(g);
  free(h);
  return d;
}

/* ---- hessian ---- */

typedef struct {
  Func *fn;
  NameSet names;
  Vec *decls, *frees;
} Hess;

static const char *hess_fresh(Hess *hs, const char *base) { return name_set_fresh(&hs->names, base); }

static Var *hess_local(Hess *hs, const char *base, Type *t, Expr *init) {
  Var *v = var_local(hess_fresh(hs, base), t);
  vec_push(hs->decls, stmt_decl(v, init));
  return v;
}

/* One selected parameter of the Hessian: where its columns start, its
 * length (NULL: a scalar), and the direction and product the hvp reads
 * and writes for it (blocks, or scalars). */
typedef struct {
  Var *param;   /* of f */
  Expr *len;
  Var *offset, *t, *g, *h;
  Type *elem;
} Column;

/* for (i = 0; i < n; i += 1) body */
static Stmt *loop_over(Hess *hs, Expr *n, Var **index) {
  Var *i = hess_local(hs, "i", type_int(), expr_int(0));
  Stmt *loop = new_stmt(ST_FOR, (Loc){0});
  loop->for_init = stmt_expr(expr_assign(OP_NONE, var_of(i), expr_int(0)));
  loop->expr = expr_binary(OP_LT, var_of(i), n, type_int());
  loop->step = expr_assign(OP_ADD, var_of(i), expr_int(1));
  loop->then = stmt_block((Loc){0});
  *index = i;
  return loop;
}

/* the direction's entry of column `pass` set to value (1 or 0) */
static Stmt *unit_direction(Column *c, Var *pass, const char *value) {
  if (!c->len)
    return stmt_expr(expr_assign(
        OP_NONE, var_of(c->t),
        !strcmp(value, "0") ? expr_int(0)
                            : expr_cast(c->elem, expr_binary(OP_EQ, var_of(pass), var_of(c->offset), type_int()))));
  Expr *k = expr_binary(OP_SUB, var_of(pass), var_of(c->offset), type_int());
  Expr *inside = expr_binary(OP_LAND, expr_binary(OP_GE, k, expr_int(0), type_int()),
                             expr_binary(OP_LT, expr_copy(k), expr_copy(c->len), type_int()), type_int());
  Stmt *then = stmt_block((Loc){0});
  vec_push(&then->body, stmt_expr(expr_assign(OP_NONE, expr_index(var_of(c->t), expr_copy(k), c->elem),
                                              expr_num(value, type_int()))));
  return stmt_if(inside, then, NULL);
}

/* hess[(offset + i) * cols + pass] = h[i]: the column `pass` */
static Stmt *store_column(Hess *hs, Column *c, Var *hess, Var *cols, Var *pass) {
  if (!c->len) {
    Expr *at = expr_binary(OP_ADD, expr_binary(OP_MUL, var_of(c->offset), var_of(cols), type_int()), var_of(pass),
                           type_int());
    return stmt_expr(expr_assign(OP_NONE, expr_index(var_of(hess), at, type_double()),
                                 expr_cast(type_double(), var_of(c->h))));
  }
  Var *i;
  Stmt *loop = loop_over(hs, expr_copy(c->len), &i);
  Expr *row = expr_binary(OP_ADD, var_of(c->offset), var_of(i), type_int());
  Expr *at = expr_binary(OP_ADD, expr_binary(OP_MUL, row, var_of(cols), type_int()), var_of(pass), type_int());
  vec_push(&loop->then->body,
           stmt_expr(expr_assign(OP_NONE, expr_index(var_of(hess), at, type_double()),
                                 expr_cast(type_double(), expr_index(var_of(c->h), var_of(i), c->elem)))));
  return loop;
}

static Var *direction_block(Hess *hs, const char *base, Column *c) {
  if (!c->len)
    return hess_local(hs, base, c->elem, expr_int(0));
  Var *v =
      hess_local(hs, base, type_pointer_to(c->elem),
                 expr_call("calloc", type_pointer_to(c->elem), expr_copy(c->len), expr_sizeof_type(c->elem, (Loc){0})));
  vec_push(hs->frees, stmt_call("free", var_of(v)));
  return v;
}

Derivative *ad_hessian(Program *prog, Pragma *p, Vec *out, Derivative *(*make)(Program *, Pragma *)) {
  Derivative *d = xcalloc(1, sizeof(Derivative));
  if (!ad_select(prog, p, d))
    return NULL;
  Func *f = d->primal;
  /* the hvp helper: the selection of the pragma, lengths left out */
  Pragma *q = xcalloc(1, sizeof(Pragma));
  *q = *p;
  q->kind = PRAGMA_HVP;
  q->out_name = fresh_function_name(prog, out, format("%s_by_hvp", d->name));
  for (int i = 0; i < q->nargnames; i++)
    q->argname_lens[i] = NULL;
  Derivative *dh = ad_hvp(prog, q, out, make);
  if (!dh)
    return NULL;
  dh->internal = true;
  dh->helper = format("the Hessian-vector product of %s, for %s", f->name, d->name);
  vec_push(out, dh);

  Hess hess_state = {0}, *hs = &hess_state;
  Vec decls = {0}, frees = {0};
  hs->decls = &decls;
  hs->frees = &frees;
  Func *fn = xcalloc(1, sizeof(Func));
  fn->name = d->name;
  fn->ret = f->ret;
  fn->loc = f->loc;
  d->out = fn;
  hs->fn = fn;
  Func *hv = dh->out;
  int nparams = f->params.len, nsel = dh->selected.len;
  Var **params = xcalloc((size_t)nparams + 1, sizeof(Var *));
  for (int i = 0; i < nparams; i++) {
    Var *c = xcalloc(1, sizeof(Var));
    *c = *(Var *)hv->params.items[i];
    c->param_index = i;
    params[i] = c;
    vec_push(&fn->params, c);
    name_set_add(&hs->names, c->name);
  }
  name_set_add(&hs->names, d->name);
  name_set_add(&hs->names, hv->name);
  if (name_set_contains(&hs->names, "hess")) {
    error_at(p->func_loc, "hessian(%s): a parameter is named 'hess', the name of the Hessian's output; rename it",
             f->name);
    return NULL;
  }
  Var *hess = var_local(hess_fresh(hs, "hess"), type_pointer_to(type_double()));
  hess->param_index = nparams;
  vec_push(&fn->params, hess);

  /* the columns, in the order listed; each one's blocks in the hvp's order */
  Column *cols = xcalloc((size_t)d->columns.len + 1, sizeof(Column));
  Expr *sum = expr_int(0);
  for (int i = 0; i < d->columns.len; i++) {
    Column *c = &cols[i];
    c->param = d->columns.items[i];
    Expr *len = d->column_lens.items[i];
    c->len = len ? expr_clone(len, (Var **)f->params.items, params, nparams) : NULL;
    c->elem = type_adjoint(type_is_floating(c->param->type) ? c->param->type : c->param->type->base);
    c->offset = hess_local(hs, format("%s_col", c->param->name), type_int(), sum);
    sum = expr_binary(OP_ADD, var_of(c->offset), c->len ? expr_copy(c->len) : expr_int(1), type_int());
  }
  Var *ncols = hess_local(hs, "cols", type_int(), sum);
  Var *result = hess_local(hs, "result", type_unqualified(f->ret), expr_int(0));
  Var *pass = hess_local(hs, "pass", type_int(), expr_int(0));
  for (int i = 0; i < d->columns.len; i++) {
    Column *c = &cols[i];
    c->t = direction_block(hs, format("t_%s", c->param->name), c);
    c->g = direction_block(hs, format("d_%s", c->param->name), c);
    c->h = direction_block(hs, format("h_%s", c->param->name), c);
  }
  /* for (pass = 0; pass < (cols > 0 ? cols : 1); pass++): f runs once at least */
  Stmt *loop = new_stmt(ST_FOR, (Loc){0});
  Expr *npasses = new_expr(EX_COND, type_int(), (Loc){0});
  npasses->cond = expr_binary(OP_GT, var_of(ncols), expr_int(0), type_int());
  npasses->lhs = var_of(ncols);
  npasses->rhs = expr_int(1);
  loop->for_init = stmt_expr(expr_assign(OP_NONE, var_of(pass), expr_int(0)));
  loop->expr = expr_binary(OP_LT, var_of(pass), npasses, type_int());
  loop->step = expr_assign(OP_ADD, var_of(pass), expr_int(1));
  Stmt *b = stmt_block((Loc){0});
  for (int i = 0; i < d->columns.len; i++) {
    Column *c = &cols[i];
    if (c->len)
      vec_push(&b->body, stmt_expr(expr_call("memset", type_void(), var_of(c->h), expr_int(0))));
    else
      vec_push(&b->body, stmt_expr(expr_assign(OP_NONE, var_of(c->h), expr_int(0))));
    Stmt *last = b->body.items[b->body.len - 1];
    if (c->len)
      vec_push(&last->expr->args,
               expr_binary(OP_MUL, expr_copy(c->len), expr_sizeof_type(c->elem, (Loc){0}), type_long()));
    vec_push(&b->body, unit_direction(c, pass, "1"));
  }
  Expr *call = expr_call(hv->name, f->ret, NULL, NULL);
  for (int i = 0; i < nparams; i++)
    vec_push(&call->args, var_of(params[i]));
  for (int part = 0; part < 3; part++) /* t_, d_, h_ in the hvp's (parameter) order */
    for (int k = 0; k < nsel; k++)
      for (int i = 0; i < d->columns.len; i++) {
        Column *c = &cols[i];
        if (c->param != dh->selected.items[k])
          continue;
        Var *x = part == 0 ? c->t : part == 1 ? c->g : c->h;
        vec_push(&call->args, c->len || part == 0 ? var_of(x) : expr_addr_of(var_of(x)));
      }
  vec_push(&b->body, stmt_expr(expr_assign(OP_NONE, var_of(result), call)));
  for (int i = 0; i < d->columns.len; i++)
    vec_push(&b->body, unit_direction(&cols[i], pass, "0"));
  Stmt *write = stmt_block((Loc){0});
  for (int i = 0; i < d->columns.len; i++)
    vec_push(&write->body, store_column(hs, &cols[i], hess, ncols, pass));
  vec_push(&b->body, stmt_if(expr_binary(OP_LT, var_of(pass), var_of(ncols), type_int()), write, NULL));
  loop->then = b;

  Stmt *body = stmt_block(f->loc);
  for (int i = 0; i < decls.len; i++)
    vec_push(&body->body, decls.items[i]);
  vec_push(&body->body, stmt_comment("an hvp per column, the direction that column's unit vector"));
  vec_push(&body->body, loop);
  for (int i = 0; i < frees.len; i++)
    vec_push(&body->body, frees.items[i]);
  Stmt *ret = new_stmt(ST_RETURN, f->loc);
  ret->expr = var_of(result);
  vec_push(&body->body, ret);
  fn->body = body;
  free(decls.items);
  free(frees.items);
  free(params);
  free(cols);
  return d;
}
