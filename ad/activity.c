/* Activity analysis, flow-insensitive: a variable is varied if a selected
 * input flows into it, useful if it flows into the loss, and active if
 * both.  Only active variables get adjoints.  Values reach other values
 * only through differentiable positions: an index, a condition, a
 * comparison or a cast to an integer carries no derivative. */
#include "ad.h"

#include <stdlib.h>
#include <string.h>

void ad_diff_reads(Expr *e, Vec *out) {
  if (!e)
    return;
  switch (e->kind) {
  case EX_VAR: {
    Var *v = e->var->base ? e->var->base : e->var; /* a pointer stands for the memory it points into */
    if (type_has_floating(v->type) && !v->is_global)
      vec_add_unique(out, v);
    return;
  }
  case EX_ADDR:
    ad_diff_reads(e->lhs, out);
    return;
  case EX_INDEX:
  case EX_MEMBER:
  case EX_DEREF:
  case EX_NEG:
  case EX_PLUS:
    ad_diff_reads(e->lhs, out);
    return;
  case EX_BINARY:
    switch (e->op) {
    case OP_ADD:
    case OP_SUB:
    case OP_MUL:
    case OP_DIV:
      if (type_is_floating(e->type) || e->type->kind == TY_PTR) {
        ad_diff_reads(e->lhs, out);
        ad_diff_reads(e->rhs, out);
      }
      return;
    case OP_COMMA:
      ad_diff_reads(e->rhs, out);
      return;
    default:
      return;
    }
  case EX_COND:
    ad_diff_reads(e->lhs, out);
    ad_diff_reads(e->rhs, out);
    return;
  case EX_CAST:
    if (type_has_floating(e->type))
      ad_diff_reads(e->lhs, out);
    return;
  case EX_CALL: {
    if (e->call == CALL_RECURSIVE || e->custom) { /* its value depends on every argument */
      for (int i = 0; i < e->args.len; i++)
        ad_diff_reads(e->args.items[i], out);
      return;
    }
    const ArrayOp *op = ad_array_op(e->text);
    if (op) {
      if (op->kind == AOP_CONST || op->kind == AOP_READER || op->kind == AOP_FREE || op->kind == AOP_DATA ||
          op->kind == AOP_STOP)
        return;
      int n = op->kind == AOP_BINARY ? 2 : 1;
      for (int i = 0; i < e->args.len && i < n; i++)
        ad_diff_reads(e->args.items[i], out);
      return;
    }
    const MathFunc *m = ad_math_lookup(e->text);
    if (!m || m->piecewise == MATH_PIECEWISE_CONSTANT)
      return;
    for (int i = 0; i < e->args.len; i++)
      ad_diff_reads(e->args.items[i], out);
    return;
  }
  case EX_INIT:
    for (int i = 0; i < e->args.len; i++)
      ad_diff_reads(e->args.items[i], out);
    return;
  case EX_COMPOUND:
    ad_diff_reads(e->lhs, out);
    return;
  default:
    return;
  }
}

bool ad_expr_active(Expr *e) {
  Vec reads = {0};
  ad_diff_reads(e, &reads);
  bool active = false;
  for (int i = 0; i < reads.len && !active; i++)
    active = ((Var *)reads.items[i])->active;
  free(reads.items);
  return active;
}

static WalkStep add_assignment(Stmt *s, void *out) {
  if (s->kind == ST_EXPR && s->expr->kind == EX_ASSIGN)
    vec_push(out, s->expr);
  /* g(x, y) under a custom rule writing y: as `*y = g(x, y)`, from every argument */
  if (s->kind == ST_EXPR && s->expr->kind == EX_CALL && s->expr->custom_outputs)
    for (int i = 0; i < s->expr->args.len && i < 64; i++)
      if (s->expr->custom_outputs >> i & 1) {
        Expr *arg = s->expr->args.items[i];
        Expr *store = expr_unary(EX_DEREF, expr_copy(arg), arg->type->base);
        vec_push(out, expr_assign(OP_NONE, store, s->expr));
      }
  return WALK_ON;
}

/* Every assignment `lhs op= rhs` of the normalised body, and the stores of
 * calls with custom rules that write through their arguments. */
static void collect_assignments(Stmt *s, Vec *out) { walk_stmt(s, &(Walker){.stmt_pre = add_assignment, .ctx = out}); }

/* The variables whose derivative flows into the assigned value. */
static void sources(Expr *assign, Vec *out) {
  ad_diff_reads(assign->rhs, out);
  if (assign->op != OP_NONE && (assign->op == OP_ADD || assign->op == OP_SUB || assign->op == OP_MUL ||
                                assign->op == OP_DIV))
    ad_diff_reads(assign->lhs, out);
}

void ad_activity(Ad *ad) {
  Vec assigns = {0};
  collect_assignments(ad->f->body, &assigns);
  Derivative *d = ad->deriv;
  for (int i = 0; i < d->selected.len; i++) {
    Var *sel = d->selected.items[i];
    for (int j = 0; j < ad->f->params.len; j++) {
      Var *v = ad->f->params.items[j];
      if (v->param_index == sel->param_index)
        v->varied = true;
      if (v->varied && v->shares_base) /* its set of arrays is one memory */
        v->base->varied = true;
    }
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (int i = 0; i < assigns.len; i++) {
      Expr *a = assigns.items[i];
      Var *dst = lvalue_root(a->lhs);
      if (!dst || dst->varied || !type_has_floating(a->lhs->type))
        continue;
      Vec src = {0};
      sources(a, &src);
      for (int j = 0; j < src.len; j++)
        if (((Var *)src.items[j])->varied) {
          dst->varied = changed = true;
          break;
        }
      free(src.items);
    }
  }
  if (ad->loss) {
    ad->loss->useful = true;
    if (ad->loss->shares_base)
      ad->loss->base->useful = true;
  }
  if (ad->loss_root) {
    ad->loss_root->useful = true;
    if (ad->loss_root->shares_base)
      ad->loss_root->base->useful = true;
  } else if (ad->result)
    ad->result->useful = true;
  for (int i = 0; d->pragma->kind == PRAGMA_VJP && i < d->outputs.len; i++) {
    Var *y = ad->f->params.items[((Var *)d->outputs.items[i])->param_index]; /* its cotangent is seeded */
    y->useful = true;
    if (y->shares_base)
      y->base->useful = true;
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (int i = 0; i < assigns.len; i++) {
      Expr *a = assigns.items[i];
      Var *dst = lvalue_root(a->lhs);
      if (!dst || !dst->useful)
        continue;
      Vec src = {0};
      sources(a, &src);
      for (int j = 0; j < src.len; j++) {
        Var *v = src.items[j];
        if (!v->useful)
          v->useful = changed = true;
      }
      free(src.items);
    }
  }
  for (int j = 0; j < ad->f->params.len; j++) {
    Var *v = ad->f->params.items[j];
    v->active = v->varied && v->useful;
  }
  for (int j = 0; j < ad->f->locals.len; j++) {
    Var *v = ad->f->locals.items[j];
    v->active = v->varied && v->useful;
  }
  /* A pointer has an adjoint (pointing into its array's) when its array does;
   * so do all the arrays a pointer may point into when the first does. */
  for (int j = 0; j < ad->f->locals.len; j++) {
    Var *v = ad->f->locals.items[j];
    if (v->base)
      v->active = v->base->active;
  }
  for (int j = 0; j < ad->f->params.len; j++) {
    Var *v = ad->f->params.items[j];
    if (v->shares_base)
      v->active = v->base->active;
  }
  if (ad->result)
    ad->result->active = ad->result->varied && ad->result->useful;
  free(assigns.items);
}
