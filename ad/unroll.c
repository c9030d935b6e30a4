/* Reverse loops that sum into one place, four iterations at a time.
 *
 * The reverse of `out[row] += L[row] * v` is `d_v += d_out[row] * L[row]`
 * over the whole loop: a chain of dependent additions that the C compiler
 * may not reorder (that needs -ffast-math), so the loop runs at the latency
 * of one addition per iteration.  Here such a loop runs four iterations per
 * round into four partial sums, added to the target once after the loop:
 * the additions then overlap.  Only the order of the sum changes, and the
 * adjoint prescribes none.
 *
 *   while (i != S) { i--; BODY(T += e) }
 * becomes
 *   if (i - S >= 8) {
 *       double part = 0, part_2 = 0, part_3 = 0, part_4 = 0;
 *       while (i - S >= 4) { i--; BODY(part += e) ... i--; BODY(part_4 += e) }
 *       while (i > S) { i--; BODY(part += e) }
 *       T += part + part_2 + (part_3 + part_4);
 *   } else {
 *       the loop as it was
 *   }
 * (only the first branch for a constant count of 8 or more, without the
 * rest loop for a multiple of 4; none for a smaller count)
 *
 * A target qualifies when the loop body is one straight run of statements,
 * nothing else in the body reads or writes it or memory it may share (the
 * array each pointer points into decides that), and its own address does
 * not change inside the loop. */
#include "ad.h"

#include <stdlib.h>
#include <string.h>

enum { UNROLL = 4, MIN_TRIPS = 2 * UNROLL, MAX_BODY = 32, MAX_TARGETS = 4 };

/* The statement `T += e` or `T -= e` with a floating T; NULL otherwise. */
static Expr *sum_into(Stmt *s) {
  if (s->kind != ST_EXPR || s->expr->kind != EX_ASSIGN || (s->expr->op != OP_ADD && s->expr->op != OP_SUB))
    return NULL;
  Type *t = s->expr->lhs->type;
  return t && (t->kind == TY_DOUBLE || t->kind == TY_FLOAT) ? s->expr : NULL;
}

/* Variables written by the statements of a straight run. */
static void written_in(Vec *body, Vec *out) {
  for (int i = 0; i < body->len; i++) {
    Stmt *s = body->items[i];
    if (s->kind == ST_DECL) {
      vec_add_unique(out, s->var);
    } else if (s->kind == ST_EXPR) {
      Expr *e = s->expr;
      if ((e->kind == EX_ASSIGN || e->kind == EX_INCDEC) && e->lhs->kind == EX_VAR)
        vec_add_unique(out, e->lhs->var);
    }
  }
}

/* A call that might touch memory: any but the tape's and math.h's. */
static bool other_call(const Expr *e, const void *unused) {
  (void)unused;
  return e->kind == EX_CALL && !expr_is_tape_call(e) && !ad_math_lookup(e->text);
}

Storage ad_storage_of(Ad *ad, Var *v) {
  Var *primal = NULL;
  Vec *lists[2] = {&ad->f->params, &ad->f->locals};
  for (int l = 0; l < 2 && !primal; l++)
    for (int i = 0; i < lists[l]->len && !primal; i++)
      if (((Var *)lists[l]->items[i])->adj == v)
        primal = lists[l]->items[i];
  Var *x = primal ? primal : v;
  if (!primal && v->base && v->base != v && v->base->base != v) {
    Storage of = ad_storage_of(ad, v->base); /* a thread's buffer of an adjoint (omp_buffers.c) */
    if (of.adjoint)
      return of;
  }
  return (Storage){x->base ? x->base : x, primal != NULL};
}

bool ad_has_storage(Var *v) {
  TypeKind k = v->type->kind;
  return k == TY_PTR || k == TY_ARRAY || k == TY_STRUCT || v->is_global;
}

typedef struct {
  Expr *target;     /* T, as first written: the statements summing into an equal one share it */
  Var *root;
  Var *parts[UNROLL];
} Sum;

/* The targets of the loop body `body` that can be summed in parts;
 * returns how many. */
static int find_sums(Ad *ad, Vec *body, Sum *sums) {
  int n = 0;
  if (body->len > MAX_BODY)
    return 0;
  Vec written = {0};
  written_in(body, &written);
  for (int i = 0; i < body->len; i++) {
    Expr *a = sum_into(body->items[i]);
    Var *root = a ? lvalue_root(a->lhs) : NULL;
    if (!root)
      continue;
    bool seen = false;
    for (int k = 0; k < n; k++)
      seen |= expr_equal(sums[k].target, a->lhs);
    if (seen || n == MAX_TARGETS)
      continue;
    Vec in_target = {0};
    expr_collect_vars(a->lhs, &in_target);
    /* Only adjoints: the values the forward sweep computes stay exact. */
    Storage mine = ad_storage_of(ad, root);
    bool ok = mine.adjoint && !root->is_global && (a->lhs->kind != EX_VAR || root->param_index < 0);
    /* its address: a variable is written only by these sums (checked below) */
    for (int k = 0; k < in_target.len && ok && a->lhs->kind != EX_VAR; k++)
      ok = !vec_contains(&written, in_target.items[k]);
    free(in_target.items);
    /* Every other use in the body: the same target summed into, or
     * variables that cannot reach its storage. */
    for (int j = 0; j < body->len && ok; j++) {
      Stmt *o = body->items[j];
      Expr *oa = sum_into(o);
      Vec vars = {0};
      if (oa && expr_equal(oa->lhs, a->lhs)) {
        expr_collect_vars(oa->rhs, &vars);
      } else {
        expr_collect_vars(o->kind == ST_DECL ? o->init : o->expr, &vars);
        if (o->kind == ST_DECL)
          vec_add_unique(&vars, o->var);
      }
      if (o->kind == ST_EXPR || o->kind == ST_DECL)
        ok = !expr_any(o->kind == ST_DECL ? o->init : o->expr, other_call, NULL);
      for (int k = 0; k < vars.len && ok; k++) {
        Var *v = vars.items[k];
        if (v == root) {
          ok = false;
        } else if (ad_has_storage(v)) { /* a pointer to a scalar target included */
          Storage other = ad_storage_of(ad, v);
          ok = other.array != mine.array || other.adjoint != mine.adjoint;
        }
      }
      free(vars.items);
    }
    if (!ok)
      continue;
    sums[n++] = (Sum){a->lhs, root, {NULL}};
  }
  free(written.items);
  return n;
}

/* A copy of the loop body summing into parts[copy] of each target, with
 * its own names for the variables it declares (`fresh`: copies after the
 * first share a scope). */
static Stmt *body_copy(Ad *ad, Stmt *body, Sum *sums, int nsums, int copy, bool fresh) {
  Var *from[MAX_BODY], *to[MAX_BODY];
  int nmap = 0;
  for (int i = 0; fresh && i < body->body.len; i++) {
    Stmt *s = body->body.items[i];
    if (s->kind == ST_DECL) {
      from[nmap] = s->var;
      to[nmap] = ad_new_local(ad, s->var->name, s->var->type, false);
      nmap++;
    }
  }
  Stmt *c = stmt_clone(body, from, to, nmap);
  for (int i = 0; fresh && i < c->body.len; i++) /* the first copy keeps the comments */
    if (((Stmt *)c->body.items[i])->kind == ST_COMMENT)
      ((Stmt *)c->body.items[i])->kind = ST_EMPTY;
  for (int i = 0; i < c->body.len; i++) {
    Expr *a = sum_into(c->body.items[i]);
    if (!a)
      continue;
    for (int k = 0; k < nsums; k++)
      if (expr_equal(sums[k].target, a->lhs))
        a->lhs = expr_var(sums[k].parts[copy], a->loc);
  }
  return c;
}

static const char *part_name(Var *root) {
  return format("%s_part", root->name);
}

static WalkStep add_run_stmt(Stmt *s, void *out) {
  if (s->kind == ST_BLOCK)
    return WALK_ON;
  if (s->kind == ST_EXPR || s->kind == ST_DECL || s->kind == ST_COMMENT)
    vec_push(out, s);
  return s->kind == ST_EXPR || s->kind == ST_DECL || s->kind == ST_COMMENT || s->kind == ST_EMPTY ? WALK_SKIP
                                                                                                  : WALK_STOP;
}

/* The statements of s, blocks opened, into out; false if one is not
 * part of a straight run. */
static bool flatten_run(Stmt *s, Vec *out) { return walk_stmt(s, &(Walker){.stmt_pre = add_run_stmt, .ctx = out}); }

/* The loop `w`, rewritten as above when it has a target; else NULL. */
static Stmt *split_loop(Ad *ad, Stmt *w) {
  if (w->known_trips > 0 && w->known_trips < MIN_TRIPS)
    return NULL;
  /* Blocks print without braces: the body is the statements inside them. */
  Stmt *flat = stmt_block(w->loc);
  Vec *body = &flat->body;
  if (!flatten_run(w->then, body) || body->len < 2) {
    free(body->items);
    return NULL;
  }
  Sum sums[MAX_TARGETS];
  int nsums = find_sums(ad, body, sums);
  if (!nsums) {
    free(body->items);
    return NULL;
  }
  /* Short loops as they were: the parts would cost more than they save. */
  Stmt *guard = new_stmt(ST_IF, w->loc);
  guard->expr = expr_binary(OP_GE, expr_copy(w->trips), expr_num(format("%d", MIN_TRIPS), type_int()), type_int());
  guard->then = stmt_block(w->loc);
  guard->els = stmt_block(w->loc);
  vec_push(&guard->els->body, w);
  Vec *out = &guard->then->body;
  for (int k = 0; k < nsums; k++)
    for (int c = 0; c < UNROLL; c++) {
      Var *p = ad_new_local(ad, part_name(sums[k].root), sums[k].target->type, false);
      sums[k].parts[c] = p;
      Stmt *d = new_stmt(ST_DECL, w->loc);
      d->var = p;
      d->init = expr_num("0", sums[k].target->type);
      vec_push(out, d);
    }
  Stmt *rounds = new_stmt(ST_WHILE, w->loc);
  rounds->expr = expr_binary(OP_GE, expr_copy(w->trips), expr_num(format("%d", UNROLL), type_int()), type_int());
  rounds->then = stmt_block(w->loc);
  for (int c = 0; c < UNROLL; c++) {
    Stmt *copy = body_copy(ad, flat, sums, nsums, c, c > 0);
    for (int i = 0; i < copy->body.len; i++)
      vec_push(&rounds->then->body, copy->body.items[i]);
  }
  vec_push(out, stmt_comment(format("%d iterations a round, the sums in %d parts", UNROLL, UNROLL)));
  vec_push(out, rounds);
  /* The rest, unless a constant count leaves none (gcc would see that loop
   * run down past INT_MIN, and warn); while more than 0 remain, not while
   * not 0: after the rounds gcc no longer knows the count is not negative
   * and warns (-Waggressive-loop-optimizations) that `i--` would run past
   * INT_MIN (llm.c's tiled matmul, tests/realistic/gpt2). */
  if (w->known_trips <= 0 || w->known_trips % UNROLL) {
    Stmt *rest = new_stmt(ST_WHILE, w->loc);
    Expr *c = w->expr; /* i != S as i > S, else trips > 0 */
    rest->expr = c->kind == EX_BINARY && c->op == OP_NE
                     ? expr_binary(OP_GT, expr_copy(c->lhs), expr_copy(c->rhs), type_int())
                     : expr_binary(OP_GT, expr_copy(w->trips), expr_num("0", type_int()), type_int());
    rest->then = body_copy(ad, flat, sums, nsums, 0, false);
    vec_push(out, rest);
  }
  for (int k = 0; k < nsums; k++) {
    Type *t = sums[k].target->type;
    Expr *p[UNROLL];
    for (int c = 0; c < UNROLL; c++)
      p[c] = expr_var(sums[k].parts[c], w->loc);
    Expr *total = expr_binary(OP_ADD, expr_binary(OP_ADD, p[0], p[1], t), expr_binary(OP_ADD, p[2], p[3], t), t);
    vec_push(out, stmt_expr(expr_assign(OP_ADD, sums[k].target, total)));
  }
  return w->known_trips >= MIN_TRIPS ? guard->then : guard; /* a constant count this long needs no test */
}

static WalkStep stop_at_atomic(Stmt *s, void *unused) {
  (void)unused;
  return s->pragma && strstr(s->pragma, "omp atomic") ? WALK_STOP : WALK_ON;
}

void ad_split_sums(Ad *ad, Stmt *s) {
  if (!s)
    return;
  if (s->kind == ST_BLOCK) {
    for (int i = 0; i < s->body.len; i++) {
      Stmt *c = s->body.items[i];
      if (c->omp_loop && !walk_stmt(c, &(Walker){.stmt_pre = stop_at_atomic}))
        continue; /* a parallel loop (omp.c) with atomic sums: the copies would lose their pragma */
      Stmt *split = c->kind == ST_WHILE && c->trips && c->then && c->then->kind == ST_BLOCK ? split_loop(ad, c) : NULL;
      if (split)
        s->body.items[i] = split;
      else
        ad_split_sums(ad, c);
    }
    return;
  }
  ad_split_sums(ad, s->then);
  ad_split_sums(ad, s->els); /* a for's init (for_init) is left alone */
}
