/* Calls and reads on right sides.
 *
 * A call whose value the adjoint code would compute again (exp(a) is both
 * a factor and its own derivative) gets a variable of its own in the
 * forward sweep; the reverse sweep uses it, or computes the call again
 * when that is cheaper than keeping it (uncache).  Array elements chosen
 * to be taped where read (taped_reads.c) are popped into variables. */
#include "reverse.h"

#include <string.h>

/* Calls of the right side whose value the adjoint code would compute again
 * (exp(a) is both a factor and its own derivative) get a variable of their
 * own: declarations into `out`, inner calls first. */
void cache_calls(Ad *ad, Expr *e, Vec *out) {
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
Expr *find_call_kept_in(Expr *e, Var *v, bool companion) {
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

/* Forgets the variable of the call it was made for. */
void uncache_var(Expr *e, Var *v) {
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
void tape_reads(Reverse *rv, Expr *e, Vec *out) {
  Ad *ad = rv->ad;
  if (!e || !rv->read_taped.len)
    return;
  bool element = (e->kind == EX_INDEX || e->kind == EX_DEREF || (e->kind == EX_MEMBER && e->arrow)) &&
                 type_is_floating(e->type);
  if (element) {
    Var *base = lvalue_root(e);
    if (base && vec_contains(&rv->read_taped, base)) {
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
      d->init = ad_tape_pop(rv, v->type);
      d->step = e;
      e->cache = v;
      vec_push(out, d);
      return;
    }
  }
  tape_reads(rv, e->lhs, out);
  tape_reads(rv, e->rhs, out);
  tape_reads(rv, e->cond, out);
  for (int i = 0; i < e->args.len; i++)
    tape_reads(rv, e->args.items[i], out);
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
  static const char *const cheap[] = {"fabs", "fmin", "fmax", "floor", "ceil", "round", "trunc", "fmod"};
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
bool recomputed_in_reverse(Expr *rhs, Stmt *d) {
  Expr *call = find_call_kept_in(rhs, d->var, false);
  if (!call && find_call_kept_in(rhs, d->var, true))
    call = d->init;
  return !call || !expensive_call(call);
}

void uncache(Expr *e) {
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

