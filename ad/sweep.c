/* The statement sweep: the forward and the reverse sweep of each statement.
 *
 * The forward sweep is the normalised primal, plus a save of each value
 * about to be overwritten and a flag for each branch taken.  The reverse
 * sweep visits the statements backwards: for `v = e` it restores v's old
 * value, then adds d_v times each partial derivative of e into the
 * adjoints of e's operands, and clears d_v.  Partial derivatives read the
 * primal variables, which at that point hold the values they had when the
 * statement ran.  diff_stmt dispatches on the statement kind; assignments,
 * blocks, branches and loops call back into it (checkpointed loops are in
 * checkpoint.c).  A new statement kind is lowered in normalize.c or gets
 * its case here. */
#include "reverse.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

static void diff_assign_body(Reverse *rv, Stmt *s, Vec *fwd, Vec *rev);

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

/* The adjoint of a pointer value: where its adjoint points. */
Expr *adj_pointer(Expr *e, Type *type) {
  switch (e->kind) {
  case EX_NUM:
    return expr_copy(e);
  case EX_CAST: {
    if (expr_is_alloc(e))
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

/* `p = value` for a pointer variable p: its adjoint pointer follows, and
 * memory allocated here is freed when the reverse sweep passes back. */
static void diff_pointer_assign(Reverse *rv, Stmt *s, Vec *fwd, Vec *rev) {
  if (sweep_scoped(rv, s, fwd, rev))
    return;
  Expr *a = s->expr;
  assert(a->lhs->kind == EX_VAR); /* normalize refuses storing a pointer elsewhere */
  Var *p = a->lhs->var;
  Slot *slot = NULL;
  if (!s->is_def && !s->recompute) {
    slot = new_inverse_slot(rv, a);
    if (!slot)
      slot = new_slot(rv, a->lhs);
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
  if (expr_is_alloc(a->rhs)) {
    vec_push(rev, stmt_call("free", expr_var(p, s->loc)));
    if (p->active)
      vec_push(rev, stmt_call("free", expr_var(p->adj, s->loc)));
  }
  if (slot)
    vec_push(rev, slot->restore);
}

/* `t = vg_op(a, b)`: the forward sweep keeps t until the function ends; the
 * reverse sweep calls the operation's vector-Jacobian product. */
static void diff_array_assign(Reverse *rv, Stmt *s, Vec *fwd, Vec *rev) {
  Ad *ad = rv->ad;
  Expr *a = s->expr;
  Expr *lhs = a->lhs;
  Expr *rhs = a->rhs;
  Var *root = lvalue_root(lhs);
  Slot *slot = s->is_def ? NULL : new_slot(rv, lhs);
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
      value = expr_runtime_call(CALL_RUNTIME, "vg_keep", rhs->type, rhs, NULL);
    vec_push(fwd, stmt_expr(expr_assign(OP_NONE, lhs, value)));
    Var *list = arrays_list(rv);
    Expr *push =
        tape_stack_call(CALL_TAPE_PUSH, "push", TAPE_PTR, type_void(), expr_addr_of(expr_var(list, s->loc)), NULL);
    Expr *cast = new_expr(EX_CAST, type_pointer_to(type_void()), s->loc);
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
    propagate(ad, rhs, g, into(body));
  } else {
    Expr *vjp = expr_runtime_call(CALL_RUNTIME, format("%s_vjp", rhs->text), type_void(), NULL, NULL);
    Expr *a0 = rhs->args.len > 0 ? rhs->args.items[0] : NULL;
    Expr *grad0 = a0 && ad_expr_active(a0) ? expr_addr_of(adj_of(a0)) : expr_num("0", type_int());
    switch (op->kind) {
    case AOP_BINARY: {
      Expr *a1 = rhs->args.items[1];
      vec_push(&vjp->args, expr_copy(a0));
      vec_push(&vjp->args, expr_copy(a1));
      vec_push(&vjp->args, out);
      vec_push(&vjp->args, expr_copy(g));
      vec_push(&vjp->args, grad0);
      vec_push(&vjp->args, ad_expr_active(a1) ? expr_addr_of(adj_of(a1)) : expr_num("0", type_int()));
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
      propagate(ad, a0, expr_runtime_call(CALL_RUNTIME, "vg_grad_item", type_double(), expr_copy(g), NULL), into(body));
      break;
    case AOP_IDENTITY:
      propagate(ad, a0, expr_copy(g), into(body));
      break;
    case AOP_FROM:
      emit(body, expr_runtime_call(CALL_RUNTIME, format("%s_vjp", rhs->text), type_void(), expr_copy(g), adj_of(a0)));
      break;
    default:
      break;
    }
  }
  emit(body, expr_runtime_call(CALL_RUNTIME, "vg_free", type_void(), expr_copy(g), NULL));
  vec_push(rev, guard);
  if (slot && !self)
    vec_push(rev, slot->restore);
}

void diff_assign(Reverse *rv, Stmt *s, Vec *fwd, Vec *rev) {
  assert(s->kind == ST_EXPR && s->expr->kind == EX_ASSIGN);
  int first = rev->len, nslots = rv->slots.len;
  diff_assign_body(rv, s, fwd, rev);
  Reads *r = xcalloc(1, sizeof(Reads));
  if (rv->slots.len > nslots)
    r->slot = rv->slots.items[rv->slots.len - 1];
  for (int i = first; i < rev->len; i++)
    stmt_collect_vars(rev->items[i], &r->reads);
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
static void propagate_self(Reverse *rv, Expr *rhs, Expr *tmp, Expr *lhs, bool assign, Vec *rev) {
  Ad *ad = rv->ad;
  Expr *core = tmp->kind == EX_NEG ? tmp->lhs : tmp;
  bool factor_first = rv->loop_depth > 0 && type_is_floating(lhs->type) && core->kind == EX_VAR;
  bool merge = factor_first && lhs->kind == EX_VAR;
  if (!merge) {
    if (assign)
      clear(adj_of(lhs), rev);
    Dest to = into(rev);
    to.core = factor_first ? core->var : NULL;
    propagate(ad, rhs, tmp, to);
    return;
  }
  int start = rev->len;
  Vec terms = {0};
  propagate(ad, rhs, tmp, (Dest){.out = rev, .core = core->var, .self = lhs->var, .self_terms = &terms});
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
  const char *one_text = type_is_single(type) ? "1.0f" : "1.0";
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

static void assign_adjoint(Reverse *rv, Expr *a, Expr *lhs, Var *root, Expr *t, bool caller_owned, Vec *rev) {
  Ad *ad = rv->ad;
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
      propagate(ad, rhs, op == OP_SUB ? neg(t) : t, into(rev));
    return;
  }
  bool self = reads_var(rhs, root);
  Expr *adj = adj_of(lhs);
  if (op == OP_NONE) {
    if (rhs_active && self) {
      int at = rev->len;
      Expr *tmp = share(ad, adj, lhs->type, into(rev));
      if (tmp == adj) /* struct: copy into a temporary */
        tmp = into_temp(ad, adj, lhs->type, rev);
      propagate_self(rv, rhs, tmp, lhs, true, rev);
      drop_unused_temp(rev, at, tmp);
    } else {
      propagate(ad, rhs, adj, into(rev));
      clear(adj_of(lhs), rev);
    }
  } else if (rhs_active) {
    Expr *tmp = adj;
    int at = rev->len;
    if (self) {
      tmp = share(ad, adj, lhs->type, into(rev));
      if (tmp == adj)
        tmp = into_temp(ad, adj, lhs->type, rev);
    }
    if (self) {
      propagate_self(rv, rhs, op == OP_SUB ? neg(tmp) : tmp, lhs, false, rev);
      drop_unused_temp(rev, at, tmp);
    } else {
      propagate(ad, rhs, op == OP_SUB ? neg(tmp) : tmp, into(rev));
    }
  }
}

static void diff_assign_body(Reverse *rv, Stmt *s, Vec *fwd, Vec *rev) {
  Ad *ad = rv->ad;
  Expr *a = s->expr;
  Expr *lhs = a->lhs;
  Var *root = lvalue_root(lhs);
  int fwd_start = fwd->len; /* operands taped for the reverse sweep go first */
  vec_push(rev, stmt_comment(format("%s: %s", ad_line_of(ad, s->loc), expr_to_c(a))));
  if (a->rhs->kind == EX_CALL && a->rhs->call == CALL_RECURSIVE) {
    diff_recursive_call(rv, s, fwd, rev);
    return;
  }
  if (type_is_array_value(lhs->type)) {
    diff_array_assign(rv, s, fwd, rev);
    return;
  }
  if (lhs->type->kind == TY_PTR) {
    diff_pointer_assign(rv, s, fwd, rev);
    return;
  }
  bool no_save = s->is_def || s->recompute;
  Slot *slot = no_save ? NULL : new_inverse_slot(rv, a);
  if (!slot && !no_save) {
    slot = new_slot(rv, lhs);
    if (ptr_set_contains(&rv->first_stores, s))
      restore_zero(slot, lhs);
  }
  if (s->omp && rv->ad->prog->openmp) { /* `#pragma omp atomic` kept on the forward update */
    s->pragma = "#pragma omp atomic";
    s->omp->parallel = true; /* carried into the gradient: no warning */
    if (slot)
      slot->atomic = true;
  }
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
    if (rv->loop_depth > 0) {
      vec_push(fwd, stmt_expr(ad_tape_push(rv, adj)));
      if (keep_t)
        t = into_temp(ad, adj_of(lhs), lhs->type, rev);
      vec_push(rev, stmt_expr(expr_assign(OP_NONE, adj_of(lhs), ad_tape_pop(rv, adj->type))));
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
  tape_reads(rv, a->rhs, &taped);
  Vec cached = {0};
  cache_calls(ad, a->rhs, &cached);
  if (cached.len) {
    /* A dry run: keep a call's variable only where its value is used twice. */
    int names = ad_names_mark(ad);
    Vec dry = {0};
    assign_adjoint(rv, a, lhs, root, t, caller_owned, &dry);
    ad_names_rollback(ad, names);
    for (int i = 0; i < cached.len; i++) {
      Stmt *d = cached.items[i];
      int uses = 0;
      for (int j = 0; j < dry.len; j++)
        uses += stmt_count_uses(dry.items[j], d->var);
      for (int j = i + 1; j < cached.len; j++)
        uses += expr_count_uses(((Stmt *)cached.items[j])->init, d->var);
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
  assign_adjoint(rv, a, lhs, root, t, caller_owned, rev);
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
    if (companion && rv->loop_depth > 0 && lhs->kind == EX_VAR && reads_var(call->args.items[0], root)) {
      /* x = x + h * sin(p * x) in a loop: the next iteration waits for this
       * sin, so the cos is computed after the statement, out of line (see
       * vg_cos_apart in vgrad.h), from the angle kept before it. */
      Var *angle = ad_new_local(ad, "angle", type_unqualified(call->type), true);
      vec_insert_at(fwd, fwd_start++, stmt_expr(expr_assign(OP_NONE, expr_var(angle, call->loc), value->args.items[0])));
      value->args.items[0] = expr_var(angle, call->loc);
      value->text = format("vg_%s_apart", call->text);
      value->call = CALL_RUNTIME;
      vec_push(fwd, stmt_expr(expr_assign(OP_NONE, expr_var(fv, call->loc), value)));
      vec_push(fwd, stmt_expr(ad_tape_push(rv, expr_var(fv, a->loc))));
      d->init = ad_tape_pop(rv, d->var->type);
      vec_push(&after, d);
      continue;
    }
    vec_insert_at(fwd, fwd_start++, stmt_expr(expr_assign(OP_NONE, expr_var(fv, call->loc), value)));
    if (rv->loop_depth == 0) { /* outside loops the variable keeps its value */
      d->init = expr_var(fv, call->loc);
      continue;
    }
    vec_push(&stored, fv);
    vec_push(&from_tape, d);
    d->init = ad_tape_pop(rv, d->var->type);
  }
  for (int i = 0; i < stored.len; i++)
    vec_insert_at(fwd, fwd_start++, stmt_expr(ad_tape_push(rv, expr_var(stored.items[i], a->loc))));
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
    vec_insert_at(fwd, at++, stmt_expr(ad_tape_push(rv, expr_copy(node))));
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

static void diff_block(Reverse *rv, Vec *stmts, Vec *fwd, Vec *rev) {
  Vec *parts = xcalloc((size_t)stmts->len + 1, sizeof(Vec));
  for (int i = 0; i < stmts->len; i++)
    diff_stmt(rv, stmts->items[i], fwd, &parts[i]);
  for (int i = stmts->len - 1; i >= 0; i--)
    for (int j = 0; j < parts[i].len; j++)
      vec_push(rev, parts[i].items[j]);
  free(parts);
}

/* The counter's value after the loop, from its start and bound, for a
 * counter the rest of the function never reads: then nothing is saved. */
static Expr *final_counter(Stmt *s) {
  Var *i = s->var;
  BinOp op;
  Expr *step = step_of(s->step, &op);
  if (!step || step->kind != EX_NUM || strcmp(step->text, "1") || mentioned_outside(s, i))
    return NULL;
  BinOp cmp;
  Expr *bound = loop_bound(s, &cmp);
  if (!bound || !plain_operand(bound) || !type_is_integer(bound->type)) /* i < 2.5 ends at 3, not (int)2.5 */
    return NULL;
  Vec written = {0};
  stmt_assigned_roots(s->then, &written);
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
  if (l->kind != EX_VAR || l->var != s->var || !loop_invariant_bound(c->rhs, s->then) || !loop_invariant_bound(s->init, s->then) ||
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
    return expr_num(format("%ld", n), type_long());
  }
  Expr *pick = new_expr(EX_COND, type_long(), s->loc);
  pick->cond = expr_binary(OP_GT, expr_copy(c->rhs), expr_copy(s->init), type_int());
  pick->lhs = expr_minus(c->rhs, s->init);
  pick->rhs = expr_num("0", type_long());
  return pick;
}

/* The reverse of counted loop s down to the counter value `start`:
 * `while (i != start) { i -= K; }` (`i--` for K = 1, and then its number of
 * iterations left, i - start, as trips), the body still to be filled. */
Stmt *reverse_loop(Stmt *s, Expr *start) {
  /* normalize keeps a `for` only as a counted loop (simple_counter) */
  assert(s->kind == ST_FOR && s->var && s->init && s->for_init && s->for_init->kind == ST_EXPR && s->step &&
         s->step->kind == EX_ASSIGN && (s->step->op == OP_ADD || s->step->op == OP_SUB) &&
         (s->step->rhs->kind == EX_NUM || s->step->rhs->kind == EX_VAR));
  Stmt *w = new_stmt(ST_WHILE, s->loc);
  w->expr = expr_binary(OP_NE, expr_var(s->var, s->loc), expr_copy(start), type_int());
  w->then = stmt_block(s->loc);
  Expr *back = expr_copy(s->step);
  back->op = back->op == OP_ADD ? OP_SUB : OP_ADD;
  if (back->rhs->kind == EX_NUM && !strcmp(back->rhs->text, "1")) {
    Expr *step = new_expr(EX_INCDEC, back->lhs->type, back->loc);
    step->lhs = back->lhs;
    step->increment = back->op == OP_ADD;
    back = step;
  }
  vec_push(&w->then->body, stmt_expr(back));
  if (back->kind == EX_INCDEC && !back->increment) /* i-- down to the start: i - start times */
    w->trips = expr_minus(expr_var(s->var, s->loc), start);
  return w;
}

/* `for (i = a; cond; i += K)` whose body leaves i and a alone: after the
 * loop i is one step past the last iteration, so the reverse sweep walks i
 * back down to a.  No tape. */
static void diff_counted_loop(Reverse *rv, Stmt *s, Vec *fwd, Vec *rev) {
  Vec init_fwd = {0}, init_rev = {0};
  Expr *final = final_counter(s);
  if (final) {
    /* the reverse loop starts from the computed end: the init needs no save */
    s->for_init->is_def = true;
  }
  diff_assign(rv, s->for_init, &init_fwd, &init_rev);
  assert(init_fwd.len > 0 && init_fwd.items[init_fwd.len - 1] == s->for_init); /* the init last: the loop keeps it */
  for (int i = 0; i < init_fwd.len - 1; i++)
    vec_push(fwd, init_fwd.items[i]);
  Stmt *f = new_stmt(ST_FOR, s->loc);
  f->for_init = init_fwd.items[init_fwd.len - 1];
  f->expr = s->expr;
  f->step = s->step;
  f->then = stmt_block(s->loc);
  Stmt *w = reverse_loop(s, s->init);
  f->trips = forward_trips(s);
  if (f->trips && f->trips->kind == EX_NUM)
    w->known_trips = strtol(f->trips->text, NULL, 10);
  Vec again = find_recomputable(rv, s, s->var);
  emit_recomputed(&again, &w->then->body);
  rv->loop_depth++;
  diff_stmt(rv, s->then, &f->then->body, &w->then->body);
  rv->loop_depth--;
  free(again.items);
  /* The reverse loop evaluates the start (and step, and the final counter)
   * again: what they read must hold its forward value (see flow). */
  Reads *r = xcalloc(1, sizeof(Reads));
  expr_collect_vars(s->init, &r->reads);
  expr_collect_vars(s->step, &r->reads);
  expr_collect_vars(final, &r->reads);
  s->info = r;
  if (s->omp && rv->ad->prog->openmp)
    omp_note_loop(rv, s, f, w);
  vec_push(fwd, f);
  vec_push(rev, stmt_comment(format("%s: the loop over %s, backwards", ad_line_of(rv->ad, s->loc), s->var->name)));
  if (final)
    vec_push(rev, stmt_expr(expr_assign(OP_NONE, expr_var(s->var, s->loc), final)));
  vec_push(rev, w);
  for (int i = 0; i < init_rev.len; i++)
    vec_push(rev, init_rev.items[i]);
  free(init_fwd.items);
  free(init_rev.items);
}

/* Any other loop: count its iterations, run the reverse body that often. */
static void diff_loop(Reverse *rv, Stmt *s, Vec *fwd, Vec *rev) {
  Ad *ad = rv->ad;
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
  bool nested = rv->loop_depth > 0;
  Vec again = find_recomputable(rv, s, NULL);
  emit_recomputed(&again, &back->then->body);
  free(again.items);
  rv->loop_depth++;
  diff_stmt(rv, s->then, &loop->then->body, &back->then->body);
  rv->loop_depth--;
  vec_push(fwd, stmt_expr(expr_assign(OP_NONE, expr_var(iter, s->loc), expr_num("0", type_int()))));
  vec_push(fwd, loop);
  vec_push(rev, stmt_comment(format("%s: %s loop, backwards", ad_line_of(rv->ad, s->loc), s->kind == ST_DO ? "'do'" : "the")));
  if (nested) {
    /* The iteration count differs from one outer iteration to the next. */
    vec_push(fwd, stmt_expr(ad_tape_push(rv, expr_var(iter, s->loc))));
    vec_push(rev, stmt_expr(expr_assign(OP_NONE, expr_var(iter, s->loc), ad_tape_pop(rv, type_int()))));
  }
  vec_push(rev, back);
}

void diff_stmt(Reverse *rv, Stmt *s, Vec *fwd, Vec *rev) {
  Ad *ad = rv->ad;
  switch (s->kind) {
  case ST_BLOCK:
    diff_block(rv, &s->body, fwd, rev);
    return;
  case ST_EXPR:
    if (s->expr->kind == EX_ASSIGN)
      diff_assign(rv, s, fwd, rev);
    else if (s->expr->kind == EX_CALL && s->expr->custom_outputs)
      ad_custom_writer(rv, s, fwd, rev);
    else if (sweep_scoped(rv, s, fwd, rev))
      ;
    else if (!(s->expr->kind == EX_CALL && !strcmp(s->expr->text, "free")))
      vec_push(fwd, s); /* a call that cannot change the derivative */
    return;
  case ST_IF: {
    Branch *b = xcalloc(1, sizeof(Branch));
    b->flag = ad_new_local(ad, "branch", type_int(), true);
    b->set = stmt_expr(expr_assign(OP_NONE, expr_var(b->flag, s->loc), expr_truth(expr_copy(s->expr))));
    b->fwd_if = new_stmt(ST_IF, s->loc);
    b->fwd_if->expr = s->expr;
    b->fwd_if->then = stmt_block(s->loc);
    b->rev_if = new_stmt(ST_IF, s->loc);
    b->rev_if->expr = expr_var(b->flag, s->loc);
    if (rv->loop_depth > 0) {
      b->push = stmt_expr(ad_tape_push(rv, expr_var(b->flag, s->loc)));
      b->rev_if->expr = ad_tape_pop(rv, type_int());
    }
    b->rev_if->then = stmt_block(s->loc);
    b->rev_if->els = stmt_block(s->loc);
    diff_stmt(rv, s->then, &b->fwd_if->then->body, &b->rev_if->then->body);
    branch_recomputes(s->then, &b->rev_if->then->body);
    if (s->els) {
      b->fwd_if->els = stmt_block(s->loc);
      diff_stmt(rv, s->els, &b->fwd_if->els->body, &b->rev_if->els->body);
      branch_recomputes(s->els, &b->rev_if->els->body);
    }
    vec_push(fwd, b->set);
    vec_push(fwd, b->fwd_if);
    /* After the branch: its own pushes come first, so the reverse sweep
     * pops the flag before them. */
    if (b->push)
      vec_push(fwd, b->push);
    vec_push(rev, b->rev_if);
    vec_push(&rv->branches, b);
    return;
  }
  case ST_FOR:
    if (s->checkpoint)
      diff_checkpointed_loop(rv, s, fwd, rev);
    else
      diff_counted_loop(rv, s, fwd, rev);
    return;
  case ST_WHILE:
  case ST_DO:
    diff_loop(rv, s, fwd, rev);
    return;
  default:
    return;
  }
}
