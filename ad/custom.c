/* Custom derivative rules: `#pragma vgrad custom_vjp(g) with(g_vjp)` and
 * `custom_jvp(g) with(g_jvp)` (design 1.6).  g is called as it is, never
 * inlined; the reverse sweep calls g_vjp with the cotangent of g's value,
 * the forward mode g_jvp with the tangents of its arguments.
 *
 * The rule's signature is the one vjp/jvp would generate for g with
 * argnums(all) and outputs(...) its pointer outputs: g's parameters, then
 *   vjp: `T ct_ret` (T g's floating return type; none for any other), then
 *        `const T *ct_y` for each output y (a pointer to floating data
 *        that g may write), then `T *d_p` for each floating parameter p
 *        (scalar, pointer to const floating data, output), accumulated;
 *   jvp: `T t_p` / `const T *t_p` for each floating parameter, `T *t_y`
 *        for an output (the tangent of y before the call, replaced by the
 *        one after it), then `T *t_ret` (written), returning what g returns.
 * An output's length is declared in g's declaration (`double y[n]`, n an
 * expression of g's parameters); a call writing outputs is a statement of
 * its own.  The reverse sweep saves each written region on the tape before
 * the call and puts it back after, then calls the rule on a copy of what
 * y held and of y's adjoint, y's adjoint zeroed (the rule adds d_y).
 * Structs and pointers to pointers of floating data are refused.  The
 * generated code passes NULL (0 for a scalar tangent) for an argument that
 * does not depend on the selected inputs. */
#include "reverse.h"

#include <stdlib.h>
#include <string.h>

/* How a parameter of g takes part in its rule. */
typedef enum { CUSTOM_PLAIN, CUSTOM_SCALAR, CUSTOM_POINTER, CUSTOM_OUTPUT, CUSTOM_REFUSED } CustomParam;

static CustomParam param_role(Type *t) {
  if (type_is_floating(t))
    return CUSTOM_SCALAR;
  if ((t->kind == TY_PTR || t->kind == TY_ARRAY) && t->base && type_is_floating(t->base))
    return t->base->is_const ? CUSTOM_POINTER : CUSTOM_OUTPUT;
  return type_has_floating(t) || t->kind == TY_LDOUBLE ? CUSTOM_REFUSED : CUSTOM_PLAIN;
}

static bool differentiable(CustomParam role) {
  return role == CUSTOM_SCALAR || role == CUSTOM_POINTER || role == CUSTOM_OUTPUT;
}

/* g's parameter i writes floating data (an output). */
static bool is_output(Func *g, int i) { return param_role(((Var *)g->params.items[i])->type) == CUSTOM_OUTPUT; }

unsigned long long ad_custom_outputs(const Program *prog, const char *name) {
  Func *g = ad_find_function(prog, name);
  unsigned long long bits = 0;
  for (int i = 0; g && i < g->params.len && i < 64; i++)
    if (is_output(g, i))
      bits |= 1ull << i;
  return bits;
}

Func *ad_find_function(const Program *prog, const char *name) {
  const Vec *lists[] = {&prog->funcs, &prog->header_funcs, &prog->header_decls};
  for (int k = 0; k < 3; k++)
    for (int i = 0; i < lists[k]->len; i++) {
      Func *f = lists[k]->items[i];
      if (!strcmp(f->name, name))
        return f;
    }
  for (int j = 0; j < prog->others.len; j++) {
    const Program *o = prog->others.items[j];
    for (int i = 0; i < o->funcs.len; i++) {
      Func *f = o->funcs.items[i];
      if (!strcmp(f->name, name) && !f->is_static)
        return f;
    }
  }
  return NULL;
}

static Type *const_of(Type *t) {
  Type *c = xcalloc(1, sizeof(Type));
  *c = *type_unqualified(t);
  c->is_const = true;
  return c;
}

/* The rule's expected signature, one declaration per parameter after g's. */
static void expected_extra(const Pragma *p, Func *g, Vec *types, Vec *names) {
  bool vjp = p->kind == PRAGMA_CUSTOM_VJP;
  bool floating_ret = type_is_floating(g->ret);
  if (vjp && floating_ret) {
    vec_push(types, type_unqualified(g->ret));
    vec_push(names, "ct_ret");
  }
  for (int i = 0; vjp && i < g->params.len; i++) {
    Var *v = g->params.items[i];
    if (param_role(v->type) != CUSTOM_OUTPUT)
      continue;
    vec_push(types, type_pointer_to(const_of(type_unqualified(v->type->base))));
    vec_push(names, (void *)format("ct_%s", v->spelling ? v->spelling : v->name));
  }
  for (int i = 0; i < g->params.len; i++) {
    Var *v = g->params.items[i];
    CustomParam role = param_role(v->type);
    if (!differentiable(role))
      continue;
    Type *elem = type_unqualified(role == CUSTOM_SCALAR ? v->type : v->type->base);
    Type *t = elem;
    if (vjp || role == CUSTOM_OUTPUT)
      t = type_pointer_to(elem);
    else if (role == CUSTOM_POINTER)
      t = type_pointer_to(const_of(elem));
    vec_push(types, t);
    vec_push(names, (void *)format("%s_%s", vjp ? "d" : "t", v->spelling ? v->spelling : v->name));
  }
  if (!vjp && floating_ret) {
    vec_push(types, type_pointer_to(type_unqualified(g->ret)));
    vec_push(names, "t_ret");
  }
}

static const char *type_text(Type *t) { return declare(t, ""); }

/* A parameter's type as the rule must spell it: arrays as pointers, no top-level const. */
static const char *param_text(Type *t) {
  if (t->kind == TY_ARRAY)
    t = type_pointer_to(t->base);
  return type_text(type_unqualified(t));
}

bool ad_check_custom_rule(Program *prog, Pragma *p) {
  const char *kind = p->kind == PRAGMA_CUSTOM_VJP ? "custom_vjp" : "custom_jvp";
  for (int i = 0; i < prog->custom_rules.len; i++) {
    const Pragma *o = prog->custom_rules.items[i];
    if (o != p && !o->builtin && o->kind == p->kind && !strcmp(o->func, p->func)) {
      if (o->loc.file == p->loc.file && (o->loc.line > p->loc.line ||
                                          (o->loc.line == p->loc.line && o->loc.col > p->loc.col)))
        continue; /* reported at the later one */
      error_at(p->func_loc, "%s(%s) appears twice; keep one rule for '%s'", kind, p->func, p->func);
      note_at(o->loc, "the other is here");
      return false;
    }
  }
  if (ad_math_lookup(p->func) || ad_math_long_double(p->func) || ad_array_op(p->func) ||
      !strncmp(p->func, "vg_", 3) || name_set_contains(&prog->nondiff, p->func)) {
    error_at(p->func_loc, "%s(%s): '%s' %s; a custom rule is for functions of your own or of a library", kind,
             p->func, p->func,
             name_set_contains(&prog->nondiff, p->func) ? "is named by nondiff too"
                                                        : "has a derivative vgradcc knows already");
    return false;
  }
  Func *g = ad_find_function(prog, p->func);
  if (!g) {
    error_at(p->func_loc, "%s(%s): no function '%s' is declared in this file or the headers it includes", kind,
             p->func, p->func);
    return false;
  }
  if (g->is_static && g->body) {
    error_at(p->func_loc, "%s(%s): '%s' is static, so the generated file, which calls it, cannot reach it; "
             "remove 'static', or make it 'static inline' in a header the file includes", kind, p->func, p->func);
    return false;
  }
  if (g->is_variadic) {
    error_at(p->func_loc, "%s(%s): '%s' takes a variable number of arguments; a custom rule needs a fixed "
             "signature", kind, p->func, p->func);
    return false;
  }
  if (!type_is_floating(g->ret) && g->ret->kind != TY_VOID && type_has_floating(g->ret)) {
    error_at(p->func_loc, "%s(%s): '%s' returns '%s'; custom rules are supported for functions that return a "
             "number or nothing", kind, p->func, p->func, type_text(g->ret));
    return false;
  }
  bool complex_values = type_is_complex(type_floating_base(g->ret));
  for (int i = 0; i < g->params.len; i++)
    complex_values |= type_is_complex(type_floating_base(((Var *)g->params.items[i])->type));
  if (complex_values) {
    error_at(p->func_loc, "%s(%s): '%s' takes or returns complex values; custom rules are supported for real "
             "ones only: write g on the real and imaginary parts, or leave the rule out if vgradcc can "
             "differentiate its body", kind, p->func, p->func);
    return false;
  }
  if (g->params.len > 64) {
    error_at(p->func_loc, "%s(%s): '%s' has more than 64 parameters; custom rules take at most 64", kind, p->func,
             p->func);
    return false;
  }
  for (int i = 0; i < g->params.len; i++) {
    Var *v = g->params.items[i];
    CustomParam role = param_role(v->type);
    if (role == CUSTOM_OUTPUT && !v->declared_len && !(v->type->kind == TY_ARRAY && v->type->array_len > 0)) {
      error_at(p->func_loc, "%s(%s): parameter '%s' of '%s' points to floating-point data that '%s' may write, "
               "of a length vgradcc cannot tell; declare it with its length in the declaration of '%s' "
               "(%s), or declare it 'const' if '%s' only reads it", kind, p->func, var_spelling(v), p->func,
               p->func, p->func, declare(type_unqualified(v->type->base), format("%s[n]", var_spelling(v))),
               p->func);
      return false;
    }
    if (role != CUSTOM_REFUSED)
      continue;
    error_at(p->func_loc, "%s(%s): parameter '%s' of '%s' has type '%s'; custom rules take floating-point "
             "scalars (float, double), pointers to floating-point data and integers", kind, p->func,
             var_spelling(v), p->func, type_text(v->type));
    return false;
  }
  Func *h = ad_find_function(prog, p->with);
  Vec types = {0}, names = {0};
  expected_extra(p, g, &types, &names);
  Buf want = {0};
  buf_printf(&want, "%s %s(", type_text(type_unqualified(g->ret)), p->with);
  for (int i = 0; i < g->params.len; i++) {
    Var *v = g->params.items[i];
    buf_printf(&want, "%s%s", i ? ", " : "", declare(v->type->kind == TY_ARRAY ? type_pointer_to(v->type->base)
                                                                                : type_unqualified(v->type),
                                                      var_spelling(v)));
  }
  for (int i = 0; i < types.len; i++)
    buf_printf(&want, "%s%s", g->params.len + i ? ", " : "", declare(types.items[i], names.items[i]));
  buf_printf(&want, ")");
  bool ok = true;
  if (!h) {
    error_at(p->with_loc, "%s(%s): no function '%s' is declared in this file or the headers it includes; declare "
             "'%s'", kind, p->func, p->with, want.buf);
    ok = false;
  } else if (h->is_variadic || h->params.len != g->params.len + types.len ||
             strcmp(type_text(type_unqualified(h->ret)), type_text(type_unqualified(g->ret)))) {
    ok = false;
  } else {
    for (int i = 0; i < h->params.len && ok; i++) {
      Type *w = i < g->params.len ? ((Var *)g->params.items[i])->type : types.items[i - g->params.len];
      ok = !strcmp(param_text(((Var *)h->params.items[i])->type), param_text(w));
    }
  }
  if (h && !ok)
    error_at(p->with_loc, "%s(%s): '%s' does not have the signature of the rule for '%s'; expected '%s'", kind,
             p->func, p->with, p->func, want.buf);
  if (ok && h->is_static && h->body) {
    error_at(p->with_loc, "%s(%s): '%s' is static, so the generated file, which calls it, cannot reach it; "
             "remove 'static', or make it 'static inline' in a header the file includes", kind, p->func, p->with);
    ok = false;
  }
  free(types.items);
  free(names.items);
  free(want.buf);
  return ok;
}

static bool is_custom_array_arg(const Expr *e, const void *v) {
  if (e->kind != EX_CALL || !e->custom)
    return false;
  for (int i = 0; i < e->args.len; i++) {
    Expr *a = e->args.items[i];
    if (a->type->kind != TY_PTR && a->type->kind != TY_ARRAY)
      continue;
    Var *root = ad_pointer_root(a);
    if (root && (root == v || root->base == v))
      return true;
  }
  return false;
}

bool ad_passed_to_custom(Stmt *s, Var *v) { return stmt_any(s, is_custom_array_arg, v); }

/* A call of the rule `h` with the call's arguments first. */
static Expr *rule_call(Ad *ad, const Pragma *rule, Expr *call, Type *ret) {
  Func *h = rule->builtin ? NULL : ad_find_function(ad->prog, rule->with);
  assert(h || rule->builtin); /* ad_check_custom_rule found it */
  Expr *r = new_expr(EX_CALL, ret, call->loc);
  r->text = rule->with;
  r->callee = h;
  r->callee_file = h ? h->loc.file : "vgrad_cblas.h"; /* codegen includes it */
  r->system_callee = call->system_callee;
  for (int i = 0; i < call->args.len; i++)
    vec_push(&r->args, expr_copy(call->args.items[i]));
  return r;
}

/* The argument without the conversions the compiler added. */
static Expr *as_written(Expr *a) {
  while (a->kind == EX_CAST && a->implicit)
    a = a->lhs;
  return a;
}

static Expr *null_of(Type *t) { return expr_cast(t, expr_num("0", type_int())); }

/* The call of g's vjp rule: g's arguments (an output's replaced by
 * before[i], a copy of what it held before the call), ct_ret, the
 * outputs' cotangents ct[i], then a gradient per floating parameter; a
 * scalar's into a temporary declared into `out`, propagated after. */
static void vjp_rule(Ad *ad, Expr *call, Expr *ct_ret, Expr **before, Expr **ct, Vec *out) {
  const Pragma *rule = custom_rule(ad->prog, call->text, PRAGMA_CUSTOM_VJP);
  Func *g = ad_find_function(ad->prog, call->text);
  assert(rule && g && g->params.len == call->args.len);
  Expr *r = rule_call(ad, rule, call, type_void());
  for (int i = 0; before && i < g->params.len; i++)
    if (before[i])
      r->args.items[i] = before[i];
  if (type_is_floating(g->ret))
    vec_push(&r->args, ct_ret);
  for (int i = 0; ct && i < g->params.len; i++)
    if (is_output(g, i))
      vec_push(&r->args, ct[i]);
  Vec scalars = {0}, temps = {0};
  for (int i = 0; i < g->params.len; i++) {
    Type *pt = ((Var *)g->params.items[i])->type;
    CustomParam role = param_role(pt);
    Expr *a = call->args.items[i];
    if (role == CUSTOM_SCALAR) {
      Type *t = type_unqualified(pt);
      if (!ad_expr_active(a)) {
        vec_push(&r->args, null_of(type_pointer_to(t)));
        continue;
      }
      Var *d = ad_new_local(ad, format("d_%s_arg", call->text), t, false);
      Stmt *decl = new_stmt(ST_DECL, call->loc);
      decl->var = d;
      decl->init = expr_num("0", t);
      vec_push(out, decl);
      vec_push(&r->args, expr_addr_of_var(d));
      vec_push(&scalars, a);
      vec_push(&temps, d);
    } else if (role == CUSTOM_POINTER || role == CUSTOM_OUTPUT) {
      Type *t = type_pointer_to(type_unqualified(pt->base));
      Expr *w = as_written(a);
      vec_push(&r->args, ad_expr_active(w) ? expr_cast(t, adj_of(w)) : null_of(t));
    }
  }
  emit(out, r);
  for (int i = 0; i < scalars.len; i++)
    propagate(ad, scalars.items[i], expr_var(temps.items[i], call->loc), into(out));
  free(scalars.items);
  free(temps.items);
}

void ad_custom_vjp(Ad *ad, Expr *call, Expr *ct_ret, Vec *out) { vjp_rule(ad, call, ct_ret, NULL, NULL, out); }

/* g's parameter `param` within a copy of its declared length: the call's argument. */
typedef struct {
  Func *g;
  Expr *call;
} Binding;

static WalkStep bind_param(Expr *e, void *ctx) {
  Binding *b = ctx;
  if (e->kind != EX_VAR)
    return WALK_ON;
  for (int i = 0; i < b->g->params.len; i++)
    if (e->var == b->g->params.items[i]) {
      *e = *expr_copy(b->call->args.items[i]);
      return WALK_SKIP;
    }
  return WALK_ON;
}

/* How many elements the call writes through its output argument i, as a long:
 * the declared length with g's parameters bound to the arguments, or for a
 * built-in rule vgrad_cblas.h's vg_<g>_written(arguments). */
static Expr *output_len(Ad *ad, Expr *call, int i) {
  const Pragma *rule = custom_rule(ad->prog, call->text, PRAGMA_CUSTOM_VJP);
  if (!rule)
    rule = custom_rule(ad->prog, call->text, PRAGMA_CUSTOM_JVP);
  Func *g = ad_find_function(ad->prog, call->text);
  if (rule->builtin) {
    Expr *r = new_expr(EX_CALL, type_long(), call->loc);
    r->text = format("vg_%s_written", call->text);
    r->callee_file = "vgrad_cblas.h";
    r->system_callee = call->system_callee;
    for (int k = 0; k < call->args.len; k++)
      vec_push(&r->args, expr_copy(call->args.items[k]));
    return r;
  }
  Var *v = g->params.items[i];
  if (!v->declared_len)
    return expr_num(format("%ld", v->type->array_len), type_long());
  Expr *len = expr_copy(v->declared_len);
  Binding b = {g, call};
  walk_expr(len, &(Walker){.expr_pre = bind_param, .ctx = &b});
  return expr_cast(type_long(), len);
}

/* for (k = 0; k < n; k++) body(k) */
static Stmt *upward_loop(Ad *ad, Var *n, Var **k, Loc loc) {
  *k = ad_new_local(ad, "k", type_long(), true);
  Stmt *loop = new_stmt(ST_FOR, loc);
  loop->for_init = stmt_expr(expr_assign(OP_NONE, expr_var(*k, loc), expr_num("0", type_long())));
  loop->expr = expr_binary(OP_LT, expr_var(*k, loc), expr_var(n, loc), type_int());
  loop->step = expr_assign(OP_ADD, expr_var(*k, loc), expr_num("1", type_long()));
  loop->then = stmt_block(loc);
  return loop;
}

/* for (k = n - 1; k >= 0; k--) body(k) */
static Stmt *downward_loop(Ad *ad, Var *n, Var **k, Loc loc) {
  *k = ad_new_local(ad, "k", type_long(), true);
  Stmt *loop = new_stmt(ST_FOR, loc);
  loop->for_init = stmt_expr(expr_assign(OP_NONE, expr_var(*k, loc),
                                         expr_binary(OP_SUB, expr_var(n, loc), expr_num("1", type_long()), type_long())));
  loop->expr = expr_binary(OP_GE, expr_var(*k, loc), expr_num("0", type_long()), type_int());
  loop->step = expr_assign(OP_SUB, expr_var(*k, loc), expr_num("1", type_long()));
  loop->then = stmt_block(loc);
  return loop;
}

static Expr *element(Expr *pointer, Var *k) { return expr_index(expr_copy(pointer), expr_var(k, pointer->loc), pointer->type->base); }

void ad_custom_writer(Reverse *rv, Stmt *s, Vec *fwd, Vec *rev) {
  Ad *ad = rv->ad;
  Expr *call = s->expr;
  Loc loc = s->loc;
  Func *g = ad_find_function(ad->prog, call->text);
  int n = call->args.len;
  Var **len = xcalloc((size_t)n, sizeof(Var *));
  Expr **before = xcalloc((size_t)n, sizeof(Expr *)), **ct = xcalloc((size_t)n, sizeof(Expr *));
  int first = rev->len;
  /* forward: each written region onto the tape, then the call */
  bool active = false;
  for (int i = 0; i < n; i++) {
    if (!is_output(g, i))
      continue;
    Expr *y = as_written(call->args.items[i]);
    active |= ad_expr_active(y);
    len[i] = ad_new_local(ad, format("%s_len", var_spelling(call_output_root(call, i))), type_long(), true);
    vec_push(fwd, stmt_expr(expr_assign(OP_NONE, expr_var(len[i], loc), output_len(ad, call, i))));
    Var *k;
    Stmt *save = upward_loop(ad, len[i], &k, loc);
    vec_push(&save->then->body, stmt_expr(ad_tape_push(rv, element(y, k))));
    vec_push(fwd, save);
  }
  vec_push(fwd, s);
  /* reverse: the regions back, last first (the caller's memory's final values kept) */
  for (int i = n - 1; i >= 0; i--) {
    if (!len[i])
      continue;
    Expr *y = as_written(call->args.items[i]);
    vec_push(rev, stmt_expr(expr_assign(OP_NONE, expr_var(len[i], loc), output_len(ad, call, i))));
    Var *k;
    Stmt *restore = downward_loop(ad, len[i], &k, loc);
    Expr *elem = element(y, k);
    if (restores_caller_memory(rv, elem))
      redo_part(rv, expr_copy(elem), restore->then);
    vec_push(&restore->then->body, stmt_expr(expr_assign(OP_NONE, elem, ad_tape_pop(rv, type_unqualified(elem->type)))));
    vec_push(rev, restore);
  }
  if (active) {
    /* the rule on copies: y as before the call, y's adjoint after it (then zeroed) */
    Vec copies = {0};
    for (int i = 0; i < n; i++) {
      if (!len[i])
        continue;
      Expr *y = as_written(call->args.items[i]);
      Type *elem = type_unqualified(y->type->base);
      Var *b = ad_new_local(ad, format("%s_before", var_spelling(call_output_root(call, i))), type_pointer_to(elem), true);
      Var *c = ad_new_local(ad, format("ct_%s", var_spelling(call_output_root(call, i))), type_pointer_to(elem), true);
      Expr *count = expr_binary(OP_ADD, expr_var(len[i], loc), expr_num("1", type_long()), type_long());
      vec_push(rev, stmt_expr(expr_assign(OP_NONE, expr_var(b, loc),
                                          expr_call("calloc", b->type, count, expr_sizeof_type(elem, loc)))));
      vec_push(rev, stmt_expr(expr_assign(OP_NONE, expr_var(c, loc),
                                          expr_call("calloc", c->type, expr_copy(count), expr_sizeof_type(elem, loc)))));
      Var *k;
      Stmt *copy = upward_loop(ad, len[i], &k, loc);
      vec_push(&copy->then->body, stmt_expr(expr_assign(OP_NONE, element(expr_var(b, loc), k), element(y, k))));
      if (ad_expr_active(y)) {
        Expr *adj = adj_of(y);
        vec_push(&copy->then->body, stmt_expr(expr_assign(OP_NONE, element(expr_var(c, loc), k), element(adj, k))));
        vec_push(&copy->then->body, stmt_expr(expr_assign(OP_NONE, element(adj, k), expr_num("0", elem))));
      }
      vec_push(rev, copy);
      before[i] = expr_var(b, loc);
      ct[i] = expr_cast(type_pointer_to(const_of(elem)), expr_var(c, loc));
      vec_push(&copies, b);
      vec_push(&copies, c);
    }
    Expr *ct_ret = type_is_floating(g->ret) ? expr_num("0", type_unqualified(g->ret)) : NULL;
    Stmt *block = stmt_block(loc);
    vjp_rule(ad, call, ct_ret, before, ct, &block->body);
    vec_push(rev, block);
    for (int i = 0; i < copies.len; i++)
      vec_push(rev, stmt_call("free", expr_var(copies.items[i], loc)));
    free(copies.items);
  }
  /* what the reverse sweep of the call reads, for the pruning of scalar saves */
  Reads *r = xcalloc(1, sizeof(Reads));
  for (int i = first; i < rev->len; i++)
    stmt_collect_vars(rev->items[i], &r->reads);
  s->info = r;
  free(len);
  free(before);
  free(ct);
}

Expr *ad_custom_jvp(Ad *ad, Expr *call, Expr *(*tangent_of)(void *ctx, Expr *arg), void *ctx, Var *t_ret) {
  const Pragma *rule = custom_rule(ad->prog, call->text, PRAGMA_CUSTOM_JVP);
  Func *g = ad_find_function(ad->prog, call->text);
  assert(rule && g && g->params.len == call->args.len);
  Expr *r = rule_call(ad, rule, call, call->type);
  for (int i = 0; i < g->params.len; i++) {
    Type *pt = ((Var *)g->params.items[i])->type;
    CustomParam role = param_role(pt);
    if (!differentiable(role))
      continue;
    Expr *a = call->args.items[i];
    Expr *t = tangent_of(ctx, role == CUSTOM_SCALAR ? a : as_written(a));
    if (role == CUSTOM_SCALAR)
      vec_push(&r->args, t ? t : expr_num("0", type_unqualified(pt)));
    else if (role == CUSTOM_POINTER)
      vec_push(&r->args, t ? t : null_of(type_pointer_to(const_of(type_unqualified(pt->base)))));
    else /* an output's tangent, updated in place: forward.c gives every varied output one */
      vec_push(&r->args, t ? t : null_of(type_pointer_to(type_unqualified(pt->base))));
  }
  if (t_ret)
    vec_push(&r->args, expr_addr_of_var(t_ret));
  return r;
}
