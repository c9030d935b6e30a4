/* Sums of a parallel reverse loop into shared adjoint arrays: a buffer per
 * thread instead of `#pragma omp atomic` on each of them.
 *
 * When every mention of d_w in the reverse loop is a sum d_w[idx] += e, d_w
 * is not assigned in the loop, and idx is linear in the counters of the for
 * loops around the sum, its coefficients and the loops' bounds the same for
 * the whole loop, the span of idx is known before the loop:
 *
 *   omp_lo = c0; omp_hi = c0;                       idx = c0 + a1*i1 + ...
 *   vg_span_term(&omp_lo, &omp_hi, a1, first1, last1); ...
 *   #pragma omp parallel ...
 *   {
 *       d_w_mine = calloc(omp_hi - omp_lo + 1, sizeof(float));
 *       #pragma omp for nowait
 *       for (...) { ... d_w_mine[idx - omp_lo] += e; ... }
 *       #pragma omp critical
 *       for (omp_k = 0; omp_k <= omp_hi - omp_lo; omp_k += 1)
 *           if (d_w_mine[omp_k] != 0)
 *               d_w[omp_lo + omp_k] += d_w_mine[omp_k];
 *       free(d_w_mine);
 *   }
 *
 * The buffers cost a pass over the span per thread after the loop; an
 * atomic costs a compare-and-swap for every sum inside it.  Locals the loop
 * sets from its counters (bt = obt + ibt) count as their definition when
 * the loop assigns them nothing else and reads none from an iteration
 * before. */
#include "ad.h"
#include "reverse.h"

#include <stdlib.h>
#include <string.h>

enum { MAX_TERMS = 16 };

/* coef * counter */
typedef struct {
  Expr *coef;
  Var *counter;
} LinearTerm;

/* constant + sum of terms; constant NULL: 0 */
typedef struct Linear {
  Expr *constant;
  Vec terms; /* LinearTerm* */
} Linear;

/* The values a counter takes in the loop: first..last, known before it. */
typedef struct {
  Var *counter;
  Expr *first, *last;
  struct Linear *first_form, *last_form; /* bounds linear in outer counters (t2 <= t): NULL if fixed */
  int loops;   /* the for loops over it */
  bool usable; /* false: its loops disagree, a bound changes in the loop, or
                * the loop sets it otherwise */
} CounterRange;

/* A statement of the reverse loop and the counters of the loops around it
 * (every statement, for the indices in its expressions). */
typedef struct {
  Stmt *stmt;
  Vec enclosing; /* Var* */
} Placed;

typedef struct {
  OmpLoop *loop;
  Stmt *rev_body;
  Vec ranges;  /* CounterRange* */
  Vec placed;  /* Placed*: the assignments and sums of the reverse loop */
  Vec stack;   /* Stmt*, Var* pairs: the loops open during the walk */
} Spans;

static Expr *strip_implicit(Expr *e) {
  while (e->kind == EX_CAST && e->implicit)
    e = e->lhs;
  return e;
}


typedef struct {
  Var *v;
  int n;
} Writes;

static WalkStep count_write(Expr *e, void *ctx) {
  Writes *w = ctx;
  if ((e->kind == EX_ASSIGN || e->kind == EX_INCDEC) && strip_implicit(e->lhs)->kind == EX_VAR &&
      strip_implicit(e->lhs)->var == w->v)
    w->n++;
  return WALK_ON;
}

/* Assignments, increments and decrements of v in s (a for's init and step among them). */
static int writes_of(Stmt *s, Var *v) {
  Writes w = {v, 0};
  walk_stmt(s, &(Walker){.expr_pre = count_write, .ctx = &w});
  return w.n;
}

/* Integer constants and locals, and sums and products of them, that
 * neither sweep's loop writes: the same value throughout the loop. */
static bool invariant(Spans *sp, Expr *e) {
  switch (e->kind) {
  case EX_NUM:
    return type_is_integer(e->type);
  case EX_VAR:
    return !e->var->is_global && type_is_integer(e->var->type) && !writes_of(sp->loop->fwd, e->var) &&
           !writes_of(sp->loop->rev, e->var);
  case EX_CAST:
    return type_is_integer(e->type) && invariant(sp, e->lhs);
  case EX_BINARY:
    return (e->op == OP_ADD || e->op == OP_SUB || e->op == OP_MUL) && invariant(sp, e->lhs) && invariant(sp, e->rhs);
  default:
    return false;
  }
}

static WalkStep skip_empty(Stmt *s, void *unused) {
  (void)unused;
  return s->kind == ST_EMPTY ? WALK_SKIP : WALK_ON;
}

static WalkStep count_mention(Expr *e, void *ctx) {
  Writes *w = ctx;
  if (e->kind == EX_VAR && e->var == w->v)
    w->n++;
  return WALK_ON;
}

/* Mentions of v in s, leaving out the statements the sweeps emptied
 * (which print as nothing). */
static int mentions_of(Stmt *s, Var *v) {
  Writes w = {v, 0};
  walk_stmt(s, &(Walker){.stmt_pre = skip_empty, .expr_pre = count_mention, .ctx = &w});
  return w.n;
}

static CounterRange *range_of(Spans *sp, Var *c) {
  for (int i = 0; i < sp->ranges.len; i++) {
    CounterRange *r = sp->ranges.items[i];
    if (r->counter == c)
      return r;
  }
  return NULL;
}

static bool linear_of(Spans *sp, Expr *e, Vec *enclosing, Linear *out, int depth);
static void bounded_by_outer(Spans *sp, CounterRange *r, Expr *first, Expr *last);

/* for (c = a; c < b; c += k) and its kin: c runs over a..b-1 (over b+1..a
 * going down). */
static void note_for(Spans *sp, Stmt *s) {
  Var *c = for_counter(s);
  if (!c || !type_is_integer(c->type))
    return;
  CounterRange *r = range_of(sp, c);
  if (!r) {
    r = xcalloc(1, sizeof(CounterRange));
    r->counter = c;
    r->usable = true;
    vec_push(&sp->ranges, r);
  }
  r->loops++;
  Expr *init = s->for_init && s->for_init->kind == ST_EXPR ? s->for_init->expr : NULL;
  Expr *cond = s->expr ? strip_implicit(s->expr) : NULL;
  Expr *step = s->step;
  bool up = step && ((step->kind == EX_ASSIGN && step->op == OP_ADD) || (step->kind == EX_INCDEC && step->increment));
  bool down =
      step && ((step->kind == EX_ASSIGN && step->op == OP_SUB) || (step->kind == EX_INCDEC && !step->increment));
  if (!init || init->kind != EX_ASSIGN || init->op != OP_NONE || !cond || cond->kind != EX_BINARY ||
      strip_implicit(cond->lhs)->kind != EX_VAR || strip_implicit(cond->lhs)->var != c || !(up || down) ||
      strip_implicit(step->lhs)->kind != EX_VAR || strip_implicit(step->lhs)->var != c) {
    r->usable = false;
    return;
  }
  Expr *a = init->rhs, *b = cond->rhs, *first, *last;
  Type *t = c->type;
  if (up && cond->op == OP_LT) {
    first = a;
    last = expr_binary(OP_SUB, expr_copy(b), expr_num("1", t), t);
  } else if (up && cond->op == OP_LE) {
    first = a;
    last = b;
  } else if (down && cond->op == OP_GT) {
    first = expr_binary(OP_ADD, expr_copy(b), expr_num("1", t), t);
    last = a;
  } else if (down && cond->op == OP_GE) {
    first = b;
    last = a;
  } else {
    r->usable = false;
    return;
  }
  if (!invariant(sp, a) || !invariant(sp, b)) {
    bounded_by_outer(sp, r, first, last);
  } else if (!r->first) {
    r->first = expr_copy(first);
    r->last = expr_copy(last);
  } else if (!expr_equal(r->first, first) || !expr_equal(r->last, last)) {
    r->usable = false;
  }
}

/* A loop whose bounds move with an outer counter (for (t2 = 0; t2 <= t;
 * t2++)): its counter's span is that of its bounds over the outer ranges. */
static void bounded_by_outer(Spans *sp, CounterRange *r, Expr *first, Expr *last) {
  if (r->first) { /* another loop over the same counter: the same bounds */
    r->usable = r->usable && r->first_form && expr_equal(r->first, first) && expr_equal(r->last, last);
    return;
  }
  Vec outer = {0};
  for (int i = 0; i < sp->ranges.len; i++) {
    CounterRange *o = sp->ranges.items[i];
    if (o != r && o->usable && o->first && !o->first_form)
      vec_push(&outer, o->counter);
  }
  Linear *f = xcalloc(1, sizeof(Linear)), *g = xcalloc(1, sizeof(Linear));
  if (linear_of(sp, first, &outer, f, 0) && linear_of(sp, last, &outer, g, 0)) {
    r->first = expr_copy(first);
    r->last = expr_copy(last);
    r->first_form = f;
    r->last_form = g;
  } else {
    r->usable = false;
  }
  free(outer.items);
}

static WalkStep collect_for(Stmt *s, void *ctx) {
  if (s->kind == ST_EMPTY)
    return WALK_SKIP;
  if (s->kind == ST_FOR)
    note_for(ctx, s);
  return WALK_ON;
}

/* The counter a reverse loop steps back: its body's first statement is
 * c--, c -= k (c++, c += k for a loop that counted down) or c = (a pop),
 * and its condition tests c. */
static Var *reverse_counter(Stmt *s) {
  if (s->kind == ST_FOR)
    return for_counter(s);
  if ((s->kind != ST_WHILE && s->kind != ST_DO) || !s->then || s->then->kind != ST_BLOCK)
    return NULL;
  for (int i = 0; i < s->then->body.len; i++) {
    Stmt *first = s->then->body.items[i];
    if (first->kind == ST_COMMENT)
      continue;
    if (first->kind != ST_EXPR)
      return NULL;
    Expr *e = first->expr;
    Expr *lhs = e->kind == EX_INCDEC || e->kind == EX_ASSIGN ? strip_implicit(e->lhs) : NULL;
    if (!lhs || lhs->kind != EX_VAR || !expr_mentions(s->expr, lhs->var))
      return NULL;
    if (e->kind == EX_INCDEC || (e->kind == EX_ASSIGN && (e->op == OP_SUB || e->op == OP_ADD)) ||
        (e->kind == EX_ASSIGN && e->op == OP_NONE && expr_is_tape_call(strip_implicit(e->rhs))))
      return lhs->var;
    return NULL;
  }
  return NULL;
}

static WalkStep place_pre(Stmt *s, void *ctx) {
  Spans *sp = ctx;
  if (s->kind == ST_EMPTY)
    return WALK_SKIP;
  Placed *p = xcalloc(1, sizeof(Placed)); /* (a loop's own counter does not enclose its condition) */
  p->stmt = s;
  vec_push(&p->enclosing, sp->loop->counter);
  for (int i = 1; i < sp->stack.len; i += 2)
    if (sp->stack.items[i])
      vec_push(&p->enclosing, sp->stack.items[i]);
  vec_push(&sp->placed, p);
  if (s->kind == ST_FOR || s->kind == ST_WHILE || s->kind == ST_DO) {
    vec_push(&sp->stack, s);
    vec_push(&sp->stack, reverse_counter(s));
  }
  return WALK_ON;
}

static void place_post(Stmt *s, void *ctx) {
  Spans *sp = ctx;
  if (sp->stack.len && sp->stack.items[sp->stack.len - 2] == s)
    sp->stack.len -= 2;
}

static Placed *placed_of(Spans *sp, Stmt *s) {
  for (int i = 0; i < sp->placed.len; i++) {
    Placed *p = sp->placed.items[i];
    if (p->stmt == s)
      return p;
  }
  return NULL;
}

/* ---- linear forms ---- */

static Expr *plus(Expr *a, Expr *b, BinOp op) {
  if (!b)
    return a;
  if (!a)
    return op == OP_SUB ? expr_unary(EX_NEG, b, b->type) : b;
  return expr_binary(op, a, b, a->type);
}

static bool is_literal_one(Expr *e) { return e->kind == EX_NUM && !strcmp(e->text, "1"); }

static Expr *times(Expr *a, Expr *k) {
  if (!a)
    return NULL;
  if (is_literal_one(a))
    return expr_copy(k);
  return is_literal_one(k) ? a : expr_binary(OP_MUL, a, expr_copy(k), a->type);
}

static bool linear_of(Spans *sp, Expr *e, Vec *enclosing, Linear *out, int depth);

/* The statements `v = E` of the reverse loop (Placed*), all of one E, when
 * they are all that write v there and none reads v's value from an
 * iteration before. */
static bool definitions_of(Spans *sp, Var *v, Vec *defs) {
  if (stmt_read_before_set(sp->rev_body, v))
    return false;
  Expr *def = NULL;
  for (int i = 0; i < sp->placed.len; i++) {
    Placed *at = sp->placed.items[i];
    Expr *a = at->stmt->kind == ST_EXPR ? at->stmt->expr : NULL;
    if (!a || a->kind != EX_ASSIGN || a->lhs->kind != EX_VAR || a->lhs->var != v)
      continue;
    if (a->op != OP_NONE || (def && !expr_equal(def, a->rhs)))
      return false;
    def = a->rhs;
    vec_push(defs, at);
  }
  return def && defs->len == writes_of(sp->rev_body, v);
}

/* v as the one value the reverse loop gives it (definitions_of), linear
 * where each definition stands. */
static bool linear_of_local(Spans *sp, Var *v, Linear *out, int depth) {
  Vec defs = {0};
  bool ok = depth <= 8 && definitions_of(sp, v, &defs);
  for (int i = 0; i < defs.len && ok; i++) {
    Placed *at = defs.items[i];
    Linear l = {0};
    ok = linear_of(sp, at->stmt->expr->rhs, &at->enclosing, &l, depth + 1);
    if (i == 0)
      *out = l;
  }
  free(defs.items);
  return ok;
}

static bool linear_of(Spans *sp, Expr *e, Vec *enclosing, Linear *out, int depth) {
  e = strip_implicit(e);
  if (!e->type || !type_is_integer(e->type))
    return false;
  switch (e->kind) {
  case EX_NUM:
    out->constant = expr_copy(e);
    return true;
  case EX_CAST:
    return linear_of(sp, e->lhs, enclosing, out, depth);
  case EX_VAR: {
    CounterRange *r = range_of(sp, e->var);
    if (vec_contains(enclosing, e->var)) {
      if (!r || !r->usable)
        return false;
      LinearTerm *t = xcalloc(1, sizeof(LinearTerm));
      t->coef = expr_num("1", e->type);
      t->counter = e->var;
      vec_push(&out->terms, t);
      return true;
    }
    if (!r && invariant(sp, e)) {
      out->constant = expr_copy(e);
      return true;
    }
    return !r && linear_of_local(sp, e->var, out, depth);
  }
  case EX_NEG: {
    if (!linear_of(sp, e->lhs, enclosing, out, depth))
      return false;
    out->constant = plus(NULL, out->constant, OP_SUB);
    for (int i = 0; i < out->terms.len; i++) {
      LinearTerm *t = out->terms.items[i];
      t->coef = expr_unary(EX_NEG, t->coef, t->coef->type);
    }
    return true;
  }
  case EX_BINARY: {
    Linear l = {0}, r = {0};
    if ((e->op != OP_ADD && e->op != OP_SUB && e->op != OP_MUL) || !linear_of(sp, e->lhs, enclosing, &l, depth) ||
        !linear_of(sp, e->rhs, enclosing, &r, depth))
      return false;
    if (e->op == OP_MUL) {
      if (l.terms.len && r.terms.len)
        return false;
      Linear *scaled = l.terms.len ? &l : &r, *by = l.terms.len ? &r : &l;
      Expr *k = by->constant ? by->constant : expr_num("0", e->type);
      out->constant = times(scaled->constant, k);
      for (int i = 0; i < scaled->terms.len; i++) {
        LinearTerm *t = scaled->terms.items[i];
        t->coef = times(t->coef, k);
        vec_push(&out->terms, t);
      }
      return true;
    }
    if (l.terms.len + r.terms.len > MAX_TERMS)
      return false;
    out->constant = plus(l.constant, r.constant, e->op);
    for (int i = 0; i < l.terms.len; i++)
      vec_push(&out->terms, l.terms.items[i]);
    for (int i = 0; i < r.terms.len; i++) {
      LinearTerm *t = r.terms.items[i];
      if (e->op == OP_SUB)
        t->coef = expr_unary(EX_NEG, t->coef, t->coef->type);
      vec_push(&out->terms, t);
    }
    return true;
  }
  default:
    return false;
  }
}

/* ---- the buffers ---- */

static Expr *addr(Var *v) { return expr_unary(EX_ADDR, expr_var(v, v->loc), type_pointer_to(v->type)); }

static Stmt *set(Var *v, Expr *value) { return stmt_expr(expr_assign(OP_NONE, expr_var(v, v->loc), value)); }

/* lo = hi = c0; vg_span_term(&lo, &hi, coef, first, last) per term (a
 * counter whose bounds move with outer ones: from the lowest first to the
 * highest last, computed first) */
static void emit_span(Ad *ad, Stmt *body, Spans *sp, Linear *l, Var *lo, Var *hi, Vec *out) {
  Expr *firsts[MAX_TERMS], *lasts[MAX_TERMS];
  for (int i = 0; i < l->terms.len; i++) {
    CounterRange *r = range_of(sp, ((LinearTerm *)l->terms.items[i])->counter);
    firsts[i] = r->first;
    lasts[i] = r->last;
    for (int end = 0; end < 2 && r->first_form; end++) { /* a bound of terms: its span first */
      Linear *form = end ? r->last_form : r->first_form;
      if (!form->terms.len)
        continue;
      Var *flo = omp_new_local(ad, body, "omp_lo", type_long()), *fhi = omp_new_local(ad, body, "omp_hi", type_long());
      emit_span(ad, body, sp, form, flo, fhi, out);
      if (end)
        lasts[i] = expr_var(fhi, lo->loc);
      else
        firsts[i] = expr_var(flo, lo->loc);
    }
  }
  Expr *c0 = l->constant ? l->constant : expr_num("0", type_long());
  vec_push(out, set(lo, expr_copy(c0)));
  vec_push(out, set(hi, expr_copy(c0)));
  for (int i = 0; i < l->terms.len; i++) {
    LinearTerm *t = l->terms.items[i];
    Expr *call = expr_runtime_call(CALL_RUNTIME, "vg_span_term", type_void(), addr(lo), addr(hi));
    vec_push(&call->args, expr_copy(t->coef));
    vec_push(&call->args, expr_copy(firsts[i]));
    vec_push(&call->args, expr_copy(lasts[i]));
    vec_push(out, stmt_expr(call));
  }
}

/* Every sum at one index c0 + a*i, i the parallel loop's counter and a a
 * nonzero literal: no two iterations add to the same element (when no
 * other pointer of the loop reaches the same memory). */
static bool owned_by_iteration(OmpLoop *l, Vec *indexes, Linear *form) {
  for (int j = 1; j < indexes->len; j++)
    if (!expr_equal(indexes->items[0], indexes->items[j]))
      return false;
  if (form->terms.len != 1)
    return false;
  LinearTerm *t = form->terms.items[0];
  Expr *a = t->coef;
  while (a->kind == EX_NEG)
    a = a->lhs;
  long value;
  return t->counter == l->counter && a->kind == EX_NUM && integer_literal(a->text, &value) && value != 0;
}

/* ---- elements ---- */

/* The element e names through a pointer or array variable, however it is
 * spelled: p[idx], *(p + idx) (p + a + b: idx = a + b), *(idx + p), *p
 * (idx 0); NULL when e is none of them. */
static Var *element_of(Expr *e, Expr **index) {
  if (e->kind == EX_INDEX) {
    Expr *b = strip_implicit(e->lhs);
    *index = e->rhs;
    return b->kind == EX_VAR ? b->var : NULL;
  }
  if (e->kind != EX_DEREF)
    return NULL;
  Expr *a = strip_implicit(e->lhs), *sum = NULL;
  while (a->kind == EX_BINARY && a->op == OP_ADD) {
    Expr *l = strip_implicit(a->lhs), *r = strip_implicit(a->rhs);
    bool left_pointer = l->type && (l->type->kind == TY_PTR || l->type->kind == TY_ARRAY);
    Expr *part = left_pointer ? a->rhs : a->lhs;
    if (!part->type || !type_is_integer(part->type))
      return NULL;
    sum = sum ? expr_binary(OP_ADD, part, sum, part->type) : part;
    a = left_pointer ? l : r;
  }
  if (a->kind != EX_VAR || !(a->var->type->kind == TY_PTR || a->var->type->kind == TY_ARRAY))
    return NULL;
  *index = sum ? sum : expr_num("0", type_int());
  return a->var;
}

/* ---- other pointers into the buffered memory ---- */

typedef struct {
  Var *q;
  Expr *skip; /* a sum's target: sums commute with the buffered ones */
  Vec found;  /* Expr*: the indices of q[idx] */
  int sums;
} IndexUses;

static WalkStep note_index(Expr *e, void *ctx) {
  IndexUses *u = ctx;
  Expr *index;
  if (e != u->skip && element_of(e, &index) == u->q)
    vec_push(&u->found, index);
  return WALK_ON;
}

/* The linear forms of the indices at which the reverse loop reads or
 * writes through q otherwise than by sums; false when q is used otherwise
 * than as q[idx], or an index is not linear. */
static bool accesses_of(Spans *sp, Var *q, Vec *forms) {
  if ((q->type->kind != TY_PTR && q->type->kind != TY_ARRAY) || writes_of(sp->loop->fwd, q) ||
      writes_of(sp->loop->rev, q))
    return false;
  int uses = 0;
  Vec seen_indexes = {0};
  for (int i = 0; i < sp->placed.len; i++) {
    Placed *at = sp->placed.items[i];
    Stmt *st = at->stmt;
    IndexUses u = {q, NULL, {0}, 0};
    Expr *e = st->kind == ST_EXPR ? st->expr : NULL, *index;
    if (e && e->kind == EX_ASSIGN && (e->op == OP_ADD || e->op == OP_SUB) && element_of(e->lhs, &index) == q) {
      u.skip = e->lhs;
      uses++;
    }
    Walker w = {.expr_pre = note_index, .ctx = &u};
    walk_expr(st->expr, &w);
    walk_expr(st->init, &w);
    walk_expr(st->step, &w);
    bool ok = true;
    for (int j = 0; j < u.found.len && ok; j++) {
      uses++;
      bool seen = false; /* the same index read and written */
      for (int k = 0; k < seen_indexes.len && !seen; k++)
        seen = expr_equal(seen_indexes.items[k], u.found.items[j]);
      if (seen)
        continue;
      vec_push(&seen_indexes, u.found.items[j]);
      Linear *form = xcalloc(1, sizeof(Linear));
      ok = linear_of(sp, u.found.items[j], &at->enclosing, form, 0);
      vec_push(forms, form);
    }
    free(u.found.items);
    if (!ok) {
      free(seen_indexes.items);
      return false;
    }
  }
  free(seen_indexes.items);
  return uses == mentions_of(sp->rev_body, q);
}

/* The other variables of the reverse loop that may point into p's memory;
 * false when one of them is used otherwise than by indexing, linearly. */
static bool others_into(Ad *ad, Spans *sp, Var *p, Vec *others, Vec *their_forms) {
  Vec vars = {0};
  stmt_collect_vars(sp->rev_body, &vars);
  Storage mine = ad_storage_of(ad, p);
  bool ok = true;
  for (int i = 0; i < vars.len && ok; i++) {
    Var *v = vars.items[i];
    if (v == p || !ad_has_storage(v))
      continue;
    Storage other = ad_storage_of(ad, v);
    if (other.array != mine.array || other.adjoint != mine.adjoint)
      continue;
    Vec *forms = xcalloc(1, sizeof(Vec));
    ok = accesses_of(sp, v, forms);
    vec_push(others, v);
    vec_push(their_forms, forms);
  }
  free(vars.items);
  return ok;
}

static void add_vars(Vec *to, Vec *from) {
  for (int i = 0; i < from->len; i++)
    vec_add_unique(to, from->items[i]);
}

/* omp_alone = omp_get_max_threads() == 1, once per loop: the flag that
 * runs the region on one thread, adding into the arrays directly */
static void need_alone(Ad *ad, Stmt *body, OmpBuffers *out) {
  if (out->alone)
    return;
  out->alone = omp_new_local(ad, body, "omp_alone", type_int());
  Expr *one_thread = expr_binary(OP_EQ, expr_runtime_call(CALL_PLAIN, "omp_get_max_threads", type_int(), NULL, NULL),
                                 expr_num("1", type_int()), type_int());
  vec_push(&out->setup, set(out->alone, one_thread));
}

/* lo..hi covering every form of forms */
static void emit_spans(Ad *ad, Spans *sp, Stmt *body, Vec *forms, Var *lo, Var *hi, Vec *out) {
  Var *lo2 = NULL, *hi2 = NULL;
  emit_span(ad, body, sp, forms->items[0], lo, hi, out);
  for (int i = 1; i < forms->len; i++) {
    if (!lo2) {
      lo2 = omp_new_local(ad, body, "omp_lo", type_long());
      hi2 = omp_new_local(ad, body, "omp_hi", type_long());
    }
    emit_span(ad, body, sp, forms->items[i], lo2, hi2, out);
    Expr *join = expr_runtime_call(CALL_RUNTIME, "vg_span_join", type_void(), addr(lo), addr(hi));
    vec_push(&join->args, expr_var(lo2, lo->loc));
    vec_push(&join->args, expr_var(hi2, lo->loc));
    vec_push(out, stmt_expr(join));
  }
}

/* Two pointers into one memory: the elements each reaches, lo..hi, apart,
 * else the loop runs on one thread:
 *   if (!vg_apart(a + alo, a + ahi + 1, b + blo, b + bhi + 1)) omp_alone = 1; */
static void bases_apart(OmpBuffers *out, Var *a, Var *alo, Var *ahi, Var *b, Var *blo, Var *bhi) {
  Loc loc = a->loc;
  Type *at = type_pointer_to(a->type->base), *bt = type_pointer_to(b->type->base);
  Expr *one = expr_num("1", type_long());
  Expr *apart = expr_runtime_call(CALL_RUNTIME, "vg_apart", type_int(),
                                  expr_binary(OP_ADD, expr_var(a, loc), expr_var(alo, loc), at),
                                  expr_binary(OP_ADD, expr_binary(OP_ADD, expr_var(a, loc), expr_var(ahi, loc), at),
                                              one, at));
  vec_push(&apart->args, expr_binary(OP_ADD, expr_var(b, loc), expr_var(blo, loc), bt));
  vec_push(&apart->args, expr_binary(OP_ADD, expr_binary(OP_ADD, expr_var(b, loc), expr_var(bhi, loc), bt),
                                     expr_copy(one), bt));
  Stmt *check = new_stmt(ST_IF, loc);
  check->expr = expr_unary(EX_NOT, apart, type_int());
  check->then = stmt_block(loc);
  vec_push(&check->then->body, set(out->alone, expr_num("1", type_int())));
  vec_push(&out->setup, check);
}

/* q's elements the loop reads or writes, qlo..qhi, must lie outside p's
 * buffered lo..hi, else the loop runs on one thread (omp_alone):
 *   if (!vg_apart(p + lo, p + hi + 1, q + qlo, q + qhi + 1)) omp_alone = 1; */
static void guard_other(Ad *ad, Spans *sp, Stmt *body, OmpBuffers *out, Var *p, Var *lo, Var *hi, Var *q,
                        Vec *forms) {
  if (!forms->len)
    return; /* q only sums */
  Var *qlo = omp_new_local(ad, body, "omp_lo", type_long());
  Var *qhi = omp_new_local(ad, body, "omp_hi", type_long());
  emit_spans(ad, sp, body, forms, qlo, qhi, &out->setup);
  bases_apart(out, p, lo, hi, q, qlo, qhi);
}

/* ---- rows of their own ---- */

/* to += from; false past MAX_TERMS terms */
static bool add_linear(Linear *to, Linear *from) {
  if (to->terms.len + from->terms.len > MAX_TERMS)
    return false;
  to->constant = to->constant && from->constant ? plus(expr_copy(to->constant), expr_copy(from->constant), OP_ADD)
                                                : (to->constant ? to->constant : from->constant);
  for (int i = 0; i < from->terms.len; i++)
    vec_push(&to->terms, from->terms.items[i]);
  return true;
}

/* Where p points in the reverse loop: base itself (p not assigned there),
 * or base + E for p's one definition `p = base + E` there, E linear. */
static bool offset_of(Spans *sp, Var *p, Var **base, Linear *offset) {
  if (!writes_of(sp->loop->fwd, p) && !writes_of(sp->loop->rev, p)) {
    *base = p;
    return true;
  }
  Vec defs = {0};
  bool ok = p->type->kind == TY_PTR && definitions_of(sp, p, &defs);
  for (int i = 0; i < defs.len && ok; i++) {
    Placed *at = defs.items[i];
    Expr *r = strip_implicit(at->stmt->expr->rhs);
    Linear l = {0}; /* base + e1 + e2 ...: the e's, right to left */
    Expr *at_base = r;
    while (ok && at_base->kind == EX_BINARY && at_base->op == OP_ADD && at_base->type->kind == TY_PTR) {
      Linear part = {0};
      ok = linear_of(sp, at_base->rhs, &at->enclosing, &part, 0) && add_linear(&l, &part);
      at_base = strip_implicit(at_base->lhs);
    }
    Var *b = at_base->kind == EX_VAR ? at_base->var : NULL;
    ok = ok && at_base != r && b && (b->type->kind == TY_PTR || b->type->kind == TY_ARRAY) &&
         !writes_of(sp->loop->fwd, b) && !writes_of(sp->loop->rev, b);
    if (ok && i == 0) {
      *offset = l;
      *base = b;
    }
  }
  free(defs.items);
  return ok;
}

/* How the reverse loop reaches memory through p: every access p[idx],
 * p = base + E, is base[c0 + a*i + rest], i the parallel loop's counter,
 * the same a for all; rests gets each distinct rest (Linear*). */
typedef struct {
  Var *p, *base;
  Expr *coef; /* a */
  Vec rests;
} Rows;

static bool rows_of(Spans *sp, Var *p, Rows *rows) {
  OmpLoop *l = sp->loop;
  Linear offset = {0};
  rows->p = p;
  if (!type_is_floating(p->type->base) || type_is_complex(p->type->base) || !offset_of(sp, p, &rows->base, &offset))
    return false;
  Vec indexes = {0};
  int uses = writes_of(sp->loop->rev, p);
  bool ok = true;
  for (int i = 0; i < sp->placed.len && ok; i++) {
    Placed *at = sp->placed.items[i];
    IndexUses u = {p, NULL, {0}, 0};
    Walker w = {.expr_pre = note_index, .ctx = &u};
    walk_expr(at->stmt->expr, &w);
    walk_expr(at->stmt->init, &w);
    walk_expr(at->stmt->step, &w);
    for (int j = 0; j < u.found.len && ok; j++) {
      uses++;
      bool seen = false;
      for (int m = 0; m < indexes.len && !seen; m++)
        seen = expr_equal(indexes.items[m], u.found.items[j]);
      if (seen)
        continue;
      vec_push(&indexes, u.found.items[j]);
      Linear *form = xcalloc(1, sizeof(Linear)), *rest = xcalloc(1, sizeof(Linear));
      ok = linear_of(sp, u.found.items[j], &at->enclosing, form, 0) && add_linear(form, &offset);
      int counted = 0;
      rest->constant = form->constant;
      for (int t = 0; t < form->terms.len && ok; t++) {
        LinearTerm *term = form->terms.items[t];
        if (term->counter != l->counter) {
          vec_push(&rest->terms, term);
          continue;
        }
        counted++;
        if (!rows->coef)
          rows->coef = term->coef;
        ok = expr_equal(rows->coef, term->coef);
      }
      ok = ok && counted == 1;
      vec_push(&rows->rests, rest);
    }
    free(u.found.items);
  }
  free(indexes.items);
  return ok && rows->rests.len && uses == mentions_of(sp->rev_body, p);
}

/* The roots of group (Rows*, one base) reach, in iteration i, the
 * elements base[a*i + lo .. a*i + hi]: iterations i and i + K never meet
 * when hi - lo is less than |a*K|.  Checked before the loop:
 *   if (!vg_rows_apart(a * K, lo, hi)) omp_alone = 1;
 * then their sums need no atomic (one thread runs the loop otherwise).
 * lo..hi then grows to all the iterations' elements, for the check
 * against other bases into the same memory. */
static bool rows_apart(Ad *ad, Spans *sp, Stmt *body, OmpBuffers *out, Vec *group, Var **lo_out, Var **hi_out) {
  OmpLoop *l = sp->loop;
  Expr *step = l->fwd->step;
  Expr *k = step->kind == EX_INCDEC ? expr_num("1", type_int()) : step->op == OP_ADD ? step->rhs : NULL;
  CounterRange *range = range_of(sp, l->counter);
  Rows *first = group->items[0];
  Vec rests = {0};
  bool ok = k && range && range->usable && !range->first_form;
  for (int i = 0; i < group->len && ok; i++) {
    Rows *r = group->items[i];
    ok = expr_equal(r->coef, first->coef);
    for (int j = 0; j < r->rests.len; j++)
      vec_push(&rests, r->rests.items[j]);
  }
  if (!ok) {
    free(rests.items);
    return false;
  }
  Loc loc = l->rev->loc;
  need_alone(ad, body, out);
  Buf names = {0};
  for (int i = 0; i < group->len; i++)
    buf_printf(&names, "%s%s", i ? ", " : "", ((Rows *)group->items[i])->p->name);
  vec_push(&out->setup, stmt_comment(format("the elements %s reach: apart between iterations?", names.buf)));
  Var *lo = omp_new_local(ad, body, "omp_lo", type_long()), *hi = omp_new_local(ad, body, "omp_hi", type_long());
  emit_spans(ad, sp, body, &rests, lo, hi, &out->setup);
  free(rests.items);
  Expr *apart = expr_runtime_call(CALL_RUNTIME, "vg_rows_apart", type_int(), times(expr_copy(first->coef), k),
                                  expr_var(lo, loc));
  vec_push(&apart->args, expr_var(hi, loc));
  Stmt *check = new_stmt(ST_IF, loc);
  check->expr = expr_unary(EX_NOT, apart, type_int());
  check->then = stmt_block(loc);
  vec_push(&check->then->body, set(out->alone, expr_num("1", type_int())));
  vec_push(&out->setup, check);
  Expr *all = expr_runtime_call(CALL_RUNTIME, "vg_span_term", type_void(), addr(lo), addr(hi));
  vec_push(&all->args, expr_copy(first->coef));
  vec_push(&all->args, expr_copy(range->first));
  vec_push(&all->args, expr_copy(range->last));
  vec_push(&out->setup, stmt_expr(all));
  *lo_out = lo;
  *hi_out = hi;
  return true;
}

/* The variable a sum `p[idx] += e` adds through, or NULL. */
static Var *sum_root(Stmt *s) {
  Expr *index;
  return element_of(s->expr->lhs, &index);
}

bool omp_buffer_sums(Reverse *rv, OmpLoop *l, Stmt *body, Vec *atomics, OmpBuffers *out) {
  Ad *ad = rv->ad;
  Spans sp = {.loop = l, .rev_body = l->rev->then};
  note_for(&sp, l->fwd);
  walk_stmt(l->fwd->then, &(Walker){.stmt_pre = collect_for, .ctx = &sp});
  for (int i = 0; i < sp.ranges.len; i++) { /* the for loops' init and step are all that set it */
    CounterRange *r = sp.ranges.items[i];
    if (writes_of(l->fwd, r->counter) != 2 * r->loops)
      r->usable = false;
  }
  walk_stmt(l->rev->then, &(Walker){.stmt_pre = place_pre, .stmt_post = place_post, .ctx = &sp});
  Vec roots = {0};
  for (int i = 0; i < atomics->len; i++) {
    Var *root = sum_root(atomics->items[i]);
    if (root)
      vec_add_unique(&roots, root);
  }
  Var *k = NULL;
  Vec privatized = {0};
  for (int i = 0; i < roots.len; i++) {
    Var *p = roots.items[i];
    if ((p->type->kind != TY_PTR && p->type->kind != TY_ARRAY) || !type_is_floating(p->type->base) ||
        type_is_complex(p->type->base) || p->is_global || p->is_static ||
        writes_of(l->fwd, p) || writes_of(l->rev, p))
      continue;
    Vec sums = {0}, forms = {0}, indexes = {0}; /* indexes: each sum's, as written */
    bool ok = true;
    for (int j = 0; j < atomics->len && ok; j++) {
      Stmt *s = atomics->items[j];
      Expr *index;
      if (element_of(s->expr->lhs, &index) != p)
        continue;
      Placed *at = placed_of(&sp, s);
      Linear *form = xcalloc(1, sizeof(Linear));
      ok = at && !expr_mentions(index, p) && !expr_mentions(s->expr->rhs, p) &&
           linear_of(&sp, index, &at->enclosing, form, 0);
      vec_push(&sums, s);
      vec_push(&forms, form);
      vec_push(&indexes, index);
    }
    Vec others = {0}, other_forms = {0};
    ok = ok && sums.len && mentions_of(l->rev->then, p) == sums.len &&
         others_into(ad, &sp, p, &others, &other_forms);
    if (ok && !others.len && owned_by_iteration(l, &indexes, forms.items[0])) {
      add_vars(&privatized, &sums); /* each iteration its own element: plain sums */
      ok = false;
    }
    if (!ok) {
      free(sums.items);
      free(forms.items);
      free(indexes.items);
      free(others.items);
      free(other_forms.items);
      continue;
    }
    Loc loc = l->rev->loc;
    Type *elem = p->type->base;
    need_alone(ad, body, out);
    Var *lo = omp_new_local(ad, body, "omp_lo", type_long());
    Var *hi = omp_new_local(ad, body, "omp_hi", type_long());
    Type *pointer = type_pointer_to(elem);
    Var *mine = omp_new_local(ad, body, format("%s_mine", p->name), pointer);
    mine->base = p; /* adjoint memory, for the passes after (ad_storage_of) */
    Var *lo2 = NULL, *hi2 = NULL;
    if (!k)
      k = omp_new_local(ad, body, "omp_k", type_long());
    vec_push(&out->setup, stmt_comment(format("the elements of %s the loop adds to: a buffer per thread", p->name)));
    for (int j = 0; j < sums.len; j++) {
      Stmt *s = sums.items[j];
      bool seen = false; /* an unrolled loop repeats the same index */
      for (int m = 0; m < j && !seen; m++)
        seen = expr_equal(indexes.items[m], indexes.items[j]);
      if (!seen && j == 0) {
        emit_span(ad, body, &sp, forms.items[j], lo, hi, &out->setup);
      } else if (!seen) {
        if (!lo2) {
          lo2 = omp_new_local(ad, body, "omp_lo", type_long());
          hi2 = omp_new_local(ad, body, "omp_hi", type_long());
        }
        emit_span(ad, body, &sp, forms.items[j], lo2, hi2, &out->setup);
        Expr *join = expr_runtime_call(CALL_RUNTIME, "vg_span_join", type_void(), addr(lo), addr(hi));
        vec_push(&join->args, expr_var(lo2, loc));
        vec_push(&join->args, expr_var(hi2, loc));
        vec_push(&out->setup, stmt_expr(join));
      }
      s->expr->lhs = expr_index(expr_var(mine, loc),
                                expr_binary(OP_SUB, indexes.items[j], expr_var(lo, loc), type_long()), elem);
      vec_push(&privatized, s);
    }
    for (int j = 0; j < others.len; j++) /* another pointer into p's memory: its elements apart from the span */
      guard_other(ad, &sp, body, out, p, lo, hi, others.items[j], other_forms.items[j]);
    Expr *len = expr_binary(OP_ADD, expr_binary(OP_SUB, expr_var(hi, loc), expr_var(lo, loc), type_long()),
                            expr_num("1", type_long()), type_long());
    Expr *choice = new_expr(EX_COND, pointer, loc); /* alone: the thread adds into p itself */
    choice->cond = expr_var(out->alone, loc);
    choice->lhs = expr_binary(OP_ADD, expr_var(p, loc), expr_var(lo, loc), pointer);
    choice->rhs = expr_runtime_call(CALL_PLAIN, "calloc", pointer, len, expr_sizeof_type(elem, loc));
    vec_push(&out->enter, set(mine, choice));
    Stmt *add = new_stmt(ST_FOR, loc);
    add->for_init = set(k, expr_num("0", type_long()));
    add->expr = expr_binary(OP_LE, expr_var(k, loc),
                            expr_binary(OP_SUB, expr_var(hi, loc), expr_var(lo, loc), type_long()), type_int());
    add->step = expr_assign(OP_ADD, expr_var(k, loc), expr_num("1", type_long()));
    add->then = stmt_block(loc);
    Expr *shared = expr_index(expr_var(p, loc), expr_binary(OP_ADD, expr_var(lo, loc), expr_var(k, loc), type_long()),
                              elem);
    /* only the elements the thread added to: the span may reach past the
     * array (a loop stepping by K over n that is no multiple of it, a sum
     * under `if (i + k < n)`), and an element no iteration reached holds 0 */
    Stmt *touched = new_stmt(ST_IF, loc);
    touched->expr = expr_binary(OP_NE, expr_index(expr_var(mine, loc), expr_var(k, loc), elem),
                                expr_num("0", type_int()), type_int());
    touched->then = stmt_block(loc);
    vec_push(&touched->then->body, stmt_expr(expr_assign(OP_ADD, shared, expr_index(expr_var(mine, loc),
                                                                                      expr_var(k, loc), elem))));
    vec_push(&add->then->body, touched);
    add->pragma = "#pragma omp critical";
    Stmt *shared_only = new_stmt(ST_IF, loc);
    shared_only->expr = expr_unary(EX_NOT, expr_var(out->alone, loc), type_int());
    shared_only->then = stmt_block(loc);
    vec_push(&shared_only->then->body, add);
    vec_push(&shared_only->then->body, stmt_call("free", expr_var(mine, loc)));
    vec_push(&out->leave, shared_only);
    vec_push(&out->priv, mine);
    vec_push(&out->first, lo);
    vec_add_unique(&out->priv, k);
    free(sums.items);
    free(forms.items);
    free(indexes.items);
    free(others.items);
    free(other_forms.items);
  }
  /* The rest: do the iterations reach rows of their own?  Roots into one
   * memory are checked together (another root's row may be this one's
   * neighbour's); one that is not linear keeps them all atomic. */
  Vec left = {0}, rows = {0}, stores = {0}; /* Var*; Rows* or NULL; Storage* */
  for (int i = 0; i < roots.len; i++) {
    Var *p = roots.items[i];
    bool has = false;
    for (int j = 0; j < atomics->len && !has; j++)
      has = !vec_contains(&privatized, atomics->items[j]) && sum_root(atomics->items[j]) == p;
    if (!has)
      continue;
    Rows *r = xcalloc(1, sizeof(Rows));
    Storage *where = xcalloc(1, sizeof(Storage));
    bool linear = rows_of(&sp, p, r);
    *where = ad_storage_of(ad, linear ? r->base : p);
    vec_push(&left, p);
    vec_push(&rows, linear ? r : NULL);
    vec_push(&stores, where);
  }
  for (int i = 0; i < left.len; i++) { /* one memory at a time */
    Storage *mine = stores.items[i];
    bool first = true, whole = true;
    Vec members = {0}; /* Rows* */
    for (int j = 0; j < left.len; j++) {
      Storage *other = stores.items[j];
      if (other->array != mine->array || other->adjoint != mine->adjoint)
        continue;
      first = first && j >= i;
      whole = whole && rows.items[j];
      vec_push(&members, rows.items[j]);
    }
    if (!first || !whole) {
      free(members.items);
      continue;
    }
    Vec bases = {0}, los = {0}, his = {0}; /* per base: its group's lo..hi over all iterations */
    bool ok = true;
    for (int j = 0; j < members.len && ok; j++) {
      Var *base = ((Rows *)members.items[j])->base;
      if (vec_contains(&bases, base))
        continue;
      Vec group = {0};
      for (int m = 0; m < members.len; m++)
        if (((Rows *)members.items[m])->base == base)
          vec_push(&group, members.items[m]);
      Var *lo = NULL, *hi = NULL;
      ok = rows_apart(ad, &sp, body, out, &group, &lo, &hi);
      vec_push(&bases, base);
      vec_push(&los, lo);
      vec_push(&his, hi);
      free(group.items);
    }
    for (int a = 0; a < bases.len && ok; a++)
      for (int b = a + 1; b < bases.len; b++)
        bases_apart(out, bases.items[a], los.items[a], his.items[a], bases.items[b], los.items[b], his.items[b]);
    if (ok) /* (a failed group leaves the checks before it, harmless) */
      for (int g = 0; g < members.len; g++)
        for (int j = 0; j < atomics->len; j++)
          if (sum_root(atomics->items[j]) == ((Rows *)members.items[g])->p)
            vec_add_unique(&privatized, atomics->items[j]);
    free(members.items);
    free(bases.items);
    free(los.items);
    free(his.items);
  }
  free(left.items);
  free(rows.items);
  free(stores.items);
  int kept = 0; /* the sums left to atomics */
  for (int i = 0; i < atomics->len; i++)
    if (!vec_contains(&privatized, atomics->items[i]))
      atomics->items[kept++] = atomics->items[i];
  atomics->len = kept;
  free(privatized.items);
  free(roots.items);
  return out->setup.len > 0; /* (sums of elements owned by iterations need no region) */
}
