/* Calls and reads on right sides.
 *
 * A call whose value the adjoint code would compute again (exp(a) is both
 * a factor and its own derivative) gets a variable of its own in the
 * forward sweep; the reverse sweep uses it, or computes the call again
 * when that is cheaper than keeping it (uncache).  Array elements chosen
 * to be taped where read (taped_reads.c) are popped into variables. */
#include "reverse.h"

#include <string.h>

typedef struct {
  Ad *ad;
  Vec *out;
  Reverse *rv; /* tape_read: the arrays taped where read, the tape */
} CallsOut;

/* Calls of the right side whose value the adjoint code would compute again
 * (exp(a) is both a factor and its own derivative) get a variable of their
 * own: declarations into `out`, inner calls first (after their operands). */

static void cache_call(Expr *e, CallsOut *ctx) {
  Ad *ad = ctx->ad;
  Vec *out = ctx->out;
  if (e->kind != EX_CALL || !type_is_floating(e->type))
    return;
  const MathFunc *m = ad_math_lookup(e->text);
  if (!m || !m->partial)
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
  const char *other = ad_math_companion(e);
  if (other && !expr_has_kind(e->args.items[0], EX_CALL)) {
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

/* Inner calls first.  Not in operands evaluated only sometimes (a branch
 * of ?:, the right of && and ||): a variable made for a call is computed
 * before the statement, and there the call may not be (`opt ? tanh(opt[0])
 * : 0` with opt NULL); the adjoint code computes it in its branch. */
static void cache_unconditional(Expr *e, CallsOut *ctx) {
  if (!e)
    return;
  if (e->kind == EX_COND) {
    cache_unconditional(e->cond, ctx);
    return;
  }
  if (e->kind == EX_BINARY && (e->op == OP_LAND || e->op == OP_LOR)) {
    cache_unconditional(e->lhs, ctx);
    return;
  }
  cache_unconditional(e->lhs, ctx);
  cache_unconditional(e->rhs, ctx);
  cache_unconditional(e->cond, ctx);
  for (int i = 0; i < e->args.len; i++)
    cache_unconditional(e->args.items[i], ctx);
  cache_call(e, ctx);
}

void cache_calls(Ad *ad, Expr *e, Vec *out) { cache_unconditional(e, &(CallsOut){.ad = ad, .out = out}); }

/* The call in e whose value (companion: whose companion, see cache_calls)
 * variable v holds. */
typedef struct {
  Var *v;
  bool companion;
  Expr *found;
} KeptIn;

static WalkStep stop_at_kept(Expr *e, void *ctx) {
  KeptIn *k = ctx;
  if ((k->companion ? e->companion : e->cache) != k->v)
    return WALK_ON;
  k->found = e;
  return WALK_STOP;
}

Expr *find_call_kept_in(Expr *e, Var *v, bool companion) {
  KeptIn k = {v, companion, NULL};
  walk_expr(e, &(Walker){.expr_pre = stop_at_kept, .ctx = &k});
  return k.found;
}

static WalkStep forget_var(Expr *e, void *v) {
  if (e->cache == v)
    e->cache = NULL;
  if (e->companion == v)
    e->companion = NULL;
  return WALK_ON;
}

/* Forgets the variable of the call it was made for. */
void uncache_var(Expr *e, Var *v) { walk_expr(e, &(Walker){.expr_pre = forget_var, .ctx = v}); }

/* Array elements the right side reads from arrays chosen for operand
 * taping (ad->read_taped): each gets a variable popped from the tape. */
static WalkStep tape_read(Expr *e, void *ctx) {
  Reverse *rv = ((CallsOut *)ctx)->rv;
  Ad *ad = rv->ad;
  Vec *out = ((CallsOut *)ctx)->out;
  if (e->kind == EX_ADDR)
    return WALK_SKIP; /* &v[1], a custom rule's argument: an address, no value read */
  bool element = (e->kind == EX_INDEX || e->kind == EX_DEREF || (e->kind == EX_MEMBER && lvalue_is_memory(e))) &&
                 type_is_floating(e->type);
  if (element) {
    Var *base = lvalue_root(e);
    if (base && vec_contains(&rv->read_taped, base)) {
      for (int i = 0; i < out->len; i++) {
        Stmt *d = out->items[i];
        if (expr_equal(d->step, e)) { /* x[i] * x[i]: one value */
          e->cache = d->var;
          return WALK_SKIP;
        }
      }
      Var *v = ad_new_local(ad, format("%s_v", base->name), type_unqualified(e->type), false);
      Stmt *d = new_stmt(ST_DECL, e->loc);
      d->var = v;
      d->init = ad_tape_pop(rv, v->type);
      d->step = e;
      e->cache = v;
      vec_push(out, d);
      return WALK_SKIP;
    }
  }
  return WALK_ON;
}

void tape_reads(Reverse *rv, Expr *e, Vec *out) {
  Ad *ad = rv->ad;
  if (rv->read_taped.len)
    walk_expr(e, &(Walker){.expr_pre = tape_read, .ctx = &(CallsOut){.ad = ad, .out = out, .rv = rv}});
}

/* A copy for the forward sweep: array reads as they are, inner calls the
 * forward sweep already computed as their variables. */
Expr *forward_copy(Expr *e, Expr *root) {
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

bool expensive_call(Expr *call) {
  const MathFunc *m = call && call->kind == EX_CALL ? ad_math_lookup(call->text) : NULL;
  return m && !m->cheap;
}

/* Whether the reverse sweep computes kept call d again from its
 * initialiser, rather than taking the forward sweep's value (expensive
 * calls and companions, see diff_assign_body). */
bool recomputed_in_reverse(Expr *rhs, Stmt *d) {
  Expr *call = find_call_kept_in(rhs, d->var, false);
  if (!call && find_call_kept_in(rhs, d->var, true))
    call = d->init;
  return !call || !expensive_call(call);
}

static WalkStep forget_any(Expr *e, void *unused) {
  (void)unused;
  e->cache = NULL;
  e->companion = NULL;
  return WALK_ON;
}

void uncache(Expr *e) { walk_expr(e, &(Walker){.expr_pre = forget_any}); }

