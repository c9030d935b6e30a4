/* Recursive functions: split reversal instead of inlining.
 *
 * A function that reaches itself through calls cannot be inlined.  Each
 * one becomes two static functions of the generated file, made by the
 * same pipeline as a pragma's function (normalize, activity, sweep) with
 * every floating parameter selected:
 *   T g_vg_fwd(params, vg_tape *tape)
 *       g's forward sweep: its value, its saves and flags pushed onto the
 *       caller's tape, then the locals its reverse sweep reads;
 *   void g_vg_rev(params, d_params, T d_return, vg_tape *tape)
 *       pops those locals, then g's reverse sweep: the adjoints of its
 *       parameters accumulated from d_return.
 * A call `t = g(a, x)` (normalize.c gives it a statement of its own, its
 * scalar arguments in variables) runs g_vg_fwd in the caller's forward
 * sweep and g_vg_rev at the same place of its reverse sweep, always (its
 * pops balance the pushes), with the arguments' values of the call, which
 * the caller keeps as it keeps any operand. */
#include "reverse.h"

#include <stdlib.h>
#include <string.h>

/* ---- which functions are recursive ---- */

static void reach(Program *prog, Func *f, Vec *reached);

static bool add_callee(const Expr *e, const void *ctx) {
  const void *const *c = ctx;
  if (e->kind == EX_VAR && e->var->fn_init)
    return expr_any(e->var->fn_init, add_callee, ctx);
  if (e->kind != EX_CALL && e->kind != EX_FUNCREF)
    return false;
  Func *g = call_definition((Program *)c[0], e);
  if (g)
    reach((Program *)c[0], g, (Vec *)c[1]);
  return false;
}

static void reach(Program *prog, Func *f, Vec *reached) {
  if (vec_contains(reached, f) || !f->body)
    return;
  vec_push(reached, f);
  const void *ctx[2] = {prog, reached};
  stmt_any(f->body, add_callee, ctx);
}

bool ad_is_recursive(Program *prog, Func *g) {
  if (!g->body)
    return false;
  Vec reached = {0};
  const void *ctx[2] = {prog, &reached};
  stmt_any(g->body, add_callee, ctx); /* g itself not yet in: found again only through a cycle */
  bool found = vec_contains(&reached, g);
  free(reached.items);
  return found;
}

/* ---- the pairs of one program ---- */

static Vec pairs;   /* RecPair* */
static Vec refused; /* Func*: recursive functions already reported */

static Vec jvps;      /* Func*: recursive functions whose tangent function is registered */
static Vec jvp_names; /* char*: its name */
static int jvps_made; /* how many of them ad.c has generated */

void ad_recursion_reset(void) { pairs.len = refused.len = jvps.len = jvp_names.len = jvps_made = 0; }

const char *ad_recursive_jvp(Func *g) {
  for (int i = 0; i < jvps.len; i++)
    if (jvps.items[i] == g)
      return jvp_names.items[i];
  vec_push(&jvps, g);
  vec_push(&jvp_names, (void *)format("%s_jvp_rec", g->name));
  return jvp_names.items[jvp_names.len - 1];
}

Func *ad_next_pending_jvp(const char **name) {
  if (jvps_made >= jvps.len)
    return NULL;
  *name = jvp_names.items[jvps_made];
  return jvps.items[jvps_made++];
}

RecPair *ad_next_pending_pair(void) {
  for (int i = 0; i < pairs.len; i++) {
    RecPair *p = pairs.items[i];
    if (!p->fwd && !p->generating && !p->failed)
      return p;
  }
  return NULL;
}

/* A name of file scope nothing else has: g_vg_fwd, else g_vg_fwd_2, ... */
static const char *unused_name(Program *prog, const char *base) {
  for (int k = 1;; k++) {
    const char *name = k == 1 ? base : format("%s_%d", base, k);
    bool taken = name_set_contains(&prog->input_names, name) || name_set_contains(&prog->library_names, name);
    for (int i = 0; i < pairs.len && !taken; i++) {
      RecPair *p = pairs.items[i];
      taken = !strcmp(p->fwd_name, name) || !strcmp(p->rev_name, name);
    }
    for (int i = 0; i < prog->funcs.len && !taken; i++)
      taken = !strcmp(((Func *)prog->funcs.items[i])->name, name);
    if (!taken)
      return name;
  }
}

bool ad_recursion_supported(Func *g, Loc at) {
  if (vec_contains(&refused, g))
    return false;
  Type *ret = g->ret;
  if (!type_is_arith(ret)) {
    error_at(at, "the recursive function '%s' returns %s: vgradcc differentiates a recursive function that "
             "returns a number (double, float or an integer); return the value, or write the recursion as a loop",
             g->name, ret->kind == TY_VOID ? "nothing" : declare(ret, ""));
    vec_push(&refused, g);
    return false;
  }
  for (int i = 0; i < g->params.len; i++) {
    Var *p = g->params.items[i];
    Type *t = p->type;
    bool ok = type_is_arith(t) && t->kind != TY_LDOUBLE;
    if ((t->kind == TY_PTR || t->kind == TY_ARRAY) && t->base)
      ok = type_is_arith(t->base) && t->base->kind != TY_LDOUBLE;
    if (!ok) {
      error_at(p->loc, "parameter '%s' of the recursive function '%s' is %s: vgradcc differentiates a recursive "
               "function whose parameters are numbers and arrays of numbers only; pass the members as parameters "
               "of their own, or write the recursion as a loop", var_spelling(p), g->name, declare(t, ""));
      vec_push(&refused, g);
      return false;
    }
  }
  return true;
}

RecPair *ad_recursive_pair(Program *prog, Func *g, const bool *selected) {
  for (int i = 0; i < pairs.len; i++) {
    RecPair *p = pairs.items[i];
    if (p->g == g && !memcmp(p->selected, selected, (size_t)g->params.len * sizeof(bool)))
      return p;
  }
  RecPair *p = xcalloc(1, sizeof(RecPair));
  p->g = g;
  p->fwd_name = unused_name(prog, format("%s_vg_fwd", g->name));
  p->rev_name = unused_name(prog, format("%s_vg_rev", g->name));
  p->selected = xcalloc((size_t)g->params.len + 1, sizeof(bool));
  memcpy(p->selected, selected, (size_t)g->params.len * sizeof(bool));
  p->has_seed = type_is_floating(g->ret);
  vec_push(&pairs, p);
  return p;
}

static bool is_recursive_array_arg(const Expr *e, const void *v) {
  if (e->kind != EX_CALL || e->call != CALL_RECURSIVE)
    return false;
  for (int i = 0; i < e->args.len; i++) {
    const Expr *a = e->args.items[i];
    if (a->kind == EX_VAR && a->var == v && (a->type->kind == TY_PTR || a->type->kind == TY_ARRAY))
      return true;
  }
  return false;
}

bool ad_passed_to_recursive(Stmt *s, Var *v) { return stmt_any(s, is_recursive_array_arg, v); }

/* ---- a call: the forward function, then the reverse one ---- */

/* The gradient buffer of an array argument v: its adjoint, or, for a
 * selected parameter of this function that is not active, its gradient
 * parameter all the same; NULL when it has none (data the loss does not
 * differentiate: the pair made for that call takes no gradient for it). */
static Expr *array_gradient(Ad *ad, Var *v, Loc loc) {
  if (v->adj)
    return adj_pointer(expr_var(v, loc), type_adjoint(v->type->kind == TY_ARRAY ? type_pointer_to(v->type->base)
                                                                                 : v->type));
  Derivative *d = ad->deriv;
  for (int k = 0; v->param_index >= 0 && k < d->selected.len; k++)
    if (((Var *)d->selected.items[k])->param_index == v->param_index)
      return expr_var(d->out->params.items[ad->f->params.len + k], loc);
  return NULL;
}

/* Where the reverse function adds the adjoint of parameter i's argument. */
static Expr *argument_adjoint(Reverse *rv, RecPair *pair, int i, Expr *arg) {
  Ad *ad = rv->ad;
  Var *param = pair->g->params.items[i];
  Type *pt = param->type->kind == TY_ARRAY ? type_pointer_to(param->type->base) : param->type;
  Var *v = arg->kind == EX_VAR ? arg->var : NULL;
  assert(v); /* normalize.c passes variables */
  if (pt->kind != TY_PTR) {
    if (v->active && v->adj)
      return v->adj_is_pointer ? expr_var(v->adj, arg->loc) : expr_addr_of(expr_var(v->adj, arg->loc));
    Var *unused = ad_new_local(ad, "d_unused", type_adjoint(pt), true);
    return expr_addr_of(expr_var(unused, arg->loc));
  }
  Expr *buffer = array_gradient(ad, v, arg->loc);
  assert(buffer); /* selected only with one (diff_recursive_call) */
  return buffer;
}

void diff_recursive_call(Reverse *rv, Stmt *s, Vec *fwd, Vec *rev) {
  Ad *ad = rv->ad;
  Expr *a = s->expr;
  Expr *call = a->rhs;
  assert(a->op == OP_NONE && a->lhs->kind == EX_VAR && call->kind == EX_CALL && call->call == CALL_RECURSIVE);
  /* Which parameters get a gradient: every floating scalar (an argument
   * without one adds into a local left unused), each array that has a
   * gradient buffer here.  One pair for each such choice. */
  Func *g = call->callee;
  bool *selected = xcalloc((size_t)g->params.len + 1, sizeof(bool));
  for (int i = 0; i < g->params.len; i++) {
    Type *pt = ((Var *)g->params.items[i])->type;
    Expr *arg = call->args.items[i];
    if (pt->kind == TY_PTR || pt->kind == TY_ARRAY)
      selected[i] = type_is_floating(pt->base) && array_gradient(ad, arg->var, arg->loc);
    else
      selected[i] = type_is_floating(pt);
  }
  RecPair *pair = ad_recursive_pair(ad->prog, g, selected);
  free(selected);
  Var *t = a->lhs->var;
  Slot *slot = s->is_def ? NULL : new_slot(rv, a->lhs);
  if (slot)
    vec_push(fwd, slot->save);
  Expr *forward = expr_call(pair->fwd_name, call->type, NULL, NULL);
  forward->call = CALL_RECURSIVE;
  forward->callee = call->callee;
  Expr *reverse = expr_call(pair->rev_name, type_void(), NULL, NULL);
  reverse->call = CALL_RECURSIVE;
  reverse->callee = call->callee;
  for (int i = 0; i < call->args.len; i++) {
    vec_push(&forward->args, expr_copy(call->args.items[i]));
    vec_push(&reverse->args, expr_copy(call->args.items[i]));
  }
  for (int i = 0; i < call->args.len; i++)
    if (pair->selected[i])
      vec_push(&reverse->args, argument_adjoint(rv, pair, i, call->args.items[i]));
  if (pair->has_seed)
    vec_push(&reverse->args, t->active && t->adj ? adj_of(a->lhs) : expr_num("0", type_int()));
  vec_push(&forward->args, tape_ref(rv));
  vec_push(&reverse->args, tape_ref(rv));
  a->rhs = forward;
  if (t->mentions <= 1 && !slot) { /* the value is dropped (`g(x, n);`): the call alone */
    s->expr = forward;
    drop_decl_of(ad, t);
  }
  vec_push(fwd, s);
  /* g's pushes came after the save of t: popped before its restore */
  emit(rev, reverse);
  if (t->active && t->adj)
    clear(adj_of(a->lhs), rev);
  if (slot)
    vec_push(rev, slot->restore);
}

/* ---- the pair's functions, from the sweeps of g ---- */

static bool is_recursive_call(const Expr *e, const void *unused) {
  (void)unused;
  return e->kind == EX_CALL && e->call == CALL_RECURSIVE;
}

static WalkStep refuse_checkpointed_call(Stmt *s, void *ad) {
  if (s->kind == ST_FOR && s->checkpoint && stmt_any(s, is_recursive_call, NULL)) {
    error_at(s->loc, "this loop under '#pragma vgrad checkpoint' calls a recursive function, whose reverse sweep "
             "cannot be replayed yet; remove the pragma, or move the call out of the loop");
    ((Ad *)ad)->failed = true;
    return WALK_SKIP;
  }
  return WALK_ON;
}

static WalkStep refuse_checkpoint(Stmt *s, void *ad) {
  Ad *a = ad;
  if (s->kind == ST_FOR && s->checkpoint) {
    error_at(s->loc, "'#pragma vgrad checkpoint' in the recursive function '%s' is not supported yet; remove the "
             "pragma (the loop is then taped whole)", a->split->g->name);
    a->failed = true;
    return WALK_SKIP;
  }
  return WALK_ON;
}

bool recursion_begin(Reverse *rv) {
  Ad *ad = rv->ad;
  walk_stmt(ad->f->body, &(Walker){.stmt_pre = refuse_checkpointed_call, .ctx = ad});
  RecPair *pair = ad->split;
  if (!pair)
    return !ad->failed;
  walk_stmt(ad->f->body, &(Walker){.stmt_pre = refuse_checkpoint, .ctx = ad});
  Vec written = {0};
  stmt_written_bases(ad->f->body, &written);
  for (int i = 0; i < ad->f->params.len; i++) {
    Var *p = ad->f->params.items[i];
    if (!vec_contains(&written, p))
      continue;
    error_at(p->loc, "the recursive function '%s' writes through its parameter '%s': not supported yet (vgradcc "
             "differentiates a recursive function as a function of its own, which reads its arrays only); return "
             "the values, or write the recursion as a loop", pair->g->name, var_spelling(p));
    ad->failed = true;
  }
  free(written.items);
  for (int i = 0; i < ad->written_globals.len; i++) {
    Var *v = ad->written_globals.items[i];
    error_at(pair->g->loc, "the recursive function '%s' writes the global '%s': not supported yet; pass it as a "
             "parameter and return it", pair->g->name, var_spelling(v));
    ad->failed = true;
  }
  ad_tape(rv); /* named before the sweep takes names */
  if (pair->has_seed)
    pair->seed = ad_new_local(ad, "d_return", type_adjoint(type_unqualified(pair->g->ret)), false);
  return !ad->failed;
}

typedef struct {
  Vec mentioned; /* Var*, in order of first mention */
  PtrSet declared;
} Mentions;

static WalkStep add_mention(Expr *e, void *ctx) {
  if (e->kind == EX_VAR)
    vec_add_unique(&((Mentions *)ctx)->mentioned, e->var);
  return WALK_ON;
}

static WalkStep add_declared(Stmt *s, void *ctx) {
  if (s->kind == ST_EMPTY)
    return WALK_SKIP; /* a dropped save, restore or flag keeps its expression */
  if (s->kind == ST_DECL && s->var)
    ptr_set_add(&((Mentions *)ctx)->declared, s->var);
  return WALK_ON;
}

static Mentions mentions_of(Stmt *s) {
  Mentions m = {0};
  walk_stmt(s, &(Walker){.stmt_pre = add_declared, .expr_pre = add_mention, .ctx = &m});
  return m;
}

/* &tape -> tape: the tape is the caller's, given by pointer */
static WalkStep tape_to_param(Expr *e, void *ctx) {
  Var **tapes = ctx; /* the local, the parameter */
  if (e->kind == EX_ADDR && e->lhs->kind == EX_VAR && e->lhs->var == tapes[0]) {
    *e = *expr_var(tapes[1], e->loc);
    return WALK_SKIP;
  }
  return WALK_ON;
}

/* (void)p; for a parameter the function does not use */
static void declare_unused(Func *f, Stmt *body, const Mentions *m) {
  for (int i = f->params.len - 1; i >= 0; i--) {
    Var *p = f->params.items[i];
    if (!vec_contains(&m->mentioned, p))
      vec_insert_front(&body->body, stmt_expr(expr_cast(type_void(), expr_var(p, f->loc))));
  }
}

static Var *adjoint_owner(Ad *ad, Var *v) {
  for (int i = 0; i < ad->f->params.len; i++)
    if (((Var *)ad->f->params.items[i])->adj == v)
      return ad->f->params.items[i];
  for (int i = 0; i < ad->f->locals.len; i++)
    if (((Var *)ad->f->locals.items[i])->adj == v)
      return ad->f->locals.items[i];
  if (ad->result && ad->result->adj == v)
    return ad->result;
  return NULL;
}

bool recursion_assemble(Reverse *rv, Vec *fwd, Vec *seed, Stmt *rev_block) {
  Ad *ad = rv->ad;
  RecPair *pair = ad->split;
  Func *g = pair->g, *out = ad->deriv->out;
  if (rv->arrays || (rv->redo && stmt_uses(rev_block, rv->redo))) {
    error_at(g->loc, "the recursive function '%s' %s: not supported yet; write the recursion as a loop", g->name,
             rv->arrays ? "computes with vg_array values" : "writes memory of its caller");
    return false;
  }
  Var *tape = rv->tape;
  Stmt *fb = stmt_block(out->loc), *rb = stmt_block(out->loc);
  for (int i = 0; i < fwd->len; i++)
    vec_push(&fb->body, fwd->items[i]);
  for (int i = 0; i < seed->len; i++)
    vec_push(&rb->body, seed->items[i]);
  for (int i = 0; i < rev_block->body.len; i++)
    vec_push(&rb->body, rev_block->body.items[i]);
  for (int i = 0; i < rv->flushes.len; i++)
    vec_push(&rb->body, rv->flushes.items[i]);

  /* What the reverse sweep reads of what the forward sweep computed goes
   * over on the tape: locals, and parameters the forward sweep changes. */
  Mentions mf = mentions_of(fb), mr = mentions_of(rb);
  Vec assigned = {0};
  stmt_assigned_vars(fb, &assigned);
  Vec carried = {0};
  bool ok = true;
  for (int i = 0; i < mf.mentioned.len; i++) {
    Var *v = mf.mentioned.items[i];
    if (v == tape || v->is_global)
      continue;
    Var *owner = adjoint_owner(ad, v);
    if (owner || (v->param_index >= ad->f->params.len)) {
      error_at(owner && owner->loc.line ? owner->loc : g->loc,
               "the pointer '%s' in the recursive function '%s' points into an array parameter: not supported yet "
               "(its forward function has no gradient buffers); index the parameter instead",
               owner ? var_spelling(owner) : v->name, g->name);
      ok = false;
      break; /* one error: the pointer's adjoint names the parameter's too */
    }
    if (!vec_contains(&mr.mentioned, v) || ptr_set_contains(&mr.declared, v))
      continue;
    if (v->param_index >= 0 && !vec_contains(&assigned, v))
      continue; /* the caller passes it again */
    if (!type_is_arith(v->type) && v->type->kind != TY_PTR) {
      const char *kind = v->type->kind == TY_ARRAY ? "array" : v->type->kind == TY_STRUCT ? "struct" : "variable";
      error_at(v->loc.line ? v->loc : g->loc, "the local %s '%s' (%s) of the recursive function '%s' is read by its "
               "reverse sweep; vgradcc carries only numbers and pointers from the forward to the reverse function: "
               "not supported yet; use scalar locals, or write the recursion as a loop", kind, var_spelling(v),
               declare(v->type, ""), g->name);
      ok = false;
      continue;
    }
    vec_push(&carried, v);
  }
  free(assigned.items);
  if (!ok)
    return false;
  for (int i = 0; i < carried.len; i++)
    emit(&fb->body, ad_tape_push(rv, expr_var(carried.items[i], out->loc)));
  for (int i = carried.len - 1; i >= 0; i--) { /* the last pushed first */
    Var *v = carried.items[i];
    Stmt *pop = stmt_expr(expr_assign(OP_NONE, expr_var(v, out->loc), ad_tape_pop(rv, v->type)));
    vec_insert_at(&rb->body, carried.len - 1 - i, pop);
  }
  batch_tape_runs(fb, tape);
  batch_tape_runs(rb, tape);
  ad_split_sums(ad, fb);
  ad_split_sums(ad, rb);

  Type *tape_ptr = type_pointer_to(tape->type);
  pair->tape = var_local(tape->name, tape_ptr);
  Var *tapes[2] = {tape, pair->tape};
  walk_stmt(fb, &(Walker){.expr_pre = tape_to_param, .ctx = tapes});
  walk_stmt(rb, &(Walker){.expr_pre = tape_to_param, .ctx = tapes});

  Func *f = xcalloc(1, sizeof(Func)), *r = xcalloc(1, sizeof(Func));
  f->name = pair->fwd_name;
  f->ret = type_unqualified(g->ret);
  r->name = pair->rev_name;
  r->ret = type_void();
  f->loc = r->loc = g->loc;
  f->uses_runtime = r->uses_runtime = true;
  for (int i = 0; i < ad->f->params.len; i++)
    vec_push(&f->params, ad->f->params.items[i]);
  for (int i = 0; i < out->params.len; i++)
    vec_push(&r->params, out->params.items[i]);
  if (pair->seed)
    vec_push(&r->params, pair->seed);
  vec_push(&f->params, pair->tape);
  vec_push(&r->params, pair->tape);

  Stmt *fbody = stmt_block(out->loc), *rbody = stmt_block(out->loc);
  Mentions mf2 = mentions_of(fb), mr2 = mentions_of(rb);
  for (int i = 0; i < ad->decls.len; i++) {
    Stmt *d = ad->decls.items[i];
    if (d->var == tape)
      continue;
    if (vec_contains(&mf2.mentioned, d->var))
      vec_push(&fbody->body, d);
    if (vec_contains(&mr2.mentioned, d->var))
      vec_push(&rbody->body, d);
  }
  vec_push(&fbody->body, stmt_comment("forward sweep"));
  for (int i = 0; i < fb->body.len; i++)
    vec_push(&fbody->body, fb->body.items[i]);
  Stmt *ret = new_stmt(ST_RETURN, out->loc);
  ret->expr = expr_var(ad->result, out->loc);
  vec_push(&fbody->body, ret);
  vec_push(&rbody->body, stmt_comment("reverse sweep"));
  for (int i = 0; i < rb->body.len; i++)
    vec_push(&rbody->body, rb->body.items[i]);
  Mentions mf3 = mentions_of(fbody), mr3 = mentions_of(rbody);
  declare_unused(f, fbody, &mf3);
  declare_unused(r, rbody, &mr3);
  f->body = fbody;
  r->body = rbody;
  pair->fwd = f;
  pair->rev = r;
  free(carried.items);
  return true;
}
