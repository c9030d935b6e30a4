/* Pruning, once the sweeps are built.
 *
 * To-be-recorded analysis: a save is kept only if the reverse sweep reads
 * what it restores.  Flow-sensitive pruning of scalar saves: the save before
 * `v = e` matters only if, since the previous write of v, the reverse sweep
 * of some statement reads v; a forward pass over the structured body tracks
 * "read since last written" per variable.  Then unused flags, empty ifs,
 * declarations of what went, and adjoint pointers only ever set. */
#include "reverse.h"

#include <stdlib.h>
#include <string.h>

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
  case EX_ADDR: /* `&st[i % 2]`, `&p->f` (a recomputed pointer): an address, no element read */
    if (e->lhs->kind == EX_INDEX) {
      if (e->lhs->lhs->kind == EX_VAR && !element)
        e->lhs->lhs->var->needed = true; /* an array's name: its address */
      else
        mark_reads_in(e->lhs->lhs, element);
      mark_reads_in(e->lhs->rhs, false);
      return;
    }
    if (e->lhs->kind == EX_DEREF || (e->lhs->kind == EX_MEMBER && e->lhs->arrow)) {
      mark_reads_in(e->lhs->lhs, element);
      return;
    }
    break;
  default:
    break;
  }
  /* calls may read through the pointers they get (free does not) */
  bool through = e->kind == EX_CALL && strcmp(e->text, "free") && !expr_is_tape_call(e);
  mark_reads_in(e->lhs, through);
  mark_reads_in(e->rhs, through);
  mark_reads_in(e->cond, false);
  for (int i = 0; i < e->args.len; i++)
    mark_reads_in(e->args.items[i], through);
}

static void mark_reads(Expr *e) { mark_reads_in(e, false); }

static WalkStep mark_stmt_reads(Stmt *s, void *unused) {
  (void)unused;
  if (s->kind == ST_EXPR && !s->slot)
    mark_reads(s->expr);
  if (s->kind == ST_DECL)
    mark_reads(s->init);
  if (s->kind == ST_IF || s->kind == ST_WHILE || s->kind == ST_DO || s->kind == ST_FOR)
    mark_reads(s->expr);
  if (s->kind == ST_FOR)
    mark_reads(s->step);
  return WALK_ON;
}

void mark_needed(Stmt *s) { walk_stmt(s, &(Walker){.stmt_pre = mark_stmt_reads}); }

/* The index expressions of a restore's target, and its pointer. */
void mark_restore_reads(Stmt *s) {
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

bool is_empty(Stmt *s) {
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

/* After its branches: an if whose branches emptied is empty in turn. */
static void drop_if_empty(Stmt *s, void *unused) {
  (void)unused;
  if (s->kind == ST_IF && is_empty(s))
    s->kind = ST_EMPTY;
  if (s->kind == ST_IF && is_empty(s->els))
    s->els = NULL;
}

void drop_empty_ifs(Stmt *s) { walk_stmt(s, &(Walker){.stmt_post = drop_if_empty}); }

void drop_decl_of(Ad *ad, Var *v) {
  for (int i = 0; i < ad->decls.len; i++) {
    Stmt *d = ad->decls.items[i];
    if (d->kind == ST_DECL && d->var == v)
      d->kind = ST_EMPTY;
  }
}

/* The same for every variable of `vars`, in one pass over the declarations. */
void drop_decls_of(Ad *ad, const PtrSet *vars) {
  for (int i = 0; vars->len && i < ad->decls.len; i++) {
    Stmt *d = ad->decls.items[i];
    if (d->kind == ST_DECL && ptr_set_contains(vars, d->var))
      d->kind = ST_EMPTY;
  }
}

/* Whether s reads v other than in `v = ...` statements, which with `drop`
 * go (called with drop only once there is no such read); with
 * `recomputes_only`, only the recomputations emit_recomputed made go (a
 * restore from the tape must stay, or the tape loses its order). */
static bool reads_besides_sets_of(Stmt *s, Var *v, bool drop, bool recomputes_only) {
  if (!s || s->kind == ST_EMPTY)
    return false;
  if (s->kind == ST_EXPR && s->expr && s->expr->kind == EX_ASSIGN && s->expr->op == OP_NONE &&
      s->expr->lhs->kind == EX_VAR && s->expr->lhs->var == v) {
    if (expr_mentions(s->expr->rhs, v))
      return true;
    if (drop && (s->recompute || !recomputes_only))
      s->kind = ST_EMPTY;
    return false;
  }
  if (s->kind == ST_BLOCK || s->kind == ST_IF || s->kind == ST_FOR || s->kind == ST_WHILE || s->kind == ST_DO) {
    if (expr_mentions(s->expr, v) || expr_mentions(s->step, v))
      return true;
    bool any = false;
    for (int i = 0; i < s->body.len; i++)
      any |= reads_besides_sets_of(s->body.items[i], v, drop, recomputes_only);
    any |= reads_besides_sets_of(s->then, v, drop, recomputes_only);
    any |= reads_besides_sets_of(s->els, v, drop, recomputes_only);
    any |= reads_besides_sets_of(s->for_init, v, drop, recomputes_only);
    return any;
  }
  return stmt_uses(s, v);
}

static bool reads_besides_sets(Stmt *s, Var *v, bool drop) { return reads_besides_sets_of(s, v, drop, false); }

/* A floating value redone at the start of each reverse iteration
 * (recompute.c) that the reverse sweep then never reads: the redo goes. */
void drop_unread_recomputes(Ad *ad, Stmt *rev) {
  for (int i = 0; i < ad->f->locals.len; i++) {
    Var *v = ad->f->locals.items[i];
    if (type_is_floating(v->type) && !reads_besides_sets_of(rev, v, false, true))
      reads_besides_sets_of(rev, v, true, true);
  }
}

/* Adjoint pointers (d_p for a pointer p) that the generated code only sets,
 * never reads -- p was only read in branch conditions, say -- go with their
 * declarations; dropping one can leave another unread. */
void drop_unread_adjoint_pointers(Ad *ad, Stmt *fwd, Stmt *rev) {
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

void keep_arrays(Expr *e, Vec *out) {
  if (type_is_array_value(e->type)) {
    emit(out, expr_runtime_call(CALL_RUNTIME, "vg_keep", e->type, e, NULL));
    return;
  }
  if (e->type->kind == TY_STRUCT)
    for (int i = 0; i < e->type->nmembers; i++)
      keep_arrays(member_of(e, &e->type->members[i]), out);
}

/* The variables whose save the analysis decides (assigned with a slot):
 * the only ones whose membership is asked, and the analysis is per
 * variable, so the state holds only these (not every saved copy read). */
static WalkStep track_saved(Stmt *s, void *tracked) {
  if (s->kind == ST_EXPR) {
    Reads *r = s->info;
    Expr *lhs = r && s->expr->kind == EX_ASSIGN ? s->expr->lhs : NULL;
    if (r && r->slot && lhs && lhs->kind == EX_VAR)
      ptr_set_add(tracked, lhs->var);
  }
  return WALK_ON;
}

void flow_tracked(Stmt *s, PtrSet *tracked) { walk_stmt(s, &(Walker){.stmt_pre = track_saved, .ctx = tracked}); }

void flow(Stmt *s, PtrSet *state, const PtrSet *tracked) {
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
    flow(s->for_init, state, tracked);
    if (s->checkpoint) { /* replayed whole: see checkpoint_reads */
      Reads *r = s->info;
      Vec written = {0};
      stmt_assigned_roots(s->then, &written);
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
