/* Adjoint expressions: the chain rule.
 *
 * propagate() adds an adjoint times each partial derivative of an
 * expression into the adjoints of its operands: variables, array elements,
 * struct members, memory reached through pointers.  Products are built so
 * that an adjoint carried from one loop iteration to the next costs one
 * multiplication (split_core); math.h calls take their partial
 * derivatives, or their rewriting as conditionals (fabs, fmin, fmax), from
 * the table in math.c. */
#include "reverse.h"

#include <string.h>

static bool points_to_const(const Type *t) {
  for (t = t->base; t; t = t->kind == TY_PTR || t->kind == TY_ARRAY ? t->base : NULL)
    if (t->is_const)
      return true;
  return false;
}

Expr *adj_of(Expr *lv) {
  Expr *e;
  switch (lv->kind) {
  case EX_VAR: {
    Var *v = lv->var;
    assert(v->adj); /* every active variable has one from setup_adjoints on */
    e = expr_var(v->adj, lv->loc);
    if (v->adj_is_pointer)
      e = expr_unary(EX_DEREF, e, v->adj->type->base);
    return e;
  }
  case EX_INDEX:
    e = new_expr(EX_INDEX, type_adjoint(lv->type), lv->loc);
    e->lhs = adj_of(lv->lhs);
    e->rhs = expr_copy(lv->rhs);
    return e;
  case EX_MEMBER:
    e = new_expr(EX_MEMBER, type_adjoint(lv->type), lv->loc);
    e->lhs = adj_of(lv->lhs);
    e->text = lv->text;
    e->arrow = lv->arrow;
    /* a `const double *w` member: the gradient struct has the same type, but
     * the caller's gradient buffer behind it is writable (design 1.7) */
    if (lv->type->kind == TY_PTR && points_to_const(lv->type))
      e = expr_cast(e->type, e);
    return e;
  case EX_DEREF:
    return expr_unary(EX_DEREF, adj_of(lv->lhs), type_adjoint(lv->type));
  case EX_CAST:
    return adj_of(lv->lhs);
  case EX_ADDR:
    return expr_unary(EX_ADDR, adj_of(lv->lhs), type_adjoint(lv->type));
  case EX_BINARY: {
    bool left = lv->lhs->type->kind == TY_PTR || lv->lhs->type->kind == TY_ARRAY;
    e = expr_binary(lv->op, left ? adj_of(lv->lhs) : expr_copy(lv->lhs), left ? expr_copy(lv->rhs) : adj_of(lv->rhs),
                    type_adjoint(lv->type));
    return e;
  }
  default:
    return NULL;
  }
}

Expr *member_of(Expr *base, Member *m) {
  Expr *e = new_expr(EX_MEMBER, type_adjoint(m->type), base->loc);
  e->lhs = expr_copy(base);
  e->text = m->name;
  return e;
}

void emit(Vec *out, Expr *e) { vec_push(out, stmt_expr(e)); }

static Expr *element_of(Expr *base, long k) {
  Expr *e = new_expr(EX_INDEX, type_adjoint(base->type->base), base->loc);
  e->lhs = expr_copy(base);
  e->rhs = expr_num(format("%ld", k), type_int());
  return e;
}

/* target += adj, member by member for structs; `primal` is the value whose
 * adjoint target is (arrays need its shape). */
static void accumulate_like(Expr *target, Expr *adj, Expr *primal, Vec *out) {
  Type *t = target->type;
  if (type_is_array_value(t)) {
    Expr *call = expr_runtime_call(CALL_RUNTIME, "vg_accumulate", type_void(),
                                   expr_unary(EX_ADDR, target, type_pointer_to(t)), expr_copy(primal));
    vec_push(&call->args, adj);
    if (adj->kind == EX_VAR) { /* checked non-NULL by the caller */
      emit(out, call);
      return;
    }
    Stmt *guard = new_stmt(ST_IF, adj->loc); /* a NULL adjoint is zero */
    guard->expr = expr_copy(adj);
    guard->then = stmt_expr(call);
    vec_push(out, guard);
    return;
  }
  if (t->kind == TY_STRUCT) {
    for (int i = 0; i < t->nmembers; i++)
      if (type_has_floating(t->members[i].type))
        accumulate_like(member_of(target, &t->members[i]), member_of(adj, &t->members[i]),
                        primal ? member_of(primal, &t->members[i]) : NULL, out);
    return;
  }
  if (t->kind == TY_ARRAY && t->array_len >= 0) { /* an array member: element by element */
    for (long k = 0; k < t->array_len; k++)
      accumulate_like(element_of(target, k), element_of(adj, k), primal ? element_of(primal, k) : NULL, out);
    return;
  }
  if (!type_is_floating(t))
    return;
  if (!type_is_complex(t) && type_is_complex(adj->type)) {
    /* a real operand of a complex operation: the real part (README, Complex numbers) */
    emit(out, expr_assign(OP_ADD, target, expr_call(type_is_single(adj->type) ? "crealf" : "creal", t, adj, NULL)));
    return;
  }
  if (adj->kind == EX_NEG)
    emit(out, expr_assign(OP_SUB, target, adj->lhs));
  else
    emit(out, expr_assign(OP_ADD, target, adj));
}

void accumulate(Expr *target, Expr *adj, Vec *out) { accumulate_like(target, adj, NULL, out); }

void clear(Expr *target, Vec *out) {
  Type *t = target->type;
  if (type_is_array_value(t)) {
    emit(out, expr_runtime_call(CALL_RUNTIME, "vg_free", type_void(), expr_copy(target), NULL));
    emit(out, expr_assign(OP_NONE, target, expr_num("0", type_int())));
    return;
  }
  if (t->kind == TY_STRUCT) {
    for (int i = 0; i < t->nmembers; i++)
      if (type_has_floating(t->members[i].type))
        clear(member_of(target, &t->members[i]), out);
    return;
  }
  if (t->kind == TY_ARRAY && t->array_len >= 0) {
    for (long k = 0; k < t->array_len; k++)
      clear(element_of(target, k), out);
    return;
  }
  if (type_is_floating(t))
    emit(out, expr_assign(OP_NONE, target, expr_num("0", type_int())));
}

Dest into(Vec *out) { return (Dest){.out = out}; }

/* The same form of adjoints into another list (a branch of ?:): a
 * variable's contributions to its own adjoint are summed only at the
 * statement's level. */
static Dest elsewhere(Dest to, Vec *out) {
  to.out = out;
  to.self = NULL;
  to.self_terms = NULL;
  return to;
}

/* Factor-first adjoints: with a core (the adjoint of a self-assignment in
 * a loop, x = x + h * sin(p * x)), the adjoint reaching an operand is
 * built as core * (partial * partial ...), the partials multiplied
 * together before the adjoint.  The adjoint carried from one iteration to
 * the next then passes through one multiplication per statement, not one
 * per operator on the way down.  split_core takes such an adjoint apart;
 * false when adj is not of that form (or there is no core). */
static bool split_core(Var *core, Expr *adj, bool *negated, Expr **factor) {
  *negated = false;
  *factor = NULL;
  if (!core)
    return false;
  while (adj->kind == EX_NEG) {
    *negated = !*negated;
    adj = adj->lhs;
  }
  if (adj->kind == EX_VAR && adj->var == core)
    return true;
  if (adj->kind != EX_BINARY || adj->op != OP_MUL)
    return false;
  Expr *l = adj->lhs;
  bool inner = false;
  while (l->kind == EX_NEG) {
    inner = !inner;
    l = l->lhs;
  }
  if (l->kind != EX_VAR || l->var != core)
    return false;
  *negated ^= inner;
  *factor = adj->rhs;
  return true;
}

/* A variable, a constant or an element of an array at such an index: as
 * cheap to read again as a temporary. */
static bool is_plain_read(Expr *e) {
  switch (e->kind) {
  case EX_VAR:
  case EX_NUM:
    return true;
  case EX_INDEX:
    return is_plain_read(e->lhs) && is_plain_read(e->rhs);
  case EX_DEREF:
    return is_plain_read(e->lhs);
  case EX_MEMBER:
    return is_plain_read(e->lhs);
  default:
    return false;
  }
}

static Expr *core_times(Var *core, bool negated, Expr *factor, Type *type, Loc loc) {
  Expr *e = expr_var(core, loc);
  if (factor)
    e = expr_binary(OP_MUL, e, factor, type);
  return negated ? neg(e) : e;
}

/* An adjoint used more than once is computed once into a temporary (for a
 * factor-first adjoint, its factor), declared in to.out. */
Expr *share(Ad *ad, Expr *adj, Type *type, Dest to) {
  Vec *out = to.out;
  bool negated;
  Expr *factor;
  if (split_core(to.core, adj, &negated, &factor)) {
    if (!factor || is_plain_read(factor))
      return adj;
    Var *t = ad_new_local(ad, "factor", type_unqualified(type), false);
    Stmt *d = new_stmt(ST_DECL, adj->loc);
    d->var = t;
    d->init = factor;
    vec_push(out, d);
    return core_times(to.core, negated, expr_var(t, adj->loc), type, adj->loc);
  }
  Expr *core = adj->kind == EX_NEG ? adj->lhs : adj;
  if (core->kind == EX_VAR || core->kind == EX_NUM ||
      (core->kind == EX_DEREF && core->lhs->kind == EX_VAR) || type->kind == TY_STRUCT)
    return adj;
  Var *t = ad_new_local(ad, "adj", type_unqualified(type), false);
  Stmt *d = new_stmt(ST_DECL, adj->loc);
  d->var = t;
  d->init = adj;
  vec_push(out, d);
  return expr_var(t, adj->loc);
}

/* -a, with the sign moved outward: -(-x * y) is x * y. */
Expr *neg(Expr *a) {
  if (a->kind == EX_NEG)
    return a->lhs;
  if (a->kind == EX_BINARY && (a->op == OP_MUL || a->op == OP_DIV) && a->lhs->kind == EX_NEG)
    return expr_binary(a->op, a->lhs->lhs, a->rhs, a->type);
  return expr_unary(EX_NEG, a, a->type);
}

/* a * b or a / b with a leading minus of a taken outside; a factor-first
 * adjoint core * f becomes core * (f op b). */
static Expr *product(Var *core, BinOp op, Expr *a, Expr *b, Type *type) {
  bool negated;
  Expr *factor;
  if (split_core(core, a, &negated, &factor)) {
    if (factor)
      return core_times(core, negated, expr_binary(op, factor, b, type), type, a->loc);
    if (op == OP_MUL)
      return core_times(core, negated, b, type, a->loc);
  }
  if (a->kind == EX_NEG)
    return expr_unary(EX_NEG, expr_binary(op, a->lhs, b, type), type);
  if (a->kind == EX_BINARY && (a->op == OP_MUL || a->op == OP_DIV) && a->lhs->kind == EX_NEG)
    return expr_unary(EX_NEG, expr_binary(op, expr_binary(a->op, a->lhs->lhs, a->rhs, a->type), b, type), type);
  return expr_binary(op, a, b, type);
}

bool is_one(Expr *e) { return e->kind == EX_NUM && (!strcmp(e->text, "1.0") || !strcmp(e->text, "1.0f")); }

static Expr *times(Var *core, Expr *adj, Expr *factor, Type *type) {
  if (is_one(factor))
    return adj;
  if (factor->kind == EX_NEG)
    return neg(product(core, OP_MUL, adj, factor->lhs, type));
  return product(core, OP_MUL, adj, factor, type);
}

/* Adds `adj` times d(e)/d(operand) into the adjoint of every active
 * operand: the code into to.out, in the form `to` asks for. */
void propagate(Ad *ad, Expr *e, Expr *adj, Dest to) {
  assert(to.out && (!to.self || (to.core && to.self_terms)));
  if (!ad_expr_active(e))
    return;
  if (type_is_floating(e->type) && !type_is_complex(e->type) && type_is_complex(adj->type))
    adj = expr_call(type_is_single(adj->type) ? "crealf" : "creal", e->type, adj, NULL); /* a real value: the real part */
  Vec *out = to.out;
  switch (e->kind) {
  case EX_VAR:
  case EX_INDEX:
  case EX_MEMBER:
  case EX_DEREF: {
    bool negated;
    Expr *factor;
    if (e->kind == EX_VAR && to.self && e->var == to.self && split_core(to.core, adj, &negated, &factor)) {
      Term *t = xcalloc(1, sizeof(Term));
      t->negated = negated;
      t->factor = factor;
      vec_push(to.self_terms, t);
      return;
    }
    accumulate_like(adj_of(e), adj, e, out);
    return;
  }
  case EX_NEG:
    propagate(ad, e->lhs, neg(adj), to);
    return;
  case EX_PLUS:
  case EX_CAST:
    propagate(ad, e->lhs, adj, to);
    return;
  case EX_COMPOUND:
    propagate(ad, e->lhs, adj, to);
    return;
  case EX_INIT: /* fully braced (the frontend refuses the rest): value i is member or element i */
    if (e->type->kind == TY_STRUCT)
      for (int i = 0; i < e->args.len && i < e->type->nmembers; i++)
        propagate(ad, e->args.items[i], member_of(adj, &e->type->members[i]), to);
    if (e->type->kind == TY_ARRAY)
      for (int i = 0; i < e->args.len; i++)
        propagate(ad, e->args.items[i], element_of(adj, i), to);
    return;
  case EX_COND: {
    Stmt *s = new_stmt(ST_IF, e->loc);
    s->expr = expr_copy(e->cond);
    s->then = stmt_block(e->loc);
    s->els = stmt_block(e->loc);
    propagate(ad, e->lhs, adj, elsewhere(to, &s->then->body));
    propagate(ad, e->rhs, adj, elsewhere(to, &s->els->body));
    if (!s->then->body.len) {
      /* only the false side is active: if (!cond) */
      s->expr = expr_unary(EX_NOT, s->expr, type_int());
      s->then = s->els;
      s->els = NULL;
    } else if (!s->els->body.len) {
      s->els = NULL;
    }
    vec_push(out, s);
    return;
  }
  case EX_BINARY: {
    bool both = ad_expr_active(e->lhs) && ad_expr_active(e->rhs);
    if (both)
      adj = share(ad, adj, e->type, to);
    switch (e->op) {
    case OP_ADD:
      propagate(ad, e->lhs, adj, to);
      propagate(ad, e->rhs, adj, to);
      return;
    case OP_SUB:
      propagate(ad, e->lhs, adj, to);
      propagate(ad, e->rhs, neg(adj), to);
      return;
    case OP_MUL:
      if (expr_equal(e->lhs, e->rhs) && !expr_has_kind(e->lhs, EX_CALL)) {
        /* x * x: one term, 2 * x */
        Expr *two = expr_num(type_is_single(e->type) ? "2.0f" : "2.0", e->type);
        propagate(ad, e->lhs, times(to.core, adj, expr_binary(OP_MUL, two, expr_copy(e->rhs), e->type), e->type), to);
        return;
      }
      propagate(ad, e->lhs, times(to.core, adj, expr_copy(e->rhs), e->type), to);
      propagate(ad, e->rhs, times(to.core, adj, expr_copy(e->lhs), e->type), to);
      return;
    case OP_DIV:
      if (both && type_is_floating(e->type)) {
        /* one division: r = 1 / y, then x's adjoint adj * r, y's -adj * x * r * r */
        Var *r = ad_new_local(ad, "recip", type_unqualified(e->type), false);
        Stmt *d = new_stmt(ST_DECL, e->loc);
        d->var = r;
        d->init = expr_binary(OP_DIV, expr_num(type_is_single(e->type) ? "1.0f" : "1.0", e->type),
                              expr_copy(e->rhs), e->type);
        vec_push(out, d);
        Expr *rv = expr_var(r, e->loc);
        propagate(ad, e->lhs, times(to.core, adj, rv, e->type), to);
        propagate(ad, e->rhs,
                  neg(times(to.core, times(to.core, adj, expr_copy(e->lhs), e->type),
                            expr_binary(OP_MUL, expr_copy(rv), expr_copy(rv), e->type), e->type)),
                  to);
        return;
      }
      propagate(ad, e->lhs, product(to.core, OP_DIV, adj, expr_copy(e->rhs), e->type), to);
      propagate(ad, e->rhs,
                neg(product(to.core, OP_DIV, times(to.core, adj, expr_copy(e->lhs), e->type),
                            expr_binary(OP_MUL, expr_copy(e->rhs), expr_copy(e->rhs), e->type), e->type)),
                to);
      return;
    default:
      return;
    }
  }
  case EX_CALL: {
    if (e->custom) { /* custom_vjp(g): g's rule */
      ad_custom_vjp(ad, e, adj, out);
      return;
    }
    if (!strcmp(e->text, "vg_item")) {
      Expr *a = e->args.items[0];
      Expr *call = expr_runtime_call(CALL_RUNTIME, "vg_item_vjp", type_void(), expr_copy(a), adj);
      vec_push(&call->args, expr_unary(EX_ADDR, adj_of(a), type_pointer_to(a->type)));
      emit(out, call);
      return;
    }
    Expr *c = ad_math_conditional(e);
    if (c) {
      propagate(ad, c, adj, to);
      return;
    }
    const MathFunc *m = ad_math_lookup(e->text);
    if (m && m->piecewise == MATH_CONJUGATE) { /* conj(z): z's adjoint gains conj(adj) */
      propagate(ad, e->args.items[0], expr_call(e->text, e->type, adj, NULL), to);
      return;
    }
    int nactive = 0;
    for (int i = 0; i < e->args.len; i++)
      nactive += ad_expr_active(e->args.items[i]);
    if (nactive > 1)
      adj = share(ad, adj, e->type, to);
    for (int i = 0; i < e->args.len; i++) {
      if (!ad_expr_active(e->args.items[i]))
        continue;
      Expr *partial = ad_math_partial(ad, e, i);
      if (partial)
        propagate(ad, e->args.items[i], times(to.core, adj, partial, e->type), to);
    }
    return;
  }
  default:
    return;
  }
}
