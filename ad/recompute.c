/* Recomputing cheap loop-body values instead of taping them.
 *
 * An integer or pointer set once per iteration from the counter, loop
 * invariants and earlier such values (inlined parameters, `row = W + j*n`)
 * is recomputed at the start of each reverse iteration instead of saved;
 * so is a local array filled at the top of the body from memory nothing
 * writes, and an assignment inside a branch used nowhere else. */
#include "reverse.h"

#include <stdlib.h>
#include <string.h>

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
  case EX_ADDR: /* `&Qdiags[k * d]`: an address, whatever the memory holds */
    if (e->lhs->kind == EX_INDEX)
      return recomputable_expr(e->lhs->lhs, loop_written, avail, mem_written) &&
             recomputable_expr(e->lhs->rhs, loop_written, avail, mem_written);
    if (e->lhs->kind == EX_DEREF || (e->lhs->kind == EX_MEMBER && e->lhs->arrow))
      return recomputable_expr(e->lhs->lhs, loop_written, avail, mem_written);
    return recomputable_expr(e->lhs, loop_written, avail, mem_written);
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

/* A floating value copied from memory or a variable, maybe through casts
 * (`REAL w = weight[i + o * C]`): redoing the load gives the same bits,
 * which redoing arithmetic need not (contraction into an fma). */
static bool is_plain_load(Expr *e) {
  while (e->kind == EX_CAST)
    e = e->lhs;
  return e->kind == EX_VAR || ((e->kind == EX_INDEX || e->kind == EX_DEREF || e->kind == EX_MEMBER) && lvalue_is_memory(e));
}

/* Whether a statement before index `upto` of stmts mentions v: a read of
 * v there sees the previous iteration's value, which redoing the
 * assignment at the start of the reverse iteration would not give back. */
static bool mentioned_before(Vec *stmts, int upto, Var *v) {
  for (int i = 0; i < upto; i++)
    if (stmt_mention_count(stmts->items[i], v))
      return true;
  return false;
}

/* Whether e loads through v: v under an index, a dereference or an arrow. */
static bool loads_through(Expr *e, Var *v) {
  if (!e)
    return false;
  if ((e->kind == EX_INDEX || e->kind == EX_DEREF || (e->kind == EX_MEMBER && e->arrow)) && expr_mentions(e, v))
    return true;
  if (e->kind == EX_CALL)
    return expr_mentions(e, v);
  return loads_through(e->lhs, v) || loads_through(e->rhs, v) || loads_through(e->cond, v);
}

/* A recomputed pointer assignment before the fill (`out = xcentered`,
 * an inlined helper's parameter) takes an address: it neither reads nor
 * writes what v points to. */
static bool takes_address_only(Stmt *s, Var *v) {
  return s->recompute && s->kind == ST_EXPR && s->expr->kind == EX_ASSIGN && s->expr->op == OP_NONE &&
         s->expr->lhs->kind == EX_VAR && s->expr->lhs->var->type->kind == TY_PTR && !loads_through(s->expr->rhs, v);
}

/* Whether a statement before index `upto` of stmts reads or writes what
 * one of `names` points to: a mention other than taking its address. */
static bool contents_mentioned_before(Vec *stmts, int upto, Vec *names) {
  for (int i = 0; i < upto; i++)
    for (int k = 0; k < names->len; k++)
      if (stmt_mention_count(stmts->items[i], names->items[k]) && !takes_address_only(stmts->items[i], names->items[k]))
        return true;
  return false;
}

static bool recomputable_assign(Stmt *loop, Stmt *s, Vec *loop_written, Vec *avail, Vec *mem) {
  if (s->kind != ST_EXPR || !s->expr || s->expr->kind != EX_ASSIGN || s->expr->op != OP_NONE)
    return false;
  Expr *lhs = s->expr->lhs;
  if (lhs->kind != EX_VAR)
    return false;
  Var *v = lhs->var;
  bool kind_ok = type_is_integer(v->type) || (v->type->kind == TY_PTR && !type_is_array_value(v->type)) ||
                 (type_is_floating(v->type) && is_plain_load(s->expr->rhs));
  return kind_ok && v->param_index < 0 && !expr_is_alloc(s->expr->rhs) && stmt_count_assigns(loop->then, v) == 1 &&
         !mentioned_outside(loop, v) && recomputable_expr(s->expr->rhs, loop_written, avail, mem);
}

/* Inside a branch of the loop body: assignments of a variable used nowhere
 * else in the loop are redone at the start of the branch's reverse (see
 * branch_recomputes); what they make available stays inside the branch. */
static void recomputable_in_branch(Ad *ad, Stmt *loop, Stmt *branch, Vec *loop_written, Vec *avail, Vec *mem) {
  if (!branch)
    return;
  Vec here = {0}, inner = {0};
  stmt_flatten(branch, &here);
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
        mentioned_outside_walk(loop->then, branch, s->expr->lhs->var) ||
        mentioned_before(&here, i, s->expr->lhs->var))
      continue;
    s->recompute = true;
    vec_add_unique(&inner, s->expr->lhs->var);
  }
  free(here.items);
  free(inner.items);
}

typedef struct {
  Stmt *skip;
  Var *array;
  Vec *vars;
} ArrayUse;

static WalkStep stop_at_array_use(Stmt *s, void *ctx) {
  ArrayUse *u = ctx;
  Var *array = u->array;
  if (s == u->skip || s->kind == ST_EMPTY)
    return WALK_SKIP;
  if (s->kind == ST_DECL && s->var == array)
    return WALK_SKIP;
  if (s->kind == ST_EXPR && s->expr && s->expr->kind == EX_ASSIGN && s->expr->lhs->kind == EX_VAR &&
      s->expr->lhs->var == array && expr_is_alloc(s->expr->rhs))
    return WALK_SKIP;
  if (s->kind == ST_EXPR && s->expr && s->expr->kind == EX_CALL && !strcmp(s->expr->text, "free") &&
      s->expr->args.len == 1 && s->expr->args.items[0] && ((Expr *)s->expr->args.items[0])->kind == EX_VAR &&
      ((Expr *)s->expr->args.items[0])->var == array)
    return WALK_SKIP;
  for (int i = 0; i < u->vars->len; i++)
    if (expr_mentions(s->expr, u->vars->items[i]) || expr_mentions(s->init, u->vars->items[i]) ||
        expr_mentions(s->step, u->vars->items[i]))
      return WALK_STOP;
  return WALK_ON;
}

/* Whether s, outside `skip`, mentions any of `vars` -- except the
 * allocation, free or declaration of `array` itself. */
static bool array_used_outside(Stmt *s, Stmt *skip, Var *array, Vec *vars) {
  ArrayUse u = {skip, array, vars};
  return !walk_stmt(s, &(Walker){.stmt_pre = stop_at_array_use, .ctx = &u});
}

typedef struct {
  Var *base;
  int n;
} MemoryWrites;

static WalkStep count_memory_write(Stmt *s, void *ctx) {
  MemoryWrites *w = ctx;
  w->n += s->kind == ST_EXPR && s->expr && s->expr->kind == EX_ASSIGN && lvalue_is_memory(s->expr->lhs) &&
          lvalue_root(s->expr->lhs) == w->base;
  for (int i = 0; s->kind == ST_EXPR && s->expr && s->expr->kind == EX_CALL && i < s->expr->args.len && i < 64; i++)
    w->n += (s->expr->custom_outputs >> i & 1) && call_output_root(s->expr, i) == w->base; /* custom rule's output */
  return WALK_ON;
}

static int count_memory_writes(Stmt *s, Var *base) {
  MemoryWrites w = {base, 0};
  walk_stmt(s, &(Walker){.stmt_pre = count_memory_write, .ctx = &w});
  return w.n;
}

/* `for (j = ...) A[index] = value;` at the top of a loop body, filling a
 * local array from memory nothing writes (centred[j] = x[j] - mu[j]): the
 * only write to A in the loop, and A used nowhere outside the loop.  Then
 * A holds the same values all through an iteration, and redoing the fill at
 * the start of each reverse iteration gives them back without the tape.
 * A may also be a pointer recomputed at the top of the body into such an
 * array (an inlined helper's `out[id] = x[id] - y[id]`): the array is then
 * the one that must be written nowhere else. */
static bool recomputable_fill(Ad *ad, Stmt *loop, Vec *top, int at, Vec *loop_written, Vec *avail, Vec *mem) {
  Stmt *s = top->items[at];
  if (s->kind != ST_FOR || s->checkpoint || !s->var || !type_is_integer(s->var->type))
    return false;
  Vec inner = {0};
  stmt_flatten(s->then, &inner);
  Stmt *a = inner.len == 1 ? inner.items[0] : NULL;
  free(inner.items);
  if (!a || a->kind != ST_EXPR || !a->expr || a->expr->kind != EX_ASSIGN || a->expr->op != OP_NONE)
    return false;
  Expr *lhs = a->expr->lhs;
  if (lhs->kind != EX_INDEX || lhs->lhs->kind != EX_VAR || !type_is_floating(lhs->type))
    return false;
  Var *array = lhs->lhs->var;
  if (array->base && array->type->kind == TY_PTR && vec_contains(avail, array))
    array = array->base; /* `out`, recomputed above */
  if (array->param_index >= 0 || array->is_global || array->base || array->shares_base ||
      !(array->type->kind == TY_ARRAY || array->type->kind == TY_PTR))
    return false;
  Vec here = {0};
  for (int i = 0; i < avail->len; i++)
    vec_push(&here, avail->items[i]);
  vec_add_unique(&here, s->var);
  Stmt *init = s->for_init; /* `j = start` */
  bool ok = init && init->kind == ST_EXPR && init->expr && init->expr->kind == EX_ASSIGN &&
            init->expr->op == OP_NONE && init->expr->lhs->kind == EX_VAR && init->expr->lhs->var == s->var &&
            recomputable_expr(init->expr->rhs, loop_written, &here, mem) &&
            stmt_count_assigns(loop->then, s->var) == stmt_count_assigns(s, s->var) &&
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
  ok = !array_used_outside(ad->f->body, loop, array, &names) && !contents_mentioned_before(top, at, &names);
  free(names.items);
  if (ok)
    a->recompute = true;
  return ok;
}

/* Marks the recomputable assignments of a loop body; returns those at its
 * top (redone at the start of each reverse iteration). */
Vec find_recomputable(Reverse *rv, Stmt *loop, Var *counter) {
  Ad *ad = rv->ad;
  Vec out = {0}, top = {0}, loop_written = {0}, avail = {0}, mem = {0};
  stmt_flatten(loop->then, &top);
  stmt_assigned_vars(loop->then, &loop_written);
  if (!rv->written_bases_known) { /* the primal's memory writes: the same for every loop */
    stmt_written_bases(ad->f->body, &rv->written_bases);
    rv->written_bases_known = true;
  }
  for (int i = 0; i < rv->written_bases.len; i++)
    vec_push(&mem, rv->written_bases.items[i]);
  if (counter)
    vec_add_unique(&avail, counter);
  for (int i = 0; i < top.len; i++) {
    Stmt *s = top.items[i];
    if (s->kind == ST_IF) {
      recomputable_in_branch(ad, loop, s->then, &loop_written, &avail, &mem);
      recomputable_in_branch(ad, loop, s->els, &loop_written, &avail, &mem);
      continue;
    }
    if (recomputable_fill(ad, loop, &top, i, &loop_written, &avail, &mem)) {
      vec_push(&out, s);
      continue;
    }
    if (!recomputable_assign(loop, s, &loop_written, &avail, &mem) || mentioned_before(&top, i, s->expr->lhs->var))
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
void emit_recomputed(Vec *stmts, Vec *out) {
  for (int i = 0; i < stmts->len; i++) {
    Stmt *s = stmts->items[i];
    if (s->kind == ST_FOR) { /* a fill: the loop again */
      vec_push(out, stmt_clone(s, NULL, NULL, 0));
      continue;
    }
    Expr *a = s->expr;
    assert(s->recompute && a->kind == EX_ASSIGN && a->lhs->kind == EX_VAR); /* see recomputable_assign */
    Stmt *again = stmt_expr(expr_assign(OP_NONE, expr_copy(a->lhs), expr_copy(a->rhs)));
    again->recompute = true; /* drop_unread_recomputes may find it dead */
    vec_push(out, again);
    Var *v = a->lhs->var;
    if (v->type->kind == TY_PTR && v->active)
      vec_push(out, stmt_expr(expr_assign(OP_NONE, expr_var(v->adj, s->loc), adj_pointer(a->rhs, v->adj->type))));
  }
}

/* A branch's assignments marked by recomputable_in_branch, redone first
 * in its reverse. */
void branch_recomputes(Stmt *branch, Vec *rev) {
  Vec here = {0}, marked = {0}, redo = {0};
  stmt_flatten(branch, &here);
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
