/* Checkpointed loops (#pragma vgrad checkpoint).
 *
 * The forward sweep runs the loop untaped, keeping a copy of its state at
 * entry; the reverse sweep replays it from snapshots under the runtime's
 * binomial schedule (vg_ckpt), taping one step at a time. */
#include "reverse.h"

#include <stdlib.h>
#include <string.h>

/* buffer + (sizeof earlier state variables) */
static Expr *at_offset(Var *buf, Vec *state, int upto) {
  Expr *e = expr_var(buf, buf->loc);
  for (int i = 0; i < upto; i++)
    e = expr_binary(OP_ADD, e, expr_sizeof_var(state->items[i]), buf->type);
  return e;
}

static bool checkpoint_state(Ad *ad, Stmt *s, Vec *state) {
  Vec w = {0};
  stmt_assigned_roots(s->then, &w);
  /* a write into arrays a pointer moves between may be into any of them */
  for (int i = 0; i < ad->shared_bases.len; i++) {
    SharedBase *g = ad->shared_bases.items[i];
    if (vec_contains(&w, g->members.items[0]))
      for (int k = 1; k < g->members.len; k++)
        vec_add_unique(&w, g->members.items[k]);
  }
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
               "whose state is variables and fixed-size local arrays can be checkpointed", var_spelling(v));
      ok = false;
      continue;
    }
    if (v->type->kind == TY_PTR && v->active) {
      /* its adjoint pointer is not in the snapshots, nor moved by the untaped runs */
      Stmt *read = stmt_read_before_set(s->then, v);
      if (read) {
        error_at(read->loc, "checkpoint: pointer '%s' carries its position from one iteration to the next, "
                 "and vgradcc does not snapshot where its gradient points; compute it from the loop counter "
                 "('p = x + t', 'cur = t %% 2 ? b : a') or leave this loop without checkpoint", var_spelling(v));
        ok = false;
        continue;
      }
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
  if (!bound || !loop_invariant_bound(bound, s->then) || !loop_invariant_bound(s->init, s->then) || expr_mentions(bound, s->var))
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
    hi_long = new_expr(EX_CAST, type_long(), s->loc);
    hi_long->lhs = expr_copy(hi);
  }
  Expr *span = expr_minus(hi_long, lo);
  Expr *one = expr_num("1", type_int());
  /* hi >= lo ? (hi - lo) / k + 1 : 0, or hi > lo ? (hi - lo + k - 1) / k : 0 */
  Expr *n;
  if (inclusive)
    n = expr_binary(OP_ADD, unit ? span : expr_binary(OP_DIV, span, expr_copy(k), type_long()), one, type_long());
  else if (unit)
    n = span;
  else
    n = expr_binary(OP_DIV, expr_binary(OP_SUB, expr_binary(OP_ADD, span, expr_copy(k), type_long()), one, type_long()),
                    expr_copy(k), type_long());
  Expr *pick = new_expr(EX_COND, type_long(), s->loc);
  pick->cond = expr_binary(inclusive ? OP_GE : OP_GT, expr_copy(hi), expr_copy(lo), type_int());
  pick->lhs = n;
  pick->rhs = expr_num("0", type_long());
  return pick;
}

static Stmt *memcpy_stmts(Vec *state, Var **dst, Var **src) {
  Stmt *b = stmt_block((Loc){0});
  for (int i = 0; i < state->len; i++) {
    Var *d = dst ? dst[i] : state->items[i], *from = src ? src[i] : state->items[i];
    vec_push(&b->body, stmt_expr(expr_memcpy(expr_addr_of_var(d), expr_addr_of_var(from), state->items[i])));
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
    stmt_collect_vars(rev->items[i], &all);
  stmt_collect_vars(s->then, &all);
  expr_collect_vars(s->expr, &all);
  expr_collect_vars(s->init, &all);
  expr_collect_vars(s->step, &all);
  for (int i = 0; i < all.len; i++)
    if (all.items[i] != s->var && !vec_contains(state, all.items[i]))
      vec_push(&r->reads, all.items[i]);
  free(all.items);
  s->info = r;
}

void diff_checkpointed_loop(Reverse *rv, Stmt *s, Vec *fwd, Vec *rev) {
  Ad *ad = rv->ad;
  assert(s->checkpoint > 0 && rv->loop_depth == 0); /* normalize refuses one inside a loop */
  Vec state = {0};
  if (!checkpoint_state(ad, s, &state))
    return;
  Loc loc = s->loc;
  Vec init_fwd = {0}, init_rev = {0};
  diff_assign(rv, s->for_init, &init_fwd, &init_rev);
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
  Var *steps = ad_new_local(ad, "steps", type_long(), true);
  Var *ck = ad_new_local(ad, "ckpt", type_named("vg_ckpt"), true);
  Var *action = ad_new_local(ad, "action", type_int(), true);
  Var *from = ad_new_local(ad, "from", type_long(), true);
  Var *to = ad_new_local(ad, "to", type_long(), true);
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
  Expr *ckref = expr_addr_of(expr_var(ck, loc));

  Expr *begin = expr_runtime_call(CALL_RUNTIME, "vg_ckpt_begin", type_void(), ckref, expr_var(steps, loc));
  vec_push(&begin->args, expr_num(format("%d", s->checkpoint - 1), type_long()));
  Expr *total = expr_num("0", type_int());
  if (state.len) {
    total = expr_sizeof_var(state.items[0]);
    for (int i = 1; i < state.len; i++)
      total = expr_binary(OP_ADD, total, expr_sizeof_var(state.items[i]), type_int());
  }
  vec_push(&begin->args, total);
  Expr *next = expr_runtime_call(CALL_RUNTIME, "vg_ckpt_next", type_int(), expr_copy(ckref),
                                 expr_addr_of(expr_var(from, loc)));
  vec_push(&next->args, expr_addr_of(expr_var(to, loc)));
  Expr *get_next = expr_assign(OP_NONE, expr_var(action, loc), next);

  /* The schedule's actions on the state.  i = a + step * K: */
#define COUNTER_AT(v) expr_binary(op, expr_copy(s->init), expr_binary(OP_MUL, expr_var(v, loc), expr_copy(k), type_long()), s->var->type)
  Stmt *advance = new_stmt(ST_FOR, loc); /* ADVANCE: steps [from, to) untaped */
  advance->for_init = stmt_expr(expr_assign(OP_NONE, expr_var(s->var, loc), COUNTER_AT(from)));
  advance->expr = expr_binary(OP_NE, expr_var(s->var, loc), COUNTER_AT(to), type_int());
  advance->step = expr_copy(s->step);
  advance->then = s->then;
  Stmt *store = stmt_block(loc);
  Expr *pushed = expr_runtime_call(CALL_RUNTIME, "vg_ckpt_push_snapshot", bytes, expr_copy(ckref), NULL);
  vec_push(&store->body, stmt_expr(expr_assign(OP_NONE, expr_var(snap, loc), pushed)));
  for (int i = 0; i < state.len; i++)
    vec_push(&store->body, stmt_expr(expr_memcpy(at_offset(snap, &state, i), expr_addr_of_var(state.items[i]),
                                                 state.items[i])));
  Stmt *restore = stmt_block(loc);
  Expr *latest = expr_runtime_call(CALL_RUNTIME, "vg_ckpt_top_snapshot", cbytes, expr_copy(ckref), NULL);
  vec_push(&restore->body, stmt_expr(expr_assign(OP_NONE, expr_var(top, loc), latest)));
  for (int i = 0; i < state.len; i++)
    vec_push(&restore->body, stmt_expr(expr_memcpy(expr_addr_of_var(state.items[i]), at_offset(top, &state, i),
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
    plain->for_init = init_fwd.items[init_fwd.len - 1];
    plain->expr = s->expr;
    plain->step = s->step;
    plain->then = s->then;
    vec_push(fwd, plain);
    Expr *span = expr_binary(OP_SUB, expr_var(s->var, loc), expr_copy(s->init), type_long());
    if (op == OP_SUB)
      span = expr_binary(OP_SUB, expr_copy(s->init), expr_var(s->var, loc), type_long());
    vec_push(fwd, stmt_expr(expr_assign(OP_NONE, expr_var(steps, loc), expr_binary(OP_DIV, span, expr_copy(k), type_long()))));
  }

  /* REVERSE: steps [from, to) taped, then reversed, last first; the tape
   * turns twice.  The taped body is a copy: the advancing loops print the
   * body as it is, without the values the taped one keeps. */
  Stmt *step = stmt_block(loc);
  Vec again = find_recomputable(rv, s, s->var);
  Stmt *taped = new_stmt(ST_FOR, loc);
  taped->for_init = stmt_expr(expr_assign(OP_NONE, expr_var(s->var, loc), COUNTER_AT(from)));
  taped->expr = expr_binary(OP_NE, expr_var(s->var, loc), COUNTER_AT(to), type_int());
  taped->step = expr_copy(s->step);
  taped->then = stmt_block(loc);
  taped->trips = expr_binary(OP_SUB, expr_var(to, loc), expr_var(from, loc), type_long());
  Stmt *back = reverse_loop(s, COUNTER_AT(from));
  emit_recomputed(&again, &back->then->body);
  free(again.items);
  rv->loop_depth++;
  diff_stmt(rv, stmt_clone(s->then, NULL, NULL, 0), &taped->then->body, &back->then->body);
  rv->loop_depth--;
  vec_push(&step->body, stmt_expr(tape_call(CALL_TAPE_OTHER, "turn_to_push", type_void(), tape_ref(rv), NULL)));
  vec_push(&step->body, taped);
  vec_push(&step->body, stmt_expr(tape_call(CALL_TAPE_OTHER, "turn_to_pop", type_void(), tape_ref(rv), NULL)));
  vec_push(&step->body, stmt_expr(expr_assign(OP_NONE, expr_var(s->var, loc), COUNTER_AT(to))));
  vec_push(&step->body, back);
#undef COUNTER_AT

  /* reverse: from the first REVERSE on (the forward sweep's pending one, or
   * the schedule begun here), every action in turn */
  int rev_start = rev->len;
  vec_push(rev, stmt_comment(format("%s: the loop over %s, replayed from checkpoints", ad_line_of(rv->ad, loc), s->var->name)));
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
  vec_push(rev, stmt_expr(expr_runtime_call(CALL_RUNTIME, "vg_ckpt_end", type_void(), expr_copy(ckref), NULL)));
  vec_push(rev, memcpy_stmts(&state, NULL, entry));
  checkpoint_reads(s, &state, rev, rev_start);
  for (int i = 0; i < init_rev.len; i++)
    vec_push(rev, init_rev.items[i]);
  rv->uses_checkpoint = true;
  free(entry);
  free(pending);
  free(state.items);
  free(init_fwd.items);
  free(init_rev.items);
}
