/* Custom derivative rules: `#pragma vgrad custom_vjp(g) with(g_vjp)` and
 * `custom_jvp(g) with(g_jvp)` (design 1.6).  g is called as it is, never
 * inlined; the reverse sweep calls g_vjp with the cotangent of g's value,
 * the forward mode g_jvp with the tangents of its arguments.
 *
 * The rule's signature is the one vjp/jvp would generate for g with
 * argnums(all): g's parameters, then
 *   vjp: `T ct_ret` (T g's floating return type; none for any other), then
 *        `T *d_p` for each floating parameter p (scalar or pointer to const
 *        floating data), accumulated;
 *   jvp: `T t_p` / `const T *t_p` for each floating parameter, then
 *        `T *t_ret` (written), returning what g returns.
 * g's parameters that point to floating data it may write (outputs) are
 * refused for now, as are structs and pointers to pointers of floating
 * data.  The generated code passes NULL (0 for a scalar tangent) for an
 * argument that does not depend on the selected inputs. */
#include "reverse.h"

#include <stdlib.h>
#include <string.h>

/* How a parameter of g takes part in its rule. */
typedef enum { CUSTOM_PLAIN, CUSTOM_SCALAR, CUSTOM_POINTER, CUSTOM_REFUSED } CustomParam;

static CustomParam param_role(Type *t) {
  if (type_is_floating(t))
    return CUSTOM_SCALAR;
  if ((t->kind == TY_PTR || t->kind == TY_ARRAY) && t->base && type_is_floating(t->base))
    return t->base->is_const ? CUSTOM_POINTER : CUSTOM_REFUSED;
  return type_has_floating(t) || t->kind == TY_LDOUBLE ? CUSTOM_REFUSED : CUSTOM_PLAIN;
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
  for (int i = 0; i < g->params.len; i++) {
    Var *v = g->params.items[i];
    CustomParam role = param_role(v->type);
    if (role != CUSTOM_SCALAR && role != CUSTOM_POINTER)
      continue;
    Type *elem = type_unqualified(role == CUSTOM_SCALAR ? v->type : v->type->base);
    vec_push(types, vjp || role == CUSTOM_POINTER ? type_pointer_to(vjp ? elem : const_of(elem)) : elem);
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
  for (int i = 0; i < g->params.len; i++) {
    Var *v = g->params.items[i];
    if (param_role(v->type) != CUSTOM_REFUSED)
      continue;
    bool output = (v->type->kind == TY_PTR || v->type->kind == TY_ARRAY) && v->type->base &&
                  type_is_floating(v->type->base);
    if (output)
      error_at(p->func_loc, "%s(%s): parameter '%s' of '%s' points to floating-point data that '%s' may write; "
               "custom rules for functions with pointer outputs are not supported yet: declare it 'const' if "
               "'%s' only reads it, or return the value", kind, p->func, var_spelling(v), p->func, p->func,
               p->func);
    else
      error_at(p->func_loc, "%s(%s): parameter '%s' of '%s' has type '%s'; custom rules take floating-point "
               "scalars (float, double), pointers to const floating-point data and integers", kind, p->func,
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

void ad_custom_vjp(Ad *ad, Expr *call, Expr *ct_ret, Vec *out) {
  const Pragma *rule = custom_rule(ad->prog, call->text, PRAGMA_CUSTOM_VJP);
  Func *g = ad_find_function(ad->prog, call->text);
  assert(rule && g && g->params.len == call->args.len);
  Expr *r = rule_call(ad, rule, call, type_void());
  if (type_is_floating(g->ret))
    vec_push(&r->args, ct_ret);
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
    } else if (role == CUSTOM_POINTER) {
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

Expr *ad_custom_jvp(Ad *ad, Expr *call, Expr *(*tangent_of)(void *ctx, Expr *arg), void *ctx, Var *t_ret) {
  const Pragma *rule = custom_rule(ad->prog, call->text, PRAGMA_CUSTOM_JVP);
  Func *g = ad_find_function(ad->prog, call->text);
  assert(rule && g && g->params.len == call->args.len);
  Expr *r = rule_call(ad, rule, call, call->type);
  for (int i = 0; i < g->params.len; i++) {
    Type *pt = ((Var *)g->params.items[i])->type;
    CustomParam role = param_role(pt);
    if (role != CUSTOM_SCALAR && role != CUSTOM_POINTER)
      continue;
    Expr *a = call->args.items[i];
    Expr *t = tangent_of(ctx, role == CUSTOM_SCALAR ? a : as_written(a));
    if (role == CUSTOM_SCALAR)
      vec_push(&r->args, t ? t : expr_num("0", type_unqualified(pt)));
    else
      vec_push(&r->args, t ? t : null_of(type_pointer_to(const_of(type_unqualified(pt->base)))));
  }
  if (t_ret)
    vec_push(&r->args, expr_addr_of_var(t_ret));
  return r;
}
