/* Reverse tiles turned inside out.
 *
 * llm.c's matmul_forward takes the rows LOOP_UNROLL at a time:
 *   for (i = 0; i < C; i++) { w = weight[o * C + i];
 *     for (ibt = 0; ibt < 8; ibt++) result[ibt] += inp[(obt + ibt) * C + i] * w; }
 * and its reverse sweep is
 *   while (i != 0) { i--; w = weight[o * C + i]; ibt = 8;
 *     while (ibt != 0) { ibt--; d_inp[(obt + ibt) * C + i] += d_result[ibt] * w;
 *                        d_w += d_result[ibt] * inp[(obt + ibt) * C + i]; }
 *     d_weight[o * C + i] += d_w; d_w = 0; }
 * Per i, eight stores C elements apart and a sum: the C compiler vectorises
 * neither loop.  Here the sums into an adjoint array whose element moves by
 * one with the outer counter (d_inp above) leave the nest for a copy of
 * their own with the two loops swapped, which a hand-written backward pass
 * (llm.c's matmul_backward) also runs over contiguous elements:
 *   ibt' = 8; while (ibt' != 0) { ibt'--; i' = C;
 *     while (i' != 0) { i'--; w' = weight[o * C + i'];
 *                       d_inp[(obt + ibt') * C + i'] += d_result[ibt'] * w'; } }
 * The nest keeps everything else, so every variable it leaves behind holds
 * what it held; the copy declares variables of its own where it sets them
 * (inside a parallel loop: private to the thread), except one that nothing
 * else reads, which it takes over (`d_row = d_inp + k`).  The element may
 * be written `A[k]`, `*(A + k)` or through such a row pointer.
 *
 * Only sums move, and only the order of their additions changes (the
 * adjoint prescribes none).  A sum moves when: the nest is two reverse
 * counted loops, the inner one's bounds independent of the outer one, with
 * nothing but assignments inside (no tape, no call but math.h's); the
 * array it sums into is adjoint memory nothing else in the nest reads or
 * writes (the array each pointer points into decides that); and what it
 * reads is memory the nest does not write, the counters, and variables set
 * once in the nest, before it, from those.  The nest must keep some other
 * work (else it would only turn). */
#include "ad.h"

#include <stdlib.h>

/* A reverse counted loop `I = start; while (I != stop) { I--; body }`. */
typedef struct {
  Stmt *init, *loop, *step;
  Var *counter;
  Vec items; /* Stmt*: the body's statements after I--, blocks opened */
} RevLoop;

static bool flatten_items(Stmt *s, Vec *out) {
  if (s->kind == ST_BLOCK) {
    for (int i = 0; i < s->body.len; i++)
      if (!flatten_items(s->body.items[i], out))
        return false;
    return true;
  }
  if (s->kind == ST_COMMENT || s->kind == ST_EMPTY)
    return true;
  if ((s->kind != ST_EXPR && s->kind != ST_DECL && s->kind != ST_WHILE) || s->pragma)
    return false; /* an `omp atomic` sum too */
  vec_push(out, s);
  return true;
}

static Expr *bare(Expr *e) {
  while (e && e->kind == EX_CAST && e->implicit)
    e = e->lhs;
  return e;
}

/* `v = e` with v an integer variable: v, else NULL. */
static Var *counter_set(Stmt *s) {
  if (!s || s->kind != ST_EXPR || s->expr->kind != EX_ASSIGN || s->expr->op != OP_NONE ||
      s->expr->lhs->kind != EX_VAR || !type_is_integer(s->expr->lhs->type))
    return NULL;
  return s->expr->lhs->var;
}

static bool rev_loop(Stmt *init, Stmt *w, RevLoop *out) {
  *out = (RevLoop){0};
  if (w->kind != ST_WHILE || !w->trips || w->omp_loop || w->pragma || !w->then)
    return false;
  Expr *c = w->expr;
  Var *v = counter_set(init);
  if (!v || !c || c->kind != EX_BINARY || c->op != OP_NE || bare(c->lhs)->kind != EX_VAR || bare(c->lhs)->var != v ||
      expr_mentions(c->rhs, v) || expr_mentions(init->expr->rhs, v))
    return false;
  Vec all = {0};
  if (!flatten_items(w->then, &all) || all.len < 2) {
    free(all.items);
    return false;
  }
  Stmt *step = all.items[0];
  Expr *d = step->kind == ST_EXPR ? step->expr : NULL;
  if (!d || d->kind != EX_INCDEC || d->increment || d->lhs->kind != EX_VAR || d->lhs->var != v) {
    free(all.items);
    return false;
  }
  out->init = init;
  out->loop = w;
  out->step = step;
  out->counter = v;
  for (int i = 1; i < all.len; i++)
    vec_push(&out->items, all.items[i]);
  free(all.items);
  return true;
}

/* A call other than math.h's, or an assignment, inside an expression. */
static bool impure(const Expr *e, const void *unused) {
  (void)unused;
  return (e->kind == EX_CALL && (expr_is_tape_call(e) || !e->text || !ad_math_lookup(e->text))) ||
         e->kind == EX_ASSIGN || e->kind == EX_INCDEC || e->kind == EX_STMT_EXPR || e->kind == EX_UNSUPPORTED;
}

typedef struct {
  Ad *ad;
  Stmt *root;     /* the whole function body */
  bool parallel;  /* inside a parallel loop: its variables are named in its pragma (omp.c) */
  RevLoop outer, inner;
  int inner_at;   /* the inner loop's place among outer.items */
  Vec written;    /* Var*: variables the nest assigns (counters included) */
  Vec wstorage[2]; /* Var*: arrays the nest writes elements of: [0] primal, [1] adjoint memory */
  Vec defs;       /* Stmt*: `v = e` the copy may repeat (v set once, from what it may read) */
} Nest;

static bool is_written(Nest *n, Var *v) { return vec_contains(&n->written, v); }

/* The statement's own effect: the variable it sets, or the array it writes
 * into (its storage); false for one the nest cannot hold. */
static bool note_effect(Nest *n, Stmt *s) {
  if (s->kind == ST_DECL) {
    if (s->init && expr_any(s->init, impure, NULL))
      return false;
    vec_add_unique(&n->written, s->var);
    return true;
  }
  if (s->kind == ST_WHILE)
    return true;
  Expr *e = s->expr;
  if (e->kind != EX_ASSIGN && e->kind != EX_INCDEC)
    return false;
  if (expr_any(e->lhs, impure, NULL) || (e->rhs && expr_any(e->rhs, impure, NULL)))
    return false;
  Var *root = lvalue_root(e->lhs);
  if (!root)
    return false;
  if (lvalue_is_memory(e->lhs)) {
    if (!ad_has_storage(root))
      return false;
    Storage st = ad_storage_of(n->ad, root);
    vec_add_unique(&n->wstorage[st.adjoint], st.array);
  } else {
    vec_add_unique(&n->written, root);
  }
  return true;
}

/* How many statements of the nest set v (counters aside). */
static int sets_of(Nest *n, Var *v) {
  int k = 0;
  for (int l = 0; l < 2; l++) {
    Vec *items = l ? &n->inner.items : &n->outer.items;
    for (int i = 0; i < items->len; i++) {
      Stmt *s = items->items[i];
      if (s->kind == ST_DECL)
        k += s->var == v;
      else if (s->kind == ST_EXPR && (s->expr->kind == EX_ASSIGN || s->expr->kind == EX_INCDEC) &&
               s->expr->lhs->kind == EX_VAR && s->expr->lhs->var == v)
        k++;
    }
  }
  return k;
}

static bool same_storage(Storage a, Storage b) { return a.array == b.array && a.adjoint == b.adjoint; }

static bool storage_written(Nest *n, Storage st) { return vec_contains(&n->wstorage[st.adjoint], st.array); }

static Var *def_var(Stmt *s) { return s->kind == ST_DECL ? s->var : s->expr->lhs->var; }

static bool is_def(Nest *n, Var *v) {
  for (int d = 0; d < n->defs.len; d++)
    if (def_var(n->defs.items[d]) == v)
      return true;
  return false;
}

/* Whether each of `vars` is a counter allowed here, a variable the nest
 * leaves alone (pointing into memory the nest does not write, unless only
 * an address is computed from it), or one of `defs`. */
static bool reads_allowed(Nest *n, Vec *vars, bool inner_counter, const Storage *target, bool address_only) {
  bool ok = true;
  for (int k = 0; k < vars->len && ok; k++) {
    Var *v = vars->items[k];
    if (v == n->outer.counter || (inner_counter && v == n->inner.counter))
      continue;
    ok = !is_written(n, v) || is_def(n, v);
    if (ok && ad_has_storage(v) && !address_only) {
      Storage st = ad_storage_of(n->ad, v);
      ok = !storage_written(n, st) && !(target && same_storage(st, *target));
    }
  }
  return ok;
}

static bool reads_element(const Expr *e, const void *unused) {
  (void)unused;
  return e->kind == EX_INDEX || e->kind == EX_DEREF || (e->kind == EX_MEMBER && e->arrow);
}

/* A pointer computed from others without reading memory (`row = inp + k`). */
static bool address_def(Var *v, Expr *value) {
  return v->type->kind == TY_PTR && !v->is_global && !expr_any(value, reads_element, NULL);
}

static Expr *value_set(Stmt *s) { return s->kind == ST_DECL ? s->init : s->expr->rhs; }

/* `v = e` or `T v = e` with v a scalar, or a pointer computed without
 * reading memory, set nowhere else in the nest. */
static Var *plain_def(Nest *n, Stmt *s) {
  Var *v = NULL;
  if (s->kind == ST_DECL && s->init)
    v = s->var;
  else if (s->kind == ST_EXPR && s->expr->kind == EX_ASSIGN && s->expr->op == OP_NONE && s->expr->lhs->kind == EX_VAR)
    v = s->expr->lhs->var;
  if (!v || (ad_has_storage(v) && !address_def(v, value_set(s))) || v == n->outer.counter ||
      v == n->inner.counter || sets_of(n, v) != 1)
    return NULL;
  return v;
}

/* The top-level terms of an integer sum include the variable v itself
 * (added: in `k + v - lo` too). */
static bool term_is(Expr *e, Var *v) {
  e = bare(e);
  if (e->kind == EX_BINARY && e->op == OP_ADD)
    return term_is(e->lhs, v) || term_is(e->rhs, v);
  if (e->kind == EX_BINARY && e->op == OP_SUB)
    return term_is(e->lhs, v);
  return e->kind == EX_VAR && e->var == v;
}

/* The pointer term of a pointer sum (`p + k + j`), if one. */
static Var *pointer_term(Expr *e) {
  e = bare(e);
  if (e->kind == EX_BINARY && e->op == OP_ADD) {
    Var *l = pointer_term(e->lhs);
    return l ? l : pointer_term(e->rhs);
  }
  return e->kind == EX_VAR && e->var->type->kind == TY_PTR ? e->var : NULL;
}

/* The pointer or array an element is written through, and the expression
 * the element moves with: A[k] -> A, k; *(A + k) -> A, A + k. */
static Var *target_of(Expr *lhs, Expr **offset) {
  Expr *a = bare(lhs->lhs);
  Var *root = NULL;
  if (lhs->kind == EX_INDEX && a->kind == EX_VAR) {
    root = a->var;
    *offset = lhs->rhs;
  } else if (lhs->kind == EX_DEREF && a->kind == EX_BINARY) {
    root = pointer_term(a);
    *offset = a;
  }
  return root;
}

/* The variables a sum reads: its element's offset and its value (the
 * pointer or array it writes through aside). */
static void sum_reads(Stmt *s, Vec *out) {
  Expr *offset;
  Var *root = target_of(s->expr->lhs, &offset);
  Vec vars = {0};
  expr_collect_vars(offset, &vars);
  expr_collect_vars(s->expr->rhs, &vars);
  for (int k = 0; k < vars.len; k++)
    if (vars.items[k] != root)
      vec_push(out, vars.items[k]);
  free(vars.items);
}

/* A sum `A[... + I] += e` (or `*(A + ... + I) += e`) into adjoint memory,
 * I the outer counter: the array it writes; else NULL. */
static Var *moving_sum(Nest *n, Stmt *s) {
  if (s->kind != ST_EXPR)
    return NULL;
  Expr *e = s->expr, *offset = NULL;
  if (e->kind != EX_ASSIGN || (e->op != OP_ADD && e->op != OP_SUB) || !type_is_floating(e->lhs->type) ||
      type_is_complex(e->lhs->type))
    return NULL;
  Var *root = target_of(e->lhs, &offset);
  if (!root || !ad_has_storage(root) || (is_written(n, root) && !is_def(n, root)))
    return NULL;
  Storage st = ad_storage_of(n->ad, root);
  if (!st.adjoint || root->is_global || !term_is(offset, n->outer.counter) || term_is(offset, n->inner.counter))
    return NULL;
  return st.array;
}

/* Whether a statement of the nest reaches memory of `target` (other than
 * as the array a moving sum writes; a pointer into it computed, as by
 * `d_row = d_inp + k`, reaches nothing: what reads or writes through it
 * does). */
static bool mentions_storage(Nest *n, Stmt *s, Storage target, bool as_target) {
  Vec vars = {0};
  if (vec_contains(&n->defs, s) && address_def(def_var(s), value_set(s)))
    return false;
  if (s->kind == ST_DECL) {
    expr_collect_vars(s->init, &vars);
  } else if (s->kind == ST_EXPR) {
    if (as_target) {
      sum_reads(s, &vars);
    } else {
      expr_collect_vars(s->expr, &vars);
    }
  } else if (s->kind == ST_WHILE) {
    expr_collect_vars(s->expr, &vars);
  }
  bool found = false;
  for (int k = 0; k < vars.len && !found; k++) {
    Var *v = vars.items[k];
    found = ad_has_storage(v) && same_storage(ad_storage_of(n->ad, v), target);
  }
  free(vars.items);
  return found;
}

static int index_in(Vec *items, void *s) {
  for (int i = 0; i < items->len; i++)
    if (items->items[i] == s)
      return i;
  return -1;
}

/* A variable of the copy, declared where it is set (the function's
 * declarations are out by now). */
static Var *fresh_like(Nest *n, Var *v) { return ad_new_local(n->ad, v->name, v->type, false); }

/* A sum, emptied in the nest, in the copy. */
static Stmt *sum_copy(Stmt *s, Var **from, Var **to, int nmap) {
  Stmt *c = stmt_clone(s, from, to, nmap);
  c->kind = ST_EXPR;
  return c;
}

/* `v = e` of the nest as the copy's `T v' = e'`. */
static Stmt *declared_copy(Stmt *s, Var **from, Var **to, int nmap) {
  if (s->kind == ST_DECL)
    return stmt_clone(s, from, to, nmap);
  Stmt *d = stmt_clone(s, from, to, nmap);
  Var *v = d->expr->lhs->var;
  return stmt_decl(v, d->expr->rhs);
}

/* Whether every statement mentioning v only sets it from something
 * else, with no other effect (`v = e`), or declares it. */
typedef struct {
  Var *v;
  bool only_set;
} Sets;

static WalkStep collect_sets(Stmt *s, void *ctx) {
  Sets *st = ctx;
  if (s->kind == ST_EMPTY || s->kind == ST_COMMENT)
    return WALK_SKIP; /* an emptied statement keeps its expression */
  if (s->kind != ST_EXPR && s->kind != ST_DECL)
    return s->kind == ST_BLOCK || !s->expr || !expr_mentions(s->expr, st->v) ? WALK_ON
                                                                           : (st->only_set = false, WALK_STOP);
  if (s->kind == ST_DECL ? !(s->var == st->v || (s->init && expr_mentions(s->init, st->v)))
                         : !expr_mentions(s->expr, st->v))
    return WALK_SKIP;
  if (s->kind == ST_DECL && s->var == st->v && (!s->init || !expr_any(s->init, impure, NULL))) {
    return WALK_SKIP; /* its declaration */
  }
  Expr *e = s->kind == ST_EXPR ? s->expr : NULL;
  if (!e || e->kind != EX_ASSIGN || e->op != OP_NONE || e->lhs->kind != EX_VAR || e->lhs->var != st->v ||
      expr_mentions(e->rhs, st->v) || expr_any(e->rhs, impure, NULL)) {
    st->only_set = false;
    return WALK_STOP;
  }
  return WALK_SKIP;
}

/* The swapped copy of the sums into `array`, after the nest in `block` at
 * `at`; false when they cannot move. */
static bool move_sums(Nest *n, Stmt *block, int at, Var *array) {
  Storage target = {array, true};
  Vec moving = {0};
  for (int i = 0; i < n->inner.items.len; i++) {
    Stmt *s = n->inner.items.items[i];
    if (moving_sum(n, s) == array)
      vec_push(&moving, s);
  }
  bool ok = moving.len > 0;
  /* nothing else in the nest reads or writes that memory */
  Stmt *bounds[] = {n->outer.init, n->inner.init, n->outer.loop, n->inner.loop};
  for (int b = 0; b < 4 && ok; b++)
    ok = !mentions_storage(n, bounds[b], target, false);
  for (int l = 0; l < 2 && ok; l++) {
    Vec *items = l ? &n->inner.items : &n->outer.items;
    for (int i = 0; i < items->len && ok; i++) {
      Stmt *s = items->items[i];
      bool mine = vec_contains(&moving, s);
      ok = !mentions_storage(n, s, target, mine);
      if (ok && !mine && s->kind == ST_EXPR && lvalue_is_memory(s->expr->lhs))
        ok = !same_storage(ad_storage_of(n->ad, lvalue_root(s->expr->lhs)), target);
    }
  }
  /* what the sums read: definitions before them */
  for (int i = 0; i < moving.len && ok; i++) {
    Stmt *s = moving.items[i];
    Vec vars = {0};
    sum_reads(s, &vars);
    ok = reads_allowed(n, &vars, true, &target, false);
    expr_collect_vars(s->expr, &vars);
    int here = index_in(&n->inner.items, s);
    for (int d = 0; d < n->defs.len && ok; d++) {
      Stmt *def = n->defs.items[d];
      int there = index_in(&n->inner.items, def);
      ok = there < here || !vec_contains(&vars, def_var(def));
    }
    free(vars.items);
  }
  /* the nest keeps other work */
  bool work_left = false;
  for (int l = 0; l < 2 && ok && !work_left; l++) {
    Vec *items = l ? &n->inner.items : &n->outer.items;
    for (int i = 0; i < items->len && !work_left; i++) {
      Stmt *s = items->items[i];
      work_left = s->kind == ST_EXPR && !vec_contains(&moving, s) && s->expr->kind == EX_ASSIGN &&
                  (s->expr->op != OP_NONE || lvalue_is_memory(s->expr->lhs));
    }
  }
  if (!ok || !work_left) {
    free(moving.items);
    return false;
  }
  /* The definitions the sums need, in their order: outer ones, then inner. */
  Vec need = {0};
  for (int i = 0; i < moving.len; i++)
    expr_collect_vars(((Stmt *)moving.items[i])->expr, &need);
  Vec used_defs = {0};
  for (int d = n->defs.len - 1; d >= 0; d--) {
    Stmt *s = n->defs.items[d];
    Var *v = def_var(s);
    if (vec_contains(&need, v)) {
      vec_insert_front(&used_defs, s);
      expr_collect_vars(value_set(s), &need);
    }
  }
  free(need.items);
  for (int i = 0; i < moving.len; i++)
    ((Stmt *)moving.items[i])->kind = ST_EMPTY;
  /* A variable set in the nest that nothing reads once the sums are gone
   * (`d_row = d_inp + k`, which both sweeps set) is the copy's own: gcc
   * would warn it unused.  Declared in the nest, it goes from there. */
  int nmap = 2 + used_defs.len;
  Var **from = xcalloc(nmap, sizeof(Var *)), **to = xcalloc(nmap, sizeof(Var *));
  bool *reused = xcalloc(used_defs.len, sizeof(bool));
  from[0] = n->outer.counter;
  to[0] = fresh_like(n, n->outer.counter);
  from[1] = n->inner.counter;
  to[1] = fresh_like(n, n->inner.counter);
  for (int d = 0; d < used_defs.len; d++) {
    Stmt *s = used_defs.items[d];
    Var *v = from[2 + d] = def_var(s);
    if (s->kind == ST_DECL) {
      if (!mentioned_outside_walk(n->root, s, v))
        s->kind = ST_EMPTY;
    } else {
      Sets sets = {v, true};
      walk_stmt(n->root, &(Walker){.stmt_pre = collect_sets, .ctx = &sets});
      reused[d] = sets.only_set;
    }
    to[2 + d] = reused[d] ? v : fresh_like(n, v);
  }
  /* inner: the definitions and the sums in their order */
  Stmt *body = stmt_block(n->outer.loop->loc);
  vec_push(&body->body, stmt_clone(n->outer.step, from, to, nmap));
  for (int l = 0; l < 2; l++) {
    Vec *items = l ? &n->inner.items : &n->outer.items;
    for (int i = 0; i < items->len; i++) {
      Stmt *s = items->items[i];
      int d = index_in(&used_defs, s);
      if (d >= 0)
        vec_push(&body->body, reused[d] ? stmt_clone(s, from, to, nmap) : declared_copy(s, from, to, nmap));
      else if (vec_contains(&moving, s))
        vec_push(&body->body, sum_copy(s, from, to, nmap));
    }
  }
  Stmt *iw = stmt_while(expr_clone(n->outer.loop->expr, from, to, nmap), body);
  iw->loc = n->outer.loop->loc;
  iw->trips = expr_clone(n->outer.loop->trips, from, to, nmap);
  iw->known_trips = n->outer.loop->known_trips;
  Stmt *jbody = stmt_block(n->inner.loop->loc);
  vec_push(&jbody->body, stmt_clone(n->inner.step, from, to, nmap));
  vec_push(&jbody->body, declared_copy(n->outer.init, from, to, nmap));
  vec_push(&jbody->body, iw);
  Stmt *jw = stmt_while(expr_clone(n->inner.loop->expr, from, to, nmap), jbody);
  jw->loc = n->inner.loop->loc;
  jw->trips = expr_clone(n->inner.loop->trips, from, to, nmap);
  jw->known_trips = n->inner.loop->known_trips;
  Stmt *sum0 = moving.items[0];
  vec_insert_at(&block->body, at + 1,
                stmt_comment(format("the sums into %s, the loops over %s and %s swapped", lvalue_root(sum0->expr->lhs)->name,
                                    n->outer.counter->name, n->inner.counter->name)));
  vec_insert_at(&block->body, at + 2, declared_copy(n->inner.init, from, to, nmap));
  vec_insert_at(&block->body, at + 3, jw);
  free(from);
  free(to);
  free(reused);
  free(used_defs.items);
  free(moving.items);
  return true;
}

/* The nest whose outer loop is block's statement `at` (its init the one
 * before); how many statements the swap added after it. */
static int try_nest(Ad *ad, Stmt *root, bool parallel, Stmt *block, int at) {
  Nest n = {.ad = ad, .root = root, .parallel = parallel};
  if (at < 1 || !rev_loop(block->body.items[at - 1], block->body.items[at], &n.outer))
    return 0;
  int added = 0;
  n.inner_at = -1;
  bool ok = true;
  for (int i = 0; i < n.outer.items.len && ok; i++) {
    Stmt *s = n.outer.items.items[i];
    if (s->kind != ST_WHILE)
      continue;
    ok = n.inner_at < 0 && i > 0 && rev_loop(n.outer.items.items[i - 1], s, &n.inner);
    n.inner_at = i;
  }
  ok = ok && n.inner_at > 0;
  for (int i = 0; i < n.inner.items.len && ok; i++)
    ok = ((Stmt *)n.inner.items.items[i])->kind != ST_WHILE;
  vec_add_unique(&n.written, n.outer.counter);
  vec_add_unique(&n.written, n.inner.counter);
  for (int l = 0; l < 2 && ok; l++) {
    Vec *items = l ? &n.inner.items : &n.outer.items;
    for (int i = 0; i < items->len && ok; i++)
      ok = note_effect(&n, items->items[i]);
  }
  /* the bounds: fixed for the whole nest */
  ok = ok && !expr_any(n.outer.init->expr->rhs, impure, NULL) && !expr_any(n.outer.loop->expr, impure, NULL) &&
       !expr_any(n.inner.init->expr->rhs, impure, NULL) && !expr_any(n.inner.loop->expr, impure, NULL);
  for (int b = 0; b < 4 && ok; b++) {
    Expr *fixed[] = {n.outer.init->expr->rhs, n.outer.loop->expr->rhs, n.inner.init->expr->rhs, n.inner.loop->expr->rhs};
    Vec vars = {0};
    expr_collect_vars(fixed[b], &vars);
    for (int k = 0; k < vars.len && ok; k++)
      ok = !is_written(&n, vars.items[k]) &&
           (!ad_has_storage(vars.items[k]) || !storage_written(&n, ad_storage_of(ad, vars.items[k])));
    free(vars.items);
  }
  if (ok) {
    /* definitions the copy may repeat: outer ones before the inner loop
     * (counter I), then inner ones (I and J) */
    for (int l = 0; l < 2; l++) {
      Vec *items = l ? &n.inner.items : &n.outer.items;
      int end = l ? items->len : n.inner_at - 1;
      for (int i = 0; i < end; i++) {
        Stmt *s = items->items[i];
        if (!plain_def(&n, s) || expr_any(value_set(s), impure, NULL))
          continue;
        Vec vars = {0};
        expr_collect_vars(value_set(s), &vars);
        if (reads_allowed(&n, &vars, l == 1, NULL, address_def(def_var(s), value_set(s))))
          vec_push(&n.defs, s);
        free(vars.items);
      }
    }
    Vec arrays = {0};
    for (int i = 0; i < n.inner.items.len; i++) {
      Var *a = moving_sum(&n, n.inner.items.items[i]);
      if (a)
        vec_add_unique(&arrays, a);
    }
    for (int k = 0; k < arrays.len; k++)
      if (move_sums(&n, block, at + added, arrays.items[k]))
        added += 3;
    free(arrays.items);
  }
  free(n.outer.items.items);
  free(n.inner.items.items);
  free(n.written.items);
  free(n.wstorage[0].items);
  free(n.wstorage[1].items);
  free(n.defs.items);
  return added;
}

/* The copies declare their variables where they set them: inside a
 * parallel loop those are private to each thread. */
static void swap_in(Ad *ad, Stmt *root, bool parallel, Stmt *s) {
  if (!s)
    return;
  parallel |= s->omp_loop || s->pragma;
  if (s->kind == ST_BLOCK) {
    for (int i = 0; i < s->body.len; i++) {
      int added = try_nest(ad, root, parallel, s, i);
      if (added) {
        i += added;
        continue;
      }
      swap_in(ad, root, parallel, s->body.items[i]);
    }
    return;
  }
  swap_in(ad, root, parallel, s->then);
  swap_in(ad, root, parallel, s->els);
}

void ad_swap_tiles(Ad *ad, Stmt *body) { swap_in(ad, body, false, body); }
