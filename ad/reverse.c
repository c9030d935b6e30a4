/* The forward and reverse sweeps.
 *
 * The forward sweep is the normalised primal, plus a save of each value
 * about to be overwritten and a flag for each branch taken.  The reverse
 * sweep visits the statements backwards: for `v = e` it restores v's old
 * value, then adds d_v times each partial derivative of e into the
 * adjoints of e's operands, and clears d_v.  Partial derivatives read the
 * primal variables, which at that point hold the values they had when the
 * statement ran.  Saves whose value the reverse sweep never reads are
 * dropped afterwards (to-be-recorded analysis), and so are unused flags. */
#include "ad.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* ---- adjoint expressions ---- */

static Expr *adj_of(Expr *lv) {
  Expr *e;
  switch (lv->kind) {
  case EX_VAR: {
    Var *v = lv->var;
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

static Expr *member_of(Expr *base, Member *m) {
  Expr *e = new_expr(EX_MEMBER, type_adjoint(m->type), base->loc);
  e->lhs = expr_copy(base);
  e->text = m->name;
  return e;
}

static void emit(Vec *out, Expr *e) { vec_push(out, stmt_expr(e)); }

static Expr *element_of(Expr *base, long k) {
  Expr *e = new_expr(EX_INDEX, type_adjoint(base->type->base), base->loc);
  e->lhs = expr_copy(base);
  e->rhs = expr_num(format("%ld", k), type_int());
  return e;
}

static Type *void_type(void);

/* target += adj, member by member for structs; `primal` is the value whose
 * adjoint target is (arrays need its shape). */
static void accumulate_like(Expr *target, Expr *adj, Expr *primal, Vec *out) {
  Type *t = target->type;
  if (type_is_array_value(t)) {
    Expr *call = expr_call("vg_accumulate", void_type(), expr_unary(EX_ADDR, target, type_pointer_to(t)),
                           expr_copy(primal));
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
  if (adj->kind == EX_NEG)
    emit(out, expr_assign(OP_SUB, target, adj->lhs));
  else
    emit(out, expr_assign(OP_ADD, target, adj));
}

static void accumulate(Expr *target, Expr *adj, Vec *out) { accumulate_like(target, adj, NULL, out); }

static void clear(Expr *target, Vec *out) {
  Type *t = target->type;
  if (type_is_array_value(t)) {
    emit(out, expr_call("vg_free", void_type(), expr_copy(target), NULL));
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

/* Factor-first adjoints: while ad->adj_core is set (the adjoint of a
 * self-assignment in a loop, x = x + h * sin(p * x)), the adjoint reaching
 * an operand is built as core * (partial * partial ...), the partials
 * multiplied together before the adjoint.  The adjoint carried from one
 * iteration to the next then passes through one multiplication per
 * statement, not one per operator on the way down.  split_core takes such
 * an adjoint apart; false when adj is not of that form. */
static bool split_core(Ad *ad, Expr *adj, bool *negated, Expr **factor) {
  *negated = false;
  *factor = NULL;
  if (!ad->adj_core)
    return false;
  while (adj->kind == EX_NEG) {
    *negated = !*negated;
    adj = adj->lhs;
  }
  if (adj->kind == EX_VAR && adj->var == ad->adj_core)
    return true;
  if (adj->kind != EX_BINARY || adj->op != OP_MUL)
    return false;
  Expr *l = adj->lhs;
  bool inner = false;
  while (l->kind == EX_NEG) {
    inner = !inner;
    l = l->lhs;
  }
  if (l->kind != EX_VAR || l->var != ad->adj_core)
    return false;
  *negated ^= inner;
  *factor = adj->rhs;
  return true;
}

/* One contribution to the self-assignment's own adjoint (see propagate_self). */
typedef struct {
  bool negated;
  Expr *factor; /* NULL: 1 */
} Term;

static Expr *neg(Expr *a);

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

static Expr *core_times(Ad *ad, bool negated, Expr *factor, Type *type, Loc loc) {
  Expr *e = expr_var(ad->adj_core, loc);
  if (factor)
    e = expr_binary(OP_MUL, e, factor, type);
  return negated ? neg(e) : e;
}

/* An adjoint used more than once is computed once into a temporary (for a
 * factor-first adjoint, its factor). */
static Expr *share(Ad *ad, Expr *adj, Type *type, Vec *out) {
  bool negated;
  Expr *factor;
  if (split_core(ad, adj, &negated, &factor)) {
    if (!factor || is_plain_read(factor))
      return adj;
    Var *t = ad_new_local(ad, "factor", type_unqualified(type), false);
    Stmt *d = new_stmt(ST_DECL, adj->loc);
    d->var = t;
    d->init = factor;
    vec_push(out, d);
    return core_times(ad, negated, expr_var(t, adj->loc), type, adj->loc);
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
static Expr *neg(Expr *a) {
  if (a->kind == EX_NEG)
    return a->lhs;
  if (a->kind == EX_BINARY && (a->op == OP_MUL || a->op == OP_DIV) && a->lhs->kind == EX_NEG)
    return expr_binary(a->op, a->lhs->lhs, a->rhs, a->type);
  return expr_unary(EX_NEG, a, a->type);
}

/* a * b or a / b with a leading minus of a taken outside; a factor-first
 * adjoint core * f becomes core * (f op b). */
static Expr *product(Ad *ad, BinOp op, Expr *a, Expr *b, Type *type) {
  bool negated;
  Expr *factor;
  if (split_core(ad, a, &negated, &factor)) {
    if (factor)
      return core_times(ad, negated, expr_binary(op, factor, b, type), type, a->loc);
    if (op == OP_MUL)
      return core_times(ad, negated, b, type, a->loc);
  }
  if (a->kind == EX_NEG)
    return expr_unary(EX_NEG, expr_binary(op, a->lhs, b, type), type);
  if (a->kind == EX_BINARY && (a->op == OP_MUL || a->op == OP_DIV) && a->lhs->kind == EX_NEG)
    return expr_unary(EX_NEG, expr_binary(op, expr_binary(a->op, a->lhs->lhs, a->rhs, a->type), b, type), type);
  return expr_binary(op, a, b, type);
}

static bool is_one(Expr *e) { return e->kind == EX_NUM && (!strcmp(e->text, "1.0") || !strcmp(e->text, "1.0f")); }

static Expr *times(Ad *ad, Expr *adj, Expr *factor, Type *type) {
  if (is_one(factor))
    return adj;
  if (factor->kind == EX_NEG)
    return neg(product(ad, OP_MUL, adj, factor->lhs, type));
  return product(ad, OP_MUL, adj, factor, type);
}

static Expr *cond_expr(Expr *cond, Expr *a, Expr *b, Type *type) {
  Expr *e = new_expr(EX_COND, type, a->loc);
  e->cond = cond;
  e->lhs = a;
  e->rhs = b;
  return e;
}

/* fabs, fmin and fmax as ?:, so they route the adjoint like a branch.
 * fmin and fmax return the other operand when one is NaN, so the adjoint
 * follows: to x when x wins (ties too) or y is NaN, else to y.  The
 * branches are the operands themselves, not copies: a copy would show an
 * inner call kept in a variable (cache_calls) as that variable, through
 * which propagate finds nothing active. */
static Expr *as_conditional(Expr *call) {
  const char *n = call->text;
  Expr *a = call->args.items[0];
  if (!strcmp(n, "fabs") || !strcmp(n, "fabsf"))
    return cond_expr(expr_binary(OP_LT, expr_copy(a), expr_num("0", type_int()), type_int()),
                     expr_unary(EX_NEG, a, call->type), a, call->type);
  bool is_min = !strcmp(n, "fmin") || !strcmp(n, "fminf");
  bool is_max = !strcmp(n, "fmax") || !strcmp(n, "fmaxf");
  if (!is_min && !is_max)
    return NULL;
  Expr *b = call->args.items[1];
  Expr *cond = expr_binary(is_min ? OP_LE : OP_GE, expr_copy(a), expr_copy(b), type_int());
  Expr *plain_b = b;
  while (plain_b->kind == EX_CAST || plain_b->kind == EX_NEG || plain_b->kind == EX_PLUS)
    plain_b = plain_b->lhs;
  if (plain_b->kind != EX_NUM) /* a constant is never NaN */
    cond = expr_binary(OP_LOR, cond, expr_call("isnan", type_int(), expr_copy(b), NULL), type_int());
  return cond_expr(cond, a, b, call->type);
}

/* Adds `adj` times d(e)/d(operand) into the adjoint of every active operand. */
static void propagate(Ad *ad, Expr *e, Expr *adj, Vec *out) {
  if (!ad_expr_active(e))
    return;
  switch (e->kind) {
  case EX_VAR:
  case EX_INDEX:
  case EX_MEMBER:
  case EX_DEREF: {
    bool negated;
    Expr *factor;
    if (e->kind == EX_VAR && e->var == ad->merge_var && out == ad->merge_out && split_core(ad, adj, &negated, &factor)) {
      Term *t = xcalloc(1, sizeof(Term));
      t->negated = negated;
      t->factor = factor;
      vec_push(ad->merge_terms, t);
      return;
    }
    accumulate_like(adj_of(e), adj, e, out);
    return;
  }
  case EX_NEG:
    propagate(ad, e->lhs, neg(adj), out);
    return;
  case EX_PLUS:
  case EX_CAST:
    propagate(ad, e->lhs, adj, out);
    return;
  case EX_COMPOUND:
    propagate(ad, e->lhs, adj, out);
    return;
  case EX_INIT: /* fully braced (the frontend refuses the rest): value i is member or element i */
    if (e->type->kind == TY_STRUCT)
      for (int i = 0; i < e->args.len && i < e->type->nmembers; i++)
        propagate(ad, e->args.items[i], member_of(adj, &e->type->members[i]), out);
    if (e->type->kind == TY_ARRAY)
      for (int i = 0; i < e->args.len; i++)
        propagate(ad, e->args.items[i], element_of(adj, i), out);
    return;
  case EX_COND: {
    Stmt *s = new_stmt(ST_IF, e->loc);
    s->expr = expr_copy(e->cond);
    s->then = stmt_block(e->loc);
    s->els = stmt_block(e->loc);
    propagate(ad, e->lhs, adj, &s->then->body);
    propagate(ad, e->rhs, adj, &s->els->body);
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
      adj = share(ad, adj, e->type, out);
    switch (e->op) {
    case OP_ADD:
      propagate(ad, e->lhs, adj, out);
      propagate(ad, e->rhs, adj, out);
      return;
    case OP_SUB:
      propagate(ad, e->lhs, adj, out);
      propagate(ad, e->rhs, neg(adj), out);
      return;
    case OP_MUL:
      if (!strcmp(expr_to_c(e->lhs), expr_to_c(e->rhs)) && !expr_has_kind(e->lhs, EX_CALL)) {
        /* x * x: one term, 2 * x */
        Expr *two = expr_num(type_is_floating(e->type) && e->type->kind == TY_FLOAT ? "2.0f" : "2.0", e->type);
        propagate(ad, e->lhs, times(ad, adj, expr_binary(OP_MUL, two, expr_copy(e->rhs), e->type), e->type), out);
        return;
      }
      propagate(ad, e->lhs, times(ad, adj, expr_copy(e->rhs), e->type), out);
      propagate(ad, e->rhs, times(ad, adj, expr_copy(e->lhs), e->type), out);
      return;
    case OP_DIV:
      if (both && type_is_floating(e->type)) {
        /* one division: r = 1 / y, then x's adjoint adj * r, y's -adj * x * r * r */
        Var *r = ad_new_local(ad, "recip", type_unqualified(e->type), false);
        Stmt *d = new_stmt(ST_DECL, e->loc);
        d->var = r;
        d->init = expr_binary(OP_DIV, expr_num(e->type->kind == TY_FLOAT ? "1.0f" : "1.0", e->type),
                              expr_copy(e->rhs), e->type);
        vec_push(out, d);
        Expr *rv = expr_var(r, e->loc);
        propagate(ad, e->lhs, times(ad, adj, rv, e->type), out);
        propagate(ad, e->rhs,
                  neg(times(ad, times(ad, adj, expr_copy(e->lhs), e->type),
                            expr_binary(OP_MUL, expr_copy(rv), expr_copy(rv), e->type), e->type)),
                  out);
        return;
      }
      propagate(ad, e->lhs, product(ad, OP_DIV, adj, expr_copy(e->rhs), e->type), out);
      propagate(ad, e->rhs,
                neg(product(ad, OP_DIV, times(ad, adj, expr_copy(e->lhs), e->type),
                            expr_binary(OP_MUL, expr_copy(e->rhs), expr_copy(e->rhs), e->type), e->type)),
                out);
      return;
    default:
      return;
    }
  }
  case EX_CALL: {
    if (!strcmp(e->text, "vg_item")) {
      Expr *a = e->args.items[0];
      Expr *call = expr_call("vg_item_vjp", void_type(), expr_copy(a), adj);
      vec_push(&call->args, expr_unary(EX_ADDR, adj_of(a), type_pointer_to(a->type)));
      emit(out, call);
      return;
    }
    Expr *c = as_conditional(e);
    if (c) {
      propagate(ad, c, adj, out);
      return;
    }
    int nactive = 0;
    for (int i = 0; i < e->args.len; i++)
      nactive += ad_expr_active(e->args.items[i]);
    if (nactive > 1)
      adj = share(ad, adj, e->type, out);
    for (int i = 0; i < e->args.len; i++) {
      if (!ad_expr_active(e->args.items[i]))
        continue;
      Expr *partial = ad_math_partial(ad, e, i);
      if (partial)
        propagate(ad, e->args.items[i], times(ad, adj, partial, e->type), out);
    }
    return;
  }
  default:
    return;
  }
}

/* ---- the tape ---- */

static Type *void_type(void) {
  static Type t = {.kind = TY_VOID, .name = "void"};  /* shared, never changed */
  return &t;
}

Var *ad_tape(Ad *ad) {
  if (!ad->tape) {
    Type *t = xcalloc(1, sizeof(Type));
    t->kind = TY_STRUCT;
    t->name = "vg_tape";
    ad->tape = ad_new_local(ad, "tape", t, true);
  }
  return ad->tape;
}

/* Every array the forward sweep makes, freed when the function ends. */
static Var *arrays_list(Ad *ad) {
  if (!ad->arrays) {
    Type *t = xcalloc(1, sizeof(Type));
    t->kind = TY_STRUCT;
    t->name = "vg_tape";
    ad->arrays = ad_new_local(ad, "arrays", t, true);
  }
  return ad->arrays;
}

static Expr *tape_ref_of(Var *t) { return expr_unary(EX_ADDR, expr_var(t, (Loc){0}), type_pointer_to(t->type)); }

static Expr *tape_ref(Ad *ad) { return tape_ref_of(ad_tape(ad)); }

/* Which of the tape's stacks holds a value of type t. */
static const char *stack_of(Type *t) {
  if (t->kind == TY_PTR)
    return "ptr";
  if (type_is_integer(t) && (!strcmp(t->name, "int") || !strcmp(t->name, "short") || !strcmp(t->name, "char") ||
                             !strcmp(t->name, "signed char") || !strcmp(t->name, "_Bool")))
    return "i32";
  return "f64"; /* doubles, floats, and wider integers (exact below 2^53) */
}

Expr *ad_tape_push(Ad *ad, Expr *value) {
  const char *stack = stack_of(value->type);
  Expr *v = value;
  if (!strcmp(stack, "ptr")) {
    v = new_expr(EX_CAST, type_pointer_to(void_type()), value->loc);
    v->lhs = value;
  }
  return expr_call(format("vg_tape_push_%s", stack), void_type(), tape_ref(ad), v);
}

Expr *ad_tape_pop(Ad *ad, Type *type) {
  Expr *pop = expr_call(format("vg_tape_pop_%s", stack_of(type)), type, tape_ref(ad), NULL);
  if (type_is_integer(type) && !strcmp(stack_of(type), "f64")) {
    Expr *c = new_expr(EX_CAST, type, pop->loc);
    c->lhs = pop;
    return c;
  }
  return pop;
}

/* ---- statements ---- */

static void mark_slot(Stmt *s, Slot *slot) {
  s->slot = slot;
  for (int i = 0; i < s->body.len; i++)
    mark_slot(s->body.items[i], slot);
}

static Stmt *block_of(Stmt *a, Stmt *b) {
  Stmt *blk = stmt_block(a->loc);
  vec_push(&blk->body, a);
  if (b)
    vec_push(&blk->body, b);
  return blk;
}

/* The scalar parts of a struct lvalue, member by member and (fixed arrays)
 * element by element, nested structs included.  False when a part cannot be
 * pushed and assigned back (a union, a const or variable-length part). */
static bool scalar_parts(Expr *lv, Vec *out) {
  Type *t = lv->type;
  if (t->is_const)
    return false;
  if (t->kind == TY_STRUCT) {
    if (t->is_union)
      return false;
    for (int i = 0; i < t->nmembers; i++) {
      Expr *m = new_expr(EX_MEMBER, t->members[i].type, lv->loc);
      m->lhs = expr_copy(lv);
      m->text = t->members[i].name;
      if (!scalar_parts(m, out))
        return false;
    }
    return true;
  }
  if (t->kind == TY_ARRAY) {
    if (t->array_len < 0)
      return false;
    for (long k = 0; k < t->array_len; k++) {
      Expr *e = new_expr(EX_INDEX, t->base, lv->loc);
      e->lhs = expr_copy(lv);
      e->rhs = expr_num(format("%ld", k), type_int());
      if (!scalar_parts(e, out))
        return false;
    }
    return true;
  }
  if (!type_is_floating(t) && !type_is_integer(t) && t->kind != TY_PTR)
    return false;
  vec_push(out, lv);
  return true;
}

/* Saves and restores of one lvalue: on the tape inside loops, else in a
 * local.  False when the tape cannot hold it (see scalar_parts). */
static bool save_restore(Ad *ad, Expr *lhs, const char *name, Stmt **save, Stmt **restore, Var **save_var) {
  if (ad->loop_depth > 0 && lhs->type->kind == TY_STRUCT) {
    /* The tape holds scalars: a struct goes on it part by part and comes
     * back in the opposite order. */
    Vec parts = {0};
    bool ok = scalar_parts(lhs, &parts);
    *save = stmt_block(lhs->loc);
    *restore = stmt_block(lhs->loc);
    for (int i = 0; i < parts.len; i++)
      vec_push(&(*save)->body, stmt_expr(ad_tape_push(ad, expr_copy(parts.items[i]))));
    for (int i = parts.len - 1; i >= 0; i--) {
      Expr *part = parts.items[i];
      vec_push(&(*restore)->body,
               stmt_expr(expr_assign(OP_NONE, expr_copy(part), ad_tape_pop(ad, type_unqualified(part->type)))));
    }
    free(parts.items);
    return ok;
  }
  if (ad->loop_depth > 0) {
    *save = stmt_expr(ad_tape_push(ad, expr_copy(lhs)));
    *restore = stmt_expr(expr_assign(OP_NONE, expr_copy(lhs), ad_tape_pop(ad, type_unqualified(lhs->type))));
  } else {
    Var *v = ad_new_local(ad, format("save_%s", name), type_unqualified(lhs->type), true);
    *save = stmt_expr(expr_assign(OP_NONE, expr_var(v, lhs->loc), expr_copy(lhs)));
    *restore = stmt_expr(expr_assign(OP_NONE, expr_copy(lhs), expr_var(v, lhs->loc)));
    *save_var = v;
  }
  return true;
}

Var *ad_redo(Ad *ad) {
  if (!ad->redo) {
    Type *t = xcalloc(1, sizeof(Type));
    t->kind = TY_STRUCT;
    t->name = "vg_tape";
    ad->redo = ad_new_local(ad, "redo", t, true);
  }
  return ad->redo;
}

/* Only variables and constants: the value is the same when the reverse sweep
 * evaluates it, once those variables are restored. */
static bool plain_operand(Expr *e) {
  switch (e->kind) {
  case EX_NUM:
  case EX_SIZEOF:
    return true;
  case EX_VAR:
    return !e->var->is_global && (type_is_integer(e->var->type));
  case EX_CAST:
  case EX_NEG:
    return plain_operand(e->lhs);
  case EX_BINARY:
    return (e->op == OP_ADD || e->op == OP_SUB || e->op == OP_MUL) && plain_operand(e->lhs) && plain_operand(e->rhs);
  default:
    return false;
  }
}

/* `v = v + E` or `v += E` on an integer or pointer variable is undone
 * exactly by subtracting E again: nothing to save. Returns E and the sign. */
static Expr *step_of(Expr *a, BinOp *op) {
  Expr *lhs = a->lhs;
  if (lhs->kind != EX_VAR || !(type_is_integer(lhs->type) || lhs->type->kind == TY_PTR))
    return NULL;
  Var *v = lhs->var;
  Expr *e = NULL;
  if (a->op == OP_ADD || a->op == OP_SUB) {
    e = a->rhs;
    *op = a->op;
  } else if (a->op == OP_NONE && a->rhs->kind == EX_BINARY && (a->rhs->op == OP_ADD || a->rhs->op == OP_SUB)) {
    Expr *l = a->rhs->lhs;
    while (l->kind == EX_CAST && l->implicit)
      l = l->lhs;
    if (l->kind != EX_VAR || l->var != v)
      return NULL;
    e = a->rhs->rhs;
    *op = a->rhs->op;
  }
  if (!e || expr_mentions(e, v) || !plain_operand(e))
    return NULL;
  return e;
}

static Slot *new_inverse_slot(Ad *ad, Expr *a) {
  BinOp op;
  Expr *step = step_of(a, &op);
  if (!step)
    return NULL;
  BinOp back = op == OP_ADD ? OP_SUB : OP_ADD;
  Var *v = a->lhs->var;
  Slot *slot = xcalloc(1, sizeof(Slot));
  slot->var = v;
  slot->save = new_stmt(ST_EMPTY, a->loc);
  slot->restore = stmt_block(a->loc);
  if (v->type->kind == TY_PTR && v->active) {
    vec_push(&slot->restore->body, stmt_expr(expr_assign(back, expr_var(v->adj, a->loc), expr_copy(step))));
    slot->var2 = v->adj;
  }
  vec_push(&slot->restore->body, stmt_expr(expr_assign(back, expr_var(v, a->loc), expr_copy(step))));
  mark_slot(slot->save, slot);
  mark_slot(slot->restore, slot);
  vec_push(&ad->slots, slot);
  return slot;
}

/* Kinds of values on the redo tape: 0 double, 1 float, 2 int, 3 long, 4
 * long long (each integer type stored as one of those three), then these
 * types by name, then a pointer (its value on the pointer stack). */
static const char *redo_named_types[] = {"char",   "signed char", "unsigned char", "short",    "unsigned short",
                                         "_Bool",  "int8_t",      "uint8_t",       "int16_t",  "uint16_t",
                                         "long double"};
enum { REDO_NAMED = 5, REDO_POINTER = REDO_NAMED + sizeof redo_named_types / sizeof redo_named_types[0] };

/* The caller's memory at `part`, about to be restored by the reverse sweep:
 * its value, kind and address onto the redo tape. */
static void redo_part(Ad *ad, Expr *part, Stmt *out) {
  Type *t = part->type;
  if (!type_is_arith(t) && t->kind != TY_PTR)
    return;
  Var *redo = ad_redo(ad);
  Expr *ref = expr_unary(EX_ADDR, expr_var(redo, part->loc), type_pointer_to(redo->type));
  const char *n = t->name ? t->name : "";
  bool wide = strstr(n, "long") || strstr(n, "64") || strstr(n, "size_t") || strstr(n, "ptr");
  int kind = t->kind == TY_DOUBLE ? 0 : t->kind == TY_FLOAT ? 1 : strstr(n, "long long") ? 4 : wide ? 3 : 2;
  for (int i = 0; i < REDO_POINTER - REDO_NAMED; i++)
    if (!strcmp(n, redo_named_types[i]))
      kind = REDO_NAMED + i;
  Expr *val = new_expr(EX_CAST, type_double(), part->loc);
  val->lhs = expr_copy(part);
  if (t->kind == TY_PTR) {
    kind = REDO_POINTER;
    val = expr_num("0", type_double());
    Expr *p = new_expr(EX_CAST, type_pointer_to(void_type()), part->loc);
    p->lhs = expr_copy(part);
    vec_push(&out->body, stmt_expr(expr_call("vg_tape_push_ptr", void_type(), expr_copy(ref), p)));
  }
  vec_push(&out->body, stmt_expr(expr_call("vg_tape_push_f64", void_type(), ref, val)));
  vec_push(&out->body, stmt_expr(expr_call("vg_tape_push_i32", void_type(), expr_copy(ref),
                                           expr_num(format("%d", kind), type_int()))));
  Expr *addr = new_expr(EX_CAST, type_pointer_to(void_type()), part->loc);
  addr->lhs = expr_unary(EX_ADDR, expr_copy(part), type_pointer_to(t));
  vec_push(&out->body, stmt_expr(expr_call("vg_tape_push_ptr", void_type(), expr_copy(ref), addr)));
  ad->redo_kinds |= 1 << kind;
}

static Slot *new_slot(Ad *ad, Expr *lhs) {
  Slot *slot = xcalloc(1, sizeof(Slot));
  slot->var = lvalue_root(lhs);
  slot->memory = lvalue_is_memory(lhs);
  Stmt *save, *restore, *save2 = NULL, *restore2 = NULL;
  if (!save_restore(ad, lhs, slot->var->name, &save, &restore, &slot->save_var))
    slot->unsaveable = lhs;
  if (lhs->kind == EX_VAR && lhs->type->kind == TY_PTR && lhs->var->active && !type_is_array_value(lhs->type)) {
    /* A pointer and its adjoint move together. */
    Expr *adj = expr_var(lhs->var->adj, lhs->loc);
    save_restore(ad, adj, lhs->var->adj->name, &save2, &restore2, &slot->save_var2);
    slot->var2 = lhs->var->adj;
    save = block_of(save, save2);
    restore = block_of(restore2, restore);
  } else if (slot->var->param_index >= 0 && lvalue_is_memory(lhs)) {
    /* Restoring the caller's memory: remember its final value to put back
     * after the reverse sweep, so outputs are as after a plain call (a
     * struct: each of its parts). */
    Vec parts = {0};
    if (lhs->type->kind == TY_STRUCT)
      scalar_parts(lhs, &parts);
    else
      vec_push(&parts, lhs);
    Stmt *r = stmt_block(lhs->loc);
    for (int i = 0; i < parts.len; i++)
      redo_part(ad, parts.items[i], r);
    free(parts.items);
    if (r->body.len) {
      vec_push(&r->body, restore);
      restore = r;
    }
  }
  slot->save = save;
  slot->restore = restore;
  mark_slot(save, slot);
  mark_slot(restore, slot);
  vec_push(&ad->slots, slot);
  return slot;
}

static bool reads_var(Expr *e, Var *v) {
  Vec reads = {0};
  ad_diff_reads(e, &reads);
  bool found = false;
  for (int i = 0; i < reads.len; i++)
    found |= reads.items[i] == v;
  free(reads.items);
  return found;
}

static Expr *into_temp(Ad *ad, Expr *value, Type *type, Vec *out) {
  Var *tv = ad_new_local(ad, "adj", type_adjoint(type), false);
  Stmt *d = new_stmt(ST_DECL, value->loc);
  d->var = tv;
  d->init = value;
  vec_push(out, d);
  return expr_var(tv, value->loc);
}

static bool is_alloc(Expr *e) {
  while (e->kind == EX_CAST)
    e = e->lhs;
  return e->kind == EX_CALL && (!strcmp(e->text, "malloc") || !strcmp(e->text, "calloc"));
}

/* The adjoint of a pointer value: where its adjoint points. */
static Expr *adj_pointer(Expr *e, Type *type) {
  switch (e->kind) {
  case EX_NUM:
    return expr_copy(e);
  case EX_CAST: {
    if (is_alloc(e))
      return adj_pointer(e->lhs, type);
    Expr *c = new_expr(EX_CAST, type_adjoint(e->type), e->loc);
    c->lhs = adj_pointer(e->lhs, type);
    c->implicit = e->implicit;
    return c;
  }
  case EX_CALL: {
    /* a zeroed buffer of the same size */
    Expr *n = e->args.len == 2 ? expr_copy(e->args.items[0]) : expr_num("1", type_int());
    Expr *size = e->args.len == 2 ? expr_copy(e->args.items[1]) : expr_copy(e->args.items[0]);
    Expr *c = expr_call("calloc", type, e->args.len == 2 ? n : size, e->args.len == 2 ? size : n);
    return c;
  }
  case EX_COND: {
    Expr *c = new_expr(EX_COND, type, e->loc);
    c->cond = expr_copy(e->cond);
    c->lhs = adj_pointer(e->lhs, type);
    c->rhs = adj_pointer(e->rhs, type);
    return c;
  }
  case EX_ADDR:
    return expr_unary(EX_ADDR, adj_of(e->lhs), type);
  default:
    return adj_of(e);
  }
}

static Stmt *call_stmt(const char *name, Expr *arg) {
  Stmt *s = stmt_expr(expr_call(name, void_type(), arg, NULL));
  return s;
}

/* `p = value` for a pointer variable p: its adjoint pointer follows, and
 * memory allocated here is freed when the reverse sweep passes back. */
static void diff_pointer_assign(Ad *ad, Stmt *s, Vec *fwd, Vec *rev) {
  Expr *a = s->expr;
  Var *p = a->lhs->var;
  Slot *slot = NULL;
  if (!s->is_def && !s->recompute) {
    slot = new_inverse_slot(ad, a);
    if (!slot)
      slot = new_slot(ad, a->lhs);
    vec_push(fwd, slot->save);
  }
  Expr *rhs = a->rhs;
  while (rhs->kind == EX_CAST)
    rhs = rhs->lhs;
  if (rhs->kind == EX_CALL && !strcmp(rhs->text, "malloc")) {
    /* calloc: the saves before first writes then read defined values */
    Expr *z = expr_call("calloc", rhs->type, expr_num("1", type_int()), expr_copy(rhs->args.items[0]));
    vec_push(fwd, stmt_expr(expr_assign(OP_NONE, a->lhs, z)));
  } else {
    vec_push(fwd, s);
  }
  if (p->active)
    vec_push(fwd, stmt_expr(expr_assign(OP_NONE, expr_var(p->adj, s->loc), adj_pointer(a->rhs, p->adj->type))));
  if (is_alloc(a->rhs)) {
    vec_push(rev, call_stmt("free", expr_var(p, s->loc)));
    if (p->active)
      vec_push(rev, call_stmt("free", expr_var(p->adj, s->loc)));
  }
  if (slot)
    vec_push(rev, slot->restore);
}

static Expr *addr_of(Expr *e) { return expr_unary(EX_ADDR, e, type_pointer_to(e->type)); }

/* `t = vg_op(a, b)`: the forward sweep keeps t until the function ends; the
 * reverse sweep calls the operation's vector-Jacobian product. */
static void diff_array_assign(Ad *ad, Stmt *s, Vec *fwd, Vec *rev) {
  Expr *a = s->expr;
  Expr *lhs = a->lhs;
  Expr *rhs = a->rhs;
  Var *root = lvalue_root(lhs);
  Slot *slot = s->is_def ? NULL : new_slot(ad, lhs);
  if (slot)
    vec_push(fwd, slot->save);
  bool made = expr_is_array_call(rhs);
  const ArrayOp *op = made ? ad_array_op(rhs->text) : NULL;
  if (made) {
    Expr *value = rhs;
    /* constructors return owned arrays; operations return temporaries */
    bool owned = !strcmp(rhs->text, "vg_keep") || !strcmp(rhs->text, "vg_retain") || op->kind == AOP_SCALAR ||
                 op->kind == AOP_FROM || (op->kind == AOP_CONST && strcmp(rhs->text, "vg_zeros_like"));
    if (!owned)
      value = expr_call("vg_keep", rhs->type, rhs, NULL);
    vec_push(fwd, stmt_expr(expr_assign(OP_NONE, lhs, value)));
    Var *list = arrays_list(ad);
    Expr *push = expr_call("vg_tape_push_ptr", void_type(), addr_of(expr_var(list, s->loc)), NULL);
    Expr *cast = new_expr(EX_CAST, type_pointer_to(void_type()), s->loc);
    cast->lhs = expr_copy(lhs);
    vec_push(&push->args, cast);
    vec_push(fwd, stmt_expr(push));
  } else {
    vec_push(fwd, s);
  }
  if (!root->active || !ad_expr_active(rhs)) {
    if (root->active)
      clear(adj_of(lhs), rev);
    if (slot)
      vec_push(rev, slot->restore);
    return;
  }
  bool self = reads_var(rhs, root);
  Expr *g = into_temp(ad, adj_of(lhs), lhs->type, rev);
  emit(rev, expr_assign(OP_NONE, adj_of(lhs), expr_num("0", type_int())));
  if (slot && self)
    vec_push(rev, slot->restore);
  Stmt *guard = new_stmt(ST_IF, s->loc);
  guard->expr = expr_copy(g);
  guard->then = stmt_block(s->loc);
  Vec *body = &guard->then->body;
  Expr *out = self ? expr_num("0", type_int()) : expr_copy(lhs);
  if (!made) {
    propagate(ad, rhs, g, body);
  } else {
    Expr *vjp = expr_call(format("%s_vjp", rhs->text), void_type(), NULL, NULL);
    Expr *a0 = rhs->args.len > 0 ? rhs->args.items[0] : NULL;
    Expr *grad0 = a0 && ad_expr_active(a0) ? addr_of(adj_of(a0)) : expr_num("0", type_int());
    switch (op->kind) {
    case AOP_BINARY: {
      Expr *a1 = rhs->args.items[1];
      vec_push(&vjp->args, expr_copy(a0));
      vec_push(&vjp->args, expr_copy(a1));
      vec_push(&vjp->args, out);
      vec_push(&vjp->args, expr_copy(g));
      vec_push(&vjp->args, grad0);
      vec_push(&vjp->args, ad_expr_active(a1) ? addr_of(adj_of(a1)) : expr_num("0", type_int()));
      emit(body, vjp);
      break;
    }
    case AOP_UNARY:
    case AOP_AXIS:
    case AOP_RESHAPE:
      for (int i = 0; i < rhs->args.len; i++)
        vec_push(&vjp->args, expr_copy(rhs->args.items[i]));
      vec_push(&vjp->args, out);
      vec_push(&vjp->args, expr_copy(g));
      vec_push(&vjp->args, grad0);
      emit(body, vjp);
      break;
    case AOP_SCALAR:
      propagate(ad, a0, expr_call("vg_grad_item", type_double(), expr_copy(g), NULL), body);
      break;
    case AOP_IDENTITY:
      propagate(ad, a0, expr_copy(g), body);
      break;
    case AOP_FROM:
      emit(body, expr_call(format("%s_vjp", rhs->text), void_type(), expr_copy(g), adj_of(a0)));
      break;
    default:
      break;
    }
  }
  emit(body, expr_call("vg_free", void_type(), expr_copy(g), NULL));
  vec_push(rev, guard);
  if (slot && !self)
    vec_push(rev, slot->restore);
}

static bool stmt_uses(Stmt *s, Var *v);
static Expr *forward_copy(Expr *e, Expr *root);

/* Calls of the right side whose value the adjoint code would compute again
 * (exp(a) is both a factor and its own derivative) get a variable of their
 * own: declarations into `out`, inner calls first. */
static void cache_calls(Ad *ad, Expr *e, Vec *out) {
  if (!e)
    return;
  cache_calls(ad, e->lhs, out);
  cache_calls(ad, e->rhs, out);
  cache_calls(ad, e->cond, out);
  for (int i = 0; i < e->args.len; i++)
    cache_calls(ad, e->args.items[i], out);
  if (e->kind != EX_CALL || e->implicit || !type_is_floating(e->type))
    return;
  const MathFunc *m = ad_math_lookup(e->text);
  if (!m || ad_math_is_piecewise_constant(m) || !strncmp(e->text, "fabs", 4) || !strncmp(e->text, "fmin", 4) ||
      !strncmp(e->text, "fmax", 4))
    return;
  Var *v = ad_new_local(ad, format("%s_v", e->text), type_unqualified(e->type), false);
  Stmt *d = new_stmt(ST_DECL, e->loc);
  d->var = v;
  d->init = expr_copy(e);
  d->step = e; /* the call itself, to rebuild init from */
  e->cache = v;
  vec_push(out, d);
  /* sin and cos: the derivative is the other one, of the same argument.
   * The forward sweep computes it beside the value (the C compiler makes
   * the two calls one sincos) and keeps it, rather than the reverse sweep
   * calling the other function again. */
  bool is_sin = !strcmp(e->text, "sin") || !strcmp(e->text, "sinf");
  bool is_cos = !strcmp(e->text, "cos") || !strcmp(e->text, "cosf");
  const char *other = is_sin ? (m->is_float ? "cosf" : "cos") : (m->is_float ? "sinf" : "sin");
  if ((is_sin || is_cos) && !expr_has_kind(e->args.items[0], EX_CALL)) {
    Var *cv = ad_new_local(ad, format("%s_v", other), type_unqualified(e->type), false);
    Stmt *c = new_stmt(ST_DECL, e->loc);
    c->var = cv;
    /* the forward sweep computes it: from the operand as the statement
     * reads it, not from the reverse sweep's copies of taped elements */
    c->step = expr_call(other, e->type, forward_copy(e->args.items[0], NULL), NULL);
    c->init = expr_copy(c->step);
    e->companion = cv;
    vec_push(out, c);
  }
}

/* The call in e whose value (companion: whose companion, see cache_calls)
 * variable v holds. */
static Expr *find_call_kept_in(Expr *e, Var *v, bool companion) {
  if (!e)
    return NULL;
  if ((companion ? e->companion : e->cache) == v)
    return e;
  Expr *r;
  if ((r = find_call_kept_in(e->lhs, v, companion)) || (r = find_call_kept_in(e->rhs, v, companion)) ||
      (r = find_call_kept_in(e->cond, v, companion)))
    return r;
  for (int i = 0; i < e->args.len; i++)
    if ((r = find_call_kept_in(e->args.items[i], v, companion)))
      return r;
  return NULL;
}

static int count_expr_uses(Expr *e, Var *v) {
  if (!e)
    return 0;
  int n = e->kind == EX_VAR && e->var == v;
  n += count_expr_uses(e->lhs, v) + count_expr_uses(e->rhs, v) + count_expr_uses(e->cond, v);
  for (int i = 0; i < e->args.len; i++)
    n += count_expr_uses(e->args.items[i], v);
  return n;
}

static int count_uses(Stmt *s, Var *v) {
  if (!s)
    return 0;
  int n = count_expr_uses(s->expr, v) + count_expr_uses(s->init, v) + count_expr_uses(s->step, v);
  for (int i = 0; i < s->body.len; i++)
    n += count_uses(s->body.items[i], v);
  return n + count_uses(s->then, v) + count_uses(s->els, v);
}

/* Forgets the variable of the call it was made for. */
static void uncache_var(Expr *e, Var *v) {
  if (!e)
    return;
  if (e->cache == v)
    e->cache = NULL;
  if (e->companion == v)
    e->companion = NULL;
  uncache_var(e->lhs, v);
  uncache_var(e->rhs, v);
  uncache_var(e->cond, v);
  for (int i = 0; i < e->args.len; i++)
    uncache_var(e->args.items[i], v);
}

/* Array elements the right side reads from arrays chosen for operand
 * taping (ad->read_taped): each gets a variable popped from the tape. */
static void tape_reads(Ad *ad, Expr *e, Vec *out) {
  if (!e || !ad->read_taped.len)
    return;
  bool element = (e->kind == EX_INDEX || e->kind == EX_DEREF || (e->kind == EX_MEMBER && e->arrow)) &&
                 type_is_floating(e->type);
  if (element) {
    Var *base = lvalue_root(e);
    if (base && vec_contains(&ad->read_taped, base)) {
      char *text = expr_to_c(e);
      for (int i = 0; i < out->len; i++) {
        Stmt *d = out->items[i];
        if (!strcmp(expr_to_c(d->step), text)) { /* x[i] * x[i]: one value */
          e->cache = d->var;
          return;
        }
      }
      Var *v = ad_new_local(ad, format("%s_v", base->name), type_unqualified(e->type), false);
      Stmt *d = new_stmt(ST_DECL, e->loc);
      d->var = v;
      d->init = ad_tape_pop(ad, v->type);
      d->step = e;
      e->cache = v;
      vec_push(out, d);
      return;
    }
  }
  tape_reads(ad, e->lhs, out);
  tape_reads(ad, e->rhs, out);
  tape_reads(ad, e->cond, out);
  for (int i = 0; i < e->args.len; i++)
    tape_reads(ad, e->args.items[i], out);
}

/* A copy for the forward sweep: array reads as they are, inner calls the
 * forward sweep already computed as their variables. */
static Expr *forward_copy(Expr *e, Expr *root) {
  if (!e)
    return NULL;
  if (e != root && e->fwd_value)
    return expr_var(e->fwd_value, e->loc);
  Expr *c = xcalloc(1, sizeof(Expr));
  *c = *e;
  c->cache = NULL;
  c->fwd_value = NULL;
  c->lhs = forward_copy(e->lhs, root);
  c->rhs = forward_copy(e->rhs, root);
  c->cond = forward_copy(e->cond, root);
  c->args = (Vec){0};
  for (int i = 0; i < e->args.len; i++)
    vec_push(&c->args, forward_copy(e->args.items[i], root));
  return c;
}

static bool expensive_call(Expr *call) {
  static const char *cheap[] = {"fabs", "fmin", "fmax", "floor", "ceil", "round", "trunc", "fmod"};
  if (!call || call->kind != EX_CALL || !ad_math_lookup(call->text))
    return false;
  for (size_t i = 0; i < sizeof cheap / sizeof cheap[0]; i++)
    if (!strncmp(call->text, cheap[i], strlen(cheap[i])))
      return false;
  return true;
}


/* Whether the reverse sweep computes kept call d again from its
 * initialiser, rather than taking the forward sweep's value (expensive
 * calls and companions, see diff_assign_body). */
static bool recomputed_in_reverse(Expr *rhs, Stmt *d) {
  Expr *call = find_call_kept_in(rhs, d->var, false);
  if (!call && find_call_kept_in(rhs, d->var, true))
    call = d->init;
  return !call || !expensive_call(call);
}

static void uncache(Expr *e) {
  if (!e)
    return;
  e->cache = NULL;
  e->companion = NULL;
  uncache(e->lhs);
  uncache(e->rhs);
  uncache(e->cond);
  for (int i = 0; i < e->args.len; i++)
    uncache(e->args.items[i]);
}

/* What the reverse sweep of one forward assignment reads, for the
 * flow-sensitive pruning of saves of floating-point scalars. */
typedef struct {
  Slot *slot;
  Vec reads; /* Var* */
} Reads;

static void collect_stmt_vars(Stmt *s, Vec *out) {
  if (!s || s->slot || s->kind == ST_EMPTY)
    return;
  expr_collect_vars(s->expr, out);
  expr_collect_vars(s->init, out);
  expr_collect_vars(s->step, out);
  for (int i = 0; i < s->body.len; i++)
    collect_stmt_vars(s->body.items[i], out);
  collect_stmt_vars(s->then, out);
  collect_stmt_vars(s->els, out);
}

static void diff_assign_body(Ad *ad, Stmt *s, Vec *fwd, Vec *rev);

static void diff_assign(Ad *ad, Stmt *s, Vec *fwd, Vec *rev) {
  int first = rev->len, nslots = ad->slots.len;
  diff_assign_body(ad, s, fwd, rev);
  Reads *r = xcalloc(1, sizeof(Reads));
  if (ad->slots.len > nslots)
    r->slot = ad->slots.items[ad->slots.len - 1];
  for (int i = first; i < rev->len; i++)
    collect_stmt_vars(rev->items[i], &r->reads);
  /* redone in the reverse sweep (emit_recomputed): it reads its operands
   * there, and they must still hold their forward values */
  if (s->recompute)
    expr_collect_vars(s->expr, &r->reads);
  s->info = r;
}

/* The right side of a self-assignment x = e(x) (or x += e(x)), whose
 * adjoint tmp is what x's adjoint was.  In loops, where that adjoint is
 * carried from one iteration to the next, it is built factor-first (see
 * split_core), and when x is a scalar variable (whose address C code
 * cannot take here: normalize refuses it, so no pointer's adjoint adds
 * into x's), its contributions to its own new adjoint are summed into one
 * factor:
 * d_x = adj * (1.0 + factor * p) instead of d_x = 0; d_x += adj;
 * d_x += adj * (factor * p), one multiplication from one iteration's
 * adjoint to the next.  `assign`: the statement replaces x (its adjoint
 * is cleared first) rather than adding to it. */
static void propagate_self(Ad *ad, Expr *rhs, Expr *tmp, Expr *lhs, bool assign, Vec *rev) {
  Expr *core = tmp->kind == EX_NEG ? tmp->lhs : tmp;
  bool factor_first = ad->loop_depth > 0 && type_is_floating(lhs->type) && core->kind == EX_VAR;
  bool merge = factor_first && lhs->kind == EX_VAR;
  if (!merge) {
    if (assign)
      clear(adj_of(lhs), rev);
    ad->adj_core = factor_first ? core->var : NULL;
    propagate(ad, rhs, tmp, rev);
    ad->adj_core = NULL;
    return;
  }
  int start = rev->len;
  Vec terms = {0};
  ad->adj_core = core->var;
  ad->merge_var = lhs->var;
  ad->merge_out = rev;
  ad->merge_terms = &terms;
  propagate(ad, rhs, tmp, rev);
  ad->adj_core = NULL;
  ad->merge_var = NULL;
  ad->merge_out = NULL;
  ad->merge_terms = NULL;
  /* Whatever else the adjoint code adds into x's adjoint (inside a branch
   * of ?:) must come after it is set. */
  Var *adj_var = lvalue_root(adj_of(lhs));
  bool touched = false;
  for (int i = start; i < rev->len && !touched; i++)
    touched = stmt_uses(rev->items[i], adj_var);
  if (assign && (touched || !terms.len))
    vec_insert_at(rev, start, stmt_expr(expr_assign(OP_NONE, adj_of(lhs), expr_num("0", type_int()))));
  if (!terms.len)
    return;
  Type *type = type_unqualified(lhs->type);
  const char *one_text = type->kind == TY_FLOAT ? "1.0f" : "1.0";
  Expr *sum = NULL;
  if (!assign && !touched) /* x += e: x's adjoint still holds adj, once */
    sum = expr_num(one_text, type);
  for (int i = 0; i < terms.len; i++) {
    Term *t = terms.items[i];
    Expr *f = t->factor ? t->factor : expr_num(one_text, type);
    if (!sum)
      sum = t->negated ? neg(f) : f;
    else
      sum = expr_binary(t->negated ? OP_SUB : OP_ADD, sum, f, type);
    free(t);
  }
  free(terms.items);
  if (is_one(sum) && !touched)
    return; /* x = x + c: x's adjoint is what it was */
  Expr *value = is_one(sum) ? expr_var(core->var, lhs->loc) : expr_binary(OP_MUL, expr_var(core->var, lhs->loc), sum, type);
  emit(rev, expr_assign(touched ? OP_ADD : OP_NONE, adj_of(lhs), value));
}

/* The temporary declared at rev[at] for tmp, dropped when nothing after it
 * reads it (x = x + c: propagate_self leaves x's adjoint as it was). */
static void drop_unused_temp(Vec *rev, int at, Expr *tmp) {
  Expr *core = tmp->kind == EX_NEG ? tmp->lhs : tmp;
  if (core->kind != EX_VAR || at >= rev->len)
    return;
  Stmt *d = rev->items[at];
  if (d->kind != ST_DECL || d->var != core->var)
    return;
  for (int i = at + 1; i < rev->len; i++)
    if (stmt_uses(rev->items[i], core->var))
      return;
  d->kind = ST_EMPTY;
}

static void assign_adjoint(Ad *ad, Expr *a, Expr *lhs, Var *root, Expr *t, bool caller_owned, Vec *rev) {
  BinOp op = a->op;
  Expr *rhs = a->rhs;
  if (op != OP_NONE && op != OP_ADD && op != OP_SUB) {
    rhs = expr_binary(op, expr_copy(lhs), rhs, lhs->type);
    op = OP_NONE;
  }
  bool rhs_active = ad_expr_active(rhs);
  if (caller_owned) {
    if (op != OP_NONE)
      accumulate(adj_of(lhs), t, rev);
    if (rhs_active)
      propagate(ad, rhs, op == OP_SUB ? neg(t) : t, rev);
    return;
  }
  bool self = reads_var(rhs, root);
  Expr *adj = adj_of(lhs);
  if (op == OP_NONE) {
    if (rhs_active && self) {
      int at = rev->len;
      Expr *tmp = share(ad, adj, lhs->type, rev);
      if (tmp == adj) /* struct: copy into a temporary */
        tmp = into_temp(ad, adj, lhs->type, rev);
      propagate_self(ad, rhs, tmp, lhs, true, rev);
      drop_unused_temp(rev, at, tmp);
    } else {
      propagate(ad, rhs, adj, rev);
      clear(adj_of(lhs), rev);
    }
  } else if (rhs_active) {
    Expr *tmp = adj;
    int at = rev->len;
    if (self) {
      tmp = share(ad, adj, lhs->type, rev);
      if (tmp == adj)
        tmp = into_temp(ad, adj, lhs->type, rev);
    }
    if (self) {
      propagate_self(ad, rhs, op == OP_SUB ? neg(tmp) : tmp, lhs, false, rev);
      drop_unused_temp(rev, at, tmp);
    } else {
      propagate(ad, rhs, op == OP_SUB ? neg(tmp) : tmp, rev);
    }
  }
}

static void diff_assign_body(Ad *ad, Stmt *s, Vec *fwd, Vec *rev) {
  Expr *a = s->expr;
  Expr *lhs = a->lhs;
  Var *root = lvalue_root(lhs);
  int fwd_start = fwd->len; /* operands taped for the reverse sweep go first */
  vec_push(rev, stmt_comment(format("line %d: %s", s->loc.line, expr_to_c(a))));
  if (type_is_array_value(lhs->type)) {
    diff_array_assign(ad, s, fwd, rev);
    return;
  }
  if (lhs->type->kind == TY_PTR) {
    diff_pointer_assign(ad, s, fwd, rev);
    return;
  }
  bool no_save = s->is_def || s->recompute;
  Slot *slot = no_save ? NULL : new_inverse_slot(ad, a);
  if (!slot && !no_save)
    slot = new_slot(ad, lhs);
  if (slot)
    vec_push(fwd, slot->save);
  bool active = root->active && type_has_floating(lhs->type);
  /* Writing into an array whose adjoint is the caller's gradient buffer:
   * set the caller's accumulated value aside while this write's adjoint
   * is formed, and put it back in the reverse sweep. */
  bool caller_owned = active && lvalue_is_memory(lhs) && root->adj && root->adj->param_index >= 0 &&
                      type_is_floating(lhs->type);
  Expr *t = NULL;
  /* the new value's adjoint is needed unless the assignment drops it */
  bool keep_t = a->op != OP_NONE || ad_expr_active(a->rhs);
  if (caller_owned) {
    Expr *adj = adj_of(lhs);
    if (ad->loop_depth > 0) {
      vec_push(fwd, stmt_expr(ad_tape_push(ad, adj)));
      if (keep_t)
        t = into_temp(ad, adj_of(lhs), lhs->type, rev);
      vec_push(rev, stmt_expr(expr_assign(OP_NONE, adj_of(lhs), ad_tape_pop(ad, adj->type))));
    } else {
      Var *keep = ad_new_local(ad, format("kept_d_%s", root->name), adj->type, true);
      vec_push(fwd, stmt_expr(expr_assign(OP_NONE, expr_var(keep, s->loc), adj)));
      if (keep_t)
        t = into_temp(ad, adj_of(lhs), lhs->type, rev);
      vec_push(rev, stmt_expr(expr_assign(OP_NONE, adj_of(lhs), expr_var(keep, s->loc))));
    }
    vec_push(fwd, stmt_expr(expr_assign(OP_NONE, adj_of(lhs), expr_num("0", type_int()))));
  }
  if (slot)
    vec_push(rev, slot->restore);
  vec_push(fwd, s);
  if (!active)
    return;

  int mark = rev->len;
  Vec taped = {0};
  tape_reads(ad, a->rhs, &taped);
  Vec cached = {0};
  cache_calls(ad, a->rhs, &cached);
  if (cached.len) {
    /* A dry run: keep a call's variable only where its value is used twice. */
    int names = ad_names_mark(ad);
    Vec dry = {0};
    assign_adjoint(ad, a, lhs, root, t, caller_owned, &dry);
    ad_names_rollback(ad, names);
    for (int i = 0; i < cached.len; i++) {
      Stmt *d = cached.items[i];
      int uses = 0;
      for (int j = 0; j < dry.len; j++)
        uses += count_uses(dry.items[j], d->var);
      for (int j = i + 1; j < cached.len; j++)
        uses += count_expr_uses(((Stmt *)cached.items[j])->init, d->var);
      /* an expensive call is worth keeping for even one use: it will be taped */
      if (uses < (expensive_call(d->step) ? 1 : 2))
        uncache_var(a->rhs, d->var);
    }
    free(dry.items);
    for (int i = 0; i < cached.len; i++) { /* inits after the inner calls' decisions */
      Stmt *d = cached.items[i];
      Var *keep = d->step->cache;
      d->step->cache = NULL;
      d->init = expr_copy(d->step);
      d->step->cache = keep;
      d->step = NULL;
    }
  }
  assign_adjoint(ad, a, lhs, root, t, caller_owned, rev);
  /* The calls' values, computed once before the adjoint code that uses
   * them.  Outer calls first: an inner call is needed by an outer one only
   * if that is kept and computed again in the reverse sweep (an expensive
   * one comes from the forward sweep, inner calls and all). */
  Vec used = {0};
  for (int i = cached.len - 1; i >= 0; i--) {
    Stmt *d = cached.items[i];
    bool needed = false;
    for (int j = mark; j < rev->len && !needed; j++)
      needed = stmt_uses(rev->items[j], d->var);
    for (int j = i + 1; j < cached.len && !needed; j++) {
      Stmt *outer = cached.items[j];
      needed = vec_contains(&used, outer) && recomputed_in_reverse(a->rhs, outer) &&
               expr_mentions(outer->init, d->var);
    }
    if (needed)
      vec_push(&used, d);
  }
  /* keep them in creation order (inner calls first) */
  Vec ordered = {0};
  for (int i = 0; i < cached.len; i++)
    if (vec_contains(&used, cached.items[i]))
      vec_push(&ordered, cached.items[i]);
  /* Expensive calls: the forward sweep computes them into a variable, uses
   * it in the statement and tapes it; the reverse sweep pops it. */
  Vec stored = {0}, from_tape = {0}, after = {0}; /* after: pushed after the statement */
  for (int i = 0; i < ordered.len; i++) {
    Stmt *d = ordered.items[i];
    Expr *call = find_call_kept_in(a->rhs, d->var, false);
    bool companion = false;
    if (!call && find_call_kept_in(a->rhs, d->var, true)) {
      call = d->init; /* the companion call, not part of the statement */
      companion = true;
    }
    if (!call || !expensive_call(call))
      continue;
    Var *fv = ad_new_local(ad, format("%s_f", call->text), d->var->type, true);
    Expr *value = forward_copy(call, call); /* the call, its inner stored calls as variables */
    call->fwd_value = fv;
    if (companion && ad->loop_depth > 0 && lhs->kind == EX_VAR && reads_var(call->args.items[0], root)) {
      /* x = x + h * sin(p * x) in a loop: the next iteration waits for this
       * sin, so the cos is computed after the statement, out of line (see
       * vg_cos_apart in vgrad.h), from the angle kept before it. */
      Var *angle = ad_new_local(ad, "angle", type_unqualified(call->type), true);
      vec_insert_at(fwd, fwd_start++, stmt_expr(expr_assign(OP_NONE, expr_var(angle, call->loc), value->args.items[0])));
      value->args.items[0] = expr_var(angle, call->loc);
      value->text = format("vg_%s_apart", call->text);
      vec_push(fwd, stmt_expr(expr_assign(OP_NONE, expr_var(fv, call->loc), value)));
      vec_push(fwd, stmt_expr(ad_tape_push(ad, expr_var(fv, a->loc))));
      d->init = ad_tape_pop(ad, d->var->type);
      vec_push(&after, d);
      continue;
    }
    vec_insert_at(fwd, fwd_start++, stmt_expr(expr_assign(OP_NONE, expr_var(fv, call->loc), value)));
    if (ad->loop_depth == 0) { /* outside loops the variable keeps its value */
      d->init = expr_var(fv, call->loc);
      continue;
    }
    vec_push(&stored, fv);
    vec_push(&from_tape, d);
    d->init = ad_tape_pop(ad, d->var->type);
  }
  for (int i = 0; i < stored.len; i++)
    vec_insert_at(fwd, fwd_start++, stmt_expr(ad_tape_push(ad, expr_var(stored.items[i], a->loc))));
  free(stored.items);
  /* pops in reverse order of the pushes; calls computed in the reverse sweep after them */
  Vec popped = {0}, computed = {0};
  for (int i = 0; i < ordered.len; i++) {
    Stmt *d = ordered.items[i];
    if (!vec_contains(&after, d))
      vec_push(vec_contains(&from_tape, d) ? &popped : &computed, d);
  }
  free(from_tape.items);
  /* pushed after the statement: popped before what the statement saved */
  int before_restore = slot && mark > 0 && rev->items[mark - 1] == slot->restore ? mark - 1 : mark;
  for (int i = 0; i < after.len; i++) {
    vec_insert_at(rev, before_restore, after.items[i]);
    mark++;
  }
  free(after.items);
  for (int i = computed.len - 1; i >= 0; i--)
    vec_insert_at(rev, mark, computed.items[i]);
  for (int i = 0; i < popped.len; i++)
    vec_insert_at(rev, mark, popped.items[i]);
  free(popped.items);
  free(computed.items);
  /* Operands read from arrays taped instead of saving the arrays' elements
   * on every write: pushed before the statement, popped (in reverse order)
   * before anything of its adjoint code. */
  Vec pops = {0};
  int at = fwd_start;
  for (int i = 0; i < taped.len; i++) {
    Stmt *d = taped.items[i];
    bool needed = false;
    for (int j = mark; j < rev->len && !needed; j++)
      needed = stmt_uses(rev->items[j], d->var);
    if (!needed)
      continue;
    Expr *node = d->step;
    Var *keep = node->cache;
    node->cache = NULL;
    vec_insert_at(fwd, at++, stmt_expr(ad_tape_push(ad, expr_copy(node))));
    node->cache = keep;
    d->step = NULL;
    vec_push(&pops, d);
  }
  for (int i = 0; i < pops.len; i++)
    vec_insert_at(rev, mark, pops.items[i]); /* the last pushed is popped first */
  free(pops.items);
  free(taped.items);
  uncache(a->rhs);
  free(cached.items);
  free(used.items);
  free(ordered.items);

}

/* A branch: `flag` remembers which way it went for the reverse sweep. */
typedef struct {
  Var *flag;
  Stmt *set;     /* flag = cond, in the forward sweep */
  Stmt *push;    /* inside loops: the flag onto the tape */
  Stmt *fwd_if;  /* the forward if, whose condition becomes the flag */
  Stmt *rev_if;
} Branch;

static Vec branches;

static void diff_stmt(Ad *ad, Stmt *s, Vec *fwd, Vec *rev);
static void diff_counted_loop(Ad *ad, Stmt *s, Vec *fwd, Vec *rev);
static void diff_checkpointed_loop(Ad *ad, Stmt *s, Vec *fwd, Vec *rev);
static void diff_loop(Ad *ad, Stmt *s, Vec *fwd, Vec *rev);

static void diff_block(Ad *ad, Vec *stmts, Vec *fwd, Vec *rev) {
  Vec *parts = xcalloc((size_t)stmts->len + 1, sizeof(Vec));
  for (int i = 0; i < stmts->len; i++)
    diff_stmt(ad, stmts->items[i], fwd, &parts[i]);
  for (int i = stmts->len - 1; i >= 0; i--)
    for (int j = 0; j < parts[i].len; j++)
      vec_push(rev, parts[i].items[j]);
  free(parts);
}

static Expr *truth(Expr *cond) {
  if (type_is_integer(cond->type))
    return cond;
  return expr_binary(OP_NE, cond, expr_num("0", type_int()), type_int());
}

static void written_vars(Stmt *s, Vec *out);
static bool uses_outside(Stmt *skip, Var *v);
static bool uses_outside_walk(Stmt *root, Stmt *skip, Var *v);

/* ---- recomputing cheap loop-body assignments ----
 * An integer or pointer set once per iteration from the counter, loop
 * invariants and earlier such values (inlined parameters, `row = W + j*n`)
 * is recomputed at the start of each reverse iteration instead of saved. */

static void flatten(Stmt *s, Vec *out) {
  if (!s)
    return;
  if (s->kind == ST_BLOCK) {
    for (int i = 0; i < s->body.len; i++)
      flatten(s->body.items[i], out);
    return;
  }
  vec_push(out, s);
}

static int count_writes(Stmt *s, Var *v) {
  if (!s)
    return 0;
  int n = 0;
  if (s->kind == ST_EXPR && s->expr && s->expr->kind == EX_ASSIGN && s->expr->lhs->kind == EX_VAR &&
      s->expr->lhs->var == v)
    n++;
  if (s->kind == ST_FOR && s->var == v)
    n += 2;
  for (int i = 0; i < s->body.len; i++)
    n += count_writes(s->body.items[i], v);
  return n + count_writes(s->then, v) + count_writes(s->els, v);
}

/* Memory bases written anywhere in the function. */
static void written_bases(Stmt *s, Vec *out) {
  if (!s)
    return;
  if (s->kind == ST_EXPR && s->expr && s->expr->kind == EX_ASSIGN && lvalue_is_memory(s->expr->lhs))
    vec_add_unique(out, lvalue_root(s->expr->lhs));
  for (int i = 0; i < s->body.len; i++)
    written_bases(s->body.items[i], out);
  written_bases(s->then, out);
  written_bases(s->els, out);
}

static bool recomputable_expr(Expr *e, Vec *loop_written, Vec *avail, Vec *mem_written) {
  if (!e)
    return true;
  switch (e->kind) {
  case EX_NUM:
  case EX_SIZEOF:
    return true;
  case EX_VAR:
    if (e->var->is_global)
      return false;
    if (e->var->type->kind == TY_ARRAY || (e->var->param_index >= 0 && e->var->type->kind == TY_PTR))
      return true; /* an address that never changes */
    return !vec_contains(loop_written, e->var) || vec_contains(avail, e->var);
  case EX_INDEX:
  case EX_DEREF:
  case EX_MEMBER: {
    Var *root = lvalue_root(e);
    if (lvalue_is_memory(e) && (!root || vec_contains(mem_written, root)))
      return false;
    return recomputable_expr(e->lhs, loop_written, avail, mem_written) &&
           recomputable_expr(e->rhs, loop_written, avail, mem_written);
  }
  case EX_ADDR:
  case EX_CAST:
  case EX_NEG:
  case EX_PLUS:
    return recomputable_expr(e->lhs, loop_written, avail, mem_written);
  case EX_BINARY:
    return e->op != OP_COMMA && recomputable_expr(e->lhs, loop_written, avail, mem_written) &&
           recomputable_expr(e->rhs, loop_written, avail, mem_written);
  default:
    return false;
  }
}

/* Variables whose value (not the memory they point to) the loop body assigns. */
static void loop_written_vars(Stmt *s, Vec *out) {
  if (!s)
    return;
  if (s->kind == ST_EXPR && s->expr && s->expr->kind == EX_ASSIGN && !lvalue_is_memory(s->expr->lhs)) {
    Var *v = lvalue_root(s->expr->lhs);
    if (v)
      vec_add_unique(out, v);
  }
  if (s->kind == ST_FOR && s->var)
    vec_add_unique(out, s->var);
  for (int i = 0; i < s->body.len; i++)
    loop_written_vars(s->body.items[i], out);
  loop_written_vars(s->then, out);
  loop_written_vars(s->els, out);
}

static bool recomputable_assign(Stmt *loop, Stmt *s, Vec *loop_written, Vec *avail, Vec *mem) {
  if (s->kind != ST_EXPR || !s->expr || s->expr->kind != EX_ASSIGN || s->expr->op != OP_NONE)
    return false;
  Expr *lhs = s->expr->lhs;
  if (lhs->kind != EX_VAR)
    return false;
  Var *v = lhs->var;
  bool kind_ok = type_is_integer(v->type) || (v->type->kind == TY_PTR && !type_is_array_value(v->type));
  return kind_ok && v->param_index < 0 && !is_alloc(s->expr->rhs) && count_writes(loop->then, v) == 1 &&
         !uses_outside(loop, v) && recomputable_expr(s->expr->rhs, loop_written, avail, mem);
}

/* Inside a branch of the loop body: assignments of a variable used nowhere
 * else in the loop are redone at the start of the branch's reverse (see
 * branch_recomputes); what they make available stays inside the branch. */
static void recomputable_in_branch(Ad *ad, Stmt *loop, Stmt *branch, Vec *loop_written, Vec *avail, Vec *mem) {
  if (!branch)
    return;
  Vec here = {0}, inner = {0};
  flatten(branch, &here);
  for (int i = 0; i < avail->len; i++)
    vec_push(&inner, avail->items[i]);
  for (int i = 0; i < here.len; i++) {
    Stmt *s = here.items[i];
    if (s->kind == ST_IF) {
      recomputable_in_branch(ad, loop, s->then, loop_written, &inner, mem);
      recomputable_in_branch(ad, loop, s->els, loop_written, &inner, mem);
      continue;
    }
    if (!recomputable_assign(loop, s, loop_written, &inner, mem) ||
        uses_outside_walk(loop->then, branch, s->expr->lhs->var))
      continue;
    s->recompute = true;
    vec_add_unique(&inner, s->expr->lhs->var);
  }
  free(here.items);
  free(inner.items);
}

/* Whether s, outside `skip`, mentions any of `vars` -- except the
 * allocation, free or declaration of `array` itself. */
static bool array_used_outside(Stmt *s, Stmt *skip, Var *array, Vec *vars) {
  if (!s || s == skip || s->kind == ST_EMPTY)
    return false;
  if (s->kind == ST_DECL && s->var == array)
    return false;
  if (s->kind == ST_EXPR && s->expr && s->expr->kind == EX_ASSIGN && s->expr->lhs->kind == EX_VAR &&
      s->expr->lhs->var == array && is_alloc(s->expr->rhs))
    return false;
  if (s->kind == ST_EXPR && s->expr && s->expr->kind == EX_CALL && !strcmp(s->expr->text, "free") &&
      s->expr->args.len == 1 && s->expr->args.items[0] && ((Expr *)s->expr->args.items[0])->kind == EX_VAR &&
      ((Expr *)s->expr->args.items[0])->var == array)
    return false;
  for (int i = 0; i < vars->len; i++)
    if (expr_mentions(s->expr, vars->items[i]) || expr_mentions(s->init, vars->items[i]) ||
        expr_mentions(s->step, vars->items[i]))
      return true;
  for (int i = 0; i < s->body.len; i++)
    if (array_used_outside(s->body.items[i], skip, array, vars))
      return true;
  return array_used_outside(s->then, skip, array, vars) || array_used_outside(s->els, skip, array, vars);
}

static int count_memory_writes(Stmt *s, Var *base) {
  if (!s)
    return 0;
  int n = s->kind == ST_EXPR && s->expr && s->expr->kind == EX_ASSIGN && lvalue_is_memory(s->expr->lhs) &&
          lvalue_root(s->expr->lhs) == base;
  for (int i = 0; i < s->body.len; i++)
    n += count_memory_writes(s->body.items[i], base);
  return n + count_memory_writes(s->then, base) + count_memory_writes(s->els, base);
}

/* `for (j = ...) A[index] = value;` at the top of a loop body, filling a
 * local array from memory nothing writes (centred[j] = x[j] - mu[j]): the
 * only write to A in the loop, and A used nowhere outside the loop.  Then
 * A holds the same values all through an iteration, and redoing the fill at
 * the start of each reverse iteration gives them back without the tape. */
static bool recomputable_fill(Ad *ad, Stmt *loop, Stmt *s, Vec *loop_written, Vec *avail, Vec *mem) {
  if (s->kind != ST_FOR || s->checkpoint || !s->var || !type_is_integer(s->var->type))
    return false;
  Vec inner = {0};
  flatten(s->then, &inner);
  Stmt *a = inner.len == 1 ? inner.items[0] : NULL;
  free(inner.items);
  if (!a || a->kind != ST_EXPR || !a->expr || a->expr->kind != EX_ASSIGN || a->expr->op != OP_NONE)
    return false;
  Expr *lhs = a->expr->lhs;
  if (lhs->kind != EX_INDEX || lhs->lhs->kind != EX_VAR || !type_is_floating(lhs->type))
    return false;
  Var *array = lhs->lhs->var;
  if (array->param_index >= 0 || array->is_global || array->base ||
      !(array->type->kind == TY_ARRAY || array->type->kind == TY_PTR))
    return false;
  Vec here = {0};
  for (int i = 0; i < avail->len; i++)
    vec_push(&here, avail->items[i]);
  vec_add_unique(&here, s->var);
  Stmt *init = s->els; /* `j = start` */
  bool ok = init && init->kind == ST_EXPR && init->expr && init->expr->kind == EX_ASSIGN &&
            init->expr->op == OP_NONE && init->expr->lhs->kind == EX_VAR && init->expr->lhs->var == s->var &&
            recomputable_expr(init->expr->rhs, loop_written, &here, mem) &&
            count_writes(loop->then, s->var) == count_writes(s, s->var) &&
            recomputable_expr(s->expr, loop_written, &here, mem) && s->step && s->step->kind == EX_ASSIGN && s->step->lhs->kind == EX_VAR && s->step->lhs->var == s->var &&
            recomputable_expr(s->step->rhs, loop_written, &here, mem) &&
            recomputable_expr(lhs->rhs, loop_written, &here, mem) &&
            recomputable_expr(a->expr->rhs, loop_written, &here, mem) &&
            count_memory_writes(ad->f->body, array) == 1 /* this fill, the only write */;
  free(here.items);
  if (!ok)
    return false;
  Vec names = {0};
  vec_push(&names, array);
  for (int i = 0; i < ad->f->locals.len; i++)
    if (((Var *)ad->f->locals.items[i])->base == array)
      vec_push(&names, ad->f->locals.items[i]);
  ok = !array_used_outside(ad->f->body, loop, array, &names);
  free(names.items);
  if (ok)
    a->recompute = true;
  return ok;
}

/* Marks the recomputable assignments of a loop body; returns those at its
 * top (redone at the start of each reverse iteration). */
static Vec find_recomputable(Ad *ad, Stmt *loop, Var *counter) {
  Vec out = {0}, top = {0}, loop_written = {0}, avail = {0}, mem = {0};
  flatten(loop->then, &top);
  loop_written_vars(loop->then, &loop_written);
  if (!ad->written_bases_known) { /* the primal's memory writes: the same for every loop */
    written_bases(ad->f->body, &ad->written_bases);
    ad->written_bases_known = true;
  }
  for (int i = 0; i < ad->written_bases.len; i++)
    vec_push(&mem, ad->written_bases.items[i]);
  if (counter)
    vec_add_unique(&avail, counter);
  for (int i = 0; i < top.len; i++) {
    Stmt *s = top.items[i];
    if (s->kind == ST_IF) {
      recomputable_in_branch(ad, loop, s->then, &loop_written, &avail, &mem);
      recomputable_in_branch(ad, loop, s->els, &loop_written, &avail, &mem);
      continue;
    }
    if (recomputable_fill(ad, loop, s, &loop_written, &avail, &mem)) {
      vec_push(&out, s);
      continue;
    }
    if (!recomputable_assign(loop, s, &loop_written, &avail, &mem))
      continue;
    s->recompute = true;
    vec_add_unique(&avail, s->expr->lhs->var);
    vec_push(&out, s);
  }
  free(top.items);
  free(loop_written.items);
  free(avail.items);
  free(mem.items);
  return out;
}

/* The recomputations for the start of a reverse iteration. */
static void emit_recomputed(Vec *stmts, Vec *out) {
  for (int i = 0; i < stmts->len; i++) {
    Stmt *s = stmts->items[i];
    if (s->kind == ST_FOR) { /* a fill: the loop again */
      vec_push(out, stmt_clone(s, NULL, NULL, 0));
      continue;
    }
    Expr *a = s->expr;
    vec_push(out, stmt_expr(expr_assign(OP_NONE, expr_copy(a->lhs), expr_copy(a->rhs))));
    Var *v = a->lhs->var;
    if (v->type->kind == TY_PTR && v->active)
      vec_push(out, stmt_expr(expr_assign(OP_NONE, expr_var(v->adj, s->loc), adj_pointer(a->rhs, v->adj->type))));
  }
}

/* A branch's assignments marked by recomputable_in_branch, redone first
 * in its reverse. */
static void branch_recomputes(Stmt *branch, Vec *rev) {
  Vec here = {0}, marked = {0}, redo = {0};
  flatten(branch, &here);
  for (int i = 0; i < here.len; i++)
    if (((Stmt *)here.items[i])->recompute)
      vec_push(&marked, here.items[i]);
  emit_recomputed(&marked, &redo);
  for (int i = redo.len - 1; i >= 0; i--)
    vec_insert_at(rev, 0, redo.items[i]);
  free(here.items);
  free(marked.items);
  free(redo.items);
}

/* `for (i = a; cond; i += K)` whose body leaves i and a alone: after the
 * loop i is one step past the last iteration, so the reverse sweep walks i
 * back down to a.  No tape. */
/* Statements of s and inside it that mention v. */
static int mentions_in(Stmt *s, Var *v) {
  if (!s || s->kind == ST_EMPTY)
    return 0;
  int n = expr_mentions(s->expr, v) || expr_mentions(s->init, v) || expr_mentions(s->step, v);
  for (int i = 0; i < s->body.len; i++)
    n += mentions_in(s->body.items[i], v);
  return n + mentions_in(s->then, v) + mentions_in(s->els, v);
}

/* Var.mentions of every variable, from one walk before the sweeps (which
 * add statements of their own but leave the primal's as they are): a
 * walk of the whole function per loop was quadratic. */
static void count_mentions(Stmt *s, bool reset) {
  if (!s || s->kind == ST_EMPTY)
    return;
  Vec vars = {0};
  expr_collect_vars(s->expr, &vars);
  expr_collect_vars(s->init, &vars);
  expr_collect_vars(s->step, &vars);
  for (int i = 0; i < vars.len; i++) {
    bool again = false; /* mentioned by two of expr, init and step: one statement */
    for (int j = 0; j < i; j++)
      again |= vars.items[j] == vars.items[i];
    Var *v = vars.items[i];
    if (reset) /* globals are shared by the derivatives of the file */
      v->mentions = 0;
    else if (!again)
      v->mentions++;
  }
  free(vars.items);
  for (int i = 0; i < s->body.len; i++)
    count_mentions(s->body.items[i], reset);
  count_mentions(s->then, reset);
  count_mentions(s->els, reset);
}

static bool uses_outside_walk(Stmt *root, Stmt *skip, Var *v) {
  if (!root || root == skip || root->kind == ST_EMPTY)
    return false;
  if (expr_mentions(root->expr, v) || expr_mentions(root->init, v) || expr_mentions(root->step, v))
    return true;
  if (root->kind == ST_DECL && root->var == v)
    return false;
  for (int i = 0; i < root->body.len; i++)
    if (uses_outside_walk(root->body.items[i], skip, v))
      return true;
  return uses_outside_walk(root->then, skip, v) || uses_outside_walk(root->els, skip, v);
}

/* Whether a statement of the function outside `skip` mentions v. */
static bool uses_outside(Stmt *skip, Var *v) { return v->mentions > mentions_in(skip, v); }

/* The bound of a counted loop's condition, implicit casts removed, and the
 * comparison turned so that the counter stands on its left (`n > i` gives
 * n and <); NULL when the counter stands on neither side. */
static Expr *loop_bound(Stmt *s, BinOp *cmp) {
  Expr *c = s->expr;
  Expr *l = c->lhs, *r = c->rhs;
  while (l->kind == EX_CAST && l->implicit)
    l = l->lhs;
  while (r->kind == EX_CAST && r->implicit)
    r = r->lhs;
  *cmp = c->op;
  if (l->kind == EX_VAR && l->var == s->var)
    return r;
  if (r->kind != EX_VAR || r->var != s->var)
    return NULL;
  *cmp = *cmp == OP_LT ? OP_GT : *cmp == OP_GT ? OP_LT : *cmp == OP_LE ? OP_GE : *cmp == OP_GE ? OP_LE : *cmp;
  return l;
}

/* The counter's value after the loop, from its start and bound, for a
 * counter the rest of the function never reads: then nothing is saved. */
static Expr *final_counter(Stmt *s) {
  Var *i = s->var;
  BinOp op;
  Expr *step = step_of(s->step, &op);
  if (!step || step->kind != EX_NUM || strcmp(step->text, "1") || uses_outside(s, i))
    return NULL;
  BinOp cmp;
  Expr *bound = loop_bound(s, &cmp);
  if (!bound || !plain_operand(bound) || !type_is_integer(bound->type)) /* i < 2.5 ends at 3, not (int)2.5 */
    return NULL;
  Vec written = {0};
  written_vars(s->then, &written);
  for (int k = 0; k < written.len; k++)
    if (expr_mentions(bound, written.items[k])) {
      free(written.items);
      return NULL;
    }
  free(written.items);
  Expr *a = s->init;
  Expr *b = expr_copy(bound);
  if (!bound->type || !bound->type->name || !i->type->name || strcmp(bound->type->name, i->type->name)) {
    b = new_expr(EX_CAST, i->type, bound->loc);
    b->lhs = expr_copy(bound);
  }
  Expr *one = expr_num("1", type_int());
  Expr *test, *past;
  if (op == OP_ADD && cmp == OP_LT) {
    test = expr_binary(OP_LT, expr_copy(a), b, type_int());
    past = expr_copy(b);
  } else if (op == OP_ADD && cmp == OP_LE) {
    test = expr_binary(OP_LE, expr_copy(a), b, type_int());
    past = expr_binary(OP_ADD, expr_copy(b), one, i->type);
  } else if (op == OP_SUB && cmp == OP_GT) {
    test = expr_binary(OP_GT, expr_copy(a), b, type_int());
    past = expr_copy(b);
  } else if (op == OP_SUB && cmp == OP_GE) {
    test = expr_binary(OP_GE, expr_copy(a), b, type_int());
    past = expr_binary(OP_SUB, expr_copy(b), one, i->type);
  } else {
    return NULL;
  }
  Expr *e = new_expr(EX_COND, i->type, s->loc);
  e->cond = test;
  e->lhs = past;
  e->rhs = expr_copy(a);
  return e;
}

static Type *long_type(void);

static bool is_zero(Expr *e) { return e->kind == EX_NUM && !strcmp(e->text, "0"); }

/* a - b, as just a when b is 0 */
static Expr *minus(Expr *a, Expr *b) {
  return is_zero(b) ? expr_copy(a) : expr_binary(OP_SUB, expr_copy(a), expr_copy(b), long_type());
}

/* Scalars, constants and arithmetic on them, none of it written by `body`. */
static bool invariant_bound(Expr *e, Stmt *body) {
  if (!e)
    return false;
  switch (e->kind) {
  case EX_NUM:
    return true;
  case EX_VAR:
    return !e->var->is_global && type_is_integer(e->var->type) && count_writes(body, e->var) == 0;
  case EX_CAST:
    return invariant_bound(e->lhs, body);
  case EX_BINARY:
    return (e->op == OP_ADD || e->op == OP_SUB || e->op == OP_MUL) && invariant_bound(e->lhs, body) &&
           invariant_bound(e->rhs, body);
  default:
    return false;
  }
}

/* The value of an integer literal as C reads it (decimal, octal or hex,
 * suffixes u and l); false for anything else ('a', 1e3, 0b1, too large),
 * whose value the generated code computes instead. */
static bool integer_literal(const char *text, long *value) {
  if (!text || !((text[0] >= '0' && text[0] <= '9') || text[0] == '-'))
    return false;
  char *end;
  errno = 0;
  *value = strtol(text, &end, 0);
  if (errno || end == text)
    return false;
  end += strspn(end, "uUlL");
  return *end == '\0';
}

/* For `for (i = A; i < B; i += 1)` with A and B the body leaves alone:
 * B > A ? B - A : 0, its number of iterations. */
static Expr *forward_trips(Stmt *s) {
  BinOp op;
  Expr *step = s->step ? step_of(s->step, &op) : NULL;
  Expr *c = s->expr;
  if (!step || step->kind != EX_NUM || strcmp(step->text, "1") || op != OP_ADD || !c || c->kind != EX_BINARY ||
      c->op != OP_LT || !s->init)
    return NULL;
  Expr *l = c->lhs;
  while (l->kind == EX_CAST && l->implicit)
    l = l->lhs;
  if (l->kind != EX_VAR || l->var != s->var || !invariant_bound(c->rhs, s->then) || !invariant_bound(s->init, s->then) ||
      expr_mentions(c->rhs, s->var) || expr_mentions(s->init, s->var))
    return NULL;
  Expr *bound = c->rhs;
  while (bound->kind == EX_CAST && bound->implicit)
    bound = bound->lhs;
  /* i < 2.5 runs 3 times, not (size_t)2.5: a count only from integers */
  if (!type_is_integer(bound->type) || !type_is_integer(s->init->type))
    return NULL;
  long lo, hi;
  if (bound->kind == EX_NUM && s->init->kind == EX_NUM && integer_literal(s->init->text, &lo) &&
      integer_literal(bound->text, &hi) && !(lo < 0 && hi > LONG_MAX + lo)) { /* constants: the count itself */
    long n = hi > lo ? hi - lo : 0;
    return expr_num(format("%ld", n), long_type());
  }
  Expr *pick = new_expr(EX_COND, long_type(), s->loc);
  pick->cond = expr_binary(OP_GT, expr_copy(c->rhs), expr_copy(s->init), type_int());
  pick->lhs = minus(c->rhs, s->init);
  pick->rhs = expr_num("0", long_type());
  return pick;
}

/* The reverse of counted loop s down to the counter value `start`:
 * `while (i != start) { i -= K; }` (`i--` for K = 1, and then its number of
 * iterations left, i - start, as trips), the body still to be filled. */
static Stmt *reverse_loop(Stmt *s, Expr *start) {
  Stmt *w = new_stmt(ST_WHILE, s->loc);
  w->expr = expr_binary(OP_NE, expr_var(s->var, s->loc), expr_copy(start), type_int());
  w->then = stmt_block(s->loc);
  Expr *back = expr_copy(s->step);
  back->op = back->op == OP_ADD ? OP_SUB : OP_ADD;
  if (!strcmp(back->rhs->text, "1")) {
    Expr *step = new_expr(EX_INCDEC, back->lhs->type, back->loc);
    step->lhs = back->lhs;
    step->increment = back->op == OP_ADD;
    back = step;
  }
  vec_push(&w->then->body, stmt_expr(back));
  if (back->kind == EX_INCDEC && !back->increment) /* i-- down to the start: i - start times */
    w->trips = minus(expr_var(s->var, s->loc), start);
  return w;
}

static void diff_counted_loop(Ad *ad, Stmt *s, Vec *fwd, Vec *rev) {
  Vec init_fwd = {0}, init_rev = {0};
  Expr *final = final_counter(s);
  if (final) {
    /* the reverse loop starts from the computed end: the init needs no save */
    s->els->is_def = true;
  }
  diff_assign(ad, s->els, &init_fwd, &init_rev);
  for (int i = 0; i < init_fwd.len - 1; i++)
    vec_push(fwd, init_fwd.items[i]);
  Stmt *f = new_stmt(ST_FOR, s->loc);
  f->els = init_fwd.items[init_fwd.len - 1];
  f->expr = s->expr;
  f->step = s->step;
  f->then = stmt_block(s->loc);
  Stmt *w = reverse_loop(s, s->init);
  f->trips = forward_trips(s);
  if (f->trips && f->trips->kind == EX_NUM)
    w->known_trips = strtol(f->trips->text, NULL, 10);
  Vec again = find_recomputable(ad, s, s->var);
  emit_recomputed(&again, &w->then->body);
  ad->loop_depth++;
  diff_stmt(ad, s->then, &f->then->body, &w->then->body);
  ad->loop_depth--;
  free(again.items);
  /* The reverse loop evaluates the start (and step, and the final counter)
   * again: what they read must hold its forward value (see flow). */
  Reads *r = xcalloc(1, sizeof(Reads));
  expr_collect_vars(s->init, &r->reads);
  expr_collect_vars(s->step, &r->reads);
  expr_collect_vars(final, &r->reads);
  s->info = r;
  vec_push(fwd, f);
  vec_push(rev, stmt_comment(format("line %d: the loop over %s, backwards", s->loc.line, s->var->name)));
  if (final)
    vec_push(rev, stmt_expr(expr_assign(OP_NONE, expr_var(s->var, s->loc), final)));
  vec_push(rev, w);
  for (int i = 0; i < init_rev.len; i++)
    vec_push(rev, init_rev.items[i]);
  free(init_fwd.items);
  free(init_rev.items);
}

/* ---- checkpointed loops ----
 * The forward sweep runs the loop untaped, keeping a copy of its state at
 * entry; the reverse sweep replays it from snapshots under the runtime's
 * binomial schedule (vg_ckpt), taping one step at a time. */

static Type *long_type(void) {
  static Type t = {.kind = TY_INT, .name = "long"};
  return &t;
}

static Type *named_type(const char *name) {
  Type *t = xcalloc(1, sizeof(Type));
  t->kind = TY_STRUCT;
  t->name = name;
  return t;
}

static Expr *size_of(Var *v) {
  Expr *e = new_expr(EX_SIZEOF, type_int(), v->loc);
  e->text = format("sizeof(%s)", v->name);
  return e;
}

static Expr *address_of_var(Var *v) {
  Expr *e = expr_var(v, v->loc);
  return v->type->kind == TY_ARRAY ? e : addr_of(e);
}

static Expr *memcpy_call(Expr *dst, Expr *src, Var *v) {
  Expr *c = expr_call("memcpy", void_type(), dst, src);
  vec_push(&c->args, size_of(v));
  return c;
}

/* buffer + (sizeof earlier state variables) */
static Expr *at_offset(Var *buf, Vec *state, int upto) {
  Expr *e = expr_var(buf, buf->loc);
  for (int i = 0; i < upto; i++)
    e = expr_binary(OP_ADD, e, size_of(state->items[i]), buf->type);
  return e;
}

static bool checkpoint_state(Ad *ad, Stmt *s, Vec *state) {
  Vec w = {0};
  written_vars(s->then, &w);
  bool ok = true;
  for (int i = 0; i < w.len; i++) {
    Var *v = w.items[i];
    if (!v || v == s->var || vec_contains(state, v))
      continue;
    bool fixed_array = v->type->kind == TY_ARRAY && v->type->array_len >= 0;
    bool scalar = v->type->kind != TY_ARRAY && !v->is_heap && !type_is_array_value(v->type) &&
                  !(v->param_index >= 0 && v->type->kind == TY_PTR);
    if (!fixed_array && !scalar) {
      error_at(s->loc, "checkpoint: the loop writes memory of '%s', which vgradcc cannot snapshot; only loops "
               "whose state is variables and fixed-size local arrays can be checkpointed", v->name);
      ok = false;
      continue;
    }
    vec_push(state, v);
  }
  free(w.items);
  ad->failed |= !ok;
  return ok;
}

/* The iterations of a checkpointed loop, known before it runs when its
 * start and bound do not change inside it (the forward sweep then sets up
 * the schedule and makes its first pass); NULL otherwise. */
static Expr *checkpoint_trips(Stmt *s) {
  BinOp op;
  Expr *k = step_of(s->step, &op);
  Expr *c = s->expr;
  if (!k || !c || c->kind != EX_BINARY || !s->init)
    return NULL;
  BinOp cmp;
  Expr *bound = loop_bound(s, &cmp);
  if (!bound || !invariant_bound(bound, s->then) || !invariant_bound(s->init, s->then) || expr_mentions(bound, s->var))
    return NULL;
  Expr *lo, *hi;
  if (op == OP_ADD && (cmp == OP_LT || cmp == OP_LE)) {
    lo = s->init;
    hi = bound;
  } else if (op == OP_SUB && (cmp == OP_GT || cmp == OP_GE)) {
    lo = bound;
    hi = s->init;
  } else {
    return NULL;
  }
  bool inclusive = cmp == OP_LE || cmp == OP_GE;
  bool unit = k->kind == EX_NUM && !strcmp(k->text, "1");
  Expr *hi_long = expr_copy(hi);
  if (hi->kind != EX_NUM) {
    hi_long = new_expr(EX_CAST, long_type(), s->loc);
    hi_long->lhs = expr_copy(hi);
  }
  Expr *span = minus(hi_long, lo);
  Expr *one = expr_num("1", type_int());
  /* hi >= lo ? (hi - lo) / k + 1 : 0, or hi > lo ? (hi - lo + k - 1) / k : 0 */
  Expr *n;
  if (inclusive)
    n = expr_binary(OP_ADD, unit ? span : expr_binary(OP_DIV, span, expr_copy(k), long_type()), one, long_type());
  else if (unit)
    n = span;
  else
    n = expr_binary(OP_DIV, expr_binary(OP_SUB, expr_binary(OP_ADD, span, expr_copy(k), long_type()), one, long_type()),
                    expr_copy(k), long_type());
  Expr *pick = new_expr(EX_COND, long_type(), s->loc);
  pick->cond = expr_binary(inclusive ? OP_GE : OP_GT, expr_copy(hi), expr_copy(lo), type_int());
  pick->lhs = n;
  pick->rhs = expr_num("0", long_type());
  return pick;
}

static Stmt *memcpy_stmts(Vec *state, Var **dst, Var **src) {
  Stmt *b = stmt_block((Loc){0});
  for (int i = 0; i < state->len; i++) {
    Var *d = dst ? dst[i] : state->items[i], *from = src ? src[i] : state->items[i];
    vec_push(&b->body, stmt_expr(memcpy_call(address_of_var(d), address_of_var(from), state->items[i])));
  }
  return b;
}

/* action == VG_CK_X (op OP_EQ) or != (OP_NE) */
static Expr *action_is(Var *action, BinOp op, const char *which) {
  return expr_binary(op, expr_var(action, action->loc), expr_num(which, type_int()), type_int());
}

static Stmt *if_action(Var *action, const char *which, Stmt *then, Stmt *els) {
  Stmt *c = new_stmt(ST_IF, then->loc);
  c->expr = action_is(action, OP_EQ, which);
  c->then = then;
  c->els = els;
  return c;
}

/* What the reverse sweep of a checkpointed loop reads, for the flow-sensitive
 * pruning of saves (flow): besides the reverse of its body, the replays run
 * the loop itself again, reading every variable it reads as it is then --
 * except the loop's state, which they first set from snapshots or the copy
 * kept at entry, and which the reverse sweep leaves at its entry values. */
static void checkpoint_reads(Stmt *s, Vec *state, Vec *rev, int rev_start) {
  Reads *r = xcalloc(1, sizeof(Reads));
  Vec all = {0};
  for (int i = rev_start; i < rev->len; i++)
    collect_stmt_vars(rev->items[i], &all);
  collect_stmt_vars(s->then, &all);
  expr_collect_vars(s->expr, &all);
  expr_collect_vars(s->init, &all);
  expr_collect_vars(s->step, &all);
  for (int i = 0; i < all.len; i++)
    if (all.items[i] != s->var && !vec_contains(state, all.items[i]))
      vec_push(&r->reads, all.items[i]);
  free(all.items);
  s->info = r;
}

static void diff_checkpointed_loop(Ad *ad, Stmt *s, Vec *fwd, Vec *rev) {
  Vec state = {0};
  if (!checkpoint_state(ad, s, &state))
    return;
  Loc loc = s->loc;
  Vec init_fwd = {0}, init_rev = {0};
  diff_assign(ad, s->els, &init_fwd, &init_rev);
  for (int i = 0; i < init_fwd.len - 1; i++)
    vec_push(fwd, init_fwd.items[i]);
  BinOp op = s->step->op;
  Expr *k = s->step->rhs;
  Expr *trips = checkpoint_trips(s);

  Var **entry = xcalloc((size_t)state.len + 1, sizeof(Var *));
  Var **pending = xcalloc((size_t)state.len + 1, sizeof(Var *));
  for (int i = 0; i < state.len; i++) {
    Var *v = state.items[i];
    entry[i] = ad_new_local(ad, format("entry_%s", v->name), v->type, true);
    if (trips)
      pending[i] = ad_new_local(ad, format("pending_%s", v->name), v->type, true);
  }
  Var *steps = ad_new_local(ad, "steps", long_type(), true);
  Var *ck = ad_new_local(ad, "ckpt", named_type("vg_ckpt"), true);
  Var *action = ad_new_local(ad, "action", type_int(), true);
  Var *from = ad_new_local(ad, "from", long_type(), true);
  Var *to = ad_new_local(ad, "to", long_type(), true);
  Type *uchar = xcalloc(1, sizeof(Type));
  uchar->kind = TY_CHAR;
  uchar->name = "unsigned char";
  Type *bytes = type_pointer_to(uchar);
  Var *snap = ad_new_local(ad, "snapshot", bytes, true);
  Type *cuchar = xcalloc(1, sizeof(Type));
  *cuchar = *uchar;
  cuchar->is_const = true;
  Type *cbytes = type_pointer_to(cuchar);
  Var *top = ad_new_local(ad, "top", cbytes, true);
  Expr *ckref = addr_of(expr_var(ck, loc));

  Expr *begin = expr_call("vg_ckpt_begin", void_type(), ckref, expr_var(steps, loc));
  vec_push(&begin->args, expr_num(format("%d", s->checkpoint - 1), long_type()));
  Expr *total = expr_num("0", type_int());
  if (state.len) {
    total = size_of(state.items[0]);
    for (int i = 1; i < state.len; i++)
      total = expr_binary(OP_ADD, total, size_of(state.items[i]), type_int());
  }
  vec_push(&begin->args, total);
  Expr *next = expr_call("vg_ckpt_next", type_int(), expr_copy(ckref), addr_of(expr_var(from, loc)));
  vec_push(&next->args, addr_of(expr_var(to, loc)));
  Expr *get_next = expr_assign(OP_NONE, expr_var(action, loc), next);

  /* The schedule's actions on the state.  i = a + step * K: */
#define COUNTER_AT(v) expr_binary(op, expr_copy(s->init), expr_binary(OP_MUL, expr_var(v, loc), expr_copy(k), long_type()), s->var->type)
  Stmt *advance = new_stmt(ST_FOR, loc); /* ADVANCE: steps [from, to) untaped */
  advance->els = stmt_expr(expr_assign(OP_NONE, expr_var(s->var, loc), COUNTER_AT(from)));
  advance->expr = expr_binary(OP_NE, expr_var(s->var, loc), COUNTER_AT(to), type_int());
  advance->step = expr_copy(s->step);
  advance->then = s->then;
  Stmt *store = stmt_block(loc);
  vec_push(&store->body, stmt_expr(expr_assign(OP_NONE, expr_var(snap, loc),
                                               expr_call("vg_ckpt_push_snapshot", bytes, expr_copy(ckref), NULL))));
  for (int i = 0; i < state.len; i++)
    vec_push(&store->body, stmt_expr(memcpy_call(at_offset(snap, &state, i), address_of_var(state.items[i]),
                                                 state.items[i])));
  Stmt *restore = stmt_block(loc);
  vec_push(&restore->body, stmt_expr(expr_assign(OP_NONE, expr_var(top, loc),
                                                 expr_call("vg_ckpt_top_snapshot", cbytes, expr_copy(ckref), NULL))));
  for (int i = 0; i < state.len; i++)
    vec_push(&restore->body, stmt_expr(memcpy_call(address_of_var(state.items[i]), at_offset(top, &state, i),
                                                   state.items[i])));

  /* forward: the state at entry, then either the schedule's first pass
   * (advancing and storing snapshots up to its first REVERSE, whose state
   * is kept and whose steps are run to reach the end) or the plain loop */
  vec_push(fwd, memcpy_stmts(&state, entry, NULL));
  if (trips) {
    vec_push(fwd, init_fwd.items[init_fwd.len - 1]);
    vec_push(fwd, stmt_expr(expr_assign(OP_NONE, expr_var(steps, loc), trips)));
    vec_push(fwd, stmt_expr(begin));
    vec_push(fwd, stmt_expr(get_next));
    Stmt *pass = new_stmt(ST_WHILE, loc);
    pass->expr = expr_binary(OP_LOR, action_is(action, OP_EQ, "VG_CK_ADVANCE"), action_is(action, OP_EQ, "VG_CK_STORE"),
                             type_int());
    pass->then = stmt_block(loc);
    vec_push(&pass->then->body, if_action(action, "VG_CK_ADVANCE", stmt_clone(advance, NULL, NULL, 0),
                                          stmt_clone(store, NULL, NULL, 0)));
    vec_push(&pass->then->body, stmt_expr(expr_copy(get_next)));
    vec_push(fwd, pass);
    Stmt *last = stmt_block(loc);
    vec_push(&last->body, memcpy_stmts(&state, pending, NULL));
    vec_push(&last->body, stmt_clone(advance, NULL, NULL, 0));
    Stmt *reverse_pending = new_stmt(ST_IF, loc);
    reverse_pending->expr = action_is(action, OP_NE, "VG_CK_DONE");
    reverse_pending->then = last;
    vec_push(fwd, reverse_pending);
    vec_push(fwd, stmt_expr(expr_assign(OP_NONE, expr_var(s->var, loc), COUNTER_AT(steps))));
  } else {
    Stmt *plain = new_stmt(ST_FOR, loc);
    plain->els = init_fwd.items[init_fwd.len - 1];
    plain->expr = s->expr;
    plain->step = s->step;
    plain->then = s->then;
    vec_push(fwd, plain);
    Expr *span = expr_binary(OP_SUB, expr_var(s->var, loc), expr_copy(s->init), long_type());
    if (op == OP_SUB)
      span = expr_binary(OP_SUB, expr_copy(s->init), expr_var(s->var, loc), long_type());
    vec_push(fwd, stmt_expr(expr_assign(OP_NONE, expr_var(steps, loc), expr_binary(OP_DIV, span, expr_copy(k), long_type()))));
  }

  /* REVERSE: steps [from, to) taped, then reversed, last first; the tape
   * turns twice.  The taped body is a copy: the advancing loops print the
   * body as it is, without the values the taped one keeps. */
  Stmt *step = stmt_block(loc);
  Vec again = find_recomputable(ad, s, s->var);
  Stmt *taped = new_stmt(ST_FOR, loc);
  taped->els = stmt_expr(expr_assign(OP_NONE, expr_var(s->var, loc), COUNTER_AT(from)));
  taped->expr = expr_binary(OP_NE, expr_var(s->var, loc), COUNTER_AT(to), type_int());
  taped->step = expr_copy(s->step);
  taped->then = stmt_block(loc);
  taped->trips = expr_binary(OP_SUB, expr_var(to, loc), expr_var(from, loc), long_type());
  Stmt *back = reverse_loop(s, COUNTER_AT(from));
  emit_recomputed(&again, &back->then->body);
  free(again.items);
  ad->loop_depth++;
  diff_stmt(ad, stmt_clone(s->then, NULL, NULL, 0), &taped->then->body, &back->then->body);
  ad->loop_depth--;
  vec_push(&step->body, stmt_expr(expr_call("vg_tape_turn_to_push", void_type(), tape_ref(ad), NULL)));
  vec_push(&step->body, taped);
  vec_push(&step->body, stmt_expr(expr_call("vg_tape_turn_to_pop", void_type(), tape_ref(ad), NULL)));
  vec_push(&step->body, stmt_expr(expr_assign(OP_NONE, expr_var(s->var, loc), COUNTER_AT(to))));
  vec_push(&step->body, back);
#undef COUNTER_AT

  /* reverse: from the first REVERSE on (the forward sweep's pending one, or
   * the schedule begun here), every action in turn */
  int rev_start = rev->len;
  vec_push(rev, stmt_comment(format("line %d: the loop over %s, replayed from checkpoints", loc.line, s->var->name)));
  if (trips) {
    Stmt *resume = new_stmt(ST_IF, loc);
    resume->expr = action_is(action, OP_NE, "VG_CK_DONE");
    resume->then = memcpy_stmts(&state, NULL, pending);
    vec_push(rev, resume);
  } else {
    vec_push(rev, memcpy_stmts(&state, NULL, entry));
    vec_push(rev, stmt_expr(expr_copy(begin)));
    vec_push(rev, stmt_expr(expr_copy(get_next)));
  }
  Stmt *loop = new_stmt(ST_WHILE, loc);
  loop->expr = action_is(action, OP_NE, "VG_CK_DONE");
  loop->then = stmt_block(loc);
  vec_push(&loop->then->body,
           if_action(action, "VG_CK_ADVANCE", advance,
                     if_action(action, "VG_CK_STORE", store, if_action(action, "VG_CK_RESTORE", restore, step))));
  vec_push(&loop->then->body, stmt_expr(expr_copy(get_next)));
  vec_push(rev, loop);
  vec_push(rev, stmt_expr(expr_call("vg_ckpt_end", void_type(), expr_copy(ckref), NULL)));
  vec_push(rev, memcpy_stmts(&state, NULL, entry));
  checkpoint_reads(s, &state, rev, rev_start);
  for (int i = 0; i < init_rev.len; i++)
    vec_push(rev, init_rev.items[i]);
  ad->uses_checkpoint = true;
  free(entry);
  free(pending);
  free(state.items);
  free(init_fwd.items);
  free(init_rev.items);
}

/* Any other loop: count its iterations, run the reverse body that often. */
static void diff_loop(Ad *ad, Stmt *s, Vec *fwd, Vec *rev) {
  Var *iter = ad_new_local(ad, "iter", type_int(), true);
  Stmt *loop = new_stmt(s->kind, s->loc);
  loop->expr = s->expr;
  loop->then = stmt_block(s->loc);
  vec_push(&loop->then->body, stmt_expr(expr_assign(OP_ADD, expr_var(iter, s->loc), expr_num("1", type_int()))));
  Stmt *back = new_stmt(ST_FOR, s->loc);
  back->expr = expr_binary(OP_GT, expr_var(iter, s->loc), expr_num("0", type_int()), type_int());
  Expr *dec = new_expr(EX_INCDEC, type_int(), s->loc);
  dec->lhs = expr_var(iter, s->loc);
  back->step = dec;
  back->then = stmt_block(s->loc);
  bool nested = ad->loop_depth > 0;
  Vec again = find_recomputable(ad, s, NULL);
  emit_recomputed(&again, &back->then->body);
  free(again.items);
  ad->loop_depth++;
  diff_stmt(ad, s->then, &loop->then->body, &back->then->body);
  ad->loop_depth--;
  vec_push(fwd, stmt_expr(expr_assign(OP_NONE, expr_var(iter, s->loc), expr_num("0", type_int()))));
  vec_push(fwd, loop);
  vec_push(rev, stmt_comment(format("line %d: %s loop, backwards", s->loc.line, s->kind == ST_DO ? "'do'" : "the")));
  if (nested) {
    /* The iteration count differs from one outer iteration to the next. */
    vec_push(fwd, stmt_expr(ad_tape_push(ad, expr_var(iter, s->loc))));
    vec_push(rev, stmt_expr(expr_assign(OP_NONE, expr_var(iter, s->loc), ad_tape_pop(ad, type_int()))));
  }
  vec_push(rev, back);
}

static void diff_stmt(Ad *ad, Stmt *s, Vec *fwd, Vec *rev) {
  switch (s->kind) {
  case ST_BLOCK:
    diff_block(ad, &s->body, fwd, rev);
    return;
  case ST_EXPR:
    if (s->expr->kind == EX_ASSIGN)
      diff_assign(ad, s, fwd, rev);
    else if (!(s->expr->kind == EX_CALL && !strcmp(s->expr->text, "free")))
      vec_push(fwd, s); /* a call that cannot change the derivative */
    return;
  case ST_IF: {
    Branch *b = xcalloc(1, sizeof(Branch));
    b->flag = ad_new_local(ad, "branch", type_int(), true);
    b->set = stmt_expr(expr_assign(OP_NONE, expr_var(b->flag, s->loc), truth(expr_copy(s->expr))));
    b->fwd_if = new_stmt(ST_IF, s->loc);
    b->fwd_if->expr = s->expr;
    b->fwd_if->then = stmt_block(s->loc);
    b->rev_if = new_stmt(ST_IF, s->loc);
    b->rev_if->expr = expr_var(b->flag, s->loc);
    if (ad->loop_depth > 0) {
      b->push = stmt_expr(ad_tape_push(ad, expr_var(b->flag, s->loc)));
      b->rev_if->expr = ad_tape_pop(ad, type_int());
    }
    b->rev_if->then = stmt_block(s->loc);
    b->rev_if->els = stmt_block(s->loc);
    diff_stmt(ad, s->then, &b->fwd_if->then->body, &b->rev_if->then->body);
    branch_recomputes(s->then, &b->rev_if->then->body);
    if (s->els) {
      b->fwd_if->els = stmt_block(s->loc);
      diff_stmt(ad, s->els, &b->fwd_if->els->body, &b->rev_if->els->body);
      branch_recomputes(s->els, &b->rev_if->els->body);
    }
    vec_push(fwd, b->set);
    vec_push(fwd, b->fwd_if);
    /* After the branch: its own pushes come first, so the reverse sweep
     * pops the flag before them. */
    if (b->push)
      vec_push(fwd, b->push);
    vec_push(rev, b->rev_if);
    vec_push(&branches, b);
    return;
  }
  case ST_FOR:
    if (s->checkpoint)
      diff_checkpointed_loop(ad, s, fwd, rev);
    else
      diff_counted_loop(ad, s, fwd, rev);
    return;
  case ST_WHILE:
  case ST_DO:
    diff_loop(ad, s, fwd, rev);
    return;
  default:
    return;
  }
}

/* ---- clean-up: to-be-recorded analysis and unused flags ---- */

/* Marks what the reverse sweep reads: variables' values, and (under an
 * element access) the elements of the array a pointer points into. */
static void mark_reads_in(Expr *e, bool element) {
  if (!e)
    return;
  switch (e->kind) {
  case EX_VAR:
    e->var->needed = true;
    if (element || type_is_array_value(e->var->type) || e->var->type->kind == TY_STRUCT) {
      (e->var->base ? e->var->base : e->var)->mem_needed = true;
    }
    return;
  case EX_INDEX:
  case EX_DEREF:
    mark_reads_in(e->lhs, true);
    mark_reads_in(e->rhs, false);
    return;
  case EX_MEMBER:
    mark_reads_in(e->lhs, element || e->arrow);
    return;
  case EX_BINARY:
  case EX_CAST:
    mark_reads_in(e->lhs, element);
    mark_reads_in(e->rhs, element);
    return;
  default:
    break;
  }
  /* calls may read through the pointers they get (free does not) */
  bool through = e->kind == EX_CALL && strcmp(e->text, "free") && strncmp(e->text, "vg_tape_", 8);
  mark_reads_in(e->lhs, through);
  mark_reads_in(e->rhs, through);
  mark_reads_in(e->cond, false);
  for (int i = 0; i < e->args.len; i++)
    mark_reads_in(e->args.items[i], through);
}

static void mark_reads(Expr *e) { mark_reads_in(e, false); }

static void mark_needed(Stmt *s) {
  if (!s)
    return;
  if (s->kind == ST_EXPR && !s->slot)
    mark_reads(s->expr);
  if (s->kind == ST_DECL)
    mark_reads(s->init);
  if (s->kind == ST_IF || s->kind == ST_WHILE || s->kind == ST_DO || s->kind == ST_FOR)
    mark_reads(s->expr);
  if (s->kind == ST_FOR)
    mark_reads(s->step);
  for (int i = 0; i < s->body.len; i++)
    mark_needed(s->body.items[i]);
  mark_needed(s->then);
  mark_needed(s->els);
}

/* The index expressions of a restore's target, and its pointer. */
static void mark_restore_reads(Stmt *s) {
  if (s->kind == ST_BLOCK) {
    for (int i = 0; i < s->body.len; i++)
      mark_restore_reads(s->body.items[i]);
    return;
  }
  if (s->kind == ST_EXPR && s->expr->kind == EX_ASSIGN) {
    mark_reads(s->expr->lhs);
    mark_reads(s->expr->rhs); /* an inverse step reads its operands */
  }
}

static bool is_empty(Stmt *s) {
  if (!s)
    return true;
  switch (s->kind) {
  case ST_EMPTY:
  case ST_COMMENT:
    return true;
  case ST_BLOCK:
    for (int i = 0; i < s->body.len; i++)
      if (!is_empty(s->body.items[i]))
        return false;
    return true;
  case ST_IF:
    return is_empty(s->then) && is_empty(s->els);
  default:
    return false;
  }
}

static void drop_empty_ifs(Stmt *s) {
  if (!s)
    return;
  for (int i = 0; i < s->body.len; i++)
    drop_empty_ifs(s->body.items[i]);
  drop_empty_ifs(s->then);
  drop_empty_ifs(s->els);
  if (s->kind == ST_IF && is_empty(s))
    s->kind = ST_EMPTY;
  if (s->kind == ST_IF && is_empty(s->els))
    s->els = NULL;
}

static void drop_decl_of(Ad *ad, Var *v) {
  for (int i = 0; i < ad->decls.len; i++) {
    Stmt *d = ad->decls.items[i];
    if (d->kind == ST_DECL && d->var == v)
      d->kind = ST_EMPTY;
  }
}

/* The same for every variable of `vars`, in one pass over the declarations. */
static void drop_decls_of(Ad *ad, const PtrSet *vars) {
  for (int i = 0; vars->len && i < ad->decls.len; i++) {
    Stmt *d = ad->decls.items[i];
    if (d->kind == ST_DECL && ptr_set_contains(vars, d->var))
      d->kind = ST_EMPTY;
  }
}

static bool stmt_uses(Stmt *s, Var *v);

/* Whether s reads v other than in `v = ...` statements, which with `drop`
 * go (called with drop only once there is no such read). */
static bool reads_besides_sets(Stmt *s, Var *v, bool drop) {
  if (!s || s->kind == ST_EMPTY)
    return false;
  if (s->kind == ST_EXPR && s->expr && s->expr->kind == EX_ASSIGN && s->expr->op == OP_NONE &&
      s->expr->lhs->kind == EX_VAR && s->expr->lhs->var == v) {
    if (expr_mentions(s->expr->rhs, v))
      return true;
    if (drop)
      s->kind = ST_EMPTY;
    return false;
  }
  if (s->kind == ST_BLOCK || s->kind == ST_IF || s->kind == ST_FOR || s->kind == ST_WHILE || s->kind == ST_DO) {
    if (expr_mentions(s->expr, v) || expr_mentions(s->step, v))
      return true;
    bool any = false;
    for (int i = 0; i < s->body.len; i++)
      any |= reads_besides_sets(s->body.items[i], v, drop);
    any |= reads_besides_sets(s->then, v, drop);
    any |= reads_besides_sets(s->els, v, drop);
    return any;
  }
  if (s->kind == ST_VERBATIM)
    return s->text && strstr(s->text, v->name);
  return stmt_uses(s, v);
}

/* Adjoint pointers (d_p for a pointer p) that the generated code only sets,
 * never reads -- p was only read in branch conditions, say -- go with their
 * declarations; dropping one can leave another unread. */
static void drop_unread_adjoint_pointers(Ad *ad, Stmt *fwd, Stmt *rev) {
  for (bool changed = true; changed;) {
    changed = false;
    for (int i = 0; i < ad->f->locals.len; i++) {
      Var *v = ad->f->locals.items[i];
      Var *adj = v->adj;
      if (!adj || adj->param_index >= 0 || adj->type->kind != TY_PTR)
        continue;
      if (reads_besides_sets(fwd, adj, false) || reads_besides_sets(rev, adj, false))
        continue;
      bool declared = false;
      for (int j = 0; j < ad->decls.len && !declared; j++) {
        Stmt *d = ad->decls.items[j];
        declared = d->kind == ST_DECL && d->var == adj;
      }
      if (!declared)
        continue;
      reads_besides_sets(fwd, adj, true);
      reads_besides_sets(rev, adj, true);
      drop_decl_of(ad, adj);
      changed = true;
    }
  }
}

/* ---- tape runs: one reservation (or one ensure), then unchecked puts
 * (or takes) ---- */

static const char *tape_stacks[] = {"f64", "i32", "ptr"};

/* Which stack a tape function's suffix names ("f32" is kept as f64). */
static int stack_index(const char *suffix) {
  if (!strcmp(suffix, "f64") || !strcmp(suffix, "f32"))
    return 0;
  return !strcmp(suffix, "i32") ? 1 : 2;
}

/* How code uses the tape: pushes and pops by stack, and any other call on
 * it (turn, count, ...), which stops a run being batched. */
typedef struct {
  int push[3], pop[3];
  bool other;
} TapeUse;

static void tape_use(Expr *e, Var *tape, TapeUse *u) {
  if (!e)
    return;
  if (e->kind == EX_CALL && !strncmp(e->text, "vg_tape_", 8) && e->args.len && expr_mentions(e->args.items[0], tape)) {
    if (!strncmp(e->text, "vg_tape_push_", 13))
      u->push[stack_index(e->text + 13)]++;
    else if (!strncmp(e->text, "vg_tape_pop_", 12))
      u->pop[stack_index(e->text + 12)]++;
    else
      u->other = true;
  }
  tape_use(e->lhs, tape, u);
  tape_use(e->rhs, tape, u);
  tape_use(e->cond, tape, u);
  for (int i = 0; i < e->args.len; i++)
    tape_use(e->args.items[i], tape, u);
}

/* The expression of a statement of a straight run (NULL: none). */
static Expr *run_expr(Stmt *s) { return s->kind == ST_EXPR ? s->expr : s->kind == ST_DECL ? s->init : NULL; }

static bool in_run(Stmt *s) {
  return s && (s->kind == ST_EXPR || s->kind == ST_DECL || s->kind == ST_COMMENT || s->kind == ST_EMPTY);
}

static int total(const int *n) { return n[0] + n[1] + n[2]; }

/* vg_tape_FROM_X(&tape, ...) -> vg_tape_TO_X(...) inside e, for the stacks in `which`. */
static void rename_tape_calls(Expr *e, Var *tape, const char *from, const char *to, const bool *which) {
  if (!e)
    return;
  size_t len = strlen(from);
  if (e->kind == EX_CALL && !strncmp(e->text, from, len) && e->args.len && expr_mentions(e->args.items[0], tape) &&
      which[stack_index(e->text + len)])
    e->text = format("%s%s", to, e->text + len);
  rename_tape_calls(e->lhs, tape, from, to, which);
  rename_tape_calls(e->rhs, tape, from, to, which);
  rename_tape_calls(e->cond, tape, from, to, which);
  for (int i = 0; i < e->args.len; i++)
    rename_tape_calls(e->args.items[i], tape, from, to, which);
}

/* For each stack with a count in n: `vg_tape_<what>_X(&tape, n * factor)`
 * inserted at `at` (factor NULL: 1); returns how many were inserted.  A
 * run-time factor (a loop's trips, of the counter's type, int as often as
 * not) is multiplied in size_t by vg_tape_items, which stops on overflow:
 * `trips * n` in int wraps for a billion iterations and reserves too few. */
static int insert_batch_calls(Vec *list, int at, Var *tape, const char *what, const int *n, const bool *which,
                              Expr *factor) {
  static Type size_type = {.kind = TY_INT, .name = "size_t"};
  int inserted = 0;
  for (int j = 0; j < 3; j++) {
    if (!which[j])
      continue;
    long constant = factor && factor->kind == EX_NUM ? strtol(factor->text, NULL, 10) : -1;
    Expr *count = !factor ? expr_num(format("%d", n[j]), long_type())
                  : constant >= 0 && constant <= LONG_MAX / n[j]
                      ? expr_num(format("%ld", constant * n[j]), long_type())
                  : n[j] == 1 ? expr_copy(factor)
                              : expr_call("vg_tape_items", &size_type, expr_copy(factor),
                                          expr_num(format("%d", n[j]), type_int()));
    const char *fn = format("vg_tape_%s_%s", what, tape_stacks[j]);
    vec_insert_at(list, at + inserted, stmt_expr(expr_call(fn, void_type(), tape_ref_of(tape), count)));
    inserted++;
  }
  return inserted;
}

/* Statements [from, to) of a list, with no control flow between them: two
 * or more pushes on a stack become puts after one reservation, or two or
 * more (up to 256) pops become takes after one ensure, when the run uses
 * the tape in no other way.  Returns the statements inserted at `from`. */
static int batch_run(Vec *list, int from, int to, Var *tape) {
  /* A run that begins among the declarations (a read taped before any
   * control flow) has its reservation after the tape's own declaration,
   * just before the first statement using the tape. */
  for (int i = from; i < to; i++) {
    Stmt *s = list->items[i];
    if (s->kind == ST_DECL && s->var == tape) {
      from = i + 1;
      while (from < to) {
        TapeUse first = {{0}, {0}, false};
        tape_use(run_expr(list->items[from]), tape, &first);
        if (total(first.push) || total(first.pop) || first.other)
          break;
        from++;
      }
      break;
    }
  }
  TapeUse u = {{0}, {0}, false};
  for (int i = from; i < to; i++)
    tape_use(run_expr(list->items[i]), tape, &u);
  if (u.other || (total(u.push) && total(u.pop)))
    return 0;
  bool pushing = total(u.push) > 0;
  int *n = pushing ? u.push : u.pop;
  bool which[3];
  for (int j = 0; j < 3; j++)
    which[j] = n[j] >= 2 && (pushing || n[j] <= 256);
  for (int i = from; i < to; i++)
    rename_tape_calls(run_expr(list->items[i]), tape, pushing ? "vg_tape_push_" : "vg_tape_pop_",
                      pushing ? "vg_tape_put_" : "vg_tape_take_", which);
  return insert_batch_calls(list, from, tape, pushing ? "reserve" : "ensure", n, which, NULL);
}

static bool is_call_besides_tape(const Expr *e, const void *unused) {
  (void)unused;
  return e->kind == EX_CALL && strncmp(e->text, "vg_tape_", 8);
}

/* A counted loop whose body is one straight run: the pushes (or pops) of
 * all its iterations reserved (ensured) before it, at list[at]; returns the
 * statements inserted. */
static int batch_loop(Vec *list, int at, Var *tape) {
  Stmt *loop = list->items[at];
  if (!loop->trips || !loop->then || loop->then->kind != ST_BLOCK)
    return 0;
  Vec *body = &loop->then->body;
  TapeUse u = {{0}, {0}, false};
  bool calls = false;
  for (int i = 0; i < body->len; i++) {
    if (!in_run(body->items[i]))
      return 0;
    tape_use(run_expr(body->items[i]), tape, &u);
    calls |= expr_any(run_expr(body->items[i]), is_call_besides_tape, NULL);
  }
  bool pushing = total(u.push) > 0;
  if (u.other || pushing == (total(u.pop) > 0)) /* neither, or both */
    return 0;
  /* A forward loop without other calls and with a run-time trip count is
   * one the C compiler vectorises: unchecked stores to the tape would cost
   * it run-time overlap checks against each array it writes, more than a
   * check per push when loops are short (GMM with d = 2: 1.5x -> 1.7x).
   * With a constant count it unrolls instead, and gains (RK4: 4.7x ->
   * 2.4x).  Measured, not derived. */
  if (pushing && !calls && loop->trips->kind != EX_NUM)
    return 0;
  int *n = pushing ? u.push : u.pop;
  bool which[3] = {n[0] > 0, n[1] > 0, n[2] > 0};
  for (int i = 0; i < body->len; i++)
    rename_tape_calls(run_expr(body->items[i]), tape, pushing ? "vg_tape_push_" : "vg_tape_pop_",
                      pushing ? "vg_tape_put_" : "vg_tape_take_", which);
  return insert_batch_calls(list, at, tape, pushing ? "reserve" : "ensure", n, which, loop->trips);
}

/* Every straight run and counted loop of s, batched as above. */
static void batch_tape_runs(Stmt *s, Var *tape) {
  if (!s)
    return;
  if (s->kind == ST_BLOCK) {
    int start = 0;
    for (int i = 0; i <= s->body.len; i++) {
      Stmt *c = i < s->body.len ? s->body.items[i] : NULL;
      if (in_run(c))
        continue;
      i += batch_run(&s->body, start, i, tape);
      if (c && c->trips)
        i += batch_loop(&s->body, i, tape);
      if (c)
        batch_tape_runs(c, tape);
      start = i + 1;
    }
    return;
  }
  batch_tape_runs(s->then, tape);
  if (s->kind != ST_FOR)
    batch_tape_runs(s->els, tape);
}

static bool stmt_uses(Stmt *s, Var *v) {
  if (!s || s->kind == ST_EMPTY)
    return false;
  if (s->kind != ST_DECL && (expr_mentions(s->expr, v) || expr_mentions(s->step, v)))
    return true;
  if (s->kind == ST_DECL && s->var != v && expr_mentions(s->init, v))
    return true;
  for (int i = 0; i < s->body.len; i++)
    if (stmt_uses(s->body.items[i], v))
      return true;
  return stmt_uses(s->then, v) || stmt_uses(s->els, v);
}

static void keep_arrays(Expr *e, Vec *out) {
  if (type_is_array_value(e->type)) {
    emit(out, expr_call("vg_keep", e->type, e, NULL));
    return;
  }
  if (e->type->kind == TY_STRUCT)
    for (int i = 0; i < e->type->nmembers; i++)
      keep_arrays(member_of(e, &e->type->members[i]), out);
}

/* ---- flow-sensitive pruning of scalar saves ----
 * The save before `v = e` matters only if, since the previous write of v,
 * the reverse sweep of some statement reads v (it needs the old value
 * back): a forward pass over the structured body tracks "read since last
 * written" per variable. */

/* The variables whose save the analysis decides (assigned with a slot):
 * the only ones whose membership is asked, and the analysis is per
 * variable, so the state holds only these (not every saved copy read). */
static void flow_tracked(Stmt *s, PtrSet *tracked) {
  if (!s)
    return;
  if (s->kind == ST_EXPR) {
    Reads *r = s->info;
    Expr *lhs = r && s->expr->kind == EX_ASSIGN ? s->expr->lhs : NULL;
    if (r && r->slot && lhs && lhs->kind == EX_VAR)
      ptr_set_add(tracked, lhs->var);
    return;
  }
  for (int i = 0; i < s->body.len; i++)
    flow_tracked(s->body.items[i], tracked);
  flow_tracked(s->then, tracked);
  flow_tracked(s->els, tracked);
}

static void flow(Stmt *s, PtrSet *state, const PtrSet *tracked) {
  if (!s)
    return;
  switch (s->kind) {
  case ST_BLOCK:
    for (int i = 0; i < s->body.len; i++)
      flow(s->body.items[i], state, tracked);
    return;
  case ST_EXPR: {
    Reads *r = s->info;
    if (!r)
      return;
    Expr *lhs = s->expr->kind == EX_ASSIGN ? s->expr->lhs : NULL;
    Var *v = lhs && lhs->kind == EX_VAR ? lhs->var : NULL;
    if (r->slot && v) {
      r->slot->flow_checked = true;
      r->slot->flow_needed |= ptr_set_contains(state, v) || vec_contains(&r->reads, v);
    }
    for (int i = 0; i < r->reads.len; i++)
      if (ptr_set_contains(tracked, r->reads.items[i]))
        ptr_set_add(state, r->reads.items[i]);
    if (v)
      ptr_set_remove(state, v);
    return;
  }
  case ST_IF: {
    PtrSet other = ptr_set_copy(state);
    flow(s->then, state, tracked);
    flow(s->els, &other, tracked);
    ptr_set_union_into(state, &other);
    ptr_set_free(&other);
    return;
  }
  case ST_FOR:
    flow(s->els, state, tracked);
    if (s->checkpoint) { /* replayed whole: see checkpoint_reads */
      Reads *r = s->info;
      Vec written = {0};
      written_vars(s->then, &written);
      for (int i = 0; r && i < r->reads.len; i++)
        if (ptr_set_contains(tracked, r->reads.items[i]))
          ptr_set_add(state, r->reads.items[i]);
      for (int i = 0; i < written.len; i++)
        ptr_set_remove(state, written.items[i]);
      free(written.items);
      return;
    }
    if (s->info) { /* what the reverse loop evaluates again: see diff_counted_loop */
      Reads *r = s->info;
      for (int i = 0; i < r->reads.len; i++)
        if (ptr_set_contains(tracked, r->reads.items[i]))
          ptr_set_add(state, r->reads.items[i]);
    }
    /* fall through */
  case ST_WHILE:
  case ST_DO:
    for (;;) {
      PtrSet body = ptr_set_copy(state);
      flow(s->then, &body, tracked);
      bool grew = ptr_set_union_into(state, &body);
      ptr_set_free(&body);
      if (!grew)
        break;
    }
    return;
  default:
    return;
  }
}

/* Two pointer arguments into the same array, one of them written: the
 * analyses treat parameters as separate arrays, so such a call is refused
 * at run time (equal addresses; partial overlaps are documented). */
static void alias_guards(Ad *ad, Func *out, Vec *body) {
  Vec written = {0};
  written_bases(ad->f->body, &written);
  int n = ad->f->params.len;
  for (int i = 0; i < n; i++) {
    Var *p = ad->f->params.items[i];
    if (p->type->kind != TY_PTR || !type_has_floating(p->type->base) || type_is_array_value(p->type))
      continue;
    for (int j = i + 1; j < n; j++) {
      Var *q = ad->f->params.items[j];
      if (q->type->kind != TY_PTR || !type_has_floating(q->type->base) || type_is_array_value(q->type))
        continue;
      if (!vec_contains(&written, p) && !vec_contains(&written, q))
        continue;
      if (!(p->active || q->active))
        continue;
      Buf b = {0};
      buf_printf(&b,
                 "if ((const void *)%s == (const void *)%s) {\n"
                 "        fprintf(stderr, \"%s: arguments '%s' and '%s' are the same array, and the function writes "
                 "it; vgradcc cannot differentiate that call\\n\");\n"
                 "        abort();\n    }",
                 p->name, q->name, out->name, p->name, q->name);
      Stmt *v = new_stmt(ST_VERBATIM, out->loc);
      v->text = b.buf;
      vec_push(body, v);
      out->uses_stdio = true;
    }
  }
  free(written.items);
}

/* ---- saving arrays: on writes, or their operands on reads ----
 * An array element that a reverse statement reads can be kept two ways:
 * save the old value before every write to the array (and restore it), or
 * tape the value where a statement reads it.  For each array, count both,
 * a statement weighing 16 per enclosing loop, and tape the reads where
 * they are fewer (GMM's Q (x - mu): d^2/2 writes, d reads). */


static void count_element_reads(Expr *e, double w, Vec *bases, double *reads) {
  if (!e)
    return;
  if ((e->kind == EX_INDEX || e->kind == EX_DEREF || (e->kind == EX_MEMBER && e->arrow)) &&
      type_is_floating(e->type)) {
    Var *b = lvalue_root(e);
    for (int i = 0; b && i < bases->len; i++)
      if (bases->items[i] == b)
        reads[i] += w;
  }
  count_element_reads(e->lhs, w, bases, reads);
  count_element_reads(e->rhs, w, bases, reads);
  count_element_reads(e->cond, w, bases, reads);
  for (int i = 0; i < e->args.len; i++)
    count_element_reads(e->args.items[i], w, bases, reads);
}

/* How many times a loop's body runs: known for `for (i = A; i < B; i += 1)`
 * with constants A and B; otherwise counted as 16. */
static double trips(Stmt *s) {
  enum { UNKNOWN = 16 };
  if (s->kind != ST_FOR || !s->var || !s->els || s->els->kind != ST_EXPR || !s->els->expr ||
      s->els->expr->kind != EX_ASSIGN || s->els->expr->rhs->kind != EX_NUM || !s->expr ||
      s->expr->kind != EX_BINARY || s->expr->op != OP_LT || !s->step)
    return UNKNOWN;
  Expr *l = s->expr->lhs, *r = s->expr->rhs;
  while (l->kind == EX_CAST && l->implicit)
    l = l->lhs;
  while (r->kind == EX_CAST && r->implicit)
    r = r->lhs;
  BinOp op;
  Expr *step = step_of(s->step, &op);
  if (l->kind != EX_VAR || l->var != s->var || r->kind != EX_NUM || !step || step->kind != EX_NUM ||
      strcmp(step->text, "1") || op != OP_ADD)
    return UNKNOWN;
  double n = strtod(r->text, NULL) - strtod(s->els->expr->rhs->text, NULL);
  return n >= 1 ? n : 1;
}

static void count_accesses(Stmt *s, double w, Vec *bases, double *reads, double *writes) {
  if (!s)
    return;
  if (s->kind == ST_EXPR && s->expr && s->expr->kind == EX_ASSIGN) {
    Expr *lhs = s->expr->lhs;
    if (lvalue_is_memory(lhs)) {
      Var *b = lvalue_root(lhs);
      for (int i = 0; i < bases->len; i++)
        if (bases->items[i] == b)
          writes[i] += w;
    }
    count_element_reads(s->expr->rhs, w, bases, reads);
  }
  bool loop = s->kind == ST_FOR || s->kind == ST_WHILE || s->kind == ST_DO;
  for (int i = 0; i < s->body.len; i++)
    count_accesses(s->body.items[i], w, bases, reads, writes);
  if (s->kind == ST_IF && s->els) { /* one branch runs: the larger counts */
    size_t n = (size_t)bases->len + 1;
    double *r[2] = {xcalloc(n, sizeof(double)), xcalloc(n, sizeof(double))};
    double *wr[2] = {xcalloc(n, sizeof(double)), xcalloc(n, sizeof(double))};
    count_accesses(s->then, w, bases, r[0], wr[0]);
    count_accesses(s->els, w, bases, r[1], wr[1]);
    for (int i = 0; i < bases->len; i++) {
      reads[i] += r[0][i] > r[1][i] ? r[0][i] : r[1][i];
      writes[i] += wr[0][i] > wr[1][i] ? wr[0][i] : wr[1][i];
    }
    for (int k = 0; k < 2; k++) {
      free(r[k]);
      free(wr[k]);
    }
    return;
  }
  count_accesses(s->then, loop ? w * trips(s) : w, bases, reads, writes);
  count_accesses(s->els, w, bases, reads, writes);
}

static void choose_read_taped(Ad *ad) {
  Vec bases = {0};
  written_bases(ad->f->body, &bases);
  double *reads = xcalloc((size_t)bases.len + 1, sizeof(double));
  double *writes = xcalloc((size_t)bases.len + 1, sizeof(double));
  count_accesses(ad->f->body, 1, &bases, reads, writes);
  for (int i = 0; i < bases.len; i++) {
    Var *b = bases.items[i];
    if (b && type_has_floating(b->type) && reads[i] < writes[i])
      vec_push(&ad->read_taped, b);
  }
  free(reads);
  free(writes);
  free(bases.items);
}

/* ---- the generated function ---- */

/* Variables the normalised body assigns. */
static void written_vars(Stmt *s, Vec *out) {
  if (!s)
    return;
  if (s->kind == ST_EXPR && s->expr->kind == EX_ASSIGN)
    vec_push(out, lvalue_root(s->expr->lhs));
  for (int i = 0; i < s->body.len; i++)
    written_vars(s->body.items[i], out);
  written_vars(s->then, out);
  written_vars(s->els, out);
}

static void setup_adjoints(Ad *ad, Func *out) {
  Derivative *d = ad->deriv;
  Vec assigned = {0};
  written_vars(ad->f->body, &assigned);
  for (int i = 0; i < ad->f->params.len; i++) {
    Var *p = ad->f->params.items[i];
    vec_push(&out->params, p);
  }
  for (int i = 0; i < d->selected.len; i++) {
    Var *sel = d->selected.items[i];
    Var *p = ad->f->params.items[sel->param_index];
    Var *g = xcalloc(1, sizeof(Var));
    g->name = p->adj_name;
    g->param_index = out->params.len;
    Type *pt = p->type->kind == TY_ARRAY ? type_pointer_to(p->type->base) : p->type;
    g->type = pt->kind == TY_PTR ? type_adjoint(pt) : type_pointer_to(type_adjoint(pt));
    vec_push(&out->params, g);
    if (type_is_array_value(pt)) {
      g->type = type_pointer_to(type_adjoint(pt));
      /* inactive (the loss does not depend on it): a zero gradient all the same */
      p->adj = ad_new_local(ad, format("d_%s_sum", p->name), type_adjoint(pt), true);
      Expr *sum = expr_var(p->adj, p->loc);
      Expr *zeros = expr_call("vg_zeros_like", type_adjoint(pt), expr_var(p, p->loc), NULL);
      Expr *pick = new_expr(EX_COND, type_adjoint(pt), p->loc);
      pick->cond = expr_copy(sum);
      pick->lhs = expr_copy(sum);
      pick->rhs = zeros;
      Expr *dst = expr_unary(EX_DEREF, expr_var(g, p->loc), type_adjoint(pt));
      vec_push(&ad->flushes, stmt_expr(expr_assign(OP_NONE, dst, pick)));
      continue;
    }
    if (!p->active)
      continue;
    bool written = false;
    for (int j = 0; j < assigned.len; j++)
      written |= assigned.items[j] == p;
    if (pt->kind == TY_PTR) {
      p->adj = g;
    } else if (!written) {
      p->adj = g;
      p->adj_is_pointer = true;
    } else {
      /* The body overwrites this parameter: keep its adjoint local so the
       * caller's accumulated value is not cleared, and add it at the end. */
      p->adj = ad_new_local(ad, format("d_%s_local", p->name), type_adjoint(pt), true);
      Expr *dst = expr_unary(EX_DEREF, expr_var(g, p->loc), type_adjoint(pt));
      accumulate(dst, expr_var(p->adj, p->loc), &ad->flushes); /* a struct: member by member */
    }
  }
  free(assigned.items);
  for (int i = 0; i < ad->f->params.len; i++) {
    Var *p = ad->f->params.items[i];
    if (!p->active || p->adj)
      continue;
    if (ad_is_loss_param(ad, p)) {
      /* the loss is p[0]: its adjoint is one local value */
      Type *t = xcalloc(1, sizeof(Type));
      t->kind = TY_ARRAY;
      t->base = type_adjoint(p->type->base);
      t->array_len = 1;
      p->adj = ad_new_local(ad, format("d_%s", p->name), t, true);
    } else if (p->type->kind == TY_PTR || p->type->kind == TY_ARRAY) {
      error_at(p->loc, "parameter '%s' is written with values that depend on the differentiated inputs and read "
               "again; add it to argnums/argnames so it gets a gradient buffer",
               ad_param_name(ad->deriv->primal->params.items[p->param_index]));
      ad->failed = true;
    } else {
      p->adj = ad_new_local(ad, format("d_%s", p->name), type_adjoint(p->type), true);
    }
  }
  for (int i = 0; i < ad->f->locals.len; i++) {
    Var *v = ad->f->locals.items[i];
    if (v->active)
      v->adj = ad_new_local(ad, format("d_%s", v->name), type_adjoint(v->type), true);
  }
  if (ad->result && ad->result->active)
    ad->result->adj = ad_new_local(ad, format("d_%s", ad->result->name), type_adjoint(ad->result->type), true);
}

/* An element reached through a pointer kept inside an active struct
 * (m.w[i] with `double *w` a member): the struct's adjoint has no buffer
 * behind that pointer, so such a read or write is refused. */
static bool is_active_pointer_member(const Expr *e, const void *unused) {
  (void)unused;
  Var *root = e->kind == EX_MEMBER ? lvalue_root((Expr *)e) : NULL;
  return root && root->active && e->type->kind == TY_PTR && type_has_floating(e->type->base);
}

static Expr *through_pointer_member(Expr *e) {
  if (!e)
    return NULL;
  if (e->kind == EX_ASSIGN && e->lhs->kind == EX_VAR && e->lhs->type->kind == TY_PTR && e->lhs->var->active &&
      expr_any(e->rhs, is_active_pointer_member, NULL))
    return e->rhs; /* p = m.w: p's adjoint would be m's, which has none there */
  if ((e->kind == EX_INDEX || e->kind == EX_DEREF || (e->kind == EX_MEMBER && e->arrow)) && type_has_floating(e->type)) {
    Expr *p = e->lhs;
    while (p->kind == EX_CAST || (p->kind == EX_BINARY && (p->op == OP_ADD || p->op == OP_SUB)))
      p = p->kind == EX_CAST || p->lhs->type->kind == TY_PTR ? p->lhs : p->rhs;
    Var *root = lvalue_root(p);
    if (p->kind == EX_MEMBER && p->type->kind == TY_PTR && root && root->active)
      return e;
  }
  Expr *r;
  if ((r = through_pointer_member(e->lhs)) || (r = through_pointer_member(e->rhs)) ||
      (r = through_pointer_member(e->cond)))
    return r;
  for (int i = 0; i < e->args.len; i++)
    if ((r = through_pointer_member(e->args.items[i])))
      return r;
  return NULL;
}

static void refuse_pointer_members(Ad *ad, Stmt *s) {
  if (!s)
    return;
  Expr *exprs[] = {s->expr, s->init, s->step};
  for (int i = 0; i < 3; i++) {
    Expr *e = through_pointer_member(exprs[i]);
    if (e) {
      Var *root = lvalue_root(e);
      error_at(e->loc, "'%s' reaches memory through a pointer inside struct '%s', which has a gradient; vgradcc "
               "gives pointers inside structs no gradient buffer: pass that array as a parameter of its own, or "
               "make it an array member", expr_to_c(e), root->name);
      ad->failed = true;
      return;
    }
  }
  for (int i = 0; i < s->body.len; i++)
    refuse_pointer_members(ad, s->body.items[i]);
  refuse_pointer_members(ad, s->then);
  refuse_pointer_members(ad, s->els);
}

bool ad_reverse(Ad *ad) {
  Derivative *d = ad->deriv;
  Pragma *p = d->pragma;
  Func *out = xcalloc(1, sizeof(Func));
  out->name = p->out_name ? p->out_name
                          : format("%s_%s", d->primal->name, p->kind == PRAGMA_GRAD ? "grad" : "value_and_grad");
  out->ret = p->kind == PRAGMA_GRAD ? xcalloc(1, sizeof(Type)) : d->primal->ret;
  if (p->kind == PRAGMA_GRAD) {
    out->ret->kind = TY_VOID;
    out->ret->name = "void";
  }
  out->loc = d->primal->loc;
  d->out = out;

  Vec fwd = {0}, rev = {0};
  branches = (Vec){0};
  setup_adjoints(ad, out);
  if (ad->failed)
    return false;
  choose_read_taped(ad);
  count_mentions(ad->f->body, true);
  count_mentions(ad->f->body, false);
  refuse_pointer_members(ad, ad->f->body);
  if (ad->failed)
    return false;
  diff_stmt(ad, ad->f->body, &fwd, &rev);
  if (ad->failed)
    return false;
  if (ad->uses_checkpoint)
    out->uses_runtime = true;

  /* Seed: d(loss)/d(loss) = 1. */
  Vec seed = {0};
  Var *loss = NULL;
  for (int i = 0; i < ad->f->params.len; i++) {
    Var *v = ad->f->params.items[i];
    if (ad_is_loss_param(ad, v))
      loss = v;
  }
  if (loss && loss->active) {
    Expr *target = new_expr(EX_INDEX, loss->adj->type->base, out->loc);
    target->lhs = expr_var(loss->adj, out->loc);
    target->rhs = expr_num("0", type_int());
    emit(&seed, expr_assign(OP_NONE, target, expr_num("1", type_int())));
  } else if (!loss && ad->result && ad->result->active) {
    Expr *target = expr_var(ad->result->adj, out->loc);
    Expr *value = expr_var(ad->result, out->loc);
    if (ad->result->type->kind == TY_STRUCT) {
      target = member_of(target, &ad->result->type->members[0]);
      value = member_of(value, &ad->result->type->members[0]);
    }
    if (type_is_array_value(target->type))
      emit(&seed, expr_assign(OP_NONE, target, expr_call("vg_ones_like", target->type, value, NULL)));
    else
      emit(&seed, expr_assign(OP_NONE, target, expr_num("1", type_int())));
  }

  /* To-be-recorded: keep a save only if the reverse sweep reads the variable. */
  Stmt *rev_block = stmt_block(out->loc);
  rev_block->body = rev;
  for (int i = 0; i < ad->f->params.len; i++)
    ((Var *)ad->f->params.items[i])->needed = ((Var *)ad->f->params.items[i])->mem_needed = false;
  for (int i = 0; i < ad->f->locals.len; i++)
    ((Var *)ad->f->locals.items[i])->needed = ((Var *)ad->f->locals.items[i])->mem_needed = false;
  drop_empty_ifs(rev_block);
  mark_needed(rev_block);
  PtrSet state = {0}, tracked = {0};
  flow_tracked(ad->f->body, &tracked);
  flow(ad->f->body, &state, &tracked);
  ptr_set_free(&state);
  ptr_set_free(&tracked);
  /* A kept restore of x[i] reads i too. */
  for (bool changed = true; changed;) {
    changed = false;
    for (int i = 0; i < ad->slots.len; i++) {
      Slot *slot = ad->slots.items[i];
      bool read = slot->memory ? slot->var->mem_needed : slot->var->needed;
      if (slot->kept || !(read || (slot->var2 && slot->var2->needed)))
        continue;
      if (slot->flow_checked && !slot->flow_needed && type_is_floating(slot->var->type))
        continue; /* no reverse read between the previous write and this one */
      slot->kept = changed = true;
      mark_restore_reads(slot->restore);
    }
  }
  PtrSet unused = {0}; /* variables whose declarations go */
  for (int i = 0; i < ad->slots.len; i++) {
    Slot *slot = ad->slots.items[i];
    Expr *lhs = slot->unsaveable;
    if (slot->kept && lhs) {
      error_at(lhs->loc, "'%s' (%s) is overwritten inside a loop and its old value is needed by the gradient; "
               "vgradcc saves a struct there member by member, which it cannot do for a union or a const member: "
               "keep those out of structs that a loop overwrites", slot->var->name, declare(lhs->type, ""));
      ad->failed = true;
    }
    if (slot->kept)
      continue;
    slot->save->kind = slot->restore->kind = ST_EMPTY;
    if (slot->save_var)
      ptr_set_add(&unused, slot->save_var);
    if (slot->save_var2)
      ptr_set_add(&unused, slot->save_var2);
  }
  if (ad->failed)
    return false;
  drop_empty_ifs(rev_block);
  /* A flag is needed while its reverse `if` survives. */
  for (int i = 0; i < branches.len; i++) {
    Branch *b = branches.items[i];
    if (b->rev_if->kind == ST_IF) {
      b->fwd_if->expr = expr_var(b->flag, b->fwd_if->loc);
    } else {
      b->set->kind = ST_EMPTY;
      if (b->push)
        b->push->kind = ST_EMPTY;
      ptr_set_add(&unused, b->flag);
    }
  }
  drop_decls_of(ad, &unused);
  ptr_set_free(&unused);

  Stmt *fwd_block = stmt_block(out->loc);
  fwd_block->body = fwd;
  drop_unread_adjoint_pointers(ad, fwd_block, rev_block);

  Stmt *body = stmt_block(out->loc);
  for (int i = 0; i < ad->decls.len; i++)
    vec_push(&body->body, ad->decls.items[i]);
  alias_guards(ad, out, &body->body);
  for (int i = 0; i < d->selected.len; i++) {
    Var *sel = d->selected.items[i];
    Var *param = ad->f->params.items[sel->param_index];
    if (!param->active) {
      Stmt *v = new_stmt(ST_VERBATIM, out->loc);
      v->text = format("(void)%s; /* the loss does not depend on %s */", param->adj_name,
                       ad_param_name(d->primal->params.items[sel->param_index]));
      vec_push(&body->body, v);
    }
  }
  for (int i = 0; i < ad->f->params.len; i++)
    if (!*((Var *)d->primal->params.items[i])->name) {
      Stmt *v = new_stmt(ST_VERBATIM, out->loc);
      v->text = format("(void)%s; /* unnamed in the input */", ((Var *)ad->f->params.items[i])->name);
      vec_push(&body->body, v);
    }
  vec_push(&body->body, stmt_comment("forward sweep"));
  for (int i = 0; i < fwd.len; i++)
    vec_push(&body->body, fwd.items[i]);
  Stmt *turn = NULL;
  if (!is_empty(rev_block) || seed.len) {
    vec_push(&body->body, stmt_comment("reverse sweep"));
    if (ad->tape) {
      turn = stmt_expr(expr_call("vg_tape_turn_to_pop", void_type(), tape_ref(ad), NULL));
      vec_push(&body->body, turn);
    }
    for (int i = 0; i < seed.len; i++)
      vec_push(&body->body, seed.items[i]);
    for (int i = 0; i < rev_block->body.len; i++)
      vec_push(&body->body, rev_block->body.items[i]);
  }
  for (int i = 0; i < ad->flushes.len; i++)
    vec_push(&body->body, ad->flushes.items[i]);
  if (ad->redo && stmt_uses(body, ad->redo)) {
    static const char *store[] = {"*(double *)at = value;", "*(float *)at = (float)value;",
                                  "*(int *)at = (int)value;", "*(long *)at = (long)value;",
                                  "*(long long *)at = (long long)value;"};
    Buf b = {0};
    buf_printf(&b, "vg_tape_turn_to_pop(&%s);\n    ", ad->redo->name);
    buf_printf(&b, "while (vg_tape_count_ptr(&%s) > 0) {\n", ad->redo->name);
    buf_printf(&b, "        void *at = vg_tape_pop_ptr(&%s);\n", ad->redo->name);
    buf_printf(&b, "        int kind = vg_tape_pop_i32(&%s);\n", ad->redo->name);
    buf_printf(&b, "        double value = vg_tape_pop_f64(&%s);\n", ad->redo->name);
    bool first = true;
    for (int k = 0; k <= REDO_POINTER; k++)
      if (ad->redo_kinds & (1 << k)) {
        const char *name = k >= REDO_NAMED && k < REDO_POINTER ? redo_named_types[k - REDO_NAMED] : NULL;
        const char *line = k < REDO_NAMED ? store[k]
                           : name ? format("*(%s *)at = (%s)value;", name, name)
                                  : format("memcpy(at, &(void *){vg_tape_pop_ptr(&%s)}, sizeof(void *));",
                                           ad->redo->name);
        buf_printf(&b, "        %sif (kind == %d)\n            %s\n", first ? "" : "else ", k, line);
        first = false;
      }
    buf_printf(&b, "    }\n    vg_tape_free(&%s);", ad->redo->name);
    vec_push(&body->body, stmt_comment("the caller's memory, back to its values after the forward sweep"));
    Stmt *v = new_stmt(ST_VERBATIM, out->loc);
    v->text = b.buf;
    vec_push(&body->body, v);
    out->uses_runtime = true;
  } else if (ad->redo) {
    drop_decl_of(ad, ad->redo);
  }
  if (ad->arrays) {
    /* Arrays: the returned value gets its own reference, adjoints left over
     * and every array the forward sweep kept are freed. */
    if (p->kind == PRAGMA_VALUE_AND_GRAD && ad->result)
      keep_arrays(expr_var(ad->result, out->loc), &body->body);
    for (int i = 0; i < ad->f->locals.len; i++) {
      Var *v = ad->f->locals.items[i];
      if (v->active && v->adj && type_is_array_value(v->adj->type))
        emit(&body->body, expr_call("vg_free", void_type(), expr_var(v->adj, out->loc), NULL));
    }
    if (ad->result && ad->result->adj)
      clear(expr_var(ad->result->adj, out->loc), &body->body);
    Stmt *v = new_stmt(ST_VERBATIM, out->loc);
    v->text = format("vg_tape_turn_to_pop(&%s);\n    while (vg_tape_count_ptr(&%s) > 0)\n        vg_free(vg_tape_pop_ptr(&%s));\n    vg_tape_free(&%s);",
                     ad->arrays->name, ad->arrays->name, ad->arrays->name, ad->arrays->name);
    vec_push(&body->body, v);
    out->uses_runtime = true;
  }
  if (turn) { /* the turn alone does not keep the tape */
    turn->kind = ST_EMPTY;
    if (stmt_uses(body, ad->tape))
      turn->kind = ST_EXPR;
  }
  if (ad->tape && stmt_uses(body, ad->tape)) {
    vec_push(&body->body, stmt_expr(expr_call("vg_tape_free", void_type(), tape_ref(ad), NULL)));
    out->uses_runtime = true;
    batch_tape_runs(body, ad->tape);
  } else if (ad->tape) {
    drop_decl_of(ad, ad->tape);
  }
  ad_split_sums(ad, body); /* after batching: it reserves by the loops' trip counts */
  if (p->kind == PRAGMA_GRAD && ad->result) {
    Stmt *v = new_stmt(ST_VERBATIM, out->loc);
    v->text = format("(void)%s; /* grad returns only the gradient */", ad->result->name);
    vec_push(&body->body, v);
  }
  if (p->kind == PRAGMA_VALUE_AND_GRAD && ad->result) {
    Stmt *r = new_stmt(ST_RETURN, out->loc);
    r->expr = expr_var(ad->result, out->loc);
    vec_push(&body->body, r);
  }
  out->body = body;
  return true;
}
