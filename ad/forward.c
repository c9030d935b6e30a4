/* Forward mode (jvp): the normalised function run once, each assignment
 * `x op= e` preceded by the assignment of its tangent `t_x`, computed from
 * the values e reads before x is overwritten.  No tape: the tangents ride
 * along with the values.  Helpers are inlined by normalisation, so calls
 * left are the math table's (ad_math_partial) and the C library's.
 *
 * Tangents: a selected parameter's is the caller's (`double t_b`,
 * `const double *t_w`); an outputs(y) parameter's is `double *t_y`, zeroed
 * over y's length first and written where y is; any other variable whose
 * value depends on a selected input (varied, activity.c) gets `t_v` of
 * its shape, a local pointer `t_p` pointing into its array's tangent, a
 * heap block a tangent block allocated and freed beside it. */
#include "ad.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  Ad *ad;
  Func *out;
  Vec buffers; /* Var*: tangents of unselected pointer parameters, calloc'ed here, freed at the end */
  Vec own;     /* Var*: the locals made here (tangents, kept calls): dropped when nothing reads them */
} Forward;

static Var *own_local(Forward *fw, const char *base, Type *type) {
  Var *v = ad_new_local(fw->ad, base, type, true);
  vec_push(&fw->own, v);
  return v;
}

static void refuse(Forward *fw, Loc loc, const char *what) {
  if (!fw->ad->failed)
    error_at(loc, "%s: not supported in jvp yet", what);
  fw->ad->failed = true;
}

/* The variable standing for v's memory: a pointer's array. */
static Var *memory_of(Var *v) { return v->base ? v->base : v; }

/* The tangent variable of v (its memory's, for a pointer), or NULL when v
 * does not depend on the selected inputs. */
static Var *tangent_var(Var *v) {
  if (v->is_global)
    return NULL;
  return v->adj;
}

static Expr *zero(Type *t) { return expr_num("0", t); }

static Expr *tangent(Forward *fw, Expr *e);

/* The tangent of an lvalue or pointer expression: the same access with its
 * root variable replaced by the root's tangent; NULL when the root has none. */
static Expr *tangent_place(Forward *fw, Expr *e) {
  switch (e->kind) {
  case EX_VAR: {
    Var *t = tangent_var(e->var);
    if (t && e->var->adj_is_pointer) /* a struct parameter by value: its tangent is *t_s */
      return expr_unary(EX_DEREF, expr_var(t, e->loc), t->type->base);
    return t ? expr_var(t, e->loc) : NULL;
  }
  case EX_INDEX:
  case EX_MEMBER:
  case EX_DEREF:
  case EX_ADDR:
  case EX_CAST: {
    Expr *inner = tangent_place(fw, e->lhs);
    if (!inner)
      return NULL;
    Expr *c = new_expr(e->kind, e->type, e->loc);
    *c = *e;
    c->lhs = inner;
    c->rhs = e->rhs ? expr_copy(e->rhs) : NULL;
    c->cache = NULL;
    if (e->kind == EX_ADDR) /* &t_a[i]: a pointer into the tangent, const like it */
      c->type = type_pointer_to(inner->type);
    else if (e->kind == EX_CAST && e->implicit && e->type->kind == TY_PTR && inner->type->kind == TY_PTR)
      c->type = inner->type; /* an array decaying, printed as nothing */
    return c;
  }
  case EX_BINARY: /* pointer arithmetic: p + k, k + p, p - k */
    if (e->op == OP_ADD || e->op == OP_SUB) {
      bool left = e->lhs->type->kind == TY_PTR || e->lhs->type->kind == TY_ARRAY;
      Expr *inner = tangent_place(fw, left ? e->lhs : e->rhs);
      if (!inner)
        return NULL;
      Expr *other = expr_copy(left ? e->rhs : e->lhs);
      /* an array operand decays: the sum is a pointer (as a pointer, the
       * second transform of hvp reads the derivative through it) */
      Type *t = inner->type->kind == TY_ARRAY ? type_pointer_to(inner->type->base) : inner->type;
      return left ? expr_binary(e->op, inner, other, t) : expr_binary(e->op, other, inner, t);
    }
    break;
  case EX_COND: {
    Expr *a = tangent_place(fw, e->lhs), *b = tangent_place(fw, e->rhs);
    if (!a && !b)
      return NULL;
    Type *t = a ? a->type : b->type;
    if (t->kind == TY_ARRAY) /* arrays decay: the choice is a pointer */
      t = type_pointer_to(t->base);
    Expr *c = new_expr(EX_COND, t, e->loc);
    c->cond = expr_copy(e->cond);
    c->lhs = a ? a : expr_cast(type_pointer_to(type_void()), zero(type_int()));
    c->rhs = b ? b : expr_cast(type_pointer_to(type_void()), zero(type_int()));
    return c;
  }
  default:
    break;
  }
  refuse(fw, e->loc, format("the tangent of '%s'", expr_to_user_c(e)));
  return NULL;
}

/* A call the tangent would compute again besides the value: one of no
 * math.h rule (isnan is one of fmax's) not kept in a variable.
 * vg_stop_gradient is the identity, so computing it again costs nothing;
 * a nondiff(g) function may have effects, so it is not made again. */
static bool repeated_call(const Expr *e, const void *prog) {
  return e->kind == EX_CALL && !e->cache && !call_is_stop_gradient(e) && !ad_math_lookup(e->text) &&
         !func_called_as_is(prog, e->text) && /* custom_jvp(g): its rule, there to be called */
         strcmp(e->text, "isnan") &&
         strncmp(e->text, "vgradcc_digamma", 15); /* lgamma's derivative, written into the generated file */
}

/* a + b, a - b, a * b with NULL for zero. */
static Expr *t_add(Expr *a, Expr *b, Type *t) { return !a ? b : !b ? a : expr_binary(OP_ADD, a, b, t); }
static Expr *t_sub(Expr *a, Expr *b, Type *t) {
  return !b ? a : !a ? expr_unary(EX_NEG, b, t) : expr_binary(OP_SUB, a, b, t);
}
static Expr *t_scale(Expr *factor, Expr *t, Type *type) { return t ? expr_binary(OP_MUL, factor, t, type) : NULL; }

/* Whether a value flows into e's derivative from the selected inputs (the
 * reverse mode's `active` asks more: that it also reaches the loss). */
static bool expr_varied(Expr *e) {
  Vec reads = {0};
  ad_diff_reads(e, &reads);
  bool varied = false;
  for (int i = 0; i < reads.len; i++)
    varied |= ((Var *)reads.items[i])->varied;
  free(reads.items);
  return varied;
}

static bool any_varied_arg(Expr *call) {
  bool varied = false;
  for (int i = 0; i < call->args.len; i++)
    varied |= expr_varied(call->args.items[i]);
  return varied;
}

/* An argument's tangent for custom_jvp(g)'s rule: a pointer's is the pointer into its tangent. */
static Expr *custom_tangent(void *fw, Expr *arg) {
  if (arg->type->kind == TY_PTR || arg->type->kind == TY_ARRAY) {
    Var *root = ad_pointer_root(arg);
    return root && tangent_var(memory_of(root)) ? tangent_place(fw, arg) : NULL;
  }
  return tangent(fw, arg);
}

static Expr *tangent_call(Forward *fw, Expr *e) {
  if (call_is_constant(fw->ad->prog, e)) /* vg_stop_gradient, nondiff(g) */
    return NULL;
  if (e->custom) { /* custom_jvp(g): (g_jvp(args, tangents, &t), t), g's value computed again */
    if (!any_varied_arg(e))
      return NULL;
    Type *tt = type_unqualified(e->type);
    if (fw->ad->deriv->pragma->for_hvp) { /* T t[1]: its address is the array */
      Type *one = xcalloc(1, sizeof(Type));
      one->kind = TY_ARRAY;
      one->base = tt;
      one->array_len = 1;
      tt = one;
    }
    Var *t = own_local(fw, format("t_%s", e->text), tt);
    Expr *rule = ad_custom_jvp(fw->ad, e, custom_tangent, fw, t);
    Expr *value = expr_var(t, e->loc);
    if (tt->kind == TY_ARRAY)
      value = expr_index(value, expr_num("0", type_int()), tt->base);
    return expr_binary(OP_COMMA, rule, value, e->type);
  }
  if (e->call == CALL_RECURSIVE && e->tangent_cache)
    return expr_var(e->tangent_cache, e->loc);
  const MathFunc *m = ad_math_lookup(e->text);
  if (e->call == CALL_RECURSIVE || e->lhs || !m) {
    if (!any_varied_arg(e) && !e->lhs)
      return NULL;
    refuse(fw, e->loc, e->call == CALL_RECURSIVE ? format("the recursive call to '%s'", e->text)
                       : e->lhs ? "a call through a function pointer"
                                : format("the call to '%s' on values that depend on the selected inputs", e->text));
    return NULL;
  }
  if (m->piecewise == MATH_PIECEWISE_CONSTANT)
    return NULL;
  if (m->piecewise == MATH_CONJUGATE) {
    Expr *t = tangent(fw, e->args.items[0]);
    return t ? expr_call(e->text, e->type, t, NULL) : NULL;
  }
  if (m->conditional)
    return tangent(fw, m->conditional(e));
  Expr *sum = NULL;
  for (int i = 0; i < e->args.len; i++) {
    Expr *t = tangent(fw, e->args.items[i]);
    if (!t)
      continue;
    Expr *partial = ad_math_partial(fw->ad, e, i);
    if (partial)
      sum = t_add(sum, t_scale(partial, t, e->type), e->type);
  }
  bool complex_args = false;
  for (int i = 0; i < e->args.len; i++)
    complex_args |= type_is_complex(((Expr *)e->args.items[i])->type);
  if (sum && complex_args && !type_is_complex(e->type)) /* creal, cimag, cabs: the real part */
    sum = expr_call(type_is_single(e->type) ? "crealf" : "creal", e->type, sum, NULL);
  return sum;
}

/* The tangent of the floating value e, from the values it reads; NULL for zero. */
static Expr *tangent(Forward *fw, Expr *e) {
  if (!e || !type_is_floating(e->type))
    return NULL;
  Type *t = e->type;
  switch (e->kind) {
  case EX_NUM:
  case EX_SIZEOF:
    return NULL;
  case EX_VAR:
  case EX_INDEX:
  case EX_MEMBER:
  case EX_DEREF: {
    Var *root = lvalue_root(e);
    return root && tangent_var(root) ? tangent_place(fw, e) : NULL;
  }
  case EX_NEG: {
    Expr *a = tangent(fw, e->lhs);
    return a ? expr_unary(EX_NEG, a, t) : NULL;
  }
  case EX_PLUS:
    return tangent(fw, e->lhs);
  case EX_CAST: {
    Expr *a = type_is_floating(e->lhs->type) ? tangent(fw, e->lhs) : NULL;
    return a && e->lhs->type->kind != t->kind ? expr_cast(t, a) : a;
  }
  case EX_BINARY: {
    Expr *ta = tangent(fw, e->lhs), *tb = tangent(fw, e->rhs);
    switch (e->op) {
    case OP_ADD:
      return t_add(ta, tb, t);
    case OP_SUB:
      return t_sub(ta, tb, t);
    case OP_MUL:
      return t_add(t_scale(expr_copy(e->rhs), ta, t), t_scale(expr_copy(e->lhs), tb, t), t);
    case OP_DIV: {
      /* d(a / b) = (da - (a / b) db) / b */
      Expr *num = t_sub(ta, t_scale(expr_copy(e), tb, t), t);
      return num ? expr_binary(OP_DIV, num, expr_copy(e->rhs), t) : NULL;
    }
    case OP_COMMA:
      return tb;
    default:
      return NULL;
    }
  }
  case EX_COND: {
    Expr *a = tangent(fw, e->lhs), *b = tangent(fw, e->rhs);
    if (!a && !b)
      return NULL;
    Expr *c = new_expr(EX_COND, t, e->loc);
    c->cond = expr_copy(e->cond);
    c->lhs = a ? a : zero(t);
    c->rhs = b ? b : zero(t);
    return c;
  }
  case EX_CALL:
    return tangent_call(fw, e);
  default:
    refuse(fw, e->loc, format("'%s'", expr_to_user_c(e)));
    return NULL;
  }
}

/* A call of a recursive function g: its value and tangent from g's
 * tangent function (ad_recursive_jvp), `v = g_jvp_rec(args, tangents of
 * the floating scalar arguments, &t_v)`, once (also where nothing varies:
 * g may be static in the input, which the generated file cannot call).
 * Arrays passed to g must not vary, nor may g write through a pointer. */
static void recursive_call(Forward *fw, Expr *e, Vec *out) {
  Func *g = e->callee;
  if (fw->ad->deriv->pragma->for_hvp) { /* hvp would differentiate the tangent function again */
    if (!fw->ad->failed)
      error_at(e->loc, "the recursive call to '%s' is not supported in hvp and hessian yet (jvp, value_and_grad "
               "and grad take it)", e->text);
    fw->ad->failed = true;
    return;
  }
  if (!g || !type_is_floating(g->ret) || type_is_complex(g->ret)) {
    refuse(fw, e->loc, format("the recursive call to '%s', which returns no real number", e->text));
    return;
  }
  Expr *call = expr_call(ad_recursive_jvp(g), e->type, NULL, NULL);
  call->loc = e->loc;
  Vec tangents = {0};
  for (int i = 0; i < g->params.len; i++) {
    Var *p = g->params.items[i];
    Expr *arg = e->args.items[i];
    vec_push(&call->args, expr_copy(arg));
    if (type_is_floating(p->type)) {
      Expr *t = tangent(fw, arg);
      vec_push(&tangents, t ? t : zero(type_unqualified(p->type)));
    } else if (type_has_floating(p->type) && (!type_is_const_data(p->type->base ? p->type->base : p->type) ||
                                              expr_varied(arg))) {
      refuse(fw, e->loc, format("the recursive call to '%s' with array '%s' %s", e->text, var_spelling(p),
                                expr_varied(arg) ? "holding values that depend on the selected inputs"
                                                 : "that it may write"));
      free(tangents.items);
      return;
    }
  }
  for (int i = 0; i < tangents.len; i++)
    vec_push(&call->args, tangents.items[i]);
  free(tangents.items);
  Var *v = own_local(fw, format("%s_v", e->text), type_unqualified(e->type));
  Var *tv = own_local(fw, format("t_%s_v", e->text), type_unqualified(e->type));
  vec_push(&call->args, expr_unary(EX_ADDR, expr_var(tv, e->loc), type_pointer_to(tv->type)));
  vec_push(out, stmt_expr(expr_assign(OP_NONE, expr_var(v, e->loc), call)));
  e->cache = v;
  e->tangent_cache = tv;
}

/* Math calls of e evaluated whenever e is (not in a branch of ?:, nor
 * right of && and ||) kept in variables first, inner calls first: the
 * value and the tangent's partial derivative share them (exp(a) is both). */
static void cache_calls_of(Forward *fw, Expr *e, Vec *out) {
  if (!e)
    return;
  if (e->kind == EX_COND) {
    cache_calls_of(fw, e->cond, out);
    return;
  }
  if (e->kind == EX_BINARY && (e->op == OP_LAND || e->op == OP_LOR)) {
    cache_calls_of(fw, e->lhs, out);
    return;
  }
  cache_calls_of(fw, e->lhs, out);
  cache_calls_of(fw, e->rhs, out);
  for (int i = 0; i < e->args.len; i++)
    cache_calls_of(fw, e->args.items[i], out);
  if (e->kind != EX_CALL || e->cache || e->type->kind == TY_VOID)
    return;
  if (e->call == CALL_RECURSIVE) { /* varied or not: g itself may be static in the input, out of reach */
    recursive_call(fw, e, out);
    return;
  }
  const MathFunc *m = ad_math_lookup(e->text);
  if (!m && !e->lhs && e->call == CALL_PLAIN && (type_is_arith(e->type) || e->type->kind == TY_PTR)) {
    /* another function's value (rand(), a library's): computed once, for the value and the tangent */
    Var *v = own_local(fw, format("%s_v", e->text), type_unqualified(e->type));
    vec_push(out, stmt_expr(expr_assign(OP_NONE, expr_var(v, e->loc), expr_copy(e))));
    e->cache = v;
    return;
  }
  if (!m || !m->partial || !type_is_floating(e->type) || !any_varied_arg(e))
    return;
  Var *v = own_local(fw, format("%s_v", e->text), type_unqualified(e->type));
  vec_push(out, stmt_expr(expr_assign(OP_NONE, expr_var(v, e->loc), expr_copy(e))));
  const char *other = ad_math_companion(e);
  if (other && !expr_has_kind(e->args.items[0], EX_CALL)) { /* sin and cos: the other is the derivative */
    Var *cv = own_local(fw, format("%s_v", other), type_unqualified(e->type));
    vec_push(out, stmt_expr(expr_assign(OP_NONE, expr_var(cv, e->loc),
                                        expr_call(other, e->type, expr_copy(e->args.items[0]), NULL))));
    e->companion = cv;
  }
  e->cache = v;
}

static bool is_alloc(Expr *e) {
  while (e->kind == EX_CAST)
    e = e->lhs;
  return e->kind == EX_CALL && (!strcmp(e->text, "malloc") || !strcmp(e->text, "calloc"));
}

/* malloc(size) as calloc(1, size), as the reverse sweep has it: gcc's
 * -Wmaybe-uninitialized guess sees the inlined copies of a fill and a read
 * apart, and a warning-free file must not depend on it. */
static void zero_malloc(Expr **rhs) {
  while ((*rhs)->kind == EX_CAST)
    rhs = &(*rhs)->lhs;
  Expr *call = *rhs;
  if (call->kind == EX_CALL && !strcmp(call->text, "malloc") && call->args.len == 1)
    *rhs = expr_call("calloc", call->type, expr_num("1", type_int()), expr_copy(call->args.items[0]));
}

/* t_p for p = malloc(size) / calloc(n, size): a zeroed block of the same size. */
static Expr *tangent_alloc(Expr *rhs, Type *type) {
  Expr *call = rhs;
  while (call->kind == EX_CAST)
    call = call->lhs;
  Expr *c;
  if (!strcmp(call->text, "calloc"))
    c = expr_copy(call);
  else
    c = expr_call("calloc", call->type, expr_num("1", type_int()), expr_copy(call->args.items[0]));
  return expr_cast(type, c);
}

/* The tangent of a struct or array value: of an lvalue, its tangent's
 * place; of an initializer, one of the same shape; else zeros. */
static Expr *tangent_aggregate(Forward *fw, Expr *e, Type *type) {
  if (e->kind == EX_COMPOUND || e->kind == EX_INIT) {
    Expr *init = e->kind == EX_COMPOUND ? e->lhs : e;
    Expr *c = new_expr(EX_INIT, init->type, init->loc);
    for (int i = 0; i < init->args.len; i++) {
      Expr *a = init->args.items[i];
      Expr *t = a->kind == EX_INIT || a->kind == EX_COMPOUND ? tangent_aggregate(fw, a, a->type)
                : type_is_floating(a->type)                 ? tangent(fw, a)
                                                            : NULL;
      vec_push(&c->args, t ? t : zero(type_is_floating(a->type) ? a->type : type_int()));
    }
    if (e->kind == EX_INIT)
      return c;
    Expr *lit = new_expr(EX_COMPOUND, type_unqualified(type), e->loc);
    lit->lhs = c;
    return lit;
  }
  Var *root = lvalue_root(e);
  if ((e->kind == EX_VAR || e->kind == EX_INDEX || e->kind == EX_MEMBER || e->kind == EX_DEREF) && root &&
      tangent_var(root))
    return tangent_place(fw, e);
  if (e->kind == EX_VAR || e->kind == EX_INDEX || e->kind == EX_MEMBER || e->kind == EX_DEREF ||
      !expr_varied(e)) {
    Expr *lit = new_expr(EX_COMPOUND, type_unqualified(type), e->loc); /* (struct S){0} */
    lit->lhs = new_expr(EX_INIT, type_unqualified(type), e->loc);
    return lit;
  }
  refuse(fw, e->loc, format("the struct value '%s'", expr_to_user_c(e)));
  return NULL;
}

static void emit_assign(Vec *out, Expr *lhs, BinOp op, Expr *rhs, Loc loc) {
  Stmt *s = stmt_expr(expr_assign(op, lhs, rhs));
  s->loc = loc;
  vec_push(out, s);
}

static void forward_stmt(Forward *fw, Stmt *s, Vec *out);

/* `lhs op= rhs`: its tangent's assignment, then itself. */
static void forward_assign(Forward *fw, Stmt *s, Vec *out) {
  Expr *a = s->expr;
  Expr *lhs = a->lhs;
  if (a->rhs->kind == EX_CALL && a->rhs->call == CALL_RECURSIVE) { /* `t = g(...)`: through g's tangent function */
    cache_calls_of(fw, a->rhs, out);
    if (a->rhs->cache && !tangent_var(lvalue_root(lhs))) /* nothing varies: t = the value it computed */
      a->rhs = expr_var(a->rhs->cache, a->loc);
  }
  Var *root = lvalue_root(lhs);
  Type *t = lhs->type;
  if (root && root->is_global) { /* a global's own tangent is not kept: the function works on a local copy */
    vec_push(out, s);
    return;
  }
  if (t->kind == TY_PTR && lhs->kind == EX_VAR) {
    Var *tp = tangent_var(root);
    if (tp) {
      Expr *rhs = a->rhs;
      if (a->op != OP_NONE) {
        rhs = expr_binary(a->op, expr_copy(lhs), a->rhs, t);
      }
      Expr *value;
      if (is_alloc(rhs))
        value = tangent_alloc(rhs, tp->type);
      else if (expr_is_null_pointer(rhs))
        value = expr_copy(rhs);
      else
        value = tangent_place(fw, rhs);
      if (!value) {
        refuse(fw, a->loc, format("pointer '%s' pointing at memory of no tangent", var_spelling(root)));
        return;
      }
      emit_assign(out, expr_var(tp, a->loc), OP_NONE, value, a->loc);
    }
    zero_malloc(&a->rhs);
    vec_push(out, s);
    return;
  }
  if (t->kind == TY_STRUCT && root && tangent_var(memory_of(root)) && a->op == OP_NONE) {
    Expr *tl = tangent_place(fw, lhs);
    Expr *tr = tl ? tangent_aggregate(fw, a->rhs, t) : NULL;
    if (!tr)
      return;
    emit_assign(out, tl, OP_NONE, tr, a->loc);
    Stmt *primal = stmt_expr(expr_assign(OP_NONE, expr_copy(lhs), expr_copy(a->rhs)));
    primal->loc = s->loc;
    vec_push(out, primal);
    return;
  }
  if (!type_is_floating(t)) {
    if (root && type_has_floating(t) && (tangent_var(memory_of(root)) || expr_varied(a->rhs)))
      refuse(fw, a->loc, format("the assignment '%s'", expr_to_user_c(a)));
    vec_push(out, s);
    return;
  }
  if (!root || !tangent_var(memory_of(root))) {
    if (expr_varied(a->rhs))
      refuse(fw, a->loc, format("writing '%s'", expr_to_user_c(lhs)));
    vec_push(out, s);
    return;
  }
  cache_calls_of(fw, a->rhs, out);
  Expr *tl = tangent_place(fw, lhs);
  Expr *tr = tangent(fw, a->rhs);
  if (fw->ad->failed || !tl)
    return;
  if (tr && expr_any(tr, repeated_call, fw->ad->prog)) {
    refuse(fw, a->loc, format("a call in a branch of ?: or right of && or || in '%s', which the tangent would "
                              "make again", expr_to_user_c(a)));
    return;
  }
  switch (a->op) {
  case OP_NONE:
    emit_assign(out, tl, OP_NONE, tr ? tr : zero(t), a->loc);
    break;
  case OP_ADD:
  case OP_SUB:
    if (tr)
      emit_assign(out, tl, a->op, tr, a->loc);
    break;
  case OP_MUL: /* x *= r: t_x = t_x * r + x * t_r */
    emit_assign(out, tl, OP_NONE,
                t_add(expr_binary(OP_MUL, expr_copy(tl), expr_copy(a->rhs), t), t_scale(expr_copy(lhs), tr, t), t),
                a->loc);
    break;
  case OP_DIV: { /* x /= r: t_x = (t_x - x / r * t_r) / r */
    Expr *q = expr_binary(OP_DIV, expr_copy(lhs), expr_copy(a->rhs), t);
    emit_assign(out, tl, OP_NONE, expr_binary(OP_DIV, t_sub(expr_copy(tl), t_scale(q, tr, t), t),
                                              expr_copy(a->rhs), t), a->loc);
    break;
  }
  default:
    refuse(fw, a->loc, format("'%s'", expr_to_user_c(a)));
    return;
  }
  Stmt *primal = stmt_expr(expr_assign(a->op, expr_copy(lhs), expr_copy(a->rhs))); /* cached calls as their variables */
  primal->loc = s->loc;
  vec_push(out, primal);
}

/* A statement that is a call (free(p), printf): a tangent block freed
 * beside its block; a call that could write varied memory is refused. */
static void forward_call_stmt(Forward *fw, Stmt *s, Vec *out) {
  Expr *call = s->expr;
  if (call->custom_outputs && any_varied_arg(call)) {
    /* custom_jvp(g) of a g writing its outputs: the rule writes them and, in place, their tangents */
    for (int i = 0; i < call->args.len; i++)
      if (call->custom_outputs >> i & 1 && !custom_tangent(fw, call->args.items[i])) {
        refuse(fw, call->loc, format("the call to '%s', whose output '%s' has no tangent here", call->text,
                                     expr_to_user_c(call->args.items[i])));
        return;
      }
    Var *t = type_is_floating(call->type) ? own_local(fw, format("t_%s", call->text), type_unqualified(call->type))
                                          : NULL;
    Stmt *r = stmt_expr(ad_custom_jvp(fw->ad, call, custom_tangent, fw, t));
    r->loc = s->loc;
    vec_push(out, r);
    return;
  }
  vec_push(out, s);
  if (call->custom_outputs)
    return; /* nothing varied reaches its outputs */
  if (!strcmp(call->text, "free") && call->args.len == 1) {
    Var *root = ad_pointer_root(call->args.items[0]);
    if (root && tangent_var(root))
      vec_push(out, stmt_call("free", expr_var(tangent_var(root), s->loc)));
    return;
  }
  for (int i = 0; i < call->args.len; i++) {
    Expr *arg = call->args.items[i];
    if (arg->type->kind == TY_PTR && !type_is_const_data(arg->type->base) && type_has_floating(arg->type)) {
      Var *root = ad_pointer_root(arg);
      if (root && tangent_var(memory_of(root)))
        refuse(fw, arg->loc, format("passing '%s', which depends on the selected inputs, to '%s'",
                                    expr_to_user_c(arg), call->text));
    }
  }
}

static Stmt *forward_block(Forward *fw, Stmt *s) {
  if (!s)
    return NULL;
  Stmt *b = stmt_block(s->loc);
  forward_stmt(fw, s, &b->body);
  if (b->body.len == 1 && s->kind == ST_BLOCK)
    return b->body.items[0];
  return b;
}

static void forward_stmt(Forward *fw, Stmt *s, Vec *out) {
  if (!s || fw->ad->failed)
    return;
  switch (s->kind) {
  case ST_BLOCK: {
    Stmt *b = stmt_block(s->loc);
    for (int i = 0; i < s->body.len; i++)
      forward_stmt(fw, s->body.items[i], &b->body);
    vec_push(out, b);
    return;
  }
  case ST_EXPR:
    if (s->expr->kind == EX_ASSIGN && s->expr->lhs->kind == EX_VAR && s->expr->lhs->var->is_vla) {
      /* a variable-length array made again (its loop's next pass): the
       * last block and its tangent end here, as the array's scope did */
      Var *v = s->expr->lhs->var;
      vec_push(out, stmt_call("free", expr_var(v, s->loc)));
      if (tangent_var(v))
        vec_push(out, stmt_call("free", expr_var(tangent_var(v), s->loc)));
    }
    if (s->expr->kind == EX_ASSIGN)
      forward_assign(fw, s, out);
    else if (s->expr->kind == EX_CALL && !s->expr->lhs)
      forward_call_stmt(fw, s, out);
    else if (expr_has_kind(s->expr, EX_ASSIGN) || expr_has_kind(s->expr, EX_INCDEC) ||
             (expr_has_kind(s->expr, EX_CALL) && expr_varied(s->expr)))
      refuse(fw, s->loc, format("the statement '%s'", expr_to_user_c(s->expr)));
    else
      vec_push(out, s);
    return;
  case ST_IF: {
    Stmt *c = new_stmt(ST_IF, s->loc);
    *c = *s;
    c->then = forward_block(fw, s->then);
    c->els = forward_block(fw, s->els);
    vec_push(out, c);
    return;
  }
  case ST_FOR: {
    Stmt *c = new_stmt(ST_FOR, s->loc);
    *c = *s;
    if (s->for_init) {
      Vec init = {0};
      forward_stmt(fw, s->for_init, &init);
      for (int i = 0; i + 1 < init.len; i++) /* the tangent of a floating counter's start */
        vec_push(out, init.items[i]);
      c->for_init = init.len ? init.items[init.len - 1] : NULL;
    }
    if (s->step && s->step->kind == EX_ASSIGN && type_is_floating(s->step->type)) {
      Var *root = lvalue_root(s->step->lhs);
      if (root && tangent_var(memory_of(root)))
        refuse(fw, s->step->loc, format("the loop step '%s' on a value that depends on the selected inputs",
                                        expr_to_user_c(s->step)));
    }
    c->then = forward_block(fw, s->then);
    vec_push(out, c);
    return;
  }
  case ST_WHILE:
  case ST_DO: {
    Stmt *c = new_stmt(s->kind, s->loc);
    *c = *s;
    c->then = forward_block(fw, s->then);
    vec_push(out, c);
    return;
  }
  case ST_DECL:
    if (s->init && (tangent_var(memory_of(s->var)) || expr_varied(s->init))) {
      refuse(fw, s->loc, format("the declaration of '%s'", var_spelling(s->var)));
      return;
    }
    vec_push(out, s);
    return;
  case ST_BREAK:
  case ST_CONTINUE:
  case ST_EMPTY:
  case ST_COMMENT:
    vec_push(out, s);
    return;
  default:
    refuse(fw, s->loc, "this statement");
    return;
  }
}

/* ---- the generated function's parameters and tangent variables ---- */

static Type *const_of(Type *t) {
  Type *c = xcalloc(1, sizeof(Type));
  *c = *type_unqualified(t);
  c->is_const = true;
  return c;
}

static bool is_floating_scalar_memory(Type *t) {
  return (t->kind == TY_PTR || t->kind == TY_ARRAY) && type_is_floating(t->base);
}

/* Whether the body writes a floating value into p's memory (or p itself). */
static WalkStep find_write(Expr *e, void *ctx) {
  void **c = ctx;
  if ((e->kind == EX_ASSIGN || e->kind == EX_INCDEC) && type_has_floating(e->lhs->type) &&
      e->lhs->type->kind != TY_PTR && lvalue_root(e->lhs) == c[0]) {
    c[1] = e;
    return WALK_STOP;
  }
  return WALK_ON;
}

static bool written(Ad *ad, Var *p) {
  void *ctx[2] = {p, NULL};
  walk_stmt(ad->f->body, &(Walker){.expr_pre = find_write, .ctx = ctx});
  return ctx[1] != NULL;
}

static Var *new_param(Func *out, const char *name, Type *type) {
  Var *g = xcalloc(1, sizeof(Var));
  g->name = name;
  g->type = type;
  g->param_index = out->params.len;
  vec_push(&out->params, g);
  return g;
}

/* for (k = 0; k < len; k++) t[k] = 0; */
static Stmt *zero_loop(Ad *ad, Var *t, Expr *len, Loc loc) {
  Var *k = ad_new_local(ad, "k", type_int(), true);
  Stmt *loop = new_stmt(ST_FOR, loc);
  loop->for_init = stmt_expr(expr_assign(OP_NONE, expr_var(k, loc), zero(type_int())));
  loop->expr = expr_binary(OP_LT, expr_var(k, loc), len, type_int());
  loop->step = expr_assign(OP_ADD, expr_var(k, loc), expr_num("1", type_int()));
  Expr *elem = new_expr(EX_INDEX, t->type->base, loc);
  elem->lhs = expr_var(t, loc);
  elem->rhs = expr_var(k, loc);
  Stmt *b = stmt_block(loc);
  vec_push(&b->body, stmt_expr(expr_assign(OP_NONE, elem, zero(t->type->base))));
  loop->then = b;
  return loop;
}

static bool const_tangent(const Var *v) {
  return v->adj && v->adj->type->kind == TY_PTR && v->adj->type->base->is_const;
}

/* Whether a pointer into memory m (and the arrays m stands for, when a
 * pointer moves between them) may point into a selected parameter's
 * tangent, which is const. */
static bool into_const_tangent(Ad *ad, Var *m) {
  if (const_tangent(m))
    return true;
  for (int i = 0; i < ad->shared_bases.len; i++) {
    SharedBase *g = ad->shared_bases.items[i];
    if (g->members.items[0] != m)
      continue;
    for (int k = 0; k < g->members.len; k++)
      if (const_tangent(g->members.items[k]))
        return true;
  }
  return false;
}

/* Tangent parameters and variables; statements that set them up go to `start`. */
static void setup_tangents(Forward *fw, const char **t_names, Vec *start) {
  Ad *ad = fw->ad;
  Derivative *d = ad->deriv;
  Func *out = fw->out;
  Loc loc = out->loc;
  for (int i = 0; i < ad->f->params.len; i++)
    vec_push(&out->params, ad->f->params.items[i]);
  for (int i = 0; i < d->selected.len; i++) {
    Var *p = ad->f->params.items[((Var *)d->selected.items[i])->param_index];
    Type *pt = p->type;
    if (type_is_floating(pt)) {
      p->adj = new_param(out, t_names[i], type_unqualified(pt));
      continue;
    }
    if (pt->kind == TY_STRUCT && !pt->is_union) { /* const struct S *t_s; a local copy when s is written */
      Var *t_in = new_param(out, t_names[i], type_pointer_to(const_of(pt)));
      if (written(ad, p)) {
        p->adj = ad_new_local(ad, format("t_%s_local", p->name), type_unqualified(pt), true);
        vec_push(start, stmt_expr(expr_assign(OP_NONE, expr_var(p->adj, loc),
                                              expr_unary(EX_DEREF, expr_var(t_in, loc), const_of(pt)))));
      } else {
        p->adj = t_in;
        p->adj_is_pointer = true;
      }
      continue;
    }
    bool struct_pointer = pt->kind == TY_PTR && pt->base->kind == TY_STRUCT && !pt->base->is_union;
    if (!is_floating_scalar_memory(pt) && !struct_pointer) {
      refuse(fw, d->pragma->func_loc, format("the selected parameter '%s' of type '%s'", ad_param_name(p),
                                             declare(pt, "")));
      return;
    }
    if (written(ad, p) && struct_pointer) {
      refuse(fw, d->pragma->func_loc, format("the selected parameter '%s', which '%s' writes", ad_param_name(p),
                                             d->primal->name));
      return;
    }
    /* an array f writes: its tangent the caller's, updated in place (in on entry, out on return) */
    p->adj = new_param(out, t_names[i],
                       type_pointer_to(written(ad, p) ? type_unqualified(pt->base) : const_of(pt->base)));
  }
  int k = d->selected.len;
  if (type_is_floating(ad->f->ret) || ad->f->ret->kind == TY_STRUCT) /* R *t_ret */
    new_param(out, t_names[k++], type_pointer_to(type_unqualified(ad->f->ret)));
  for (int i = 0; i < d->outputs.len; i++) {
    Var *p = ad->f->params.items[((Var *)d->outputs.items[i])->param_index];
    if (p->adj && p->adj->type->kind == TY_PTR && !const_tangent(p) && p->adj->param_index >= 0) {
      k++; /* selected and written: its one tangent, in place, is the output's */
      continue;
    }
    if (p->adj) {
      refuse(fw, d->pragma->outputs_loc[i], format("'%s' both selected and in outputs(...)", ad_param_name(p)));
      return;
    }
    p->adj = new_param(out, t_names[k++], type_pointer_to(type_unqualified(p->type->base)));
    Expr *len = ad_buffer_length(ad, p);
    if (!len) {
      error_at(d->pragma->outputs_loc[i], "outputs(%s): jvp writes every entry of t_%s but cannot tell the length "
               "of '%s'; declare it with its length (double %s[n], n a parameter)", p->name, p->name, p->name,
               p->name);
      ad->failed = true;
      return;
    }
    vec_push(start, zero_loop(ad, p->adj, len, loc));
  }
  for (int i = 0; i < ad->f->params.len; i++) {
    Var *p = ad->f->params.items[i];
    if (p->adj || !memory_of(p)->varied)
      continue;
    if (type_is_floating(p->type)) {
      p->adj = own_local(fw, format("t_%s", p->name), type_unqualified(p->type));
    } else if (is_floating_scalar_memory(p->type) && p->base == NULL) {
      Expr *len = ad_buffer_length(ad, p);
      if (!len) {
        refuse(fw, p->loc, format("parameter '%s', written with values that depend on the selected inputs and "
                                  "of a length jvp cannot tell (list it in outputs(...) and declare it "
                                  "double %s[n])", p->name, p->name));
        return;
      }
      p->adj = ad_new_local(ad, format("t_%s", p->name), type_pointer_to(type_unqualified(p->type->base)), true);
      Expr *size = expr_sizeof_type(p->adj->type->base, loc);
      vec_push(start, stmt_expr(expr_assign(OP_NONE, expr_var(p->adj, loc),
                                            expr_call("calloc", p->adj->type, len, size))));
      vec_push(&fw->buffers, p->adj);
    } else {
      refuse(fw, p->loc, format("parameter '%s' of type '%s', written with values that depend on the selected "
                                "inputs", p->name, declare(p->type, "")));
      return;
    }
  }
  Vec vars = {0};
  for (int i = 0; i < ad->f->locals.len; i++)
    vec_push(&vars, ad->f->locals.items[i]);
  if (ad->result)
    vec_push(&vars, ad->result);
  for (int pass = 0; pass < 2; pass++) /* pointers after the arrays they point into */
  for (int i = 0; i < vars.len; i++) {
    Var *v = vars.items[i];
    Type *t = v->type;
    if (v->adj || (pass == 0) == (t->kind == TY_PTR && !v->is_heap))
      continue;
    if (t->kind == TY_PTR) {
      Var *m = memory_of(v);
      if (!(v->is_heap ? v->varied || (m != v && m->varied) : m != v && m->adj))
        continue;
      if (!type_is_floating(t->base)) {
        refuse(fw, v->loc, format("pointer '%s' of type '%s'", var_spelling(v), declare(t, "")));
        continue;
      }
      /* into a selected parameter's tangent: const like it */
      Type *tt = !v->is_heap && into_const_tangent(ad, m) ? type_pointer_to(const_of(t->base))
                                                         : type_pointer_to(type_unqualified(t->base));
      v->adj = own_local(fw, format("t_%s", v->name), tt);
      continue;
    }
    if (!memory_of(v)->varied || !type_has_floating(t))
      continue;
    Type *elem = t;
    while (elem->kind == TY_ARRAY)
      elem = elem->base;
    if (elem->kind == TY_STRUCT ? !type_is_plain_struct(elem) : !type_is_floating(elem)) {
      refuse(fw, v->loc, format("the local '%s' of type '%s'", var_spelling(v), declare(t, "")));
      continue;
    }
    for (Type *b = t; b->kind == TY_ARRAY; b = b->base)
      if (b->array_len < 0) {
        refuse(fw, v->loc, format("the local array '%s' of a length known at run time", var_spelling(v)));
        break;
      }
    v->adj = own_local(fw, format("t_%s", v->name), type_adjoint(t));
  }
  free(vars.items);
}

/* ---- locals nothing reads ---- */

static void drop_decls_of_set(Ad *ad, const PtrSet *vars) {
  for (int i = 0; i < ad->decls.len; i++) {
    Stmt *d = ad->decls.items[i];
    if (d->kind == ST_DECL && ptr_set_contains(vars, d->var))
      d->kind = ST_EMPTY;
  }
}

/* The local v that `lhs` stores into without reading it: v itself, or an
 * element of the array v (not through a pointer, which is a read). */
static Var *stored_var(Expr *lhs) {
  Expr *e = lhs;
  while (e->kind == EX_INDEX && e->lhs->type->kind == TY_ARRAY)
    e = e->lhs;
  return e->kind == EX_VAR && (e == lhs || e->var->type->kind == TY_ARRAY) ? e->var : NULL;
}

static WalkStep mark_read(Expr *e, void *read) {
  if (e->kind == EX_VAR)
    ptr_set_add(read, e->var);
  return WALK_ON;
}

static void note_reads(Expr *e, PtrSet *read) {
  if (e)
    walk_expr(e, &(Walker){.expr_pre = mark_read, .ctx = read});
}

static void collect_reads(Stmt *s, PtrSet *read) {
  if (!s || s->kind == ST_EMPTY)
    return;
  if (s->kind == ST_EXPR && s->expr->kind == EX_ASSIGN && stored_var(s->expr->lhs)) {
    note_reads(s->expr->rhs, read);
    for (Expr *e = s->expr->lhs; e->kind == EX_INDEX; e = e->lhs)
      note_reads(e->rhs, read);
  } else {
    note_reads(s->expr, read);
    note_reads(s->init, read);
    note_reads(s->step, read);
  }
  for (int i = 0; i < s->body.len; i++)
    collect_reads(s->body.items[i], read);
  collect_reads(s->then, read);
  collect_reads(s->els, read);
  collect_reads(s->for_init, read);
}

static void drop_stores(Stmt *s, const PtrSet *unread) {
  if (!s)
    return;
  if (s->kind == ST_EXPR && s->expr->kind == EX_ASSIGN && stored_var(s->expr->lhs) &&
      ptr_set_contains(unread, stored_var(s->expr->lhs)))
    s->kind = ST_EMPTY;
  for (int i = 0; i < s->body.len; i++)
    drop_stores(s->body.items[i], unread);
  drop_stores(s->then, unread);
  drop_stores(s->els, unread);
  drop_stores(s->for_init, unread);
}

/* A tangent that reaches no output (a global's local copy's, a parameter's
 * overwritten before use) and a kept call whose partial went unused: gcc
 * warns of a variable set but not used. */
static void drop_unread_locals(Forward *fw, Stmt *body) {
  for (bool changed = true; changed;) {
    changed = false;
    PtrSet read = {0}, unread = {0};
    collect_reads(body, &read);
    for (int i = 0; i < fw->own.len; i++) {
      Var *v = fw->own.items[i];
      if (v && !ptr_set_contains(&read, v)) {
        ptr_set_add(&unread, v);
        fw->own.items[i] = NULL;
        changed = true;
      }
    }
    drop_stores(body, &unread);
    drop_decls_of_set(fw->ad, &unread);
    ptr_set_free(&read);
    ptr_set_free(&unread);
  }
}

bool ad_forward(Ad *ad, const char **t_names) {
  Derivative *d = ad->deriv;
  Forward fw = {.ad = ad};
  Func *out = xcalloc(1, sizeof(Func));
  out->name = d->name;
  out->ret = d->primal->ret;
  out->loc = d->primal->loc;
  d->out = out;
  fw.out = out;
  Vec start = {0};
  setup_tangents(&fw, t_names, &start);
  if (ad->failed)
    return false;
  Vec body_stmts = {0};
  forward_stmt(&fw, ad->f->body, &body_stmts);
  if (ad->failed)
    return false;
  Stmt *body = stmt_block(out->loc);
  for (int i = 0; i < ad->decls.len; i++)
    vec_push(&body->body, ad->decls.items[i]);
  for (int i = 0; i < ad->f->params.len; i++)
    if (!*((Var *)d->primal->params.items[i])->name) {
      Stmt *v = stmt_expr(expr_cast(type_void(), expr_var(ad->f->params.items[i], out->loc)));
      v->note = "unnamed in the input";
      vec_push(&body->body, v);
    }
  for (int i = 0; i < start.len; i++)
    vec_push(&body->body, start.items[i]);
  Stmt *main_block = body_stmts.items[0];
  for (int i = 0; i < main_block->body.len; i++)
    vec_push(&body->body, main_block->body.items[i]);
  if (type_is_floating(out->ret) || out->ret->kind == TY_STRUCT) {
    Var *t_ret = out->params.items[ad->f->params.len + d->selected.len];
    Type *rt = t_ret->type->base;
    Expr *dst = expr_unary(EX_DEREF, expr_var(t_ret, out->loc), rt);
    Expr *value = ad->result->adj ? expr_var(ad->result->adj, out->loc) : zero(rt);
    if (!ad->result->adj && rt->kind == TY_STRUCT) { /* (R){0} */
      value = new_expr(EX_COMPOUND, rt, out->loc);
      value->lhs = new_expr(EX_INIT, rt, out->loc);
    }
    vec_push(&body->body, stmt_expr(expr_assign(OP_NONE, dst, value)));
  }
  for (int i = 0; i < fw.buffers.len; i++)
    vec_push(&body->body, stmt_call("free", expr_var(fw.buffers.items[i], out->loc)));
  for (int i = 0; i < ad->f->locals.len; i++) {
    Var *v = ad->f->locals.items[i];
    if (!v->is_vla)
      continue;
    vec_push(&body->body, stmt_call("free", expr_var(v, out->loc)));
    if (tangent_var(v))
      vec_push(&body->body, stmt_call("free", expr_var(tangent_var(v), out->loc)));
  }
  if (ad->result) {
    Stmt *r = new_stmt(ST_RETURN, out->loc);
    r->expr = expr_var(ad->result, out->loc);
    vec_push(&body->body, r);
  }
  drop_unread_locals(&fw, body);
  out->body = body;
  free(start.items);
  free(fw.own.items);
  free(fw.buffers.items);
  return true;
}
